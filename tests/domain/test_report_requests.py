"""The named periods of the Reports page and the ``report`` command, on a real school year
(first term 1 September to 22 January, winter break, second term 22 February to 9 July)."""

from __future__ import annotations

from datetime import date

import pytest

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.report_requests import (
    PeriodPreset,
    current_school_year,
    current_term,
    default_period,
    month_of,
    preset_period,
)
from drillplanner.domain.school_calendar import SchoolCalendar, SchoolYear, Term

FIRST = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
SECOND = Term("第二学期", date(2027, 2, 22), date(2027, 7, 9))
YEAR = SchoolYear("2026—2027学年", date(2026, 9, 1), date(2027, 8, 31), (FIRST, SECOND))
CALENDAR = SchoolCalendar(years=(YEAR,))


@pytest.mark.parametrize(("today", "term"), [
    (date(2026, 9, 1), FIRST),
    (date(2026, 11, 9), FIRST),
    (date(2027, 1, 22), FIRST),
    # The winter break: the term just ended, whose summary is printed now.
    (date(2027, 2, 10), FIRST),
    (date(2027, 2, 22), SECOND),
    # The summer holiday still belongs to the school year: its last term.
    (date(2027, 8, 1), SECOND),
])
def test_this_term(today: date, term: Term) -> None:
    assert current_term(CALENDAR, today) == (term.start, term.end)
    assert preset_period(PeriodPreset.TERM, CALENDAR, today) == (term.start, term.end)
    assert default_period(CALENDAR, today) == (term.start, term.end)


def test_outside_every_school_year() -> None:
    today = date(2026, 8, 20)
    assert current_term(CALENDAR, today) is None
    assert current_school_year(CALENDAR, today) is None
    # August 2026 has 31 days.
    assert default_period(CALENDAR, today) == (date(2026, 8, 1), date(2026, 8, 31))
    with pytest.raises(ValidationError, match="No term of the school calendar holds "
                                              "2026-08-20") as term_error:
        preset_period(PeriodPreset.TERM, CALENDAR, today)
    assert term_error.value.field == "period"
    with pytest.raises(ValidationError, match="No school year of the school calendar holds"):
        preset_period(PeriodPreset.SCHOOL_YEAR, CALENDAR, today)
    assert preset_period(PeriodPreset.MONTH, CALENDAR, today) == month_of(today)


def test_a_year_without_terms_has_no_term_but_is_a_year() -> None:
    bare = SchoolCalendar(years=(SchoolYear("2026", date(2026, 9, 1), date(2027, 8, 31)),))
    today = date(2026, 10, 15)
    assert current_term(bare, today) is None
    assert preset_period(PeriodPreset.SCHOOL_YEAR, bare, today) == (date(2026, 9, 1),
                                                                     date(2027, 8, 31))
    assert default_period(bare, today) == (date(2026, 10, 1), date(2026, 10, 31))


@pytest.mark.parametrize(("day", "last"), [
    (date(2027, 2, 14), date(2027, 2, 28)),
    (date(2028, 2, 1), date(2028, 2, 29)),  # a leap year
    (date(2026, 12, 31), date(2026, 12, 31)),
])
def test_month_of(day: date, last: date) -> None:
    assert month_of(day) == (day.replace(day=1), last)
