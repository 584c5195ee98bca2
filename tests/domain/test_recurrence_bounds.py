"""Hostile rules: values too long for messages or for int(), dateutil's own failures, and
hourly series started long before the window (found by tests/services/test_ical_fuzz.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from recurrence_helpers import NEW_YORK, SHANGHAI, UTC

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.excerpts import EXCERPT_LENGTH
from drillplanner.domain.recurrence import expand, split_series, validate_rule
from drillplanner.domain.school_calendar import SchoolCalendar

START = datetime(2026, 9, 1, 10, 0)
# A message quotes an excerpt of a part, never the whole of a long one.
MESSAGE_LIMIT = 200 + 2 * EXCERPT_LENGTH


@pytest.mark.parametrize(("rule", "named"), [
    ("FREQ=DAILY;BYHOUR=" + "1," * 50_000 + "99", "BYHOUR=1,1,"),
    ("FREQ=DAILY;X" + "A" * 100_000 + "=1", "XAAA"),
    ("FREQ=DAILY\nFREQ=" + "A" * 100_000, "FREQ=AAA"),
    ("FREQ=" + "X" * 100_000, "FREQ=XXX"),
    ("FREQ=DAILY;WKST=" + "Z" * 100_000, "WKST=ZZZ"),
    ("FREQ=DAILY;UNTIL=" + "9" * 100_000, "UNTIL=999"),
    # More digits than int() takes (4,300): over the limits, not a crash.
    ("FREQ=DAILY;COUNT=" + "9" * 100_000, "COUNT=999"),
    ("FREQ=DAILY;INTERVAL=" + "9" * 100_000, "INTERVAL=999"),
    ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=" + "31," * 10_000 + "31", "FREQ=MONTHLY"),
    # With BYMONTH a yearly 53MO is a day of the month (dateutil raised IndexError).
    ("FREQ=YEARLY;BYMONTH=2;BYDAY=53MO", "BYDAY=53MO"),
    ("FREQ=YEARLY;BYMONTH=1,2;BYDAY=6FR", "BYDAY=6FR"),
])
def test_hostile_rules_are_refused_with_a_short_message(rule: str, named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_rule(rule, START)
    assert named in caught.value.message
    assert len(caught.value.message) < MESSAGE_LIMIT


@pytest.mark.parametrize(("rule", "normalised"), [
    # A list part is a set: repeated values are left out, however many.
    ("FREQ=WEEKLY;BYDAY=" + "MO," * 50_000 + "MO", "FREQ=WEEKLY;BYDAY=MO"),
    ("FREQ=DAILY;BYHOUR=" + ",".join(str(h % 24) for h in range(48_000)),
     "FREQ=DAILY;BYHOUR=" + ",".join(str(h) for h in range(24))),
    ("FREQ=YEARLY;BYMONTH=2;BYDAY=-5MO", "FREQ=YEARLY;BYMONTH=2;BYDAY=-5MO"),
    ("FREQ=YEARLY;BYDAY=53MO", "FREQ=YEARLY;BYDAY=53MO"),
    ("FREQ=DAILY;COUNT=" + "0" * 5_000 + "7", "FREQ=DAILY;COUNT=7"),
    # UTC ends within hours of the year 9999 stay as written instead of overflowing.
    ("FREQ=DAILY;UNTIL=99991231T235959Z", "FREQ=DAILY;UNTIL=99991231T235959"),
])
def test_hostile_but_valid_rules_are_normalised(rule: str, normalised: str) -> None:
    assert validate_rule(rule, START, tz=SHANGHAI) == normalised


NOT_FIRST = ",".join(str(n) for n in [*range(-366, -1), *range(2, 367)])


@pytest.mark.parametrize("rule", [
    # Positions past the end of every set: dateutil tried each of them on every period
    # for 400 years (17 s for the first, minutes for the second).
    "FREQ=HOURLY;BYMINUTE=5;BYSETPOS=2",
    f"FREQ=DAILY;BYHOUR=5;BYSETPOS={NOT_FIRST}",
    f"FREQ=YEARLY;BYYEARDAY=60;BYSETPOS={NOT_FIRST}",
    f"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=1,{NOT_FIRST}",
])
def test_positions_no_set_reaches_are_refused(rule: str) -> None:
    with pytest.raises(ValidationError, match="produces no date"):
        validate_rule(rule, START)


def test_reachable_positions_keep_their_dates() -> None:
    rule = f"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1,{NOT_FIRST}"
    start = datetime(2026, 9, 1, 10)
    low = datetime(2026, 9, 1, tzinfo=SHANGHAI)
    found = expand(Event(1, 1, EventKind.FIRE, "t", start, timedelta(minutes=20),
                         Recurrence(validate_rule(rule, start))),
                   [], SchoolCalendar(), SHANGHAI, low, low + timedelta(days=90))
    expected = list(rrulestr(rule, dtstart=start).between(start, datetime(2026, 11, 30),
                                                          inc=True))
    assert [o.original_start for o in found] == expected
    assert len(expected) > 60  # every weekday but the first of each month


def test_an_until_in_the_year_1_is_read_back_and_refused() -> None:
    # strftime("%Y") does not pad the year 1, which strptime then could not read back.
    with pytest.raises(ValidationError, match="UNTIL=00010101T235959"):
        validate_rule("FREQ=YEARLY;UNTIL=00010101", START)


def hourly(start: str, rule: str = "FREQ=HOURLY") -> Event:
    return Event(1, 1, EventKind.FIRE, "t", datetime.fromisoformat(start),
                 timedelta(minutes=20), Recurrence(rule))


def test_an_hourly_series_from_1900_lists_a_day_of_2026() -> None:
    # Walking from 1900 would take a million hourly periods; the rule restarts at the hour.
    low = datetime(2026, 9, 1, tzinfo=SHANGHAI)
    found = expand(hourly("1900-01-01 10:15"), [], SchoolCalendar(), SHANGHAI, low,
                   low + timedelta(days=1))
    assert [o.start.replace(tzinfo=None) for o in found] == [
        datetime(2026, 9, 1, hour, 15) for hour in range(24)]


def test_an_hourly_series_from_1900_splits_in_2026() -> None:
    start = datetime(1900, 1, 1, 10, 15)
    at = start + timedelta(hours=5 * 221_000)  # an occurrence in 2026
    head, tail = split_series(Recurrence("FREQ=HOURLY;INTERVAL=5"), start, at)
    until = at - timedelta(seconds=1)
    assert (at.year, head.rule) == (2026, f"FREQ=HOURLY;INTERVAL=5;UNTIL={until:%Y%m%dT%H%M%S}")
    assert tail.rule == "FREQ=HOURLY;INTERVAL=5"


@st.composite
def hourly_rules(draw: st.DrawFn) -> str:
    parts = ["FREQ=HOURLY"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.sampled_from([2, 3, 5, 7, 24, 25, 49, 999]))}")
    if draw(st.booleans()):
        minutes = draw(st.lists(st.integers(0, 59), min_size=1, max_size=3, unique=True))
        parts.append("BYMINUTE=" + ",".join(map(str, minutes)))
    if draw(st.booleans()):
        hours = draw(st.lists(st.integers(0, 23), min_size=1, max_size=5, unique=True))
        parts.append("BYHOUR=" + ",".join(map(str, hours)))
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
                             min_size=1, max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    if draw(st.booleans()):
        parts.append(f"BYMONTHDAY={draw(st.integers(1, 28))}")
    if draw(st.booleans()):
        parts.append("UNTIL=20280101T000000")
    return ";".join(parts)


@settings(max_examples=60, deadline=None)
@given(rule=hourly_rules(),
       start=st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1)).map(
           lambda d: d.replace(second=0, microsecond=0)),
       offset=st.integers(0, 24 * 400), length=st.integers(1, 24 * 20),
       zone=st.sampled_from([UTC, NEW_YORK]))
def test_hourly_windows_match_dateutil(rule: str, start: datetime, offset: int, length: int,
                                       zone: object) -> None:
    """An hourly rule restarted at the window's hour gives dateutil's wall-clock dates."""
    try:
        rule = validate_rule(rule, start)
    except ValidationError:
        return
    low = start + timedelta(hours=offset)
    high = low + timedelta(hours=length)
    expected = [d for d in rrulestr(rule, dtstart=start).between(low, high, inc=True)
                if d < high]
    event = Event(1, 1, EventKind.FIRE, "t", start, timedelta(minutes=20), Recurrence(rule))
    found = expand(event, [], SchoolCalendar(), zone, low.replace(tzinfo=zone),  # type: ignore[arg-type]
                   high.replace(tzinfo=zone))  # type: ignore[arg-type]
    assert [o.original_start for o in found] == expected
