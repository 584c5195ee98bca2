"""School years, terms and dated calendar entries through the service, on a real database."""

from __future__ import annotations

from datetime import date

import pytest

from drillplanner.domain.changes import NOTHING, Changes, Kind
from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.school_calendar import CalendarDay, DayKind
from drillplanner.services import calendar, schools
from drillplanner.storage.database import Database

TERMS = [("第一学期", date(2026, 9, 1), date(2027, 1, 22)),
         ("第二学期", date(2027, 2, 22), date(2027, 7, 9))]


@pytest.fixture
def school_id(db: Database) -> int:
    return schools.add_school(db, "聊城市实验小学").value.id


def test_school_year_with_terms_drives_school_days(db: Database, school_id: int) -> None:
    year = calendar.add_school_year(db, school_id, "2026-2027", date(2026, 9, 1),
                                    date(2027, 7, 15), TERMS).value
    assert [t.name for t in year.terms] == ["第一学期", "第二学期"]
    calendar.add_calendar_day(db, school_id, DayKind.HOLIDAY, date(2026, 10, 1),
                              date(2026, 10, 7), "国庆节")
    calendar.add_calendar_day(db, school_id, DayKind.MAKEUP, date(2026, 10, 10), name="调休")
    cal = calendar.load_calendar(db, school_id)
    assert cal.is_school_day(date(2026, 9, 30))  # a Wednesday in term
    assert not cal.is_school_day(date(2026, 10, 5))  # national holiday, a Monday
    assert cal.is_school_day(date(2026, 10, 10))  # a Saturday made a school day
    assert not cal.is_school_day(date(2026, 10, 11))  # an ordinary Sunday
    assert not cal.is_school_day(date(2027, 2, 1))  # winter break: in the year, no term
    assert not cal.is_school_day(date(2027, 7, 12))  # after the second term
    assert cal.term_of(date(2027, 3, 1)).name == "第二学期"


def test_overlapping_or_malformed_years_and_terms_are_refused(db: Database,
                                                              school_id: int) -> None:
    calendar.add_school_year(db, school_id, "2026-2027", date(2026, 9, 1), date(2027, 7, 15))
    with pytest.raises(ConflictError):
        calendar.add_school_year(db, school_id, "2026-2027", date(2027, 9, 1),
                                 date(2028, 7, 15))
    with pytest.raises(ValidationError, match="overlaps"):
        calendar.add_school_year(db, school_id, "2027", date(2027, 7, 1), date(2028, 6, 30))
    with pytest.raises(ValidationError, match="before the start") as caught:
        calendar.add_school_year(db, school_id, "x", date(2028, 9, 1), date(2028, 8, 1))
    assert caught.value.field == "end"
    with pytest.raises(ValidationError, match="outside its school year"):
        calendar.add_school_year(db, school_id, "2028-2029", date(2028, 9, 1),
                                 date(2029, 7, 1), [("T", date(2028, 8, 1), date(2028, 12, 1))])
    with pytest.raises(ValidationError, match="overlap"):
        calendar.add_school_year(db, school_id, "2028-2029", date(2028, 9, 1),
                                 date(2029, 7, 1), [("A", date(2028, 9, 1), date(2029, 1, 31)),
                                                    ("B", date(2029, 1, 31), date(2029, 6, 1))])
    assert [y.name for y in calendar.list_school_years(db, school_id)] == ["2026-2027"]


def test_replacing_terms(db: Database, school_id: int) -> None:
    year = calendar.add_school_year(db, school_id, "2026-2027", date(2026, 9, 1),
                                    date(2027, 7, 15), TERMS).value
    changed = calendar.set_terms(db, year.id, TERMS[:1]).value
    assert [t.name for t in changed.terms] == ["第一学期"]
    assert calendar.load_calendar(db, school_id).term_of(date(2027, 3, 1)) is None


