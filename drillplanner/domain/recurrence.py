"""Recurring events: expansion into occurrences in the school's local time, the next
occurrences for a preview, "this and following" splits, and the checks callers need.

An event's occurrences are the dates its RRULE generates from its start, plus its RDATEs,
minus its EXDATEs (as dateutil's rruleset: the start itself counts only when the rule
generates it), then minus non-school days when ``school_days_only`` is set; an event with
neither rule nor RDATE happens once, at its start. Everything is computed on wall-clock
times, so 10:00 stays 10:00 across a daylight-saving change (see local_time).

Presets (build_recurrence, detect_preset) and descriptions (describe) live in their own
modules and are re-exported here.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from itertools import accumulate, islice, repeat, takewhile
from operator import add

from dateutil.rrule import rrule

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Event, Occurrence, OccurrenceChange
from drillplanner.domain.local_time import exact_end, fix_changes, localize
from drillplanner.domain.recurrence_presets import Preset, build_recurrence, detect_preset
from drillplanner.domain.recurrence_split import split_series
from drillplanner.domain.recurrence_text import describe
from drillplanner.domain.rrule_parts import (
    DAILY,
    MAX_PER_DAY,
    cached_parts,
    derived_kwargs,
    rule_kwargs,
    validate_rule,
)
from drillplanner.domain.rrule_periods import period_start
from drillplanner.domain.school_calendar import DayKind, SchoolCalendar
from drillplanner.i18n import _

__all__ = [
    "Preset", "build_recurrence", "check_has_occurrence", "describe", "detect_preset",
    "expand", "first_occurrence_within", "next_occurrences", "school_day_ordinals",
    "split_series", "validate_rule",
]

# Generation starts this much before the window: a start in a spring-forward gap moves
# forward (at most a day, Samoa 2011) and may land inside the window.
_MARGIN = timedelta(days=2)
_PREVIEW_HORIZON = timedelta(days=5 * 366)
_FIRST_PREVIEW_WINDOW = timedelta(days=62)
_PLAIN_DAILY = frozenset({"FREQ", "INTERVAL", "UNTIL", "COUNT", "WKST"})


# Dateutil rules, compiled once and moved forward for windows far from the start ----------


@lru_cache(maxsize=512)
def _compiled(rule: str, start: datetime, tz: tzinfo, anchor: datetime | None) -> rrule:
    """The rule over aware wall-clock times in ``tz`` (dateutil attaches the zone without
    converting, which is exactly local-time expansion). With ``anchor`` the rule starts there
    instead, with the parts it derived from ``start`` made explicit."""
    parts = cached_parts(rule)
    kwargs = rule_kwargs(parts)
    if kwargs["until"] is not None:
        kwargs["until"] = kwargs["until"].replace(tzinfo=tz)
    if anchor is None:
        return rrule(dtstart=start.replace(tzinfo=tz), **kwargs)
    kwargs |= derived_kwargs(parts, start)
    return rrule(dtstart=anchor.replace(tzinfo=tz), **kwargs)


def _anchor(rule: str, start: datetime, before: datetime) -> datetime | None:
    """Where to start the rule for a window beginning at ``before`` (see period_start)."""
    return period_start(cached_parts(rule), start, before)


def _plain_daily(rule: str, start: datetime, tz: tzinfo, low: datetime, high: datetime
                 ) -> list[datetime] | None:
    """The dates of a plain "FREQ=DAILY[;INTERVAL=n][;UNTIL=..|;COUNT=..]" rule in [low, high)
    by arithmetic, or None for any other rule.

    Such a rule is every n-th day at the start's time: the same dates dateutil gives, at a
    tenth of the cost. It is "every school day", the rule a school repeats most.
    """
    parts = cached_parts(rule)
    if parts.freq != DAILY or not parts.names <= _PLAIN_DAILY:
        return None
    first = start.replace(microsecond=0, tzinfo=tz)
    step = timedelta(days=parts.interval)
    begin = max(0, -((first - low) // step))
    end = max(0, -((first - high) // step))
    if parts.count is not None:
        end = min(end, parts.count)
    if parts.until is not None:
        end = min(end, max(0, (parts.until.replace(tzinfo=tz) - first) // step + 1))
    if end <= begin:
        return []
    # accumulate adds in C: a third of the cost of first + k * step.
    return list(accumulate(repeat(step, end - begin - 1), add, initial=first + begin * step))


def _rule_dates(rule: str, start: datetime, tz: tzinfo, low: datetime, high: datetime
                ) -> list[datetime]:
    """The rule's dates in [low, high) as aware wall-clock times in ``tz``."""
    plain = _plain_daily(rule, start, tz, low, high)
    if plain is not None:
        return plain
    anchor = _anchor(rule, start, low.replace(tzinfo=None))
    # Lazily, and never more than MAX_PER_DAY a day: a rule stored before that limit
    # existed cannot make a window cost more than a valid rule would.
    limit = MAX_PER_DAY * ((high - low).days + 2)
    dates = _compiled(rule, start, tz, anchor).xafter(low - timedelta(microseconds=1))
    return list(islice(takewhile(lambda value: value < high, dates), limit))


