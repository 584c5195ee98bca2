"""RRULE text (RFC 5545 section 3.3.10): parsing into parts, validation with messages that
name the bad part, and turning the parts into dateutil rules.

Rules are kept in the school's local wall-clock time: UNTIL is a naive local date-time
("20270115T235959"), never UTC, so that expansion can work on naive local times.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any

from dateutil.rrule import rrule
from dateutil.rrule import weekday as rrule_weekday

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.excerpts import excerpt
from drillplanner.i18n import _

# Indexes match dateutil's constants (YEARLY = 0 ... HOURLY = 4).
FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")
YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY = range(5)
TOO_FREQUENT = ("MINUTELY", "SECONDLY")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Every 999 units reaches past any school's planning horizon; larger intervals (2^31 - 1)
# only overflow the date arithmetic.
MAX_INTERVAL = 999
PART_NAMES = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYSECOND", "BYMINUTE", "BYHOUR",
              "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST")
# Parts that pick days; without any of them dateutil derives the day from DTSTART.
DAY_PARTS = ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")
# (low, high, zero allowed) for the numeric list parts.
RANGES: dict[str, tuple[int, int, bool]] = {
    "BYSECOND": (0, 59, True), "BYMINUTE": (0, 59, True), "BYHOUR": (0, 23, True),
    "BYMONTHDAY": (-31, 31, False), "BYYEARDAY": (-366, 366, False),
    "BYWEEKNO": (-53, 53, False), "BYMONTH": (1, 12, True), "BYSETPOS": (-366, 366, False),
}
# RFC 5545: parts that only make sense with some frequencies.
ALLOWED_FREQ: dict[str, tuple[str, ...]] = {
    "BYMONTHDAY": ("YEARLY", "MONTHLY", "DAILY", "HOURLY"),
    "BYYEARDAY": ("YEARLY", "HOURLY"),
    "BYWEEKNO": ("YEARLY",),
}
UNTIL_LOCAL = "%Y%m%dT%H%M%S"
# What one rule may produce (checked before expanding): a school event repeats at most
# hourly, and a series of more than MAX_COUNT occurrences is not a school schedule.
MAX_PER_DAY = 24
MAX_COUNT = 10_000
# More digits than this in INTERVAL or COUNT is over any limit (and Python refuses int() of
# more than 4,300 digits).
_MAX_DIGITS = 18
_BYDAY_ITEM = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_INT = re.compile(r"[+-]?\d{1,4}")
_UNTIL = re.compile(r"(\d{8})(T(\d{6})(Z?))?")


@dataclass(frozen=True, slots=True)
class RuleParts:
    """A parsed, syntactically valid RRULE body: (NAME, VALUE) pairs, FREQ first."""

    items: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        for key, value in self.items:
            if key == name:
                return value
        return None

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _value in self.items)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(key for key, _value in self.items)

    @property
    def freq(self) -> int:
        return FREQUENCIES.index(self.get("FREQ") or "")

    @property
    def interval(self) -> int:
        return int(self.get("INTERVAL") or 1)

    @property
    def count(self) -> int | None:
        value = self.get("COUNT")
        return None if value is None else int(value)

    @property
    def until(self) -> datetime | None:
        value = self.get("UNTIL")
        return None if value is None else datetime.strptime(value, UNTIL_LOCAL)

    @property
    def wkst(self) -> int:
        return WEEKDAY_CODES.index(self.get("WKST") or "MO")

    def ints(self, name: str) -> tuple[int, ...]:
        value = self.get(name)
        return () if value is None else tuple(int(item) for item in value.split(","))

    def byday(self) -> tuple[tuple[int, int], ...]:
        """BYDAY as (ordinal or 0, date.weekday()) pairs: "2TU" is (2, 1)."""
        value = self.get("BYDAY")
        if value is None:
            return ()
        pairs = []
        for item in value.split(","):
            match = _BYDAY_ITEM.fullmatch(item)
            assert match is not None  # checked by parse_rule
            pairs.append((int(match.group(1) or 0), WEEKDAY_CODES.index(match.group(2))))
        return tuple(pairs)

    def replace(self, **changes: str | None) -> RuleParts:
        """These parts with some values changed (None removes a part; new ones go last)."""
        items = [(key, changes.get(key, value)) for key, value in self.items]
        items += [(key, value) for key, value in changes.items() if key not in self.names]
        return RuleParts(tuple((key, value) for key, value in items if value is not None))

    def text(self) -> str:
        return ";".join(f"{key}={value}" for key, value in self.items)


def _fail(message: str) -> ValidationError:
    return ValidationError("rrule", message)


def _split(rule: str) -> list[str]:
    text = rule.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:"):]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        raise _fail(_('Only one RRULE line is allowed; remove "{part}".').format(
            part=excerpt(lines[1])))
    parts = [part.strip() for part in text.split(";")]
    if not any(parts):
        raise _fail(_("The rule is empty; enter for example FREQ=WEEKLY;BYDAY=MO."))
    return [part for part in parts if part]


def _distinct(value: str) -> str:
    """A list value with repeated items left out (a list part is a set): however long the
    text, what is kept is bounded by the part's range."""
    return ",".join(dict.fromkeys(value.split(",")))


