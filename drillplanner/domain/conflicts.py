"""Warnings about occurrences that clash: the same place or people at the same time, a drill
on a sports or exam day, anything on a day without school. Conflicts warn; they never stop
a user from saving."""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from drillplanner.domain.events import EventKind, Occurrence, Participants, Scope
from drillplanner.domain.school_calendar import DayKind, SchoolCalendar, day_kind_label
from drillplanner.i18n import _, format_date, ngettext


class ConflictKind(enum.StrEnum):
    """What a warning is about."""

    SAME_PLACE = "same_place"
    SAME_PARTICIPANTS = "same_participants"
    DRILL_ON_SPORTS_OR_EXAM_DAY = "drill_on_sports_or_exam_day"
    NON_SCHOOL_DAY = "non_school_day"


@dataclass(frozen=True)
class Conflict:
    """``occurrence`` (one being edited or checked) clashes with ``other`` (None when the
    clash is with the calendar itself); ``message`` is translated."""

    kind: ConflictKind
    occurrence: Occurrence
    other: Occurrence | None
    message: str


_BUSY_DAY_KINDS = (DayKind.EXAM, DayKind.SPORTS_DAY)
# Warnings listed one by one; the rest are counted.
MAX_LISTED_WARNINGS = 20
_MICROSECOND = timedelta(microseconds=1)


def _place_key(place: str) -> str:
    return " ".join(place.split()).casefold()


def _days(occurrence: Occurrence) -> Iterator[date]:
    """The local days an occurrence covers (its end is exclusive)."""
    day = occurrence.start.date()
    last = max(day, (occurrence.end - _MICROSECOND).date())
    while day <= last:
        yield day
        day += timedelta(days=1)


def _grades(people: Participants, grade_of_class: Mapping[int, int]) -> set[int]:
    return {grade_of_class[c] for c in people.class_ids if c in grade_of_class}


def share_participants(a: Participants, b: Participants,
                       grade_of_class: Mapping[int, int]) -> bool:
    """Whether two events involve some of the same students: the whole school overlaps
    everyone; grades overlap the classes of those grades."""
    if a.scope is Scope.SCHOOL or b.scope is Scope.SCHOOL:
        return True
    if a.scope is Scope.GRADES and b.scope is Scope.GRADES:
        return bool(a.grade_ids & b.grade_ids)
    if a.scope is Scope.CLASSES and b.scope is Scope.CLASSES:
        return bool(a.class_ids & b.class_ids)
    grades, classes = (a, b) if a.scope is Scope.GRADES else (b, a)
    return bool(grades.grade_ids & _grades(classes, grade_of_class))


def _when(occurrence: Occurrence) -> str:
    return _("{date} {start}–{end}").format(date=format_date(occurrence.start.date()),
                                            start=occurrence.start.strftime("%H:%M"),
                                            end=occurrence.end.strftime("%H:%M"))


def _non_school_reason(calendar: SchoolCalendar, day: date) -> str:
    kinds = calendar.kinds_on(day)
    for kind in (DayKind.HOLIDAY, DayKind.CLOSURE):
        if kind in kinds:
            names = [e.name for e in calendar.entries
                     if e.kind is kind and e.start <= day <= e.end and e.name]
            return names[0] if names else day_kind_label(kind)
    if not calendar.in_session(day):
        return _("outside the school terms")
    return _("weekend")


def _overlap_conflicts(candidate: Occurrence, other: Occurrence,
                       grade_of_class: Mapping[int, int]) -> Iterator[Conflict]:
    place = _place_key(candidate.place)
    if place and place == _place_key(other.place):
        yield Conflict(ConflictKind.SAME_PLACE, candidate, other, _(
            'At the same time as "{other}" ({time}) at the same place ({place}).').format(
            other=other.title, time=_when(other), place=other.place.strip()))
    if share_participants(candidate.participants, other.participants, grade_of_class):
        yield Conflict(ConflictKind.SAME_PARTICIPANTS, candidate, other, _(
            'At the same time as "{other}" ({time}), with some of the same participants.'
        ).format(other=other.title, time=_when(other)))


