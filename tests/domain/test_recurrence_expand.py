"""Expanding events into occurrences: calendar edge cases, daylight saving time, the school
calendar, EXDATE/RDATE, moved and cancelled occurrences."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from recurrence_helpers import (
    NEW_YORK,
    SHANGHAI,
    school_calendar,
    window,
)
from recurrence_helpers import event as make_event

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import OccurrenceChange
from drillplanner.domain.recurrence import (
    check_has_occurrence,
    expand,
    first_occurrence_within,
    next_occurrences,
)
from drillplanner.domain.school_calendar import SchoolCalendar

EMPTY = SchoolCalendar()
DT = datetime.fromisoformat


def local_starts(occurrences: list) -> list[str]:  # type: ignore[type-arg]
    return [o.start.strftime("%Y-%m-%d %H:%M") for o in occurrences]


def days(occurrences: list) -> list[str]:  # type: ignore[type-arg]
    return [o.start.date().isoformat() for o in occurrences]


# Calendar edge cases ------------------------------------------------------------------------


def test_the_31st_skips_months_without_one() -> None:
    event = make_event("2026-01-31 10:00", "FREQ=MONTHLY;BYMONTHDAY=31")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-01-01", "2026-12-31", SHANGHAI))
    assert days(found) == ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31",
                           "2026-08-31", "2026-10-31", "2026-12-31"]


def test_last_day_of_the_month_happens_every_month() -> None:
    event = make_event("2026-09-30 10:00", "FREQ=MONTHLY;BYMONTHDAY=-1")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-09-01", "2027-02-28", SHANGHAI))
    assert days(found) == ["2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31",
                           "2027-01-31", "2027-02-28"]


def test_fifth_tuesday_only_in_months_that_have_one() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=MONTHLY;BYDAY=5TU")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-09-01", "2027-03-31", SHANGHAI))
    assert days(found) == ["2026-09-29", "2026-12-29", "2027-03-30"]


def test_29_february_only_in_leap_years() -> None:
    event = make_event("2026-01-01 09:00", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-01-01", "2037-12-31", SHANGHAI))
    assert days(found) == ["2028-02-29", "2032-02-29", "2036-02-29"]


def test_29_february_skips_1900_style_century_years() -> None:
    event = make_event("2096-03-01 09:00", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2096-01-01", "2105-12-31", SHANGHAI))
    assert days(found) == ["2104-02-29"]  # 2100 is not a leap year


def test_a_one_off_event_is_one_occurrence() -> None:
    event = make_event("2026-11-09 10:00", minutes=30)
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-11-01", "2026-11-30", SHANGHAI))
    assert len(found) == 1
    assert found[0].start == datetime(2026, 11, 9, 10, 0, tzinfo=SHANGHAI)
    assert found[0].end - found[0].start == timedelta(minutes=30)
    assert not found[0].moved
    assert expand(event, [], EMPTY, SHANGHAI, *window("2026-11-10", "2026-11-30", SHANGHAI)) == []


def test_window_is_half_open() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY")
    found = expand(event, [], EMPTY, SHANGHAI, DT("2026-09-02 10:00+08:00"),
                   DT("2026-09-04 10:00+08:00"))
    assert local_starts(found) == ["2026-09-02 10:00", "2026-09-03 10:00"]


def test_window_in_another_zone_is_compared_as_the_same_instants() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY")
    # 02:00 UTC is 10:00 in Shanghai.
    found = expand(event, [], EMPTY, SHANGHAI, DT("2026-09-02 02:00+00:00"),
                   DT("2026-09-03 02:00+00:00"))
    assert local_starts(found) == ["2026-09-02 10:00"]


# Daylight saving time (America/New_York: 8 March 2026 02:00 -> 03:00, 1 Nov 2026
# 02:00 -> 01:00) ---------------------------------------------------------------------------


def test_spring_forward_keeps_ten_oclock_local() -> None:
    event = make_event("2026-03-05 10:00", "FREQ=DAILY")
    found = expand(event, [], EMPTY, NEW_YORK, *window("2026-03-06", "2026-03-10", NEW_YORK))
    assert [o.start.hour for o in found] == [10] * 5
    utc_hours = [o.start.astimezone(SHANGHAI).hour for o in found]
    # 10:00 EST is 23:00 in Shanghai, 10:00 EDT is 22:00.
    assert utc_hours == [23, 23, 22, 22, 22]
    assert [o.start.utcoffset() for o in found] == [timedelta(hours=-5)] * 2 + [
        timedelta(hours=-4)] * 3


def test_fall_back_keeps_ten_oclock_local() -> None:
    event = make_event("2026-10-25 10:00", "FREQ=WEEKLY;BYDAY=SU")
    found = expand(event, [], EMPTY, NEW_YORK, *window("2026-10-25", "2026-11-08", NEW_YORK))
    assert local_starts(found) == ["2026-10-25 10:00", "2026-11-01 10:00", "2026-11-08 10:00"]
    assert [o.start.utcoffset() for o in found] == [timedelta(hours=-4), timedelta(hours=-5),
                                                    timedelta(hours=-5)]
    assert [o.end - o.start for o in found] == [timedelta(minutes=20)] * 3


def test_a_time_in_the_spring_forward_gap_moves_forward_by_the_gap() -> None:
    event = make_event("2026-03-06 02:30", "FREQ=DAILY")
    found = expand(event, [], EMPTY, NEW_YORK, *window("2026-03-07", "2026-03-09", NEW_YORK))
    assert local_starts(found) == ["2026-03-07 02:30", "2026-03-08 03:30", "2026-03-09 02:30"]
    gap_day = found[1]
    assert gap_day.start.utcoffset() == timedelta(hours=-4)
    assert gap_day.end == gap_day.start + timedelta(minutes=20)
    # The occurrence is still named by the time the rule gives, for moves and cancels.
    assert gap_day.original_start == datetime(2026, 3, 8, 2, 30)


def test_an_ambiguous_time_is_the_first_of_the_two() -> None:
    event = make_event("2026-10-30 01:30", "FREQ=DAILY", minutes=60)
    found = expand(event, [], EMPTY, NEW_YORK, *window("2026-11-01", "2026-11-01", NEW_YORK))
    (only,) = found
    assert only.start.utcoffset() == timedelta(hours=-4)
    # An hour later the clocks have gone back: the end reads 01:30 again, in EST.
    assert only.end.astimezone(SHANGHAI) - only.start.astimezone(SHANGHAI) == timedelta(hours=1)
    assert only.end.utcoffset() == timedelta(hours=-5)


def test_an_event_across_the_spring_change_lasts_its_duration() -> None:
    event = make_event("2026-03-08 01:50", minutes=20)
    (only,) = expand(event, [], EMPTY, NEW_YORK, *window("2026-03-08", "2026-03-08", NEW_YORK))
    assert only.end.strftime("%H:%M") == "03:10"
    assert only.end.astimezone(SHANGHAI) - only.start.astimezone(SHANGHAI) == timedelta(
        minutes=20)


# The school calendar -------------------------------------------------------------------------


def test_school_days_follow_holidays_and_make_up_days() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY", school_days_only=True)
    found = expand(event, [], school_calendar(), SHANGHAI,
                   *window("2026-09-24", "2026-10-13", SHANGHAI))
    assert days(found) == [
        "2026-09-24", "2026-09-25",  # Thu, Fri
        "2026-09-27",  # Sunday make-up day
        "2026-09-28", "2026-09-29", "2026-09-30",  # Mon-Wed; 1-7 Oct holiday week
        "2026-10-08", "2026-10-09",  # Thu, Fri
        "2026-10-10",  # Saturday make-up day
        "2026-10-12", "2026-10-13",  # Mon, Tue
    ]


def test_school_days_stop_between_terms() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY", school_days_only=True)
    found = expand(event, [], school_calendar(), SHANGHAI,
                   *window("2027-01-20", "2027-03-02", SHANGHAI))
    assert days(found) == ["2027-01-20", "2027-01-21", "2027-01-22", "2027-03-01",
                           "2027-03-02"]


def test_without_school_days_only_the_calendar_is_ignored() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY")
    found = expand(event, [], school_calendar(), SHANGHAI,
                   *window("2026-10-01", "2026-10-07", SHANGHAI))
    assert len(found) == 7


def test_weekly_rule_with_school_days_only_skips_the_holiday_week() -> None:
    event = make_event("2026-09-07 10:00", "FREQ=WEEKLY;BYDAY=MO", school_days_only=True)
    found = expand(event, [], school_calendar(), SHANGHAI,
                   *window("2026-09-28", "2026-10-19", SHANGHAI))
    assert days(found) == ["2026-09-28", "2026-10-12", "2026-10-19"]  # 5 Oct is a holiday


# EXDATE, RDATE, COUNT, UNTIL ------------------------------------------------------------


def test_exdates_remove_and_rdates_add() -> None:
    event = make_event("2026-09-07 10:00", "FREQ=WEEKLY;BYDAY=MO",
                       exdates=("2026-09-14 10:00",), rdates=("2026-09-16 15:00",))
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-09-01", "2026-09-30", SHANGHAI))
    assert local_starts(found) == ["2026-09-07 10:00", "2026-09-16 15:00", "2026-09-21 10:00",
                                   "2026-09-28 10:00"]


def test_rdates_alone_make_a_series() -> None:
    event = make_event("2026-09-07 10:00", rdates=("2026-09-07 10:00", "2027-03-08 10:00"))
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-09-01", "2027-06-30", SHANGHAI))
    assert days(found) == ["2026-09-07", "2027-03-08"]


def test_count_limits_the_series() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=WEEKLY;COUNT=3")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-09-01", "2026-12-31", SHANGHAI))
    assert days(found) == ["2026-09-01", "2026-09-08", "2026-09-15"]
    # COUNT counts from the first date even when the window starts later.
    later = expand(event, [], EMPTY, SHANGHAI, *window("2026-09-10", "2026-12-31", SHANGHAI))
    assert days(later) == ["2026-09-15"]


def test_until_includes_its_own_date() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY;UNTIL=20260903T235959")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-08-01", "2026-12-31", SHANGHAI))
    assert days(found) == ["2026-09-01", "2026-09-02", "2026-09-03"]


def test_dates_before_the_start_are_not_generated() -> None:
    event = make_event("2026-09-03 10:00", "FREQ=DAILY;INTERVAL=2")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2026-09-01", "2026-09-08", SHANGHAI))
    assert days(found) == ["2026-09-03", "2026-09-05", "2026-09-07"]


def test_a_window_years_after_the_start() -> None:
    # Every second Wednesday from Wed 2 Sep 2026: Wed 3 Sep 2036 is 3654 days (261
    # fortnights) later, so September 2036 has the 3rd and the 17th.
    event = make_event("2026-09-02 10:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE")
    found = expand(event, [], EMPTY, SHANGHAI, *window("2036-09-01", "2036-09-30", SHANGHAI))
    assert days(found) == ["2036-09-03", "2036-09-17"]
    assert (date(2036, 9, 3) - date(2026, 9, 2)).days == 261 * 14


# Moved and cancelled occurrences --------------------------------------------------------


def change(original: str, new: str | None = None, *, cancelled: bool = False,
           minutes: int | None = None) -> OccurrenceChange:
    return OccurrenceChange(event_id=1, original_start=DT(original), cancelled=cancelled,
                            new_start=None if new is None else DT(new),
                            new_duration=None if minutes is None else timedelta(minutes=minutes))


WEEKLY_MONDAY = "FREQ=WEEKLY;BYDAY=MO"


def test_a_cancelled_occurrence_is_left_out() -> None:
    event = make_event("2026-09-07 10:00", WEEKLY_MONDAY)
    found = expand(event, [change("2026-09-14 10:00", cancelled=True)], EMPTY, SHANGHAI,
                   *window("2026-09-07", "2026-09-21", SHANGHAI))
    assert days(found) == ["2026-09-07", "2026-09-21"]


def test_a_moved_occurrence_appears_at_its_new_time() -> None:
    event = make_event("2026-09-07 10:00", WEEKLY_MONDAY)
    found = expand(event, [change("2026-09-14 10:00", "2026-09-16 14:00", minutes=45)], EMPTY,
                   SHANGHAI, *window("2026-09-07", "2026-09-21", SHANGHAI))
    assert local_starts(found) == ["2026-09-07 10:00", "2026-09-16 14:00", "2026-09-21 10:00"]
    moved = found[1]
    assert moved.moved
    assert moved.original_start == datetime(2026, 9, 14, 10, 0)
    assert moved.end - moved.start == timedelta(minutes=45)
    assert not found[0].moved


def test_an_occurrence_moved_into_the_window_from_outside() -> None:
    event = make_event("2026-09-07 10:00", WEEKLY_MONDAY)
    found = expand(event, [change("2026-09-28 10:00", "2026-09-18 10:00")], EMPTY, SHANGHAI,
                   *window("2026-09-15", "2026-09-20", SHANGHAI))
    assert local_starts(found) == ["2026-09-18 10:00"]
    assert found[0].moved


def test_an_occurrence_moved_out_of_the_window_is_not_in_it() -> None:
    event = make_event("2026-09-07 10:00", WEEKLY_MONDAY)
    changes = [change("2026-09-14 10:00", "2026-10-14 10:00")]
    found = expand(event, changes, EMPTY, SHANGHAI, *window("2026-09-10", "2026-09-20", SHANGHAI))
    assert found == []
    later = expand(event, changes, EMPTY, SHANGHAI, *window("2026-10-14", "2026-10-14", SHANGHAI))
    assert local_starts(later) == ["2026-10-14 10:00"]


def test_a_moved_occurrence_stays_where_put_on_a_non_school_day() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY", school_days_only=True)
    found = expand(event, [change("2026-09-30 10:00", "2026-10-03 09:00")], school_calendar(),
                   SHANGHAI, *window("2026-09-30", "2026-10-04", SHANGHAI))
    assert local_starts(found) == ["2026-10-03 09:00"]


def test_a_change_for_a_date_the_series_does_not_have_is_ignored() -> None:
    event = make_event("2026-09-07 10:00", WEEKLY_MONDAY)
    found = expand(event, [change("2026-09-15 10:00", "2026-09-16 10:00")], EMPTY, SHANGHAI,
                   *window("2026-09-14", "2026-09-20", SHANGHAI))
    assert days(found) == ["2026-09-14"]


# Preview and "inside the school calendar" ---------------------------------------------------


def test_next_occurrences_gives_the_next_ten() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY", school_days_only=True)
    found = next_occurrences(event, [], school_calendar(), SHANGHAI,
                             datetime(2026, 9, 28, 0, 0, tzinfo=SHANGHAI))
    assert days(found) == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08",
                           "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13",
                           "2026-10-14", "2026-10-15"]


def test_next_occurrences_ends_for_a_rule_the_calendar_drops_entirely() -> None:
    event = make_event("2026-09-05 10:00", "FREQ=WEEKLY;BYDAY=SA", school_days_only=True)
    calendar = SchoolCalendar(years=school_calendar().years)  # no make-up Saturdays
    assert next_occurrences(event, [], calendar, SHANGHAI,
                            datetime(2026, 9, 1, tzinfo=SHANGHAI)) == []


def test_next_occurrences_of_a_finished_series() -> None:
    event = make_event("2026-09-01 10:00", "FREQ=DAILY;COUNT=2")
    found = next_occurrences(event, [], EMPTY, SHANGHAI, datetime(2026, 8, 1, tzinfo=SHANGHAI))
    assert days(found) == ["2026-09-01", "2026-09-02"]


def test_first_occurrence_within_the_terms() -> None:
    event = make_event("2026-07-01 10:00", "FREQ=MONTHLY;BYMONTHDAY=1")
    first = first_occurrence_within(event, school_calendar(), SHANGHAI)
    assert first is not None
    assert first.start.date() == date(2026, 9, 1)


def test_a_rule_outside_every_term_is_refused() -> None:
    # Every 1 August: always in the summer break.
    event = make_event("2026-08-01 10:00", "FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=1")
    with pytest.raises(ValidationError) as caught:
        check_has_occurrence(event, [], school_calendar(), SHANGHAI)
    assert caught.value.field == "rrule"
    assert "term" in caught.value.message


def test_a_rule_only_on_non_school_days_is_refused_with_school_days_only() -> None:
    event = make_event("2026-09-06 10:00", "FREQ=WEEKLY;BYDAY=SU;UNTIL=20260920",
                       school_days_only=True)
    with pytest.raises(ValidationError) as caught:
        check_has_occurrence(event, [], school_calendar(), SHANGHAI)
    assert caught.value.field == "rrule"
    # Until 4 October the series includes the make-up Sunday 27 September.
    longer = make_event("2026-09-06 10:00", "FREQ=WEEKLY;BYDAY=SU;UNTIL=20261004",
                        school_days_only=True)
    check_has_occurrence(longer, [], school_calendar(), SHANGHAI)


def test_a_series_moved_into_a_term_counts() -> None:
    event = make_event("2026-08-01 10:00", "FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=1;COUNT=1")
    check_has_occurrence(event, [change("2026-08-01 10:00", "2026-09-02 10:00")],
                         school_calendar(), SHANGHAI)