def _check_ints(name: str, value: str, part: str) -> None:
    low, high, zero = RANGES[name]
    for item in value.split(","):
        if not _INT.fullmatch(item):
            raise _fail(_('Invalid value in "{part}".').format(part=part))
        number = int(item)
        if not low <= number <= high or (number == 0 and not zero):
            message = (_('"{part}": each value must be from {low} to {high}.') if zero else
                       _('"{part}": each value must be from {low} to {high}, but not 0.'))
            raise _fail(message.format(part=part, low=low, high=high))


def _check_byday(value: str, part: str, freq: str, has_weekno: bool, has_month: bool
                 ) -> None:
    for item in value.split(","):
        match = _BYDAY_ITEM.fullmatch(item)
        if match is None:
            raise _fail(_('"{part}": days are MO, TU, WE, TH, FR, SA or SU, optionally with a '
                          'number as in 2TU (second Tuesday) or -1FR (last Friday).'
                          ).format(part=part))
        if match.group(1) is None:
            continue
        number = int(match.group(1))
        if freq not in ("MONTHLY", "YEARLY") or (freq == "YEARLY" and has_weekno):
            raise _fail(_('"{part}": a numbered day such as 2TU only works with FREQ=MONTHLY '
                          'or FREQ=YEARLY.').format(part=part))
        # With BYMONTH a yearly rule's 2TU is the second Tuesday of the month, as in a
        # monthly rule (and dateutil fails on a number past the month's weeks).
        limit = 5 if freq == "MONTHLY" or has_month else 53
        if number == 0 or abs(number) > limit:
            raise _fail(_('"{part}": the number before a day must be from 1 to {limit} or '
                          'from -{limit} to -1.').format(part=part, limit=limit))


def _normal_until(value: str, part: str, zone: tzinfo | None) -> str:
    match = _UNTIL.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        if match.group(2) is None:
            # A bare date ends the series after that day (RFC 5545 would make it midnight
            # and silently drop the last day's occurrence).
            until = datetime.strptime(match.group(1), "%Y%m%d").replace(hour=23, minute=59,
                                                                       second=59)
        else:
            until = datetime.strptime(match.group(1) + match.group(3), "%Y%m%d%H%M%S")
    except ValueError:
        raise _fail(_('"{part}": the end must be written like 20270115 or 20270115T100000.'
                      ).format(part=part)) from None
    if match.group(4):
        if zone is None:
            raise _fail(_('"{part}" is in UTC; write the end in local time, without "Z".'
                          ).format(part=part))
        # Within hours of year 1 or 9999 the time stays as written: before or after any
        # school's dates anyway.
        with suppress(OverflowError):
            until = until.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    # strftime does not pad a year before 1000, which strptime then cannot read back.
    return f"{until.year:04d}{until:%m%dT%H%M%S}"


