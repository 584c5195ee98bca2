"""Hand-made school calendars for the compliance tests (weekdays checked on a wall calendar).

Chinese school, 2026—2027 (``cn_calendar``): school year 1 Sep 2026 - 30 Jun 2027.
  第一学期 1 Sep 2026 (Tue) - 22 Jan 2027 (Fri); 第二学期 1 Mar 2027 (Mon) - 30 Jun 2027.
  Winter break 23 Jan - 28 Feb: February 2027 lies wholly in it.
  国庆节 1-7 Oct 2026 (holidays); make-up school days Sun 27 Sep and Sat 10 Oct 2026;
  元旦 Fri 1 Jan 2027 (holiday).

US school, 2026-27 (``us_calendar``): school year 1 Sep 2026 - 30 Jun 2027.
  Fall 7 Sep 2026 (Mon, Labor Day: a holiday) - 15 Jan 2027 (Fri);
  Spring 25 Jan 2027 (Mon) - 25 Jun 2027 (Fri). January is shared by both terms.
  First school day: Tue 8 Sep 2026. Thanksgiving 26-27 Nov; winter break 21 Dec 2026 -
  1 Jan 2027 (closure inside the term); mid-winter recess 15-19 Feb 2027.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from drillplanner.domain.compliance import HeldDrill, PlannedDrill
from drillplanner.domain.events import EventKind
from drillplanner.domain.school_calendar import (
    CalendarDay,
    DayKind,
    SchoolCalendar,
    SchoolYear,
    Term,
)

D = date.fromisoformat

CN_TERM_1 = Term("第一学期", D("2026-09-01"), D("2027-01-22"), id=1)
CN_TERM_2 = Term("第二学期", D("2027-03-01"), D("2027-06-30"), id=2)
CN_YEAR = SchoolYear("2026—2027学年", D("2026-09-01"), D("2027-06-30"),
                     (CN_TERM_1, CN_TERM_2), id=1)

US_FALL = Term("Fall", D("2026-09-07"), D("2027-01-15"), id=11)
US_SPRING = Term("Spring", D("2027-01-25"), D("2027-06-25"), id=12)
US_YEAR = SchoolYear("2026-27", D("2026-09-01"), D("2027-06-30"), (US_FALL, US_SPRING), id=10)


def cn_calendar(second_term_start: date = CN_TERM_2.start,
                makeup: Iterable[date] = ()) -> SchoolCalendar:
    """The Chinese calendar; the second term may start earlier, with extra make-up days."""
    term_2 = Term(CN_TERM_2.name, second_term_start, CN_TERM_2.end, id=2)
    year = SchoolYear(CN_YEAR.name, CN_YEAR.start, CN_YEAR.end, (CN_TERM_1, term_2), id=1)
    entries = [
        CalendarDay(DayKind.HOLIDAY, D("2026-10-01"), D("2026-10-07"), "国庆节"),
        CalendarDay(DayKind.MAKEUP, D("2026-09-27"), D("2026-09-27"), "国庆调休"),
        CalendarDay(DayKind.MAKEUP, D("2026-10-10"), D("2026-10-10"), "国庆调休"),
        CalendarDay(DayKind.HOLIDAY, D("2027-01-01"), D("2027-01-01"), "元旦"),
    ]
    entries += [CalendarDay(DayKind.MAKEUP, day, day, "调休") for day in makeup]
    return SchoolCalendar(years=(year,), entries=tuple(entries))


def us_calendar() -> SchoolCalendar:
    return SchoolCalendar(years=(US_YEAR,), entries=(
        CalendarDay(DayKind.HOLIDAY, D("2026-09-07"), D("2026-09-07"), "Labor Day"),
        CalendarDay(DayKind.HOLIDAY, D("2026-11-26"), D("2026-11-27"), "Thanksgiving"),
        CalendarDay(DayKind.CLOSURE, D("2026-12-21"), D("2027-01-01"), "Winter break"),
        CalendarDay(DayKind.HOLIDAY, D("2027-02-15"), D("2027-02-19"), "Mid-winter recess"),
    ))


def held(kind: EventKind, *days: str) -> list[HeldDrill]:
    return [HeldDrill(D(day), kind, f"run {day}") for day in days]


def planned(kind: EventKind, *days: str) -> list[PlannedDrill]:
    return [PlannedDrill(D(day), kind, f"event @ {day} 10:00") for day in days]
