"""Events and a school calendar shared by the iCalendar tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from drillplanner.domain.events import Event, EventKind, OccurrenceChange, Recurrence
from drillplanner.domain.recurrence import Preset, build_recurrence
from drillplanner.domain.school_calendar import (
    CalendarDay,
    DayKind,
    SchoolCalendar,
    SchoolYear,
    Term,
)

EventList = Sequence[tuple[Event, Sequence[OccurrenceChange]]]
FIRST, LAST = date(2026, 9, 1), date(2027, 8, 31)
STAMP = datetime(2026, 8, 20, 8, 0, tzinfo=UTC)
TODAY = date(2026, 9, 1)

CALENDAR = SchoolCalendar(
    years=(SchoolYear("2026-2027", date(2026, 9, 1), date(2027, 7, 31), terms=(
        Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),
        Term("第二学期", date(2027, 2, 22), date(2027, 7, 9)))),),
    entries=(CalendarDay(DayKind.HOLIDAY, date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
             CalendarDay(DayKind.MAKEUP, date(2026, 10, 10), date(2026, 10, 10), "调休"),
             CalendarDay(DayKind.CLOSURE, date(2026, 11, 20), date(2026, 11, 20), "停电")))


def event(number: int, start: datetime, recurrence: Recurrence, **changes: object) -> Event:
    base = Event(id=number, school_id=1, kind=EventKind.FIRE, title=f"演练 {number}",
                 start=start, duration=timedelta(minutes=20), recurrence=recurrence,
                 place="操场", uid=f"event-{number}@test")
    return replace(base, **changes)  # type: ignore[arg-type]


def sample_events() -> list[tuple[Event, list[OccurrenceChange]]]:
    """One of each shape: presets, a custom rule, dates added and removed, changes."""
    weekly_start = datetime(2026, 9, 7, 10)
    weekly = event(1, weekly_start, build_recurrence(
        Preset.WEEKLY, weekly_start, weekdays=(0, 2), until=date(2027, 6, 30)))
    nth_start = datetime(2026, 9, 8, 9, 30)
    monthly = event(2, nth_start, build_recurrence(Preset.MONTHLY_NTH_WEEKDAY, nth_start,
                                                   count=8), kind=EventKind.EARTHQUAKE)
    daily = event(3, datetime(2026, 9, 14, 8), Recurrence(
        rule="FREQ=DAILY;INTERVAL=3;UNTIL=20261231T235959",
        rdates=(datetime(2027, 1, 5, 8),), exdates=(datetime(2026, 9, 20, 8),)))
    once = event(4, datetime(2026, 11, 9, 10), Recurrence(), kind=EventKind.SPORTS,
                 duration=timedelta(hours=3), description="拔河\n100米")
    # Starts on a Sunday that its rule (Mondays) never makes.
    off_rule = event(5, datetime(2026, 9, 13, 14), Recurrence(rule="FREQ=WEEKLY;BYDAY=MO;"
                                                                   "COUNT=6"))
    changes = [OccurrenceChange(1, datetime(2026, 9, 9, 10), cancelled=True),
               OccurrenceChange(1, datetime(2026, 9, 14, 10), new_start=datetime(2026, 9, 15,
                                                                                 11, 0),
                                new_duration=timedelta(minutes=45))]
    return [(weekly, changes), (monthly, []), (daily, []), (once, []), (off_rule, [])]


