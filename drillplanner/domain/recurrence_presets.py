"""The recurrence presets the event dialog offers, built into a Recurrence and read back.

Monthly on a date follows RFC 5545: a month without that day is skipped (the 31st happens
in seven months a year, 29 February only in leap years). To mean "the end of each month",
use the day -1 (BYMONTHDAY=-1, the last day).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Recurrence
from drillplanner.domain.rrule_parts import (
    DAILY,
    MONTHLY,
    WEEKDAY_CODES,
    WEEKLY,
    RuleParts,
    parse_rule,
    validate_rule,
)
from drillplanner.domain.school_calendar import Term
from drillplanner.i18n import N_, _

_UNTIL_END_OF_DAY = "%Y%m%dT235959"
_LIMIT_PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "WKST"})


class Preset(enum.StrEnum):
    """A shape of recurrence the event dialog offers by name."""

    ONCE = "once"
    SCHOOL_DAYS = "school_days"
    WEEKLY = "weekly"
    MONTHLY_NTH_WEEKDAY = "monthly_nth_weekday"
    MONTHLY_DATE = "monthly_date"
    ONCE_PER_TERM = "once_per_term"
    CUSTOM = "custom"


PRESET_LABELS: dict[Preset, str] = {
    Preset.ONCE: N_("Once"),
    Preset.SCHOOL_DAYS: N_("Every school day"),
    Preset.WEEKLY: N_("Weekly on chosen days"),
    Preset.MONTHLY_NTH_WEEKDAY: N_("Monthly on a weekday (e.g. the second Tuesday)"),
    Preset.MONTHLY_DATE: N_("Monthly on a date"),
    Preset.ONCE_PER_TERM: N_("Once per term"),
    Preset.CUSTOM: N_("Custom rule (RRULE)"),
}

NTH_CHOICES = (1, 2, 3, 4, 5, -1)


def preset_label(preset: Preset) -> str:
    """The preset's name in the current language ("Every school day" / "每个上学日")."""
    return _(PRESET_LABELS[preset])


