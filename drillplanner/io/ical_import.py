"""Reading events from an .ics file (ours or another calendar app's) in the school's time.

Times with a TZID are converted to the school's zone, floating times are taken as school
time, all-day events start at midnight and last their days. A repeating event from another
zone keeps the school-local time of its first start (10:00 in Beijing is 22:00 in New York
in summer, and stays 22:00 in winter), since a school's calendar is kept in its own time.
Everything wrong in the file is collected and raised at once as IcsError, each problem with
its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import EventKind, OccurrenceChange, Recurrence, Scope
from drillplanner.domain.excerpts import excerpt
from drillplanner.domain.recurrence import validate_rule
from drillplanner.domain.rrule_parts import DAY_PARTS, WEEKDAY_CODES, parse_rule
from drillplanner.i18n import _
from drillplanner.io.ical_model import (
    REASON_CANCELLED,
    REASON_NOT_SCHOOL_DAY,
    X_ANNOUNCED,
    X_CLASS,
    X_GRADE,
    X_KIND,
    X_ORGANIZER,
    X_REASON,
    X_SCHOOL_DAYS_ONLY,
    X_SCOPE,
    X_START,
    EventPeople,
    IcsError,
    IcsEvent,
    IcsProblem,
)
from drillplanner.io.ical_read import (
    Block,
    Parsed,
    categories_of,
    date_lists,
    dt_of,
    read_ics,
    text_of,
    texts_of,
    to_local,
    zone_problem,
)

# Kinds guessed from CATEGORIES and SUMMARY of events other apps wrote, first match wins:
# training before fire ("消防安全培训" is a class, not a drill), the drill kinds before the
# generic "drill".
_KIND_WORDS: tuple[tuple[EventKind, tuple[str, ...]], ...] = (
    (EventKind.TRAINING, ("training", "培训", "班会", "class meeting", "讲座")),
    (EventKind.FIRE, ("fire", "消防", "火灾")),
    (EventKind.EARTHQUAKE, ("earthquake", "地震")),
    (EventKind.LOCKDOWN, ("lockdown", "防恐", "反恐", "封闭")),
    (EventKind.SHELTER, ("shelter", "避险")),
    (EventKind.SPORTS, ("sports", "sport", "运动会", "体育", "拔河", "比赛")),
    (EventKind.DRILL_OTHER, ("drill", "演练", "疏散", "evacuation")),
)


def guess_kind(categories: Sequence[str], summary: str) -> EventKind:
    """The kind named by a category (our codes) or suggested by the words used."""
    for category in categories:
        if category.lower() in {k.value for k in EventKind}:
            return EventKind(category.lower())
    text = " ".join([*categories, summary]).lower()
    for kind, words in _KIND_WORDS:
        if any(word in text for word in words):
            return kind
    return EventKind.OTHER


@dataclass(slots=True)
class _Reader:
    parsed: Parsed
    zone: ZoneInfo
    problems: list[IcsProblem] = field(default_factory=list)

    def problem(self, block: Block, prop: str, message: str, index: int = 0) -> None:
        self.problems.append(self.parsed.problem(block, prop, message, index))

    def moment(self, component: icalendar.Component, block: Block, prop: str
               ) -> date | datetime | None:
        value = component.get(prop)
        if value is None:
            return None
        if not hasattr(value, "dt"):  # given twice: read_ics refuses that where it can tell
            self.problem(block, prop, _("{prop} appears more than once in this event.").format(
                prop=prop), 1)
            return None
        wrong_zone = zone_problem(self.parsed, block, prop, getattr(value, "params", None),
                                  value.dt)
        if wrong_zone is not None:
            self.problems.append(wrong_zone)
            return None
        moment: date | datetime = value.dt
        return moment

    def span(self, component: icalendar.Component, block: Block
             ) -> tuple[datetime, timedelta, bool, tzinfo | None] | None:
        """Local start, duration, all-day and the zone the file gave, or None (problem
        recorded)."""
        begin = self.moment(component, block, "DTSTART")
        if begin is None:
            if component.get("DTSTART") is None:
                self.problem(block, "DTSTART", _("The event has no start (DTSTART)."))
            return None
        all_day = not isinstance(begin, datetime)
        start = to_local(begin, self.zone)
        if component.get("DTEND") is not None:
            end_value = self.moment(component, block, "DTEND")
            if end_value is None:
                return None
            duration = to_local(end_value, self.zone) - start
            if duration <= timedelta(0):
                self.problem(block, "DTEND", _(
                    "The end ({end}) is not after the start ({start}).").format(
                        end=end_value.isoformat(), start=begin.isoformat()))
                return None
        elif component.get("DURATION") is not None:
            duration = dt_of(component, "DURATION")
            if not isinstance(duration, timedelta) or duration <= timedelta(0):
                self.problem(block, "DURATION", _("The duration must be more than zero."))
                return None
        elif all_day:
            duration = timedelta(days=1)
        else:
            self.problem(block, "DTSTART", _("The event has no end (DTEND or DURATION)."))
            return None
        zone = begin.tzinfo if isinstance(begin, datetime) else None
        return start, duration, all_day, zone

    def rule(self, component: icalendar.Component, block: Block, start: datetime,
             shift: int) -> str:
        rules = component.get("RRULE")
        if rules is None:
            return ""
        if isinstance(rules, list):
            self.problem(block, "RRULE", _("Only one RRULE per event is supported."), 1)
            return ""
        # The text as written keeps the order of its parts (icalendar would sort them).
        raw = block.values.get("RRULE")
        text = raw[0] if raw else rules.to_ical().decode("ascii")
        try:
            text = validate_rule(text, start, tz=self.zone)
        except ValidationError as error:
            self.problem(block, "RRULE", error.message)
            return ""
        if shift:
            shifted = shift_weekdays(text, shift)
            if shifted is None:
                self.problem(block, "DTSTART", _(
                    "The event repeats at a time that falls on another day in the school's "
                    "time zone ({zone}), and its rule names days that cannot be moved along."
                ).format(zone=self.zone.key))
                return ""
            text = shifted
        return text

    def dates(self, component: icalendar.Component, block: Block, prop: str
              ) -> list[tuple[datetime, str]]:
        """Every date of every RDATE/EXDATE line, local, with the line's reason parameter."""
        found: list[tuple[datetime, str]] = []
        for index, line in date_lists(component, prop):
            reason = str(getattr(line, "params", {}).get(X_REASON, "")).upper()
            for item in getattr(line, "dts", []):
                wrong_zone = zone_problem(self.parsed, block, prop,
                                          getattr(line, "params", None), item.dt, index)
                if wrong_zone is not None:
                    self.problems.append(wrong_zone)
                    continue
                value = item.dt
                if isinstance(value, tuple):  # an RDATE period: its start counts
                    value = value[0]
                found.append((to_local(value, self.zone), reason))
        return found

    def master(self, component: icalendar.Component, block: Block) -> IcsEvent | None:
        span = self.span(component, block)
        if span is None:
            return None
        start, duration, all_day, given_zone = span
        begin = dt_of(component, "DTSTART")
        begin_date = begin.date() if isinstance(begin, datetime) else begin
        # Days the start moved by in the school's zone (a rule naming weekdays moves too).
        shift = (start.date() - begin_date).days if given_zone is not None else 0
        start = self.own_start(component) or start
        title = text_of(component, "SUMMARY")
        kind_text = text_of(component, X_KIND).lower()
        if kind_text:
            try:
                kind = EventKind(kind_text)
            except ValueError:
                self.problem(block, X_KIND, _("Unknown event kind “{kind}”.").format(
                    kind=excerpt(kind_text)))
                return None
        else:
            kind = guess_kind(categories_of(component), title)
        school_days_only = text_of(component, X_SCHOOL_DAYS_ONLY).upper() == "TRUE"
        rule = self.rule(component, block, start, shift)
        rdates = tuple(sorted({d for d, _reason in self.dates(component, block, "RDATE")}))
        exdates: set[datetime] = set()
        cancelled: set[datetime] = set()
        for day, reason in self.dates(component, block, "EXDATE"):
            if reason == REASON_CANCELLED:
                cancelled.add(day)
            elif reason == REASON_NOT_SCHOOL_DAY and school_days_only:
                continue  # the school calendar decides again when the rule is expanded
            else:
                exdates.add(day)
        return IcsEvent(
            uid=text_of(component, "UID"), kind=kind, title=title, start=start,
            duration=duration, all_day=all_day, line=block.line,
            recurrence=Recurrence(rule=rule, rdates=rdates, exdates=tuple(sorted(exdates)),
                                  school_days_only=school_days_only),
            description=text_of(component, "DESCRIPTION"),
            place=text_of(component, "LOCATION"),
            announced=text_of(component, X_ANNOUNCED).upper() != "FALSE",
            changes=tuple(OccurrenceChange(0, day, cancelled=True)
                          for day in sorted(cancelled)),
            people=self.people(component, block))

    def people(self, component: icalendar.Component, block: Block) -> EventPeople | None:
        """Participants and organizer by name, when the file (our export) says."""
        scope_text = text_of(component, X_SCOPE).lower()
        if not scope_text:
            return None
        try:
            scope = Scope(scope_text)
        except ValueError:
            self.problem(block, X_SCOPE, _("Unknown participants “{scope}”.").format(
                scope=excerpt(scope_text)))
            return None
        return EventPeople(scope, grades=texts_of(component, X_GRADE),
                           classes=texts_of(component, X_CLASS),
                           organizer=text_of(component, X_ORGANIZER))

    def own_start(self, component: icalendar.Component) -> datetime | None:
        """The start as entered, when our export wrote the rule's first date as DTSTART."""
        value = component.get(X_START)
        moment = getattr(value, "dt", None)
        if not isinstance(moment, datetime):
            return None
        if moment.tzinfo is None:
            # icalendar leaves the TZID of an unknown property to us.
            tzid = getattr(value, "params", {}).get("TZID")
            try:
                moment = moment.replace(tzinfo=ZoneInfo(tzid)) if tzid else moment
            except (ValueError, KeyError, ZoneInfoNotFoundError):
                return None
        return to_local(moment, self.zone)

    def override(self, event: IcsEvent, component: icalendar.Component, block: Block
                 ) -> OccurrenceChange | None:
        original = self.moment(component, block, "RECURRENCE-ID")
        if original is None:
            return None
        original_start = to_local(original, self.zone)
        if text_of(component, "STATUS").upper() == "CANCELLED":
            return OccurrenceChange(0, original_start, cancelled=True)
        span = self.span(component, block)
        if span is None:
            return None
        start, duration, _all_day, _zone = span
        return OccurrenceChange(0, original_start, new_start=start,
                                new_duration=None if duration == event.duration else duration)


