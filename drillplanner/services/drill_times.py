"""A drill's times: callers give school-local times, the database holds naive UTC, and a
time recorded for a drill must lie within it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from drillplanner.domain.errors import ValidationError
from drillplanner.i18n import _


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc(value: datetime | None, tz: ZoneInfo) -> datetime:
    """A caller's time (naive = school-local) as naive UTC; None means now."""
    if value is None:
        return now_utc()
    aware = value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return aware.astimezone(UTC).replace(tzinfo=None)


def during_drill(field: str, at: datetime | None, tz: ZoneInfo, alarm_at: datetime | None,
                 all_clear_at: datetime | None) -> datetime:
    """``at`` (None: now) as naive UTC, refused when a time given lies before the alarm or
    after the all clear: a headcount or a cleared floor belongs to the drill's timeline."""
    when = to_utc(at, tz)
    if at is None or alarm_at is None:
        return when
    if when >= alarm_at and (all_clear_at is None or when <= all_clear_at):
        return when
    # Show dates only when the times are not all on the drill's day.
    day = local(alarm_at, tz).date()
    same_day = local(when, tz).date() == day and (
        all_clear_at is None or local(all_clear_at, tz).date() == day)
    pattern = "%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S"

    def shown(value: datetime) -> str:
        return local(value, tz).strftime(pattern)

    if all_clear_at is None:
        message = _("The time {at} is before the drill's alarm ({alarm}): give a time from "
                    "the alarm on.").format(at=shown(when), alarm=shown(alarm_at))
    else:
        message = _("The time {at} is outside the drill: give a time between the alarm "
                    "({alarm}) and the all clear ({all_clear}).").format(
                        at=shown(when), alarm=shown(alarm_at), all_clear=shown(all_clear_at))
    raise ValidationError(field, message)


def to_local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if value is None else local(value, tz)


def local(value: datetime, tz: ZoneInfo) -> datetime:
    """A stored (naive UTC) time in the school's zone."""
    return value.replace(tzinfo=UTC).astimezone(tz)