def nth_weekday_of(day: date) -> int:
    """Which of its weekday in the month ``day`` is: 1..4, or -1 for a fifth one (a fifth
    weekday is the last, and "the last Friday" happens every month)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


@dataclass(frozen=True, slots=True)
class PresetChoice:
    """A preset with its options, as the event dialog shows them for editing."""

    preset: Preset
    weekdays: tuple[int, ...] = ()
    nth: int | None = None
    until: date | None = None
    count: int | None = None
    custom_rule: str = ""
    school_days_only: bool = False


def _limits(start: datetime, until: date | None, count: int | None) -> str:
    if until is not None and count is not None:
        raise ValidationError("count", _("Give either a last date or a number of times, "
                                         "not both."))
    if count is not None:
        if count < 1:
            raise ValidationError("count", _("The number of times must be at least 1."))
        return f";COUNT={count}"
    if until is not None:
        if until < start.date():
            raise ValidationError("until", _("The last date ({until}) is before the start "
                                             "({start}).").format(until=until.isoformat(),
                                                                  start=start.date().isoformat()))
        return ";UNTIL=" + until.strftime(_UNTIL_END_OF_DAY)
    return ""


def _once_per_term(start: datetime, terms: Sequence[Term], until: date | None,
                   count: int | None) -> tuple[datetime, ...]:
    if not terms:
        raise ValidationError("terms", _("Once per term needs the school's terms: add the "
                                         "school year and its terms first."))
    ordered = sorted(terms, key=lambda term: term.start)
    day = start.date()
    own = next((term for term in ordered if term.contains(day)), None)
    if own is not None:
        offset = day - own.start
        chosen = [term for term in ordered if term.start >= own.start]
    else:
        offset = day - day
        chosen = [term for term in ordered if term.start > day]
    dates: list[datetime] = []
    for term in chosen:
        when = min(term.start + offset, term.end)
        if (until is not None and when > until) or (count is not None and len(dates) >= count):
            break
        dates.append(datetime.combine(when, start.time()))
    if not dates:
        raise ValidationError("terms", _("No term starts on or after {day}.").format(
            day=day.isoformat()))
    return tuple(dates)


def build_recurrence(preset: Preset, start: datetime, *, weekdays: Sequence[int] = (),
                     nth: int | None = None, until: date | None = None,
                     count: int | None = None, terms: Sequence[Term] = (),
                     custom_rule: str = "", school_days_only: bool = False) -> Recurrence:
    """The Recurrence for a preset and its options.

    Args:
        preset: the shape.
        start: the event's start (naive local); options left out are derived from it.
        weekdays: date.weekday() numbers for WEEKLY (default: the start's weekday); for
            MONTHLY_NTH_WEEKDAY the first one is the weekday.
        nth: MONTHLY_NTH_WEEKDAY: 1..5 or -1 (last), default the start's position in its
            month; MONTHLY_DATE: the day 1..31 or -1 (the last day), default the start's.
        until: the last day of the series (inclusive).
        count: the number of occurrences (instead of ``until``).
        terms: the school's terms, for ONCE_PER_TERM: one date in each term from the start's
            term on, as many days into the term as the start is into its own (0 when the
            start lies in no term), clamped to the term's end.
        custom_rule: the RRULE for CUSTOM.
        school_days_only: also drop non-school days (always on for SCHOOL_DAYS).

    Raises:
        ValidationError: naming the option ("weekdays", "nth", "until", "count", "terms" or
            "rrule").
    """
    if preset is Preset.ONCE:
        return Recurrence()
    if preset is Preset.CUSTOM:
        return Recurrence(rule=validate_rule(custom_rule, start),
                          school_days_only=school_days_only)
    if preset is Preset.ONCE_PER_TERM:
        return Recurrence(rdates=_once_per_term(start, terms, until, count),
                          school_days_only=school_days_only)
    limits = _limits(start, until, count)
    days = tuple(sorted(set(weekdays))) or (start.weekday(),)
    if any(not 0 <= day <= 6 for day in days):
        raise ValidationError("weekdays", _("Weekdays are numbered 0 (Monday) to 6 (Sunday)."))
    if preset is Preset.SCHOOL_DAYS:
        rule = "FREQ=DAILY"
        school_days_only = True
    elif preset is Preset.WEEKLY:
        rule = "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAY_CODES[day] for day in days)
    elif preset is Preset.MONTHLY_NTH_WEEKDAY:
        nth = nth_weekday_of(start.date()) if nth is None else nth
        if nth not in NTH_CHOICES:
            raise ValidationError("nth", _("Choose the first to fifth or the last weekday."))
        weekday = weekdays[0] if weekdays else start.weekday()
        rule = f"FREQ=MONTHLY;BYDAY={nth}{WEEKDAY_CODES[weekday]}"
    else:
        nth = start.day if nth is None else nth
        if not (1 <= nth <= 31 or nth == -1):
            raise ValidationError("nth", _("Choose a day from 1 to 31, or the last day."))
        rule = f"FREQ=MONTHLY;BYMONTHDAY={nth}"
    return Recurrence(rule=validate_rule(rule + limits, start),
                      school_days_only=school_days_only)


def _shape(parts: RuleParts) -> frozenset[str]:
    names = set(parts.names - _LIMIT_PARTS)
    if parts.interval == 1:
        names.discard("INTERVAL")
    return frozenset(names)


def _one_per_term(rdates: Sequence[datetime], terms: Sequence[Term]) -> bool:
    if not terms:
        return True
    holders = [next((t for t in terms if t.contains(d.date())), None) for d in rdates]
    return None not in holders and len(set(holders)) == len(holders)


def detect_preset(recurrence: Recurrence, start: datetime, *,
                  terms: Sequence[Term] = ()) -> Preset:
    """The preset ``recurrence`` has the shape of (CUSTOM when none), for editing.

    An event with dates but no rule reads as ONCE_PER_TERM (given ``terms``, only when each
    date lies in a different term). EXDATEs do not change the shape; extra RDATEs next to a
    rule make it CUSTOM.
    """
    return read_preset(recurrence, start, terms=terms).preset


def read_preset(recurrence: Recurrence, start: datetime, *,
                terms: Sequence[Term] = ()) -> PresetChoice:
    """``recurrence`` as a preset with its options: build_recurrence(**fields) gives the same
    dates back (the rule text may differ in spelling)."""
    flag = recurrence.school_days_only
    if not recurrence.repeats:
        return PresetChoice(Preset.ONCE)
    if not recurrence.rule:
        if _one_per_term(recurrence.rdates, terms):
            return PresetChoice(Preset.ONCE_PER_TERM, school_days_only=flag)
        return PresetChoice(Preset.CUSTOM, school_days_only=flag)
    custom = PresetChoice(Preset.CUSTOM, custom_rule=recurrence.rule, school_days_only=flag)
    try:
        parts = parse_rule(recurrence.rule)
    except ValidationError:
        return custom
    if recurrence.rdates:
        return custom
    until, count = None if parts.until is None else parts.until.date(), parts.count
    shape, freq, byday = _shape(parts), parts.freq, parts.byday()
    if freq == DAILY and not shape and flag:
        return PresetChoice(Preset.SCHOOL_DAYS, until=until, count=count, school_days_only=True)
    if freq == WEEKLY and shape <= {"BYDAY"} and all(n == 0 for n, _day in byday):
        days = tuple(sorted(day for _n, day in byday)) or (start.weekday(),)
        return PresetChoice(Preset.WEEKLY, weekdays=days, until=until, count=count,
                            school_days_only=flag)
    if (freq == MONTHLY and shape == {"BYDAY"} and len(byday) == 1
            and byday[0][0] in NTH_CHOICES):
        return PresetChoice(Preset.MONTHLY_NTH_WEEKDAY, weekdays=(byday[0][1],),
                            nth=byday[0][0], school_days_only=flag, until=until, count=count)
    monthdays = parts.ints("BYMONTHDAY")
    if freq == MONTHLY and shape <= {"BYMONTHDAY"} and len(monthdays) <= 1:
        day = monthdays[0] if monthdays else start.day
        if 1 <= day <= 31 or day == -1:
            return PresetChoice(Preset.MONTHLY_DATE, nth=day, until=until, count=count,
                                school_days_only=flag)
    return custom
