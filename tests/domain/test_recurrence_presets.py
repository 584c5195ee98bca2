"""Presets built into recurrences and read back, and "this and following" splits."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from recurrence_helpers import AUTUMN, SHANGHAI, SPRING, UTC, school_calendar, window

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.recurrence import (
    Preset,
    build_recurrence,
    detect_preset,
    expand,
    split_series,
)
from drillplanner.domain.recurrence_presets import read_preset
from drillplanner.domain.school_calendar import SchoolCalendar, Term

START = datetime(2026, 9, 8, 10, 0)  # the second Tuesday of September 2026
EMPTY = SchoolCalendar()


def dates(recurrence: Recurrence, start: datetime = START, first: str = "2026-09-01",
          last: str = "2027-06-30") -> list[str]:
    event = Event(1, 1, EventKind.FIRE, "t", start, timedelta(minutes=20), recurrence)
    found = expand(event, [], school_calendar(), SHANGHAI, *window(first, last, SHANGHAI))
    return [o.start.strftime("%Y-%m-%d %H:%M") for o in found]


def test_once() -> None:
    recurrence = build_recurrence(Preset.ONCE, START)
    assert recurrence == Recurrence()
    assert dates(recurrence) == ["2026-09-08 10:00"]


def test_school_days() -> None:
    recurrence = build_recurrence(Preset.SCHOOL_DAYS, START, until=date(2026, 9, 14))
    assert recurrence.school_days_only
    assert dates(recurrence) == ["2026-09-08 10:00", "2026-09-09 10:00", "2026-09-10 10:00",
                                 "2026-09-11 10:00", "2026-09-14 10:00"]


def test_weekly_on_chosen_days() -> None:
    recurrence = build_recurrence(Preset.WEEKLY, START, weekdays=(2, 0), count=4)
    assert recurrence.rule == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"
    assert dates(recurrence) == ["2026-09-09 10:00", "2026-09-14 10:00", "2026-09-16 10:00",
                                 "2026-09-21 10:00"]


def test_weekly_defaults_to_the_start_weekday() -> None:
    recurrence = build_recurrence(Preset.WEEKLY, START, count=2)
    assert dates(recurrence) == ["2026-09-08 10:00", "2026-09-15 10:00"]


def test_monthly_nth_weekday_defaults_to_the_start() -> None:
    recurrence = build_recurrence(Preset.MONTHLY_NTH_WEEKDAY, START, count=3)
    assert recurrence.rule == "FREQ=MONTHLY;BYDAY=2TU;COUNT=3"
    assert dates(recurrence) == ["2026-09-08 10:00", "2026-10-13 10:00", "2026-11-10 10:00"]


def test_monthly_last_friday() -> None:
    recurrence = build_recurrence(Preset.MONTHLY_NTH_WEEKDAY, START, weekdays=(4,), nth=-1,
                                  until=date(2026, 11, 30))
    assert dates(recurrence) == ["2026-09-25 10:00", "2026-10-30 10:00", "2026-11-27 10:00"]


def test_a_fifth_weekday_start_defaults_to_the_last() -> None:
    start = datetime(2026, 9, 29, 10, 0)  # the fifth (and last) Tuesday of September
    recurrence = build_recurrence(Preset.MONTHLY_NTH_WEEKDAY, start, count=2)
    assert dates(recurrence, start) == ["2026-09-29 10:00", "2026-10-27 10:00"]


def test_monthly_date_skips_short_months_and_last_day_does_not() -> None:
    start = datetime(2026, 10, 31, 10, 0)
    the_31st = build_recurrence(Preset.MONTHLY_DATE, start, count=3)
    assert dates(the_31st, start) == ["2026-10-31 10:00", "2026-12-31 10:00",
                                      "2027-01-31 10:00"]
    last_day = build_recurrence(Preset.MONTHLY_DATE, start, nth=-1, count=3)
    assert dates(last_day, start) == ["2026-10-31 10:00", "2026-11-30 10:00",
                                      "2026-12-31 10:00"]


def test_once_per_term_keeps_the_offset_into_the_term() -> None:
    # 8 Sep is 7 days into the autumn term; spring starts 1 Mar 2027.
    recurrence = build_recurrence(Preset.ONCE_PER_TERM, START, terms=(SPRING, AUTUMN))
    assert recurrence.rule == ""
    assert dates(recurrence) == ["2026-09-08 10:00", "2027-03-08 10:00"]


def test_once_per_term_clamps_into_a_short_term_and_starts_outside_terms() -> None:
    short = Term("Short", date(2027, 3, 1), date(2027, 3, 3))
    late = datetime(2026, 12, 20, 9, 0)  # 110 days into the autumn term
    assert build_recurrence(Preset.ONCE_PER_TERM, late, terms=(AUTUMN, short)).rdates == (
        datetime(2026, 12, 20, 9, 0), datetime(2027, 3, 3, 9, 0))
    summer = datetime(2026, 8, 15, 9, 0)  # in no term: each term's first day
    assert build_recurrence(Preset.ONCE_PER_TERM, summer, terms=(AUTUMN, SPRING)).rdates == (
        datetime(2026, 9, 1, 9, 0), datetime(2027, 3, 1, 9, 0))


def test_once_per_term_needs_terms() -> None:
    with pytest.raises(ValidationError) as caught:
        build_recurrence(Preset.ONCE_PER_TERM, START)
    assert caught.value.field == "terms"
    with pytest.raises(ValidationError):
        build_recurrence(Preset.ONCE_PER_TERM, datetime(2027, 7, 1, 9, 0),
                         terms=(AUTUMN, SPRING))


def test_custom_rule_is_validated() -> None:
    recurrence = build_recurrence(Preset.CUSTOM, START, custom_rule="freq=weekly;interval=2")
    assert recurrence.rule == "FREQ=WEEKLY;INTERVAL=2"
    with pytest.raises(ValidationError) as caught:
        build_recurrence(Preset.CUSTOM, START, custom_rule="FREQ=FORTNIGHTLY")
    assert caught.value.field == "rrule"


@pytest.mark.parametrize(("options", "field"), [
    ({"until": date(2026, 9, 1)}, "until"),
    ({"count": 0}, "count"),
    ({"count": 2, "until": date(2026, 12, 1)}, "count"),
    ({"weekdays": (7,)}, "weekdays"),
])
def test_bad_options_name_their_field(options: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build_recurrence(Preset.WEEKLY, START, **options)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize("nth", [0, 6, -2])
def test_bad_nth_is_refused(nth: int) -> None:
    with pytest.raises(ValidationError) as caught:
        build_recurrence(Preset.MONTHLY_NTH_WEEKDAY, START, nth=nth)
    assert caught.value.field == "nth"


ROUND_TRIPS = [
    (Preset.ONCE, {}),
    (Preset.SCHOOL_DAYS, {}),
    (Preset.SCHOOL_DAYS, {"count": 30}),
    (Preset.WEEKLY, {"weekdays": (0, 2, 4)}),
    (Preset.WEEKLY, {"weekdays": (1,), "until": date(2027, 1, 15)}),
    (Preset.WEEKLY, {"weekdays": (0,), "school_days_only": True}),
    (Preset.MONTHLY_NTH_WEEKDAY, {"weekdays": (1,), "nth": 2}),
    (Preset.MONTHLY_NTH_WEEKDAY, {"weekdays": (4,), "nth": -1, "count": 5}),
    (Preset.MONTHLY_DATE, {"nth": 15}),
    (Preset.MONTHLY_DATE, {"nth": -1, "until": date(2027, 6, 30)}),
    (Preset.ONCE_PER_TERM, {"terms": (AUTUMN, SPRING)}),
    (Preset.CUSTOM, {"custom_rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"}),
    (Preset.CUSTOM, {"custom_rule": "FREQ=DAILY"}),
    (Preset.CUSTOM, {"custom_rule": "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"}),
]


@pytest.mark.parametrize(("preset", "options"), ROUND_TRIPS)
def test_detect_preset_round_trips(preset: Preset, options: dict[str, object]) -> None:
    recurrence = build_recurrence(preset, START, **options)  # type: ignore[arg-type]
    assert detect_preset(recurrence, START) is preset
    choice = read_preset(recurrence, START)
    rebuilt = build_recurrence(choice.preset, START, weekdays=choice.weekdays, nth=choice.nth,
                               until=choice.until, count=choice.count,
                               custom_rule=choice.custom_rule, terms=(AUTUMN, SPRING),
                               school_days_only=choice.school_days_only)
    assert dates(rebuilt) == dates(recurrence)


def test_shapes_outside_the_presets_are_custom() -> None:
    for rule in ("FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY;BYDAY=2TU,4TU", "FREQ=YEARLY",
                 "FREQ=MONTHLY;BYMONTHDAY=1,15", "FREQ=MONTHLY;BYDAY=TU"):
        assert detect_preset(Recurrence(rule=rule), START) is Preset.CUSTOM, rule
    with_extra = Recurrence(rule="FREQ=WEEKLY", rdates=(datetime(2026, 9, 10, 10),))
    assert detect_preset(with_extra, START) is Preset.CUSTOM
    assert detect_preset(Recurrence(rule="FREQ=WEEKLY;INTERVAL=1"), START) is Preset.WEEKLY


def test_rdates_in_one_term_are_not_once_per_term() -> None:
    two_in_autumn = Recurrence(rdates=(datetime(2026, 9, 8, 10), datetime(2026, 10, 8, 10)))
    assert detect_preset(two_in_autumn, START, terms=(AUTUMN, SPRING)) is Preset.CUSTOM


# "This and following" ---------------------------------------------------------------------


def test_split_with_until() -> None:
    original = Recurrence(rule="FREQ=WEEKLY;BYDAY=TU", exdates=(datetime(2026, 9, 15, 10),
                                                              datetime(2026, 9, 29, 10)))
    head, tail = split_series(original, START, datetime(2026, 9, 22, 10, 0))
    assert head.rule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260922T095959"
    assert tail.rule == "FREQ=WEEKLY;BYDAY=TU"
    assert head.exdates == (datetime(2026, 9, 15, 10),)
    assert tail.exdates == (datetime(2026, 9, 29, 10),)


def test_split_shares_out_a_count() -> None:
    original = Recurrence(rule="FREQ=WEEKLY;COUNT=10")
    head, tail = split_series(original, START, datetime(2026, 9, 29, 10, 0))
    assert head.rule == "FREQ=WEEKLY;COUNT=3"
    assert tail.rule == "FREQ=WEEKLY;COUNT=7"


def test_split_refuses_an_empty_part() -> None:
    original = Recurrence(rule="FREQ=WEEKLY;COUNT=2")
    with pytest.raises(ValidationError) as caught:
        split_series(original, START, datetime(2026, 10, 1, 10, 0))
    assert caught.value.field == "start"
    with pytest.raises(ValidationError):
        split_series(Recurrence(rule="FREQ=WEEKLY;BYDAY=FR"), START, datetime(2026, 9, 9, 10))


def test_split_at_a_date_off_a_fortnightly_rule_is_refused() -> None:
    original = Recurrence(rule="FREQ=WEEKLY;INTERVAL=2")
    with pytest.raises(ValidationError):
        split_series(original, START, datetime(2026, 9, 15, 10, 0))


def test_split_writes_out_what_the_rule_took_from_the_start() -> None:
    original = Recurrence(rule="FREQ=MONTHLY")  # the 8th of each month, at 10:00
    _head, tail = split_series(original, START, datetime(2026, 11, 3, 9, 0))
    assert tail.rule == "FREQ=MONTHLY;BYMONTHDAY=8;BYHOUR=10"


FREQS = ("DAILY", "WEEKLY", "MONTHLY")


@st.composite
def split_cases(draw: st.DrawFn) -> tuple[str, datetime, int]:
    freq = draw(st.sampled_from(FREQS))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 3))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if freq == "WEEKLY" and draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR"]), min_size=1,
                             max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    if freq == "MONTHLY" and draw(st.booleans()):
        parts.append(draw(st.sampled_from(["BYMONTHDAY=31", "BYDAY=2TU", "BYDAY=-1FR"])))
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.integers(2, 30))}")
    start = draw(st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31))).replace(
        second=0, microsecond=0)
    return ";".join(parts), start, draw(st.integers(1, 20))


@settings(max_examples=120, deadline=None)
@given(case=split_cases())
def test_split_keeps_the_union_of_occurrences(case: tuple[str, datetime, int]) -> None:
    rule, start, position = case
    generated = list(rrulestr(rule, dtstart=start)[:position + 1])
    if len(generated) <= position or generated[position] == generated[0]:
        return  # the series is too short to split there
    at = generated[position]
    original = Recurrence(rule=rule)
    head, tail = split_series(original, start, at)
    low, high = datetime(2025, 12, 1, tzinfo=UTC), at.replace(tzinfo=UTC) + timedelta(days=1500)

    def starts(recurrence: Recurrence, begin: datetime) -> list[datetime]:
        event = Event(1, 1, EventKind.FIRE, "t", begin, timedelta(minutes=20), recurrence)
        return [o.start for o in expand(event, [], EMPTY, UTC, low, high)]

    head_dates, tail_dates = starts(head, start), starts(tail, at)
    assert head_dates and tail_dates
    assert max(head_dates) < at.replace(tzinfo=UTC) <= min(tail_dates)
    assert head_dates + tail_dates == starts(original, start)


@settings(max_examples=80, deadline=None)
@given(case=split_cases(), minutes=st.integers(1, 200 * 24 * 60))
def test_split_between_occurrences_keeps_the_union(case: tuple[str, datetime, int],
                                                   minutes: int) -> None:
    rule, start, _position = case
    rule = rule.replace(";INTERVAL=2", "").replace(";INTERVAL=3", "")
    at = start + timedelta(minutes=minutes)
    original = Recurrence(rule=rule)
    generated = rrulestr(rule, dtstart=start)
    if generated.before(at) is None or generated.after(at, inc=True) is None:
        with pytest.raises(ValidationError):
            split_series(original, start, at)
        return
    head, tail = split_series(original, start, at)
    low, high = datetime(2025, 12, 1, tzinfo=UTC), at.replace(tzinfo=UTC) + timedelta(days=1500)

    def starts(recurrence: Recurrence, begin: datetime) -> list[datetime]:
        event = Event(1, 1, EventKind.FIRE, "t", begin, timedelta(minutes=20), recurrence)
        return [o.start for o in expand(event, [], EMPTY, UTC, low, high)]

    assert starts(head, start) + starts(tail, at) == starts(original, start)
