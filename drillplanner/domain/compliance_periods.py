"""The periods a compliance requirement is judged over, cut from one school year.

A requirement says "N drills per <period>". This module turns a period kind into dated
periods of a given school year, using the school calendar to tell which of them are in
session. It knows nothing about drills; :mod:`drillplanner.domain.compliance` counts them.
"""

from __future__ import annotations

import bisect
import calendar as gregorian
import enum
from dataclasses import dataclass, replace
from datetime import date, timedelta

from drillplanner.domain.school_calendar import SchoolCalendar, SchoolYear, Term
from drillplanner.i18n import N_, _, format_date, ngettext


class PeriodKind(enum.StrEnum):
    """How a requirement cuts the school year into periods.

    MONTH: each calendar month of the school year; with ``in_session_only`` only months
        that hold at least one school day (a month wholly in the winter break is not
        required, a month shared by two terms is one period).
    TERM: each term of the school year (the whole year when it has no terms).
    SCHOOL_YEAR: the school year as one period.
    FIRST_DAYS: the first D calendar days counted from the first school day of the year
        (not from the year's start date, which often lies in the summer break).
    BEFORE_DATE: from the school year's start until a month-day (12-31) inside it.
    QUARTER: each calendar quarter (Jan-Mar, Apr-Jun, ...) overlapping the school year,
        cut to the year; with ``in_session_only`` only quarters holding a school day.
    """

    MONTH = "month"
    TERM = "term"
    SCHOOL_YEAR = "school_year"
    FIRST_DAYS = "first_days"
    BEFORE_DATE = "before_date"
    QUARTER = "quarter"


PERIOD_KIND_LABELS: dict[PeriodKind, str] = {
    PeriodKind.MONTH: N_("Each month"),
    PeriodKind.TERM: N_("Each term"),
    PeriodKind.SCHOOL_YEAR: N_("School year"),
    PeriodKind.FIRST_DAYS: N_("First days of the school year"),
    PeriodKind.BEFORE_DATE: N_("Before a date"),
    PeriodKind.QUARTER: N_("Each quarter"),
}


def period_kind_label(kind: PeriodKind) -> str:
    """The name of a period kind in the current language."""
    return _(PERIOD_KIND_LABELS[kind])


@dataclass(frozen=True, slots=True)
class Period:
    """One dated period (``start``..``end`` inclusive) with a label for people."""

    start: date
    end: date
    label: str


class YearSession:
    """The school days of one school year, for quick "any school day in ..." questions."""

    def __init__(self, calendar: SchoolCalendar, year: SchoolYear) -> None:
        self.year = year
        self.terms: tuple[Term, ...] = tuple(sorted(
            (replace(term, start=max(term.start, year.start), end=min(term.end, year.end))
             for term in year.terms if term.start <= year.end and term.end >= year.start),
            key=lambda term: term.start))
        # Judge school days against this year alone: a year without terms is in session
        # throughout, and a year passed in need not be one of the calendar's.
        own = SchoolCalendar(
            years=(replace(year, terms=year.terms or (Term(year.name, year.start, year.end),)),),
            entries=calendar.entries, weekend=calendar.weekend)
        days: list[date] = []
        day = year.start
        while day <= year.end:
            if own.is_school_day(day):
                days.append(day)
            day += timedelta(days=1)
        self.school_days: tuple[date, ...] = tuple(days)

    def count_school_days(self, start: date, end: date) -> int:
        """School days in ``start``..``end`` (inclusive)."""
        if end < start:
            return 0
        return (bisect.bisect_right(self.school_days, end)
                - bisect.bisect_left(self.school_days, start))

    @property
    def first_school_day(self) -> date:
        """The first school day, or the first term's start (or year start) if none."""
        if self.school_days:
            return self.school_days[0]
        return self.terms[0].start if self.terms else self.year.start


def month_label(year: int, month: int) -> str:
    """"2026-11" in English, "2026年11月" in Chinese."""
    return _("{year}-{month:02d}").format(year=year, month=month)


def quarter_label(year: int, quarter: int) -> str:
    return _("Q{quarter} {year}").format(year=year, quarter=quarter)


def first_days_label(days: int) -> str:
    return ngettext("first {days} day", "first {days} days", days).format(days=days)


def before_label(day: date) -> str:
    return _("by {date}").format(date=format_date(day, "medium"))


def deadline_in_year(year: SchoolYear, month: int, day: int) -> date:
    """The first ``month``-``day`` on or after the year's start, cut to the year's end.

    29 February becomes 28 February in a common year.
    """
    def on(calendar_year: int) -> date:
        return date(calendar_year, month, min(day, gregorian.monthrange(calendar_year, month)[1]))

    deadline = on(year.start.year)
    if deadline < year.start:
        deadline = on(year.start.year + 1)
    return min(deadline, year.end)


def _months(year: SchoolYear, step: int) -> list[tuple[date, date, int, int]]:
    """Calendar blocks of ``step`` months (1: months, 3: quarters) cut to the year:
    (start, end, calendar year, block number from 1)."""
    blocks = []
    first_month = (year.start.month - 1) // step * step + 1
    block_start = date(year.start.year, first_month, 1)
    while block_start <= year.end:
        next_month = block_start.month + step
        next_start = (date(block_start.year + 1, next_month - 12, 1) if next_month > 12
                      else date(block_start.year, next_month, 1))
        blocks.append((max(block_start, year.start), min(next_start - timedelta(days=1),
                                                         year.end),
                       block_start.year, (block_start.month - 1) // step + 1))
        block_start = next_start
    return blocks


def periods_for(kind: PeriodKind, session: YearSession, *, days: int | None = None,
                before: tuple[int, int] | None = None,
                in_session_only: bool = True) -> list[Period]:
    """The periods of ``session``'s school year for one requirement, in date order.

    Args:
        kind: how the year is cut.
        session: the school year and its school days.
        days: the number of days for FIRST_DAYS.
        before: (month, day) for BEFORE_DATE.
        in_session_only: for MONTH and QUARTER, keep only periods holding a school day.

    Returns:
        The periods; empty when none applies (e.g. no month of the year is in session).
    """
    year = session.year
    if kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
        step = 1 if kind is PeriodKind.MONTH else 3
        label = month_label if kind is PeriodKind.MONTH else quarter_label
        return [Period(start, end, label(number_year, number))
                for start, end, number_year, number in _months(year, step)
                if not in_session_only or session.count_school_days(start, end) > 0]
    if kind is PeriodKind.TERM:
        if not session.terms:
            return [Period(year.start, year.end, year.name)]
        return [Period(term.start, term.end, term.name) for term in session.terms]
    if kind is PeriodKind.SCHOOL_YEAR:
        return [Period(year.start, year.end, year.name)]
    if kind is PeriodKind.FIRST_DAYS:
        if days is None:
            raise ValueError("FIRST_DAYS needs a number of days")
        start = session.first_school_day
        return [Period(start, min(start + timedelta(days=days - 1), year.end),
                       first_days_label(days))]
    if before is None:
        raise ValueError("BEFORE_DATE needs a month and day")
    deadline = deadline_in_year(year, *before)
    return [Period(year.start, deadline, before_label(deadline))]