def _positive(name: str, value: str, part: str) -> str:
    """INTERVAL or COUNT checked (a whole number from 1; INTERVAL at most MAX_INTERVAL)
    and written without leading zeros."""
    if not (value.isascii() and value.isdigit()):
        raise _fail(_('Invalid value in "{part}".').format(part=part))
    digits = value.lstrip("0") or "0"
    too_long = len(digits) > _MAX_DIGITS
    if name == "COUNT" and too_long:
        raise _too_many(part)
    number = MAX_INTERVAL + 1 if too_long else int(digits)
    if number < 1:
        message = (_('"{part}": the interval must be at least 1.') if name == "INTERVAL"
                   else _('"{part}": the number of times must be at least 1.'))
        raise _fail(message.format(part=part))
    if name == "INTERVAL" and number > MAX_INTERVAL:
        raise _fail(_('"{part}": the interval must be at most {max}.').format(
            part=part, max=MAX_INTERVAL))
    return str(number)


def parse_rule(rule: str, start: datetime | None = None, tz: tzinfo | None = None
               ) -> RuleParts:
    """Check the syntax of every part and return them normalised.

    Raises:
        ValidationError: field "rrule", naming the bad part.
    """
    values: dict[str, tuple[str, str]] = {}
    for part in _split(rule):
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.replace(" ", "")
        if not sep or not name:
            raise _fail(_('"{part}" is not a rule part; parts look like NAME=VALUE, for '
                          'example FREQ=WEEKLY.').format(part=excerpt(part)))
        if name not in PART_NAMES:
            raise _fail(_('Unknown part "{part}" in the rule.').format(part=excerpt(part)))
        if name in values:
            raise _fail(_('"{name}" appears twice in the rule.').format(name=name))
        # Messages quote a part: an excerpt, however long the value.
        values[name] = (value, excerpt(f"{name}={value}"))
    if "FREQ" not in values:
        raise _fail(_("The rule needs a FREQ part, for example FREQ=WEEKLY."))
    freq, freq_part = values["FREQ"]
    if freq in TOO_FREQUENT:
        raise _fail(_('"{part}" repeats more often than hourly, which a school calendar does '
                      'not support.').format(part=freq_part))
    if freq not in FREQUENCIES:
        raise _fail(_('Unknown frequency "{part}": use DAILY, WEEKLY, MONTHLY, YEARLY or '
                      'HOURLY.').format(part=freq_part))
    if "COUNT" in values and "UNTIL" in values:
        raise _fail(_("Use either COUNT or UNTIL, not both."))
    normal: dict[str, str] = {}
    for name, (text, part) in values.items():
        value = text
        if name in ALLOWED_FREQ and freq not in ALLOWED_FREQ[name]:
            raise _fail(_('"{part}" cannot be used with FREQ={freq}.').format(part=part,
                                                                              freq=freq))
        if name in ("INTERVAL", "COUNT"):
            value = _positive(name, value, part)
        elif name in RANGES:
            _check_ints(name, value, part)
            value = _distinct(value)
        elif name == "BYDAY":
            _check_byday(value, part, freq, "BYWEEKNO" in values, "BYMONTH" in values)
            value = _distinct(value)
        elif name == "WKST" and value not in WEEKDAY_CODES:
            raise _fail(_('Invalid value in "{part}".').format(part=part))
        elif name == "UNTIL":
            value = _normal_until(value, part, tz or (start.tzinfo if start else None))
        normal[name] = value
    if "BYSETPOS" in values and not any(n.startswith("BY") and n != "BYSETPOS" for n in values):
        raise _fail(_('"{part}" needs another BY… part to pick from, for example BYDAY.'
                      ).format(part=values["BYSETPOS"][1]))
    items = [("FREQ", freq)] + [(k, v) for k, v in normal.items() if k != "FREQ"]
    return RuleParts(tuple(items))


