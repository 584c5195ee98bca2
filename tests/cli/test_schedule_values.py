"""Durations, dates, times and weekday lists as the scheduling commands read them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from drillplanner.cli.schedule_args import event_id, names_of, weekdays_of
from drillplanner.cli.when import parse_date, parse_datetime, parse_duration, parse_time
from drillplanner.domain.errors import ValidationError


@pytest.mark.parametrize(("text", "minutes"), [
    ("20m", 20), ("20 min", 20), ("1h", 60), ("1h30m", 90), ("1h30", 90), ("90", 90),
    ("20分钟", 20), ("1小时", 60), ("1小时30分钟", 90), ("2H", 120), (" 45 minutes ", 45),
])
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text, "--duration") == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "m", "h", "1.5h", "soon", "-5", "20s", "1d"])
def test_bad_durations_name_the_option(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_duration(text, "--duration")
    assert caught.value.field == "--duration"
    assert caught.value.message.startswith("--duration: ")


def test_dates_and_times() -> None:
    assert parse_date("2026-11-09", "--on") == date(2026, 11, 9)
    assert parse_date("2026/11/09", "--on") == date(2026, 11, 9)
    assert parse_datetime("2026-11-09 10:00", "--start") == datetime(2026, 11, 9, 10)
    assert parse_datetime("2026-11-09T10:00", "--start") == datetime(2026, 11, 9, 10)
    assert parse_time("14:30", "--at") == time(14, 30)
    for bad in ("2026-11-09", "2026-11-09 25:00", "tomorrow", "2026-11-09T10:00+08:00"):
        with pytest.raises(ValidationError) as caught:
            parse_datetime(bad, "--start")
        assert caught.value.field == "--start"
    for bad_date in ("2026-02-30", "09.11.2026"):
        with pytest.raises(ValidationError):
            parse_date(bad_date, "--on")
    assert parse_time("10", "--at") == time(10)
    with pytest.raises(ValidationError):
        parse_time("25:00", "--at")


def test_weekdays_and_lists() -> None:
    assert weekdays_of("mo,we") == (0, 2)
    assert weekdays_of("周一、周三，星期五") == (0, 2, 4)
    assert weekdays_of("Friday, 1, su") == (4, 0, 6)
    assert names_of("一年级,二年级， 三年级") == ["一年级", "二年级", "三年级"]
    assert event_id("#12") == 12
    with pytest.raises(ValidationError):
        weekdays_of("mo,xx")
    with pytest.raises(ValidationError):
        weekdays_of(",")
    with pytest.raises(ValidationError):
        event_id("12a")
