"""Dates, times and durations as the command line takes them.

Each parser raises ValidationError naming the option, so a mistyped value ends the command
with status 1 and a message that says which option to fix.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from drillplanner.domain import validation as v
from drillplanner.domain.errors import ValidationError
from drillplanner.i18n import _

_DURATION = re.compile(
    r"^\s*(?:(?P<hours>\d+)\s*(?:h|hr|hrs|hour|hours|小时|时)\s*)?"
    r"(?:(?P<minutes>\d+)\s*(?:m|min|mins|minute|minutes|分钟|分)?\s*)?$", re.IGNORECASE)


def parse_duration(text: str, option: str) -> timedelta:
    """"20m", "1h", "1h30m", "90" (minutes), "20分钟", "1小时30分钟" as a duration."""
    found = _DURATION.match(text)
    if not text.strip() or found is None or not (found["hours"] or found["minutes"]):
        raise ValidationError(option, _(
            "{option}: “{value}” is not a duration; write e.g. 20m, 1h30m or 90 (minutes)."
        ).format(option=option, value=text))
    try:
        return timedelta(hours=int(found["hours"] or 0), minutes=int(found["minutes"] or 0))
    except OverflowError:
        raise ValidationError(option, _("{option}: “{value}” is too long a duration.").format(
            option=option, value=text)) from None


def parse_date(text: str, option: str) -> date:
    """A date written YYYY-MM-DD (or YYYY/MM/DD)."""
    try:
        value = date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise ValidationError(option, _(
            "{option}: “{value}” is not a date; write YYYY-MM-DD, e.g. 2026-11-09.").format(
                option=option, value=text)) from None
    v.in_years(option, value)
    return value


def parse_datetime(text: str, option: str) -> datetime:
    """A local date and time: "2026-11-09 10:00" or "2026-11-09T10:00" (naive)."""
    cleaned = text.strip().replace("/", "-")
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        value = None
    if value is None or value.tzinfo is not None or not re.search(r"\d[ T]\d", cleaned):
        raise ValidationError(option, _(
            "{option}: “{value}” is not a local date and time; write e.g. "
            "\"2026-11-09 10:00\".").format(option=option, value=text))
    v.in_years(option, value)
    return value


def parse_time(text: str, option: str) -> time:
    """A time of day: "10:00"."""
    try:
        value = time.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or value.tzinfo is not None:
        raise ValidationError(option, _(
            "{option}: “{value}” is not a time of day; write HH:MM, e.g. 10:00.").format(
                option=option, value=text))
    return value
