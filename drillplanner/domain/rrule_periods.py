"""Where to restart a rule without COUNT so that a late window costs no more than an early
one: the start of the rule's period (hour, day, week, month, year) that begins a window."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from drillplanner.domain.rrule_parts import DAILY, HOURLY, MONTHLY, WEEKLY, RuleParts


def period_start(parts: RuleParts, start: datetime, before: datetime) -> datetime | None:
    """The start of the latest period of the rule (an hour, day, week, month or year,
    counted in INTERVALs from ``start``) that begins on or before ``before``; None when that
    is the first period or the rule has a COUNT (which counts from the very start).

    dateutil always iterates from DTSTART, period by period; the rule started at a later
    period boundary, with the parts it derived from ``start`` written out (derived_kwargs),
    gives the same dates from there on, so a window ten years on costs no more than one
    near the start (an hourly rule started in 1900 would otherwise walk a million hours).
    """
    if parts.count is not None:
        return None
    every = parts.interval
    if parts.freq == HOURLY:
        hour = start.replace(minute=0, second=0, microsecond=0)
        steps = int((before - hour) // timedelta(hours=1)) // every
        return hour + timedelta(hours=steps * every) if steps > 0 else None
    if before.date() <= start.date():
        return None
    first, target = start.date(), before.date()
    if parts.freq == DAILY:
        steps = (target - first).days // every
        day = first + timedelta(days=steps * every)
    elif parts.freq == WEEKLY:
        week = first - timedelta(days=(first.weekday() - parts.wkst) % 7)
        steps = (target - week).days // 7 // every
        day = week + timedelta(weeks=steps * every)
    elif parts.freq == MONTHLY:
        months = (target.year - first.year) * 12 + target.month - first.month
        steps = months // every
        index = first.month - 1 + steps * every
        day = date(first.year + index // 12, index % 12 + 1, 1)
    else:
        steps = (target.year - first.year) // every
        day = date(first.year + steps * every, 1, 1)
    return datetime.combine(day, time()) if steps > 0 else None
