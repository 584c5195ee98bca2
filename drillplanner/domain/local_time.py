"""Wall-clock times in a school's zone: where the zone's UTC offset changes (daylight saving
time), and how a local time that falls into a change is read.

Recurrences are expanded in local time, so 10:00 stays 10:00 across a change. A local time
that does not exist (the clock jumps from 02:00 to 03:00) is read with the offset before the
jump, as RFC 5545 and PEP 495 (fold=0) do: 02:30 becomes 03:30 summer time. A local time
that happens twice (the clock goes back) is the first of the two.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, datetime, timedelta, tzinfo
from functools import lru_cache

_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of UTC offset at ``utc`` (naive UTC) from ``before`` to ``after``."""

    utc: datetime
    before: timedelta
    after: timedelta

    @property
    def wall_before(self) -> datetime:
        """The local (naive) time the clock shows when it changes, read with the old offset."""
        return self.utc + self.before

    @property
    def wall_after(self) -> datetime:
        """The local (naive) time the clock shows right after the change."""
        return self.utc + self.after


def _offset_at(tz: tzinfo, utc: datetime) -> timedelta | None:
    return utc.replace(tzinfo=UTC).astimezone(tz).utcoffset()


@lru_cache(maxsize=1024)
def transitions_in_year(tz: tzinfo, year: int) -> tuple[Transition, ...]:
    """The zone's offset changes with a UTC instant in (1 Jan ``year``, 1 Jan next year].

    Found by sampling the offset once a day and halving the interval down to a second
    where it differs (zones change at most a few times a year, never twice in a day).
    Cached: a zone-year costs about 0.3 ms once.
    """
    if year <= MINYEAR or year >= MAXYEAR:
        return ()
    first = datetime(year, 1, 1)
    days = (datetime(year + 1, 1, 1) - first).days
    found: list[Transition] = []
    previous = _offset_at(tz, first)
    for day in range(1, days + 1):
        instant = first + day * _DAY
        offset = _offset_at(tz, instant)
        if offset != previous and offset is not None and previous is not None:
            low, high = instant - _DAY, instant
            while high - low > _SECOND:
                middle = low + (high - low) // 2
                if _offset_at(tz, middle) == previous:
                    low = middle
                else:
                    high = middle
            found.append(Transition(high, previous, offset))
        previous = offset
    return tuple(found)


def transitions_between(tz: tzinfo, first: datetime, last: datetime) -> list[Transition]:
    """Offset changes whose local time (either reading) lies within ``first``..``last``
    (naive local), give or take a day."""
    found: list[Transition] = []
    for year in range(max(first.year - 1, MINYEAR), min(last.year + 1, MAXYEAR) + 1):
        found.extend(t for t in transitions_in_year(tz, year)
                     if first - _DAY <= t.utc <= last + _DAY)
    return found


def localize(local: datetime, tz: tzinfo) -> datetime:
    """A naive local time as an aware one in ``tz``; a time in a spring-forward gap moves
    forward by the gap (02:30 -> 03:30), an ambiguous one is the first (fold=0)."""
    aware = local.replace(tzinfo=tz)
    real = aware.astimezone(UTC).astimezone(tz)
    return aware if real.replace(tzinfo=None) == local else real


def exact_end(start: datetime, duration: timedelta) -> datetime:
    """``start`` + ``duration`` as elapsed time (aware, same zone). Whole days are added on
    the calendar instead, so a two-day event ends at the same clock time."""
    if duration % _DAY == timedelta(0):
        return start + duration
    tz = start.tzinfo
    assert tz is not None
    return (start.astimezone(UTC) + duration).astimezone(tz)


def fix_changes(starts: Sequence[datetime], duration: timedelta, tz: tzinfo,
                ) -> dict[int, tuple[datetime, datetime]]:
    """For wall-clock starts (aware in ``tz``, sorted, fold=0), the ones near an offset change
    whose start or end is not what plain wall-clock arithmetic gives: index -> (start, end).

    A start in a gap moves forward; an end across a change is computed in elapsed time (a
    20-minute drill at 01:50 on the night the clock goes forward ends at 03:10).
    """
    if not starts:
        return {}
    fixed: dict[int, tuple[datetime, datetime]] = {}
    first, last = starts[0].replace(tzinfo=None), starts[-1].replace(tzinfo=None)
    for change in transitions_between(tz, first - duration, last + duration):
        low = min(change.wall_before, change.wall_after) - duration - _SECOND
        high = max(change.wall_before, change.wall_after) + _SECOND
        begin = bisect.bisect_left(starts, low.replace(tzinfo=tz))
        end = bisect.bisect_right(starts, high.replace(tzinfo=tz))
        for index in range(begin, end):
            start = localize(starts[index].replace(tzinfo=None), tz)
            fixed[index] = (start, exact_end(start, duration))
    return fixed
