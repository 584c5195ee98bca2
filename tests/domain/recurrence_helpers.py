"""Shared pieces for the recurrence and conflict tests: events, a hand-made school calendar
and windows.

The calendar (weekdays read off a printed 2026 calendar):
  Term "Autumn" Tue 1 Sep 2026 - Fri 22 Jan 2027; term "Spring" Mon 1 Mar - Wed 30 Jun 2027.
  National Day holiday week Thu 1 - Wed 7 Oct 2026; make-up school days Sun 27 Sep and
  Sat 10 Oct 2026; an exam day Thu 14 Jan 2027; a sports day Fri 23 Oct 2026.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.school_calendar import (
    CalendarDay,
    DayKind,
    SchoolCalendar,
    SchoolYear,
    Term,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
D = date.fromisoformat

AUTUMN = Term("Autumn", D("2026-09-01"), D("2027-01-22"), id=1)
SPRING = Term("Spring", D("2027-03-01"), D("2027-06-30"), id=2)
YEAR = SchoolYear("2026-2027", D("2026-09-01"), D("2027-07-31"), (AUTUMN, SPRING), id=1)
HOLIDAY_WEEK = CalendarDay(DayKind.HOLIDAY, D("2026-10-01"), D("2026-10-07"), "National Day")
MAKEUP_SUNDAY = CalendarDay(DayKind.MAKEUP, D("2026-09-27"), D("2026-09-27"), "Make-up")
MAKEUP_SATURDAY = CalendarDay(DayKind.MAKEUP, D("2026-10-10"), D("2026-10-10"), "Make-up")
EXAM_DAY = CalendarDay(DayKind.EXAM, D("2027-01-14"), D("2027-01-14"), "Final exams")
SPORTS_DAY = CalendarDay(DayKind.SPORTS_DAY, D("2026-10-23"), D("2026-10-23"), "Sports meet")


def school_calendar() -> SchoolCalendar:
    return SchoolCalendar(years=(YEAR,), entries=(HOLIDAY_WEEK, MAKEUP_SUNDAY, MAKEUP_SATURDAY,
                                                  EXAM_DAY, SPORTS_DAY))


def event(start: str, rule: str = "", *, rdates: tuple[str, ...] = (),
          exdates: tuple[str, ...] = (), school_days_only: bool = False, minutes: int = 20,
          kind: EventKind = EventKind.FIRE, event_id: int = 1) -> Event:
    """An event starting at ``start`` ("2026-09-01 10:00", naive local)."""
    return Event(id=event_id, school_id=1, kind=kind, title=f"Event {event_id}",
                 start=datetime.fromisoformat(start), duration=timedelta(minutes=minutes),
                 recurrence=Recurrence(rule=rule,
                                       rdates=tuple(map(datetime.fromisoformat, rdates)),
                                       exdates=tuple(map(datetime.fromisoformat, exdates)),
                                       school_days_only=school_days_only))


def window(first: str, last: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Aware bounds covering the days ``first``..``last`` (inclusive)."""
    return (datetime.combine(D(first), time(), tz),
            datetime.combine(D(last) + timedelta(days=1), time(), tz))
