""""This and following": splitting a series in two at one of its occurrences."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.rrule import rrule

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Recurrence
from drillplanner.domain.rrule_parts import (
    DAILY,
    HOURLY,
    MONTHLY,
    UNTIL_LOCAL,
    WEEKDAY_CODES,
    WEEKLY,
    RuleParts,
    derived_kwargs,
    naive_rule,
    parse_rule,
    rule_kwargs,
)
from drillplanner.domain.rrule_periods import period_start
from drillplanner.i18n import _

_SECOND = timedelta(seconds=1)
_DAY_GROUP = frozenset({"bymonth", "bymonthday", "byweekday"})


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None, microsecond=0)


def _aligned(parts: RuleParts, start: datetime, at: datetime) -> bool:
    """Whether ``at`` lies in a period the rule visits (periods counted in INTERVALs from
    ``start``), so that the same rule started at ``at`` visits the same periods."""
    every = parts.interval
    if every == 1:
        return True
    if parts.freq == DAILY:
        between = (at.date() - start.date()).days
    elif parts.freq == WEEKLY:
        def week(day: datetime) -> int:
            return (day.toordinal() - 1 - parts.wkst) // 7
        between = week(at) - week(start)
    elif parts.freq == MONTHLY:
        between = (at.year - start.year) * 12 + at.month - start.month
    elif parts.freq == HOURLY:
        between = int((at.replace(minute=0, second=0) - start.replace(minute=0, second=0))
                      / timedelta(hours=1))
    else:
        between = at.year - start.year
    return between % every == 0


def _tail_parts(parts: RuleParts, start: datetime, at: datetime) -> RuleParts:
    """The rule for the series restarted at ``at``: what the rule took from the old start
    (weekday, day of month, time) is written out where ``at`` would give another value."""
    old, new = derived_kwargs(parts, start), derived_kwargs(parts, at)
    differ = {key for key, value in old.items() if new.get(key) != value}
    if differ & _DAY_GROUP:
        # Writing out only the day of month would stop dateutil deriving the month.
        differ |= _DAY_GROUP & old.keys()
    changes: dict[str, str] = {}
    for key, value in old.items():
        if key not in differ:
            continue
        if key == "byweekday":
            changes["BYDAY"] = ",".join(WEEKDAY_CODES[day.weekday] for day in value)
        else:
            changes[key.upper()] = ",".join(str(item) for item in value)
    return parts.replace(**changes)


def split_series(recurrence: Recurrence, original_start: datetime, at: datetime
                 ) -> tuple[Recurrence, Recurrence]:
    """Split a series at ``at`` ("this and following").

    The head keeps the dates before ``at``: its rule ends with UNTIL one second before
    ``at`` (local time), or with a COUNT of the rule's dates before ``at`` when the rule has
    a COUNT. The tail is the same rule started at ``at`` (a COUNT gets what is left).
    RDATEs and EXDATEs go to the part their date falls in. Together the two give the same
    dates as the original.

    Args:
        recurrence: the series.
        original_start: the series' start (naive local).
        at: where the tail starts, normally one of the occurrences (naive local).

    Raises:
        ValidationError: field "start" when one of the parts would have no date, or when
            ``at`` is not one of the dates of a rule with INTERVAL > 1.
    """
    start, at = _naive(original_start), _naive(at)
    head_rdates = tuple(d for d in recurrence.rdates if d < at)
    tail_rdates = tuple(d for d in recurrence.rdates if d >= at)
    head_rule = tail_rule = ""
    if recurrence.rule:
        parts = parse_rule(recurrence.rule)
        compiled = naive_rule(parts, start)
        if parts.count is not None:  # at most COUNT dates to go through
            before = len(compiled.between(start - _SECOND, at))
            rest = compiled.after(at, inc=True) is not None
        else:
            # Whether there is a date before ``at`` and one from it on, without walking
            # every period from the start (an hourly rule from years ago has a million).
            first = next(iter(compiled), None)
            before = int(first is not None and first < at)
            anchor = period_start(parts, start, at)
            later = compiled if anchor is None else rrule(
                dtstart=anchor, **(rule_kwargs(parts) | derived_kwargs(parts, start)))
            rest = later.after(at, inc=True) is not None
        if parts.count is not None:
            if before:
                head_rule = parts.replace(COUNT=str(before)).text()
            if parts.count > before:
                tail_rule = parts.replace(COUNT=str(parts.count - before)).text()
        else:
            if before:
                until = min(parts.until or at, at - _SECOND)
                head_rule = parts.replace(UNTIL=until.strftime(UNTIL_LOCAL)).text()
            if rest:
                tail_rule = parts.text()
        if tail_rule:
            if not _aligned(parts, start, at):
                raise ValidationError("start", _(
                    "Split the series at one of its occurrences: {at} is not one of them."
                ).format(at=at.strftime("%Y-%m-%d %H:%M")))
            tail_rule = _tail_parts(parse_rule(tail_rule), start, at).text()
    head = Recurrence(head_rule, head_rdates, tuple(d for d in recurrence.exdates if d < at),
                      recurrence.school_days_only)
    tail = Recurrence(tail_rule, tail_rdates, tuple(d for d in recurrence.exdates if d >= at),
                      recurrence.school_days_only)
    when = at.strftime("%Y-%m-%d %H:%M")
    if not head.repeats:
        raise ValidationError("start", _("The series has no date before {at}: change the "
                                         "whole series instead.").format(at=when))
    if not tail.repeats:
        raise ValidationError("start", _("The series has no date from {at} on.").format(
            at=when))
    return head, tail
