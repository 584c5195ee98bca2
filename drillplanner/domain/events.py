"""Calendar events (drills, training, sports, other) and their dated occurrences."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from drillplanner.i18n import N_, _


class EventKind(enum.StrEnum):
    """What an event is. The first five are drills; each kind has one colour in the GUI."""

    FIRE = "fire"
    EARTHQUAKE = "earthquake"
    LOCKDOWN = "lockdown"
    SHELTER = "shelter"
    DRILL_OTHER = "drill_other"
    TRAINING = "training"
    SPORTS = "sports"
    OTHER = "other"

    @property
    def is_drill(self) -> bool:
        return self in DRILL_KINDS


DRILL_KINDS = frozenset({EventKind.FIRE, EventKind.EARTHQUAKE, EventKind.LOCKDOWN,
                         EventKind.SHELTER, EventKind.DRILL_OTHER})

KIND_LABELS: dict[EventKind, str] = {
    EventKind.FIRE: N_("Fire drill"),
    EventKind.EARTHQUAKE: N_("Earthquake drill"),
    EventKind.LOCKDOWN: N_("Lockdown drill"),
    EventKind.SHELTER: N_("Shelter-in-place drill"),
    EventKind.DRILL_OTHER: N_("Other drill"),
    EventKind.TRAINING: N_("Training"),
    EventKind.SPORTS: N_("Sports"),
    EventKind.OTHER: N_("Other"),
}


def kind_label(kind: EventKind) -> str:
    return _(KIND_LABELS[kind])


class Scope(enum.StrEnum):
    """Who takes part in an event."""

    SCHOOL = "school"
    GRADES = "grades"
    CLASSES = "classes"


@dataclass(frozen=True, slots=True)
class Participants:
    scope: Scope = Scope.SCHOOL
    grade_ids: frozenset[int] = frozenset()
    class_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Recurrence:
    """How an event repeats, in the school's local time.

    ``rule`` is an RFC 5545 RRULE body without the "RRULE:" prefix ("FREQ=WEEKLY;BYDAY=MO"),
    or "" for a one-off event. ``rdates``/``exdates`` are local start times added/removed.
    ``school_days_only`` drops occurrences on days the school calendar says are not school
    days (how "every school day" follows holidays and make-up days).
    """

    rule: str = ""
    rdates: tuple[datetime, ...] = ()
    exdates: tuple[datetime, ...] = ()
    school_days_only: bool = False

    @property
    def repeats(self) -> bool:
        return bool(self.rule or self.rdates)


@dataclass(frozen=True, slots=True)
class Event:
    """One calendar entry, possibly recurring. ``start`` is naive local time of the school."""

    id: int
    school_id: int
    kind: EventKind
    title: str
    start: datetime
    duration: timedelta
    recurrence: Recurrence = field(default_factory=Recurrence)
    description: str = ""
    place: str = ""
    assembly_area_id: int | None = None
    participants: Participants = field(default_factory=Participants)
    organizer_id: int | None = None
    announced: bool = True
    uid: str = ""
    #: The stored version this value was read at (0: not read from the database); an
    #: update from an older version is refused (optimistic locking).
    version: int = 0


@dataclass(frozen=True, slots=True)
class OccurrenceChange:
    """One occurrence moved or cancelled without touching the rest of the series.

    ``original_start`` (naive local) names the occurrence as the rule generates it.
    """

    event_id: int
    original_start: datetime
    cancelled: bool = False
    new_start: datetime | None = None
    new_duration: timedelta | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One dated instance of an event; start/end are aware datetimes in the school's zone."""

    event_id: int
    kind: EventKind
    title: str
    start: datetime
    end: datetime
    original_start: datetime
    moved: bool = False
    place: str = ""
    participants: Participants = field(default_factory=Participants)
    announced: bool = True

    @property
    def day(self) -> date:
        return self.start.date()