def _busy_day_conflict(candidate: Occurrence, sports: Mapping[date, Occurrence],
                       calendar: SchoolCalendar) -> Conflict | None:
    for day in _days(candidate):
        event = sports.get(day)
        if event is not None:
            return Conflict(ConflictKind.DRILL_ON_SPORTS_OR_EXAM_DAY, candidate, event, _(
                'A drill on {date}, the day of the sports event "{other}" ({time}).').format(
                date=format_date(day), other=event.title, time=_when(event)))
        kinds = calendar.kinds_on(day)
        for kind in _BUSY_DAY_KINDS:
            if kind in kinds:
                names = [e.name for e in calendar.entries
                         if e.kind is kind and e.start <= day <= e.end and e.name]
                label = day_kind_label(kind) if not names else names[0]
                message = (_("A drill on {date}, an exam day ({name}).") if kind is DayKind.EXAM
                           else _("A drill on {date}, a sports day ({name})."))
                return Conflict(ConflictKind.DRILL_ON_SPORTS_OR_EXAM_DAY, candidate, None,
                                message.format(date=format_date(day), name=label))
    return None


def find_conflicts(candidates: Sequence[Occurrence], others: Sequence[Occurrence],
                   calendar: SchoolCalendar, grade_of_class: Mapping[int, int]
                   ) -> list[Conflict]:
    """Warnings for ``candidates`` (e.g. the occurrences of an event being edited) against
    ``others`` (the school's other occurrences over the same span) and the calendar.

    Two occurrences overlap when their [start, end) intervals intersect (back-to-back ones
    do not). An occurrence is never compared with itself (same event and original start).

    Args:
        candidates: occurrences to check.
        others: occurrences to check against.
        calendar: the school calendar (exam, sports and non-school days).
        grade_of_class: class id -> grade id, to see that a grade and its classes overlap.

    Returns:
        Conflicts in the order of the candidates (by start), then by kind.
    """
    # Compare instants, not wall-clock times: Python compares two times of one zone by
    # their clock reading, which is wrong for the hour that happens twice in autumn.
    ordered = sorted(others, key=lambda o: o.start.timestamp())
    starts = [o.start.timestamp() for o in ordered]
    ends = [o.end.timestamp() for o in ordered]
    longest = max((end - start for start, end in zip(starts, ends, strict=True)), default=0.0)
    sports: dict[date, Occurrence] = {}
    for other in ordered:
        if other.kind is EventKind.SPORTS:
            for day in _days(other):
                sports.setdefault(day, other)
    found: list[Conflict] = []
    for candidate in sorted(candidates, key=lambda o: o.start.timestamp()):
        start, end = candidate.start.timestamp(), candidate.end.timestamp()
        # Anything overlapping starts before the candidate ends and, being at most
        # ``longest`` long, after the candidate's start minus that.
        first = bisect.bisect_right(starts, start - longest)
        last = bisect.bisect_left(starts, end)
        for index in range(first, last):
            other = ordered[index]
            if ends[index] <= start or (other.event_id == candidate.event_id
                                        and other.original_start == candidate.original_start):
                continue
            found.extend(_overlap_conflicts(candidate, other, grade_of_class))
        if candidate.kind.is_drill:
            busy = _busy_day_conflict(candidate, sports, calendar)
            if busy is not None:
                found.append(busy)
        for day in _days(candidate):
            if not calendar.is_school_day(day):
                found.append(Conflict(ConflictKind.NON_SCHOOL_DAY, candidate, None, _(
                    '"{title}" on {date} is not on a school day ({reason}).').format(
                    title=candidate.title, date=format_date(day),
                    reason=_non_school_reason(calendar, day))))
                break
    return found


def summarise(messages: Sequence[str], limit: int = MAX_LISTED_WARNINGS) -> list[str]:
    """The first ``limit`` messages, then one line counting the rest ("… and 7 more")."""
    if len(messages) <= limit:
        return list(messages)
    rest = len(messages) - limit
    return [*messages[:limit], ngettext("… and {n} more warning.", "… and {n} more warnings.",
                                        rest).format(n=rest)]
