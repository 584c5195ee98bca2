"""Writing a school's events as an iCalendar (.ics) file that calendar apps import.

Times are written in the school's zone with a TZID and a VTIMEZONE for it; UIDs are the
events' own, so a second export replaces the first in a subscribed calendar instead of
doubling it. A moved occurrence is a VEVENT of its own with the series' UID and a
RECURRENCE-ID; a cancelled one is an EXDATE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from icalendar import vRecur

from drillplanner.domain import recurrence as rec
from drillplanner.domain.events import Event, OccurrenceChange, kind_label
from drillplanner.domain.rrule_parts import cached_parts, naive_rule
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.io.ical_model import (
    PRODID,
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
)

# How far ahead "school days only" is spelled out as EXDATEs for other calendar apps.
SCHOOL_DAY_HORIZON = timedelta(days=730)
# How far back (past occurrences matter less, but a term's record should still look right).
SCHOOL_DAY_HISTORY = timedelta(days=365)
# The VTIMEZONE lists each offset change; this is the last year it must cover at least.
_TIMEZONE_LAST_DATE = date(2038, 1, 1)


def export_events(events: Sequence[tuple[Event, Sequence[OccurrenceChange]]], tz_name: str,
                  school_name: str, *, calendar: SchoolCalendar | None = None,
                  today: date | None = None, stamp: datetime | None = None,
                  people: Mapping[int, EventPeople] | None = None) -> bytes:
    """The events (each with its moved and cancelled occurrences) as .ics bytes.

    Args:
        events: the events with their occurrence changes; ``Event.start`` is naive local
            time in ``tz_name``.
        tz_name: the school's IANA time zone (written as TZID with a VTIMEZONE).
        school_name: becomes the calendar's name (X-WR-CALNAME).
        calendar: the school calendar; needed to spell out "school days only" rules.
        today: the day the school-day EXDATEs are counted from (default: today).
        stamp: DTSTAMP of every VEVENT (default: now, UTC).
        people: participants and organizer by event id, by name (left out when None).

    Returns:
        The calendar as UTF-8 bytes with CRLF line ends.
    """
    zone = ZoneInfo(tz_name)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    today = today or datetime.now(zone).date()
    ics = icalendar.Calendar()
    ics.add("PRODID", PRODID)
    ics.add("VERSION", "2.0")
    ics.add("CALSCALE", "GREGORIAN")
    ics.add("METHOD", "PUBLISH")
    ics.add("X-WR-CALNAME", school_name)
    ics.add("X-WR-TIMEZONE", tz_name)
    starts = [event.start.date() for event, _changes in events]
    first = date(min([*starts, today]).year - 1, 1, 1)
    last = max(_TIMEZONE_LAST_DATE, date(max([*starts, today]).year + 5, 1, 1))
    ics.add_component(icalendar.Timezone.from_tzid(tz_name, first_date=first, last_date=last))
    for event, changes in events:
        for component in _event_components(event, changes, zone, stamp, calendar, today):
            if people is not None and event.id in people:
                _add_people(component, people[event.id])
            ics.add_component(component)
    return bytes(ics.to_ical())


def _event_components(event: Event, changes: Sequence[OccurrenceChange], zone: ZoneInfo,
                      stamp: datetime, calendar: SchoolCalendar | None,
                      today: date) -> list[icalendar.Event]:
    def aware(value: datetime) -> datetime:
        return value.replace(tzinfo=zone)

    master = _base(event, zone, stamp)
    first = series_start(event)
    master.add("DTSTART", aware(first))
    master.add("DTEND", aware(first + event.duration))
    if first != event.start:
        master.add(X_START, aware(event.start), parameters={"VALUE": "DATE-TIME"})
    recurrence = event.recurrence
    if recurrence.rule:
        master.add("RRULE", _RuleInOrder(rule_for_export(recurrence.rule, zone)))
    if recurrence.rdates:
        master.add("RDATE", [aware(d) for d in sorted(recurrence.rdates)])
    if recurrence.exdates:
        master.add("EXDATE", [aware(d) for d in sorted(recurrence.exdates)])
    cancelled = sorted(c.original_start for c in changes if c.cancelled)
    if cancelled:
        master.add("EXDATE", [aware(d) for d in cancelled],
                   parameters={X_REASON: REASON_CANCELLED})
    if recurrence.school_days_only and calendar is not None:
        changed = {c.original_start for c in changes}
        dropped = [d for d in not_school_day_starts(event, calendar, zone, today)
                   if d not in changed]
        if dropped:
            master.add("EXDATE", [aware(d) for d in dropped],
                       parameters={X_REASON: REASON_NOT_SCHOOL_DAY})
    components = [master]
    for change in sorted(changes, key=lambda c: c.original_start):
        if change.cancelled or change.new_start is None:
            continue
        moved = _base(event, zone, stamp)
        moved.add("RECURRENCE-ID", aware(change.original_start))
        moved.add("DTSTART", aware(change.new_start))
        moved.add("DTEND", aware(change.new_start + (change.new_duration or event.duration)))
        components.append(moved)
    return components


def _base(event: Event, zone: ZoneInfo, stamp: datetime) -> icalendar.Event:
    """The properties every VEVENT of ``event`` carries (the series and its moved ones)."""
    component = icalendar.Event()
    component.add("UID", event.uid)
    component.add("DTSTAMP", stamp)
    component.add("SUMMARY", event.title)
    if event.description:
        component.add("DESCRIPTION", event.description)
    if event.place:
        component.add("LOCATION", event.place)
    component.add("CATEGORIES", [kind_label(event.kind)])
    component.add(X_KIND, event.kind.value)
    component.add(X_SCHOOL_DAYS_ONLY, _flag(event.recurrence.school_days_only))
    component.add(X_ANNOUNCED, _flag(event.announced))
    return component


def _add_people(component: icalendar.Event, people: EventPeople) -> None:
    component.add(X_SCOPE, people.scope.value)
    for name in people.grades:
        component.add(X_GRADE, name)
    for name in people.classes:
        component.add(X_CLASS, name)
    if people.organizer:
        component.add(X_ORGANIZER, people.organizer)


def _flag(value: bool) -> str:
    return "TRUE" if value else "FALSE"


def series_start(event: Event) -> datetime:
    """The DTSTART to write: the event's start, or the rule's first date when the rule
    does not make the start itself.

    RFC 5545 apps (Outlook, Google, Apple) count DTSTART as the first occurrence and in a
    COUNT; we, like dateutil, count only the dates the rule makes (and RDATEs). Starting the
    series on its first real date makes both readings agree; X-DRILLPLANNER-START keeps the
    start as entered for our own import.
    """
    rule = event.recurrence.rule
    if not rule:
        return event.start
    first = next(iter(naive_rule(cached_parts(rule), event.start)), None)
    return event.start if first is None else first


class _RuleInOrder(vRecur):
    """An RRULE written with its parts in our order (icalendar would sort them), so that
    our own import gives back the very text that was stored."""

    def __init__(self, text: str) -> None:
        super().__init__(vRecur.from_ical(text))
        self.text = text

    def to_ical(self) -> bytes:
        return self.text.encode("ascii")


def rule_for_export(rule: str, zone: ZoneInfo) -> str:
    """``rule`` with its UNTIL in UTC, as RFC 5545 wants when DTSTART has a TZID.

    A stored UNTIL is school-local: a date means the end of that day, a naive time that
    local time.
    """
    parts = []
    for part in rule.split(";"):
        name, _sep, value = part.partition("=")
        if name.upper() == "UNTIL" and not value.upper().endswith("Z"):
            local = (datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
                     if len(value) == 8 else datetime.strptime(value, "%Y%m%dT%H%M%S"))
            value = local.replace(tzinfo=zone).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{name}={value}")
    return ";".join(parts)


def not_school_day_starts(event: Event, calendar: SchoolCalendar, zone: ZoneInfo,
                          today: date) -> list[datetime]:
    """The starts (naive local) the rule makes but "school days only" drops, from a year
    before ``today`` to two years after.

    Other calendar apps know nothing of our school calendar and an RRULE cannot say "only
    on school days", so these are written as EXDATEs: Outlook, Google and Apple Calendar
    then show the right days for that horizon (later ones show every day the rule makes).
    Our own import recognises them by their X-DRILLPLANNER-REASON parameter and drops them.
    """
    window_start = datetime.combine(today - SCHOOL_DAY_HISTORY, time.min, zone)
    window_end = datetime.combine(today + SCHOOL_DAY_HORIZON, time.min, zone)
    every = replace(event, recurrence=replace(event.recurrence, school_days_only=False))
    kept = {o.original_start for o in rec.expand(event, (), calendar, zone, window_start,
                                                 window_end)}
    made = [o.original_start for o in rec.expand(every, (), calendar, zone, window_start,
                                                 window_end)]
    # original_start is naive local already; replace() keeps that true whatever comes.
    return sorted(d.replace(tzinfo=None) for d in made if d not in kept)
