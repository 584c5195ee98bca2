"""What iCalendar import and export share: our own property names, problems, parsed events.

Other calendar apps keep properties they do not know ("X-" names) and parameters on
properties, so our own exports carry everything a re-import needs in them while Outlook,
Google and Apple Calendar show the standard ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.events import Event, EventKind, OccurrenceChange, Recurrence, Scope
from drillplanner.i18n import _, ngettext

PRODID = "-//drillplanner//drillplanner//EN"

# Our own properties on a VEVENT.
X_KIND = "X-DRILLPLANNER-KIND"
X_SCHOOL_DAYS_ONLY = "X-DRILLPLANNER-SCHOOL-DAYS-ONLY"
X_ANNOUNCED = "X-DRILLPLANNER-ANNOUNCED"
X_DAY_KIND = "X-DRILLPLANNER-DAY-KIND"
# The event's own start when DTSTART had to differ from it (see ical_export.series_start).
X_START = "X-DRILLPLANNER-START"
# Who takes part and who organises, by name: ids mean nothing in another database.
X_SCOPE = "X-DRILLPLANNER-SCOPE"
X_GRADE = "X-DRILLPLANNER-GRADE"  # one line per grade
X_CLASS = "X-DRILLPLANNER-CLASS"  # one line per class (full name, 一年级1班)
X_ORGANIZER = "X-DRILLPLANNER-ORGANIZER"

# A parameter on EXDATE lines telling why a date is excluded. Our import keeps only the
# EXDATEs without it (the rule's own); the others are restored as what they mean.
X_REASON = "X-DRILLPLANNER-REASON"
REASON_CANCELLED = "CANCELLED"
REASON_NOT_SCHOOL_DAY = "NOT-SCHOOL-DAY"


@dataclass(frozen=True, slots=True)
class IcsProblem:
    """Something wrong in an .ics file, located as precisely as is known."""

    message: str
    source: str = ""
    line: int | None = None
    prop: str = ""

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where = f"{where}:{self.line}" if where else str(self.line)
        if self.prop:
            where = f"{where} [{self.prop}]" if where else f"[{self.prop}]"
        return f"{where}: {self.message}" if where else self.message


class IcsError(DrillplannerError):
    """An .ics file cannot be read or imported; ``problems`` lists every reason found."""

    def __init__(self, problems: list[IcsProblem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else _("invalid iCalendar file")
        more = len(self.problems) - 1
        if more > 0:
            first += " " + ngettext("(and {n} more problem)", "(and {n} more problems)",
                                    more).format(n=more)
        super().__init__(first)


@dataclass(frozen=True, slots=True)
class EventPeople:
    """Who takes part in an event and who organises it, by name."""

    scope: Scope = Scope.SCHOOL
    grades: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    organizer: str = ""


@dataclass(frozen=True, slots=True)
class IcsEvent:
    """One event read from an .ics file, in the school's local time (naive datetimes).

    ``changes`` are its moved and cancelled occurrences (``event_id`` 0 until stored);
    ``people`` is None when the file does not say (other apps' files); ``line`` is where
    its VEVENT begins, for messages about it.
    """

    uid: str
    kind: EventKind
    title: str
    start: datetime
    duration: timedelta
    recurrence: Recurrence = field(default_factory=Recurrence)
    description: str = ""
    place: str = ""
    announced: bool = True
    all_day: bool = False
    changes: tuple[OccurrenceChange, ...] = ()
    people: EventPeople | None = None
    line: int = 0

    def to_event(self, school_id: int, event_id: int = 0) -> Event:
        """The event as the schedule service takes it (participants and organizer are the
        service's to find by name: the whole school, nobody, until then)."""
        return Event(id=event_id, school_id=school_id, kind=self.kind, title=self.title,
                     start=self.start, duration=self.duration, recurrence=self.recurrence,
                     description=self.description, place=self.place,
                     announced=self.announced, uid=self.uid)