def _naive(value: datetime, tz: tzinfo) -> datetime:
    return value if value.tzinfo is None else value.astimezone(tz).replace(tzinfo=None)


def _wall(value: datetime, tz: tzinfo) -> datetime:
    """``value`` as an aware time in ``tz`` (a naive value is taken as local already)."""
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def _series(event: Event, tz: tzinfo, low: datetime, high: datetime) -> list[datetime]:
    """Rule dates + RDATEs - EXDATEs with wall-clock time in [low, high) (aware in ``tz``),
    sorted, before moves, cancellations and the school-day filter."""
    recurrence = event.recurrence
    start = _naive(event.start, tz)
    if not recurrence.repeats:
        found = [start.replace(tzinfo=tz)] if low <= start.replace(tzinfo=tz) < high else []
    else:
        found = []
        if recurrence.rule:
            found = _rule_dates(recurrence.rule, start, tz, low, high)
        extra = [d.replace(tzinfo=tz) for d in recurrence.rdates
                 if low <= d.replace(tzinfo=tz) < high]
        if extra:
            found = sorted(set(found).union(extra))
    excluded = [d.replace(tzinfo=tz) for d in recurrence.exdates
                if low <= d.replace(tzinfo=tz) < high]
    if excluded:
        gone = set(excluded)
        found = [value for value in found if value not in gone]
    return found


def _occurs(event: Event, tz: tzinfo, original: datetime) -> bool:
    """Whether the series (before the school-day filter) has an occurrence at ``original``
    (aware wall time)."""
    return original in _series(event, tz, original, original + timedelta(seconds=1))


# School days --------------------------------------------------------------------------------


def school_day_ordinals(calendar: SchoolCalendar, first: date, last: date) -> set[int]:
    """Ordinals (date.toordinal) of the school days within ``first``..``last``.

    The same answer as ``calendar.is_school_day`` for each day (a test compares them), in
    bulk: a day in a term (or any day, with no terms) is a school day unless it falls on
    the weekend or a holiday or closure; a make-up day always is.
    """
    if last < first:
        return set()
    terms = calendar.terms
    ranges: list[tuple[int, int]] = []
    spans = [(first, last)] if not terms else [(max(t.start, first), min(t.end, last))
                                                for t in terms]
    for begin_day, end_day in sorted(spans):
        begin, end = begin_day.toordinal(), end_day.toordinal()
        if begin > end:
            continue
        if ranges and begin <= ranges[-1][1] + 1:  # overlapping or adjacent terms
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
        else:
            ranges.append((begin, end))
    weekend = calendar.weekend
    found: set[int] = set()
    for begin, end in ranges:
        # date.fromordinal(1) is a Monday, so an ordinal's weekday is (ordinal - 1) % 7.
        found.update(o for o in range(begin, end + 1) if (o - 1) % 7 not in weekend)
    starts = [begin for begin, _end in ranges]
    for entry in calendar.entries:
        for ordinal in range(max(entry.start, first).toordinal(),
                             min(entry.end, last).toordinal() + 1):
            index = bisect.bisect_right(starts, ordinal) - 1
            if index < 0 or ordinal > ranges[index][1]:
                continue  # outside every term: never a school day
            kinds = calendar.kinds_on(date.fromordinal(ordinal))
            if DayKind.MAKEUP in kinds:
                found.add(ordinal)
            elif DayKind.HOLIDAY in kinds or DayKind.CLOSURE in kinds:
                found.discard(ordinal)
    return found


# Expansion ----------------------------------------------------------------------------------


