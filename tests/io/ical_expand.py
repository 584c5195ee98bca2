"""Expanding an .ics file the way another calendar app would: icalendar + dateutil only.

Nothing of drillplanner is used here, so tests comparing this with our own expansion
check the exported file, not our code against itself.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, tzinfo

import icalendar
from dateutil.rrule import rrule, rruleset, rrulestr


def _dates(component: icalendar.Component, prop: str) -> list[datetime]:
    values = component.get(prop)
    if values is None:
        return []
    found: list[datetime] = []
    for line in values if isinstance(values, list) else [values]:
        found.extend(item.dt for item in line.dts)
    return found


def _start(component: icalendar.Component) -> datetime:
    value = component["DTSTART"].dt
    assert isinstance(value, datetime), value
    return value


def expand_file(data: bytes, first: datetime, last: datetime) -> dict[str, list[datetime]]:
    """Occurrence starts per UID in [first, last): RRULE + RDATE - EXDATE per master VEVENT
    (DTSTART itself counts, as RFC 5545 says), then RECURRENCE-ID overrides replace theirs."""
    calendar = icalendar.Calendar.from_ical(data)
    masters = {}
    overrides: dict[str, list[icalendar.Component]] = defaultdict(list)
    for component in calendar.walk("VEVENT"):
        uid = str(component["UID"])
        if "RECURRENCE-ID" in component:
            overrides[uid].append(component)
        else:
            masters[uid] = component
    result: dict[str, list[datetime]] = {}
    for uid, master in masters.items():
        start = _start(master)
        rules = rruleset()
        if "RRULE" in master:
            parsed = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
            assert isinstance(parsed, rrule)
            rules.rrule(parsed)
        rules.rdate(start)
        for value in _dates(master, "RDATE"):
            rules.rdate(value)
        for value in _dates(master, "EXDATE"):
            rules.exdate(value)
        for override in overrides.get(uid, []):
            rules.exdate(override["RECURRENCE-ID"].dt)
        starts = [d for d in rules.between(first, last, inc=True) if d < last]
        starts += [_start(o) for o in overrides.get(uid, []) if first <= _start(o) < last]
        result[uid] = sorted(starts)
    return result


def window(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """[first 00:00, last + 1 day 00:00) as aware datetimes in ``zone``."""
    return (datetime.combine(first, time.min, zone),
            datetime.combine(last + timedelta(days=1), time.min, zone))
