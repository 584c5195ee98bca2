"""How reports write times, durations and dates (the language current at build time)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from drillplanner.i18n import _, format_date

DASH = "–"


def minutes_seconds(value: timedelta | None) -> str:
    """"02:05" (mm:ss); "1:02:05" from an hour on; a dash for None."""
    if value is None:
        return DASH
    seconds = round(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"


def after_alarm(moment: datetime | None, alarm: datetime | None) -> str:
    """mm:ss from the alarm to ``moment``."""
    if moment is None or alarm is None:
        return DASH
    return minutes_seconds(moment - alarm)


def day_text(value: date | None) -> str:
    """A date as the language writes it ("2026年11月9日", "Nov 9, 2026")."""
    return DASH if value is None else format_date(value, "medium")


def short_day(value: date) -> str:
    """A compact date for table cells ("2026-11-09")."""
    return value.isoformat()


def clock_time(value: datetime | None, seconds: bool = True) -> str:
    if value is None:
        return DASH
    return value.strftime("%H:%M:%S" if seconds else "%H:%M")


def day_and_time(value: datetime | None) -> str:
    if value is None:
        return DASH
    return _("{date} {time}").format(date=day_text(value.date()),
                                     time=clock_time(value, seconds=False))


def period_text(start: date, end: date) -> str:
    return _("{start} to {end}").format(start=day_text(start), end=day_text(end))


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")
