"""RRULE validation, and expansion against plain dateutil over random rules and windows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from recurrence_helpers import NEW_YORK, SHANGHAI, UTC, school_calendar
from recurrence_helpers import event as make_event

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.recurrence import expand, school_day_ordinals, validate_rule
from drillplanner.domain.school_calendar import (
    CalendarDay,
    DayKind,
    SchoolCalendar,
    SchoolYear,
    Term,
)

START = datetime(2026, 9, 1, 10, 0)


@pytest.mark.parametrize(("rule", "normalised"), [
    ("FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"),
    ("  rrule:freq=weekly; byday=mo, we ;", "FREQ=WEEKLY;BYDAY=MO,WE"),
    ("BYDAY=TU;FREQ=MONTHLY;BYSETPOS=2", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"),
    ("FREQ=DAILY;INTERVAL=02", "FREQ=DAILY;INTERVAL=2"),
    # A bare UNTIL date ends the series after that day, not at its midnight.
    ("FREQ=DAILY;UNTIL=20261231", "FREQ=DAILY;UNTIL=20261231T235959"),
    ("FREQ=DAILY;UNTIL=20260901T100000", "FREQ=DAILY;UNTIL=20260901T100000"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
])
def test_valid_rules_are_normalised(rule: str, normalised: str) -> None:
    assert validate_rule(rule, START) == normalised


def test_a_utc_until_becomes_local_time() -> None:
    rule = "FREQ=WEEKLY;UNTIL=20261231T020000Z"
    assert validate_rule(rule, START, tz=SHANGHAI) == "FREQ=WEEKLY;UNTIL=20261231T100000"
    aware = START.replace(tzinfo=ZoneInfo("America/New_York"))
    assert validate_rule(rule, aware) == "FREQ=WEEKLY;UNTIL=20261230T210000"
    with pytest.raises(ValidationError, match="UNTIL=20261231T020000Z"):
        validate_rule(rule, START)


@pytest.mark.parametrize(("rule", "named"), [
    ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY"),
    ("FREQ=WEEKLY;FOO=1", "FOO=1"),
    ("FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX"),
    ("FREQ=WEEKLY;BYDAY=2MO", "BYDAY=2MO"),
    ("FREQ=MONTHLY;BYDAY=6TU", "BYDAY=6TU"),
    ("FREQ=WEEKLY;COUNT=0", "COUNT=0"),
    ("FREQ=WEEKLY;COUNT=-1", "COUNT=-1"),
    ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0"),
    ("FREQ=WEEKLY;INTERVAL=abc", "INTERVAL=ABC"),
    ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32"),
    ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0"),
    ("FREQ=DAILY;BYHOUR=24", "BYHOUR=24"),
    ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13"),
    ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY=1"),
    ("FREQ=MONTHLY;BYWEEKNO=10", "BYWEEKNO=10"),
    ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS=1"),
    ("FREQ=MINUTELY", "FREQ=MINUTELY"),
    ("FREQ=WEEKLY;UNTIL=2027-01-15", "UNTIL=2027-01-15"),
    ("FREQ=WEEKLY;UNTIL=20250101", "UNTIL=20250101T235959"),
    ("FREQ=WEEKLY;WKST=XX", "WKST=XX"),
    ("FREQ=WEEKLY;BYDAY", "BYDAY"),
    ("FREQ=WEEKLY;FREQ=DAILY", "FREQ"),
    ("FREQ=WEEKLY;BYDAY=MO\nEXDATE:20260907T100000", "EXDATE:20260907T100000"),
])
def test_invalid_rules_name_the_bad_part(rule: str, named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_rule(rule, START)
    assert caught.value.field == "rrule"
    assert named in caught.value.message


@pytest.mark.parametrize("rule", [
    "", "   ", "RRULE:", "BYDAY=MO", "FREQ=WEEKLY;COUNT=2;UNTIL=20270101",
    # Never a date: 30 February; the 31st of 30-day months; a second Monday in a week.
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31", "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
    # Every 7 days from a Tuesday never meets a Monday.
    "FREQ=DAILY;INTERVAL=7;BYDAY=MO",
    # The first 31st after 1 September is 31 October, after UNTIL.
    "FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20261015",
])
def test_rules_without_a_usable_date_are_refused(rule: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_rule(rule, START)
    assert caught.value.field == "rrule"


def test_rare_but_real_rules_are_accepted() -> None:
    # A fifth Sunday in February happens only in leap years starting on a Sunday (2032).
    assert validate_rule("FREQ=YEARLY;BYMONTH=2;BYDAY=5SU", START)
    found = list(rrulestr("FREQ=YEARLY;BYMONTH=2;BYDAY=5SU", dtstart=START)[:1])
    assert found == [datetime(2032, 2, 29, 10, 0)]
    assert date(2032, 2, 29).weekday() == 6


# Expansion agrees with dateutil --------------------------------------------------------------

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def rules(draw: st.DrawFn) -> str:
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 4))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if freq in ("DAILY", "WEEKLY") and draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    if freq == "MONTHLY":
        choice = draw(st.sampled_from(["none", "monthday", "nth"]))
        if choice == "monthday":
            parts.append(f"BYMONTHDAY={draw(st.sampled_from([1, 15, 28, 29, 30, 31, -1]))}")
        elif choice == "nth":
            nth = draw(st.sampled_from([1, 2, 3, 4, 5, -1]))
            parts.append(f"BYDAY={nth}{draw(st.sampled_from(WEEKDAYS))}")
    if freq == "YEARLY" and draw(st.booleans()):
        parts.append(f"BYMONTH={draw(st.integers(1, 12))};BYMONTHDAY={draw(st.integers(1, 28))}")
    if freq == "WEEKLY" and draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(WEEKDAYS))}")
    ending = draw(st.sampled_from(["none", "count", "until"]))
    if ending == "count":
        parts.append(f"COUNT={draw(st.integers(1, 40))}")
    elif ending == "until":
        parts.append(f"UNTIL={draw(st.dates(date(2026, 10, 1), date(2031, 1, 1))):%Y%m%d}T235959")
    return ";".join(parts)


starts = st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1)).map(
    lambda d: d.replace(second=0, microsecond=0))


@settings(max_examples=150, deadline=None)
@given(rule=rules(), start=starts, offset=st.integers(0, 2000), length=st.integers(1, 400))
def test_expansion_matches_dateutil(rule: str, start: datetime, offset: int,
                                    length: int) -> None:
    low = start.replace(hour=0, minute=0) + timedelta(days=offset)
    high = low + timedelta(days=length)
    expected = [d for d in rrulestr(rule, dtstart=start).between(low, high, inc=True)
                if d < high]
    event = Event(1, 1, EventKind.FIRE, "t", start, timedelta(minutes=20), Recurrence(rule))
    found = expand(event, [], SchoolCalendar(), UTC, low.replace(tzinfo=UTC),
                   high.replace(tzinfo=UTC))
    assert [o.start.replace(tzinfo=None) for o in found] == expected


# Times around the changes at 02:00 come up often.
night_starts = st.builds(lambda day, hour, minute: datetime.combine(day, datetime.min.time())
                         .replace(hour=hour, minute=minute),
                         st.dates(date(2026, 1, 1), date(2027, 1, 1)),
                         st.sampled_from([0, 1, 2, 3, 10]), st.sampled_from([0, 30, 59]))


@settings(max_examples=100, deadline=None)
@given(rule=rules(), start=night_starts, offset=st.integers(0, 2000),
       length=st.integers(1, 400))
def test_new_york_expansion_keeps_local_times(rule: str, start: datetime, offset: int,
                                             length: int) -> None:
    """In a zone with daylight saving time the dates and clock times are dateutil's; only
    a time that does not exist (in the spring-forward hour) reads an hour later."""
    low = start.replace(hour=0, minute=0) + timedelta(days=offset)
    high = low + timedelta(days=length)
    expected = [d for d in rrulestr(rule, dtstart=start).between(low, high, inc=True)
                if d < high]
    event = Event(1, 1, EventKind.FIRE, "t", start, timedelta(minutes=20), Recurrence(rule))
    found = expand(event, [], SchoolCalendar(), NEW_YORK, low.replace(tzinfo=NEW_YORK),
                   high.replace(tzinfo=NEW_YORK))
    assert [o.original_start for o in found] == expected
    for occurrence in found:
        wall = occurrence.original_start
        shift = occurrence.start.replace(tzinfo=None) - wall
        exists = wall.replace(tzinfo=NEW_YORK).astimezone(UTC).astimezone(NEW_YORK)
        assert shift == (timedelta(0) if exists.replace(tzinfo=None) == wall
                         else timedelta(hours=1))
        assert occurrence.end.astimezone(UTC) - occurrence.start.astimezone(UTC) == (
            timedelta(minutes=20))


# The bulk school-day lookup agrees with the calendar ----------------------------------------


@st.composite
def calendars(draw: st.DrawFn) -> SchoolCalendar:
    base = date(2026, 9, 1)
    terms = []
    for number in range(draw(st.integers(0, 3))):
        first = base + timedelta(days=draw(st.integers(0, 60)) + 70 * number)
        terms.append(Term(f"T{number}", first, first + timedelta(days=draw(st.integers(0, 60)))))
    entries = []
    for _ in range(draw(st.integers(0, 8))):
        first = base + timedelta(days=draw(st.integers(-10, 230)))
        entries.append(CalendarDay(draw(st.sampled_from(list(DayKind))), first,
                                   first + timedelta(days=draw(st.integers(0, 9)))))
    weekend = frozenset(draw(st.lists(st.integers(0, 6), max_size=2)))
    year = SchoolYear("Y", base, base + timedelta(days=300), tuple(terms))
    return SchoolCalendar(years=(year,), entries=tuple(entries), weekend=weekend)


@settings(max_examples=100, deadline=None)
@given(calendar=calendars())
def test_school_day_lookup_matches_the_calendar(calendar: SchoolCalendar) -> None:
    first, last = date(2026, 8, 20), date(2027, 5, 1)
    expected = {first.toordinal() + n for n in range((last - first).days + 1)
                if calendar.is_school_day(first + timedelta(days=n))}
    assert school_day_ordinals(calendar, first, last) == expected


def test_school_day_lookup_of_the_test_calendar() -> None:
    found = school_day_ordinals(school_calendar(), date(2026, 9, 26), date(2026, 10, 11))
    assert sorted(date.fromordinal(o).isoformat() for o in found) == [
        "2026-09-27", "2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09",
        "2026-10-10"]


def test_window_far_from_the_start_of_a_daily_series() -> None:
    # 1 Sep 2026 to 1 Sep 2036 is 3653 days (three 29 Februaries): 3 x 1217 + 2, so the
    # every-third-day series reaches 2 Sep 2036 and then 5 Sep.
    event = make_event("2026-09-01 10:00", "FREQ=DAILY;INTERVAL=3")
    low = datetime(2036, 9, 1, tzinfo=SHANGHAI)
    found = expand(event, [], SchoolCalendar(), SHANGHAI, low, low + timedelta(days=7))
    assert [o.start.date() for o in found] == [date(2036, 9, 2), date(2036, 9, 5)]