def validate_rule(rule: str, start: datetime, *, tz: tzinfo | None = None) -> str:
    """Normalise and check an RRULE body for an event starting at ``start``.

    Strips blanks and a leading "RRULE:", upper-cases, puts FREQ first. UNTIL becomes a local
    date-time: a bare date means the end of that day; a UTC value ("...Z") is converted to
    the zone of ``tz`` or of an aware ``start``.

    Args:
        rule: the rule text as typed or imported.
        start: the event's first start (naive local, or aware).
        tz: the school's zone, needed only to convert a UTC UNTIL when ``start`` is naive.

    Returns:
        The normalised rule text, e.g. "FREQ=WEEKLY;BYDAY=MO,WE".

    Raises:
        ValidationError: field "rrule", with a message naming the bad part (an unknown part,
            a bad value, COUNT < 1, UNTIL before the start, a rule that yields no date).
    """
    local_start = start if start.tzinfo is None else start.replace(tzinfo=None)
    parts = parse_rule(rule, start, tz)
    check_size(parts)
    until = parts.until
    if until is not None and until < local_start.replace(microsecond=0):
        raise _fail(_('"{part}" ends before the start ({start}).').format(
            part=f"UNTIL={parts.get('UNTIL')}", start=local_start.strftime("%Y-%m-%d %H:%M")))
    try:
        produces = _produces_a_date(parts, local_start)
    except (ValueError, TypeError, IndexError) as error:  # IndexError: dateutil's own bugs
        raise _fail(_('The rule "{rule}" is not valid: {reason}.').format(
            rule=excerpt(parts.text()), reason=excerpt(error, 200))) from None
    if not produces:
        raise _fail(_('The rule "{rule}" produces no date (for example it asks for 30 '
                      'February, or ends before its first date).').format(
                          rule=excerpt(parts.text())))
    return parts.text()