def test_entries_in_a_window_and_bulk_add_skips_duplicates(db: Database,
                                                           school_id: int) -> None:
    first = calendar.add_calendar_days(db, school_id, [
        CalendarDay(DayKind.EXAM, date(2027, 1, 12), date(2027, 1, 14), "期末考试"),
        CalendarDay(DayKind.CLOSURE, date(2026, 12, 3), date(2026, 12, 3), "暴雪停课"),
    ]).value
    assert len(first) == 2
    again = calendar.add_calendar_days(db, school_id, [
        CalendarDay(DayKind.EXAM, date(2027, 1, 12), date(2027, 1, 14), "期末考试")]).value
    assert again == []
    window = calendar.list_calendar_days(db, school_id, date(2027, 1, 14), date(2027, 2, 1))
    assert [(d.kind, d.name) for d in window] == [(DayKind.EXAM, "期末考试")]
    assert calendar.clear_calendar_days(db, school_id, DayKind.EXAM).value == 1
    calendar.delete_calendar_day(db, first[1].id)
    assert calendar.list_calendar_days(db, school_id) == []


def test_every_calendar_write_names_the_schools_calendar(db: Database, school_id: int
                                                         ) -> None:
    # Another school's year first, so that a year's or an entry's id is not the school's.
    other = schools.add_school(db, "聊城市第二实验小学").value.id
    calendar.add_school_year(db, other, "2025-2026", date(2025, 9, 1), date(2026, 7, 15))
    calendar.add_calendar_day(db, other, DayKind.HOLIDAY, date(2026, 1, 1))
    mine = Changes.of(Kind.CALENDAR, school_id)
    added_year = calendar.add_school_year(db, school_id, "2026-2027", date(2026, 9, 1),
                                          date(2027, 7, 15), TERMS)
    assert added_year.changes == mine and added_year.value.id != school_id
    assert calendar.set_terms(db, added_year.value.id, TERMS[:1]).changes == mine
    day = calendar.add_calendar_day(db, school_id, DayKind.HOLIDAY, date(2026, 10, 1))
    assert day.changes == mine and day.value.id != school_id
    exams = [CalendarDay(DayKind.EXAM, date(2027, 1, 12), date(2027, 1, 14), "期末考试")]
    assert calendar.add_calendar_days(db, school_id, exams).changes == mine
    assert calendar.add_calendar_days(db, school_id, exams).changes == NOTHING  # all there
    assert calendar.clear_calendar_days(db, school_id, DayKind.EXAM).changes == mine
    assert calendar.clear_calendar_days(db, school_id, DayKind.EXAM).changes == NOTHING
    assert calendar.delete_calendar_day(db, day.value.id).changes == mine
    assert calendar.delete_school_year(db, added_year.value.id).changes == mine
    prefilled = calendar.prefill_public_holidays(db, school_id, [2026])
    assert prefilled.value and prefilled.changes == mine
    assert calendar.prefill_public_holidays(db, school_id, [2026]).changes == NOTHING


def test_a_range_longer_than_a_year_is_refused(db: Database, school_id: int) -> None:
    with pytest.raises(ValidationError, match="at most a year"):
        calendar.add_calendar_day(db, school_id, DayKind.CLOSURE, date(2026, 1, 1),
                                  date(2027, 6, 1))
    with pytest.raises(ValidationError, match="before the start"):
        calendar.add_calendar_day(db, school_id, DayKind.HOLIDAY, date(2026, 5, 2),
                                  date(2026, 5, 1))


def test_chinese_public_holidays_bring_their_make_up_days(db: Database, school_id: int) -> None:
    # The app is in English here; a Chinese school's holidays keep their Chinese names.
    added = calendar.prefill_public_holidays(db, school_id, [2026]).value
    makeup = sorted(d.start for d in added if d.kind is DayKind.MAKEUP)
    # The State Council's 2026 schedule moves these weekend days to working days.
    assert makeup == [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
                      date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)]
    assert all(d.weekday() >= 5 for d in makeup)
    names = {d.start: d.name for d in added if d.kind is DayKind.HOLIDAY}
    assert names[date(2026, 10, 1)] == "国庆节"
    assert names[date(2026, 2, 17)] == "春节"
    assert calendar.prefill_public_holidays(db, school_id, [2026]).value == []  # nothing twice
    cal = calendar.load_calendar(db, school_id)  # no terms: every weekday is in session
    assert cal.is_school_day(date(2026, 10, 10)) and not cal.is_school_day(date(2026, 10, 6))


def test_an_unknown_country_is_a_clear_error(db: Database, school_id: int) -> None:
    schools.update_school(db, school_id, {"country": "QQ"})
    with pytest.raises(ValidationError, match="QQ") as caught:
        calendar.prefill_public_holidays(db, school_id, [2026])
    assert caught.value.field == "country"