def expand(event: Event, changes: Sequence[OccurrenceChange], calendar: SchoolCalendar,
           tz: tzinfo, start: datetime, end: datetime) -> list[Occurrence]:
    """The event's occurrences whose start lies in [start, end), sorted by start.

    Args:
        event: the event; its start, rule, RDATEs and EXDATEs are naive local times.
        changes: the event's moved or cancelled occurrences. A cancelled one is left out; a
            moved one appears at its new start (also when the original lies outside the
            window), with ``moved`` set and ``original_start`` kept.
        calendar: the school calendar, for ``school_days_only`` (moved occurrences stay where
            the user put them).
        tz: the school's zone.
        start: window start (aware; naive means local time in ``tz``).
        end: window end, exclusive.

    Returns:
        Occurrences with aware ``start``/``end`` in ``tz``. ``original_start`` is the naive
        local time the series generates, before a move or a daylight-saving gap shift: the
        key of the occurrence in an OccurrenceChange.
    """
    low, high = _wall(start, tz), _wall(end, tz)
    if high <= low:
        return []
    starts = _series(event, tz, low - _MARGIN, high)
    if event.recurrence.school_days_only and starts:
        school = school_day_ordinals(calendar, starts[0].date(), starts[-1].date())
        starts = [value for value in starts if value.toordinal() in school]
    changed = {_naive(c.original_start, tz).replace(tzinfo=tz): c for c in changes}
    duration = event.duration
    fixed = fix_changes(starts, duration, tz)
    skip = {i for i in fixed if not low <= fixed[i][0] < high}
    if changed:
        for original in changed:
            index = bisect.bisect_left(starts, original)
            if index < len(starts) and starts[index] == original:
                skip.add(index)
    first = bisect.bisect_left(starts, low)
    e_id, kind, title = event.id, event.kind, event.title
    place, people, announced = event.place, event.participants, event.announced
    # Times of one zone subtract as clock readings, so naive = base + (aware - aware base):
    # two C operations, where replace(tzinfo=None) costs several times more.
    base = datetime(2000, 1, 1)
    aware_base = base.replace(tzinfo=tz)
    found = [Occurrence(e_id, kind, title, value, value + duration, base + (value - aware_base),
                        False, place, people, announced) for value in starts[first:]]
    extra: list[Occurrence] = []
    for index in sorted(set(fixed) | skip, reverse=True):
        if index in skip:
            if index >= first:
                del found[index - first]
        elif index >= first:
            value, finish = fixed[index]
            found[index - first] = replace(found[index - first], start=value, end=finish)
    extra += [Occurrence(e_id, kind, title, fixed[i][0], fixed[i][1],
                         starts[i].replace(tzinfo=None), False, place, people, announced)
              for i in fixed if i < first and i not in skip]
    for original, change in changed.items():
        if change.cancelled:
            continue
        new_start = localize(_naive(change.new_start or original, tz), tz)
        if not low <= new_start < high or not _occurs(event, tz, original):
            continue
        extra.append(Occurrence(e_id, kind, title, new_start,
                                exact_end(new_start, change.new_duration or duration),
                                original.replace(tzinfo=None), True, place, people, announced))
    if extra or fixed:
        found.extend(extra)
        found.sort(key=lambda occurrence: occurrence.start)
    return found


def next_occurrences(event: Event, changes: Sequence[OccurrenceChange],
                     calendar: SchoolCalendar, tz: tzinfo, after: datetime,
                     limit: int = 10) -> list[Occurrence]:
    """Up to ``limit`` occurrences starting at or after ``after`` (the event dialog's
    preview), searching no further than five years past ``after`` or the event's start,
    so a rule whose every date the calendar drops still returns (with fewer or none)."""
    low = _wall(after, tz)
    horizon = max(low, _wall(event.start, tz)) + _PREVIEW_HORIZON
    window = _FIRST_PREVIEW_WINDOW
    found: list[Occurrence] = []
    while low < horizon and len(found) < limit:
        high = min(low + window, horizon)
        found.extend(expand(event, changes, calendar, tz, low, high))
        low, window = high, window * 2
    return found[:limit]


def first_occurrence_within(event: Event, calendar: SchoolCalendar, tz: tzinfo,
                            changes: Sequence[OccurrenceChange] = ()) -> Occurrence | None:
    """The first occurrence inside a term of the calendar (on a school day when the event
    keeps to school days); with no terms defined, the first occurrence within five years of
    the start. None when there is none."""
    terms = sorted(calendar.terms, key=lambda term: term.start)
    if not terms:
        found = next_occurrences(event, changes, calendar, tz, event.start, limit=1)
        return found[0] if found else None
    for term in terms:
        low = datetime.combine(term.start, time(), tz)
        high = datetime.combine(term.end + timedelta(days=1), time(), tz)
        found = expand(event, changes, calendar, tz, low, high)
        if found:
            return found[0]
    return None


def check_has_occurrence(event: Event, changes: Sequence[OccurrenceChange],
                         calendar: SchoolCalendar, tz: tzinfo) -> None:
    """Refuse an event none of whose occurrences falls inside the school calendar.

    Raises:
        ValidationError: field "rrule", when every occurrence lies outside the terms or on
            a day without school (with ``school_days_only``).
    """
    if first_occurrence_within(event, calendar, tz, changes) is not None:
        return
    if event.recurrence.school_days_only:
        message = _("None of the dates of this recurrence is a school day inside a term of "
                    "the school calendar.")
    else:
        message = _("None of the dates of this recurrence falls inside a term of the school "
                    "calendar.")
    raise ValidationError("rrule", message)