def per_day(parts: RuleParts) -> int:
    """The most occurrences the rule can produce on one day, from its parts alone (the
    product of the BYHOUR, BYMINUTE and BYSECOND counts; HOURLY counts its hours)."""
    hours = len(set(parts.ints("BYHOUR"))) or (
        -(-24 // parts.interval) if parts.freq == HOURLY else 1)
    minutes = len(set(parts.ints("BYMINUTE"))) or 1
    seconds = len(set(parts.ints("BYSECOND"))) or 1
    return hours * minutes * seconds


def _too_many(part: str) -> ValidationError:
    return _fail(_('"{part}" asks for more occurrences than a rule may produce (at most '
                   '{limit}).').format(part=part, limit=MAX_COUNT))


def check_size(parts: RuleParts) -> None:
    """Refuse a rule that would produce more than MAX_PER_DAY occurrences a day or more than
    MAX_COUNT in all, before anything is expanded.

    Raises:
        ValidationError: field "rrule", saying how many the rule asks for and the limit.
    """
    daily = per_day(parts)
    if daily > MAX_PER_DAY:
        raise _fail(_("The rule repeats up to {n} times a day; a school event repeats at most "
                      "{limit} times a day. Use fewer BYHOUR, BYMINUTE or BYSECOND values."
                      ).format(n=daily, limit=MAX_PER_DAY))
    count = parts.count
    if count is not None and count > MAX_COUNT:
        raise _too_many(excerpt(f"COUNT={parts.get('COUNT')}"))


def _produces_a_date(parts: RuleParts, start: datetime) -> bool:
    """Whether the rule yields at least one date from ``start`` (before UNTIL, if any).

    dateutil searches a rule that never matches ("30 February") up to the year 9999, about a
    second per thousand years. The Gregorian calendar repeats every 400 years (a whole
    number of weeks), so the search runs on a copy moved by a multiple of 400 x INTERVAL
    years (whole periods of the rule) to within a few centuries of 9999.
    """
    if "BYSETPOS" in parts and not _reachable_positions(parts):
        return False  # every position lies past the end of the largest set
    kwargs = rule_kwargs(parts) | {"count": None, "until": None}
    step = 400 * parts.interval
    cycles = (MAXYEAR - 30 - start.year) // step
    probe = start.replace(year=start.year + cycles * step) if cycles > 0 else start
    if next(iter(rrule(dtstart=probe, **kwargs)), None) is None:
        return False
    until = parts.until
    return until is None or next(iter(naive_rule(parts, start)), None) is not None


# The most days one period of the rule holds (a year, a month, a week, a day, an hour's day).
_PERIOD_DAYS = (366, 31, 7, 1, 1)


def _reachable_positions(parts: RuleParts) -> tuple[int, ...]:
    """The BYSETPOS positions that some period's set can reach.

    A period's set holds at most its days times the times of a day (for an hourly rule, the
    minutes and seconds of one hour); a position past that never picks anything, yet
    dateutil tries every position on every period, so a list of hundreds of positions on
    one-element sets took minutes to find out that it never produces a date.
    """
    times = (len(set(parts.ints("BYMINUTE"))) or 1) * (len(set(parts.ints("BYSECOND"))) or 1)
    if parts.freq != HOURLY:
        times *= len(set(parts.ints("BYHOUR"))) or 1
    return tuple(p for p in parts.ints("BYSETPOS") if abs(p) <= _most_days(parts) * times)


def _most_days(parts: RuleParts) -> int:
    """An upper bound of the days one period of the rule can pick (each day part limits
    them: 30 February in a year is at most one day, which dateutil cannot tell)."""
    freq = parts.freq
    bounds = [_PERIOD_DAYS[freq]]
    months = len(set(parts.ints("BYMONTH"))) or (12 if freq == YEARLY else 1)
    if "BYMONTH" in parts and freq == YEARLY:
        bounds.append(31 * months)
    if "BYYEARDAY" in parts:
        bounds.append(len(set(parts.ints("BYYEARDAY"))))
    if "BYMONTHDAY" in parts:
        bounds.append(len(set(parts.ints("BYMONTHDAY"))) * months)
    if "BYWEEKNO" in parts:
        bounds.append(7 * len(set(parts.ints("BYWEEKNO"))))
    if "BYDAY" in parts:
        days = set(parts.byday())
        plain = sum(1 for n, _day in days if not n)
        bounds.append({YEARLY: 53, MONTHLY: 5}.get(freq, 1) * plain + 12 * (len(days) - plain))
    return min(bounds)


def rule_kwargs(parts: RuleParts) -> dict[str, Any]:
    """dateutil.rrule keyword arguments for ``parts`` (without dtstart)."""
    kwargs: dict[str, Any] = {"freq": parts.freq, "interval": parts.interval,
                              "wkst": parts.wkst, "count": parts.count, "until": parts.until}
    for name in ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYHOUR", "BYMINUTE",
                 "BYSECOND"):
        if name in parts:
            kwargs[name.lower()] = parts.ints(name)
    if "BYSETPOS" in parts:
        # Unreachable positions only cost time (none left: the rule has no date; dateutil
        # would read an empty list as no BYSETPOS at all, so it keeps the list then).
        kwargs["bysetpos"] = _reachable_positions(parts) or parts.ints("BYSETPOS")
    if "BYDAY" in parts:
        kwargs["byweekday"] = tuple(rrule_weekday(day, n or None) for n, day in parts.byday())
    return kwargs


def derived_kwargs(parts: RuleParts, start: datetime) -> dict[str, Any]:
    """The parts dateutil (like RFC 5545) takes from DTSTART when the rule leaves them out,
    made explicit so that the same rule can run from another start."""
    derived: dict[str, Any] = {}
    freq = parts.freq
    if not parts.names & set(DAY_PARTS):
        if freq == YEARLY:
            if "BYMONTH" not in parts:
                derived["bymonth"] = (start.month,)
            derived["bymonthday"] = (start.day,)
        elif freq == MONTHLY:
            derived["bymonthday"] = (start.day,)
        elif freq == WEEKLY:
            derived["byweekday"] = (rrule_weekday(start.weekday()),)
    if freq < HOURLY and "BYHOUR" not in parts:
        derived["byhour"] = (start.hour,)
    if "BYMINUTE" not in parts:
        derived["byminute"] = (start.minute,)
    if "BYSECOND" not in parts:
        derived["bysecond"] = (start.second,)
    return derived


def naive_rule(parts: RuleParts, start: datetime) -> rrule:
    """A dateutil rule over naive local times."""
    return rrule(dtstart=start, **rule_kwargs(parts))


@lru_cache(maxsize=1024)
def cached_parts(rule: str) -> RuleParts:
    """``parse_rule`` for a stored (already normalised) rule, cached."""
    return parse_rule(rule)
