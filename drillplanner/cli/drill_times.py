"""Times on the drill-day commands: TIME options, run numbers and m:ss clocks.

A TIME is "HH:MM[:SS]" or "YYYY-MM-DD HH:MM[:SS]", in the school's local time. A bare time
belongs to the day of the drill it is about (today for a drill that starts now), so a drill
written up afterwards keeps every entry on its own day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from drillplanner.cli.when import parse_date, parse_datetime, parse_time
from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.errors import ValidationError
from drillplanner.i18n import _

_HAS_DATE = re.compile(r"^\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}")
# Record numbers are SQL BIGINTs: a larger number names no record and cannot even be asked for.
MAX_ID = 2**63 - 1


def today_in(timezone: str) -> date:
    """Today in the school's zone."""
    return datetime.now(ZoneInfo(timezone)).date()


def has_date(text: str) -> bool:
    """Whether a TIME option names its day."""
    return bool(_HAS_DATE.match(text))


def parse_moment(text: str, option: str, day: date) -> datetime:
    """A TIME option as a naive local datetime; a bare time of day is on ``day``."""
    try:
        if has_date(text):
            return parse_datetime(text, option)
        return datetime.combine(day, parse_time(text, option))
    except ValidationError:
        raise ValidationError(option, _(
            "{option}: “{value}” is not a time; write HH:MM[:SS] (on the drill's day) or "
            "\"YYYY-MM-DD HH:MM[:SS]\".").format(option=option, value=text)) from None


def run_day(run: DrillRun, timezone: str) -> date:
    """The day bare times of a run's entries fall on: its alarm's day, else today."""
    return run.day if run.day is not None else today_in(timezone)


def id_number(text: str) -> int | None:
    """A record number as typed ("12" or "#12"), or None when it is not one (digits only,
    ASCII, at most MAX_ID)."""
    cleaned = text.strip().lstrip("#")
    if not cleaned.isascii() or not cleaned.isdecimal() or len(cleaned) > 19:
        return None
    number = int(cleaned)
    return number if number <= MAX_ID else None


def run_number(text: str, what: str = "RUN") -> int:
    """A drill run's (or post's, action's) number as typed: "12" or "#12"."""
    number = id_number(text)
    if number is None:
        too_large = text.strip().lstrip("#").isascii() and text.strip().lstrip("#").isdigit()
        if too_large:
            raise ValidationError(what, _("{value} is too large to be a number drillplanner "
                                          "gives out; “drillplanner drill list” shows the "
                                          "drills' numbers.").format(value=text))
        raise ValidationError(what, _("“{value}” is not a number; “drillplanner drill list” "
                                      "shows the drills' numbers.").format(value=text))
    return number


def parse_occurrence(text: str) -> tuple[int, date | None]:
    """OCCURRENCE as "EVENT@YYYY-MM-DD" or "EVENT": the event's number and the day if given."""
    event_text, _sep, day_text = text.partition("@")
    number = id_number(event_text)
    if number is None:
        raise ValidationError("OCCURRENCE", _(
            "“{value}” is not an occurrence; write EVENT@YYYY-MM-DD or EVENT (its event "
            "number from “drillplanner schedule list”).").format(value=text))
    day = parse_date(day_text, "OCCURRENCE") if day_text.strip() else None
    return number, day


def clock(delta: timedelta | None) -> str:
    """Elapsed time as m:ss (minutes unbounded: 75:03); empty for None."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


def seconds_of(delta: timedelta | None) -> int | None:
    """Whole seconds of a duration for JSON; None stays None."""
    return None if delta is None else int(delta.total_seconds())


def local_text(moment: datetime | None, *, with_date: bool = True) -> str:
    """A time as the school's clock shows it: "2026-11-09 10:02:15" (or "10:02:15")."""
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")


def iso(moment: datetime | None) -> str | None:
    """A time for JSON: ISO 8601 with the school's UTC offset."""
    return None if moment is None else moment.isoformat(timespec="seconds")
