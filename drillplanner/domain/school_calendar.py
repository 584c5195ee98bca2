"""The school calendar: school years, terms, holidays and closures, exam days, make-up days."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from drillplanner.i18n import N_, _


class DayKind(enum.StrEnum):
    """A dated calendar entry. Holidays and closures are not school days; make-up days are
    (调休: a Saturday or Sunday that is a school day); exam and sports days stay school days
    but drills on them are warned about."""

    HOLIDAY = "holiday"
    CLOSURE = "closure"
    MAKEUP = "makeup"
    EXAM = "exam"
    SPORTS_DAY = "sports_day"


DAY_KIND_LABELS: dict[DayKind, str] = {
    DayKind.HOLIDAY: N_("Holiday"),
    DayKind.CLOSURE: N_("Closure"),
    DayKind.MAKEUP: N_("Make-up school day"),
    DayKind.EXAM: N_("Exam day"),
    DayKind.SPORTS_DAY: N_("Sports day"),
}


def day_kind_label(kind: DayKind) -> str:
    return _(DAY_KIND_LABELS[kind])


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    start: date
    end: date  # inclusive
    id: int = 0

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class SchoolYear:
    name: str
    start: date
    end: date  # inclusive
    terms: tuple[Term, ...] = ()
    id: int = 0

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """An entry covering ``start``..``end`` (inclusive; one day when equal)."""

    kind: DayKind
    start: date
    end: date
    name: str = ""
    id: int = 0

    def days(self) -> Iterable[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    """Everything needed to tell whether a date is a school day. Pure and cheap to query."""

    years: tuple[SchoolYear, ...] = ()
    entries: tuple[CalendarDay, ...] = ()
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
    _by_day: dict[date, frozenset[DayKind]] = field(init=False, repr=False, compare=False)
    _terms: tuple[Term, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_day: dict[date, set[DayKind]] = {}
        for entry in self.entries:
            for day in entry.days():
                by_day.setdefault(day, set()).add(entry.kind)
        object.__setattr__(self, "_by_day", {d: frozenset(k) for d, k in by_day.items()})
        object.__setattr__(self, "_terms", tuple(
            term for year in self.years for term in year.terms))

    @property
    def terms(self) -> tuple[Term, ...]:
        return self._terms

    def kinds_on(self, day: date) -> frozenset[DayKind]:
        return self._by_day.get(day, frozenset())

    def term_of(self, day: date) -> Term | None:
        for term in self._terms:
            if term.contains(day):
                return term
        return None

    def year_of(self, day: date) -> SchoolYear | None:
        for year in self.years:
            if year.contains(day):
                return year
        return None

    def in_session(self, day: date) -> bool:
        """Within a term (or, with no terms defined at all, always)."""
        return not self._terms or self.term_of(day) is not None

    def is_school_day(self, day: date) -> bool:
        """A day lessons are held: in a term, and a weekday that is not a holiday or
        closure, or a make-up day."""
        if not self.in_session(day):
            return False
        kinds = self.kinds_on(day)
        if DayKind.MAKEUP in kinds:
            return True
        if DayKind.HOLIDAY in kinds or DayKind.CLOSURE in kinds:
            return False
        return day.weekday() not in self.weekend