def shift_weekdays(rule: str, days: int) -> str | None:
    """``rule`` for a start moved by ``days`` to another date (a time zone's doing).

    A rule that takes its day from the start moves along as it is; plain weekdays
    (BYDAY=MO,WE) move with the start. Numbered weekdays (2TU), month or year days do not
    move by a day without changing meaning: None.
    """
    parts = parse_rule(rule)
    named = parts.names & set(DAY_PARTS)
    if not named:
        return rule
    if named != {"BYDAY"} or any(n for n, _day in parts.byday()):
        return None
    moved = ",".join(WEEKDAY_CODES[(day + days) % 7] for _n, day in parts.byday())
    return parts.replace(BYDAY=moved).text()


def parse_events(data: bytes, source: str, tz_name: str) -> list[IcsEvent]:
    """The events of an .ics file in the school's local time (``tz_name``).

    Moved occurrences (VEVENTs with RECURRENCE-ID) become changes of their series;
    cancelled events (STATUS:CANCELLED) are left out.

    Raises:
        IcsError: the file is not iCalendar or holds something we cannot read; every
            problem names ``source`` and its line.
    """
    parsed = read_ics(data, source)
    reader = _Reader(parsed, ZoneInfo(tz_name))
    events: list[IcsEvent] = []
    by_uid: dict[str, int] = {}
    overrides: list[tuple[icalendar.Component, Block]] = []
    for component, block in parsed.events:
        if component.get("RECURRENCE-ID") is not None:
            overrides.append((component, block))
            continue
        if text_of(component, "STATUS").upper() == "CANCELLED":
            continue
        uid = text_of(component, "UID")
        if uid and uid in by_uid:
            reader.problem(block, "UID", _("Another event in the file has the UID “{uid}”."
                                           ).format(uid=excerpt(uid)))
            continue
        event = reader.master(component, block)
        if event is not None:
            if uid:
                by_uid[uid] = len(events)
            events.append(event)
    for component, block in overrides:
        uid = text_of(component, "UID")
        if uid not in by_uid:
            # A moved occurrence whose series is not in the file: an event of its own.
            if text_of(component, "STATUS").upper() != "CANCELLED":
                lone = reader.master(component, block)
                if lone is not None:
                    events.append(replace(lone, uid=""))
            continue
        index = by_uid[uid]
        change = reader.override(events[index], component, block)
        if change is not None:
            kept = [c for c in events[index].changes
                    if c.original_start != change.original_start]
            events[index] = replace(events[index], changes=tuple(
                sorted([*kept, change], key=lambda c: c.original_start)))
    if reader.problems:
        raise IcsError(reader.problems)
    return events
