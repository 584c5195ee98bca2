"""Compliance profiles (required drills per period) and their evaluation for a school year.

A profile is data: requirements such as "at least N drills of kinds K per month in
session". :func:`evaluate` judges every period of one school year as of a date:

- MET: drills of the requirement's kinds held inside the period (on or before ``as_of``)
  number at least ``count``;
- MISSED: not met and the period ended before ``as_of``;
- PLANNED: not met yet, but held plus planned drills (planned on or after ``as_of``,
  inside the period) reach ``count``;
- OPEN: not enough held or planned; ``days_left`` says how long until the period ends.

A period that has not started yet and has nothing planned is OPEN (its ``days_left``
counts from ``as_of`` to the period's end): there is no separate "not started" state,
because the point of the view is to say what still has to be scheduled.

One drill may satisfy several requirements at once (a fire drill on 10 September counts
for the September requirement and for the first-30-days requirement). That is how NFPA 101
and the state rules are read in practice: each requirement counts drills, not exclusive
assignments. Only drill kinds can be required, so training and sports never count.
"""

from __future__ import annotations

import calendar as gregorian
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from drillplanner.domain.compliance_periods import (
    PERIOD_KIND_LABELS,
    Period,
    PeriodKind,
    YearSession,
    period_kind_label,
    periods_for,
)
from drillplanner.domain.errors import DrillplannerError, ValidationError
from drillplanner.domain.events import DRILL_KINDS, EventKind, kind_label
from drillplanner.domain.school_calendar import SchoolCalendar, SchoolYear
from drillplanner.i18n import N_, _, current_language, format_date, ngettext

__all__ = [
    "PERIOD_KIND_LABELS",
    "STATUS_LABELS",
    "ComplianceReport",
    "HeldDrill",
    "PeriodKind",
    "PeriodResult",
    "PlannedDrill",
    "Profile",
    "ProfileFormatError",
    "Requirement",
    "Status",
    "describe_requirement",
    "evaluate",
    "period_kind_label",
    "status_label",
    "worst",
]

MAX_CODE_LENGTH = 64
MAX_FIRST_DAYS = 366
_CODE = re.compile(r"^\S+$")


class ProfileFormatError(DrillplannerError):
    """A profile file (or stored profile text) is malformed; names the source and field."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        if field:
            message = _("{source}: {field}: {problem}").format(
                source=source, field=field, problem=problem)
        else:
            message = _("{source}: {problem}").format(source=source, problem=problem)
        super().__init__(message)
        self.source = source
        self.field = field
        self.problem = problem


class Status(enum.StrEnum):
    MET = "met"
    PLANNED = "planned"
    OPEN = "open"
    MISSED = "missed"


STATUS_LABELS: dict[Status, str] = {
    Status.MET: N_("Met"),
    Status.PLANNED: N_("Planned"),
    Status.OPEN: N_("Open"),
    Status.MISSED: N_("Missed"),
}

# Worst last: the overall state of several periods is the worst of them.
_SEVERITY = {Status.MET: 0, Status.PLANNED: 1, Status.OPEN: 2, Status.MISSED: 3}


def status_label(status: Status) -> str:
    """The name of a status in the current language."""
    return _(STATUS_LABELS[status])


def worst(statuses: Iterable[Status]) -> Status:
    """The worst of ``statuses`` (MISSED > OPEN > PLANNED > MET); MET when there are none."""
    return max(statuses, key=_SEVERITY.__getitem__, default=Status.MET)


def _pick(english: str, chinese: str) -> str:
    """The text in the current language, falling back to the other one when empty."""
    if current_language() == "zh_CN":
        return chinese or english
    return english or chinese


def _check_code(code: object) -> None:
    if not isinstance(code, str) or not _CODE.match(code) or len(code) > MAX_CODE_LENGTH:
        raise ValidationError("code", _(
            "A code must be one word of at most {n} characters, without spaces.").format(
                n=MAX_CODE_LENGTH))


@dataclass(frozen=True, slots=True)
class Requirement:
    """At least ``count`` drills of ``kinds`` in each period of kind ``period``.

    ``days`` is used by FIRST_DAYS only and ``before`` (month, day) by BEFORE_DATE only;
    ``in_session_only`` matters for MONTH and QUARTER (only periods with a school day).
    Construction validates and raises ValidationError naming the field.
    """

    code: str
    label_en: str
    label_zh: str
    kinds: frozenset[EventKind]
    count: int
    period: PeriodKind
    days: int | None = None
    before: tuple[int, int] | None = None
    in_session_only: bool = True

    def __post_init__(self) -> None:
        # Callers building a requirement from a form may pass a set or a list; keep the
        # value hashable so reports can group periods by requirement.
        object.__setattr__(self, "kinds", frozenset(self.kinds))
        if self.before is not None:
            object.__setattr__(self, "before", tuple(self.before))
        _check_code(self.code)
        if not (self.label_en.strip() or self.label_zh.strip()):
            raise ValidationError("label", _("Give the requirement a name in English or "
                                             "Chinese."))
        if not self.kinds:
            raise ValidationError("kinds", _("Choose at least one drill kind."))
        for kind in sorted(self.kinds):
            if kind not in DRILL_KINDS:
                raise ValidationError("kinds", _(
                    "“{kind}” is not a drill; only drills count towards compliance.").format(
                        kind=kind_label(kind)))
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise ValidationError("count", _(
                "The number of drills must be a whole number of at least 1, not {count}.")
                .format(count=self.count))
        if not isinstance(self.period, PeriodKind):
            raise ValidationError("period", _("Unknown period “{period}”.").format(
                period=self.period))
        self._check_days()
        self._check_before()

    def _check_days(self) -> None:
        if self.period is not PeriodKind.FIRST_DAYS:
            if self.days is not None:
                raise ValidationError("days", _("Only “{period}” uses a number of days.")
                                      .format(period=period_kind_label(PeriodKind.FIRST_DAYS)))
            return
        days = self.days
        if isinstance(days, bool) or not isinstance(days, int) or not (
                1 <= days <= MAX_FIRST_DAYS):
            raise ValidationError("days", _(
                "“{period}” needs a number of days from 1 to {max}.").format(
                    period=period_kind_label(PeriodKind.FIRST_DAYS), max=MAX_FIRST_DAYS))

    def _check_before(self) -> None:
        if self.period is not PeriodKind.BEFORE_DATE:
            if self.before is not None:
                raise ValidationError("before", _("Only “{period}” uses a date.").format(
                    period=period_kind_label(PeriodKind.BEFORE_DATE)))
            return
        if self.before is None:
            raise ValidationError("before", _("“{period}” needs a month and a day.").format(
                period=period_kind_label(PeriodKind.BEFORE_DATE)))
        month, day = self.before
        # A leap year, so that 29 February is allowed (it becomes 28 February in others).
        if not (1 <= month <= 12 and 1 <= day <= gregorian.monthrange(2000, month)[1]):
            raise ValidationError("before", _("{month}-{day} is not a date.").format(
                month=month, day=day))

    def label(self) -> str:
        """The requirement's name in the current language."""
        return _pick(self.label_en, self.label_zh)


@dataclass(frozen=True, slots=True)
class Profile:
    """A named set of requirements, e.g. "NFPA 101, educational occupancies"."""

    code: str
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    requirements: tuple[Requirement, ...]
    builtin: bool = False

    def __post_init__(self) -> None:
        _check_code(self.code)
        if not (self.name_en.strip() or self.name_zh.strip()):
            raise ValidationError("name", _("Give the profile a name in English or Chinese."))
        seen: set[str] = set()
        for requirement in self.requirements:
            if requirement.code in seen:
                raise ValidationError("requirements", _(
                    "Two requirements have the code “{code}”.").format(code=requirement.code))
            seen.add(requirement.code)

    def name(self) -> str:
        """The profile's name in the current language."""
        return _pick(self.name_en, self.name_zh)

    def description(self) -> str:
        return _pick(self.description_en, self.description_zh)

    def requirement(self, code: str) -> Requirement:
        """The requirement with ``code``; KeyError if there is none."""
        for requirement in self.requirements:
            if requirement.code == code:
                return requirement
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class HeldDrill:
    """A drill that took place; ``ref`` tells people which one ("run 7")."""

    day: date
    kind: EventKind
    ref: str = ""


@dataclass(frozen=True, slots=True)
class PlannedDrill:
    """A scheduled drill not yet held; ``ref`` e.g. "event 12 @ 2026-11-09 10:00"."""

    day: date
    kind: EventKind
    ref: str = ""


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """One requirement judged over one period.

    ``held`` are the drills that count (held inside the period, on or before as_of);
    ``planned`` those scheduled inside the period from as_of on. ``still_needed`` is how
    many more must be held; ``days_left`` the calendar days from as_of to the period's
    end, both included (0 once it has ended); ``school_days_left`` the school days among
    them.
    """

    requirement: Requirement
    start: date
    end: date
    label: str
    required: int
    held: tuple[HeldDrill, ...]
    planned: tuple[PlannedDrill, ...]
    status: Status
    still_needed: int
    days_left: int
    school_days_left: int = 0

    @property
    def to_schedule(self) -> int:
        """Drills still to be put on the calendar (0 unless the period is OPEN)."""
        if self.status is not Status.OPEN:
            return 0
        return max(0, self.still_needed - len(self.planned))


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    """Every period of every requirement of ``profile`` in one school year, as of a date."""

    profile: Profile
    as_of: date
    periods: tuple[PeriodResult, ...]
    school_year: SchoolYear | None = None

    @property
    def overall(self) -> Status:
        """The worst status of all periods (MET when the profile requires nothing)."""
        return worst(result.status for result in self.periods)

    def by_requirement(self) -> dict[Requirement, tuple[PeriodResult, ...]]:
        """Periods grouped by requirement, in the profile's order (every requirement
        appears, with no periods when none applies this year)."""
        return {requirement: tuple(r for r in self.periods if r.requirement == requirement)
                for requirement in self.profile.requirements}

    def status_of(self, requirement: Requirement) -> Status:
        """The worst status among one requirement's periods."""
        return worst(r.status for r in self.periods if r.requirement == requirement)

    def open_items(self) -> tuple[PeriodResult, ...]:
        """Periods that still need drills held (OPEN and PLANNED), earliest deadline first.

        MISSED periods are left out: nothing can be scheduled for them any more.
        """
        order = {requirement: i for i, requirement in enumerate(self.profile.requirements)}
        pending = [r for r in self.periods if r.status in (Status.OPEN, Status.PLANNED)]
        return tuple(sorted(pending, key=lambda r: (r.end, r.start, order[r.requirement])))


def evaluate(profile: Profile, calendar: SchoolCalendar, held: Sequence[HeldDrill],
             planned: Sequence[PlannedDrill], as_of: date,
             school_year: SchoolYear | None = None) -> ComplianceReport:
    """Judge every requirement of ``profile`` over one school year as of ``as_of``.

    Args:
        profile: the requirements.
        calendar: the school's calendar (school years, terms, holidays, make-up days).
        held: drills that took place; those after ``as_of`` are ignored.
        planned: scheduled drills not yet held; those before ``as_of`` are ignored. Callers
            pass occurrences that have no held drill, so nothing is counted twice.
        as_of: the day the report is for ("today").
        school_year: the year to judge; by default the one containing ``as_of``.

    Returns:
        One PeriodResult per requirement and period, in profile order then date order.

    Raises:
        ValidationError: ("as_of") when no school year is given and none contains as_of.
    """
    year = school_year if school_year is not None else calendar.year_of(as_of)
    if year is None:
        raise ValidationError("as_of", _(
            "No school year in the calendar contains {date}: define the school year and "
            "its terms first.").format(date=format_date(as_of)))
    session = YearSession(calendar, year)
    counted_held = sorted((d for d in held if d.day <= as_of), key=lambda d: d.day)
    counted_planned = sorted((d for d in planned if d.day >= as_of), key=lambda d: d.day)
    results: list[PeriodResult] = []
    for requirement in profile.requirements:
        mine_held = [d for d in counted_held if d.kind in requirement.kinds]
        mine_planned = [d for d in counted_planned if d.kind in requirement.kinds]
        for period in periods_for(requirement.period, session, days=requirement.days,
                                  before=requirement.before,
                                  in_session_only=requirement.in_session_only):
            results.append(_judge(requirement, period, mine_held, mine_planned, as_of,
                                  session))
    return ComplianceReport(profile, as_of, tuple(results), year)


def _judge(requirement: Requirement, period: Period, held: Sequence[HeldDrill],
           planned: Sequence[PlannedDrill], as_of: date, session: YearSession) -> PeriodResult:
    in_period = tuple(d for d in held if period.start <= d.day <= period.end)
    ahead = tuple(d for d in planned if period.start <= d.day <= period.end)
    still_needed = max(0, requirement.count - len(in_period))
    if still_needed == 0:
        status = Status.MET
    elif period.end < as_of:
        status = Status.MISSED
    elif len(ahead) >= still_needed:
        status = Status.PLANNED
    else:
        status = Status.OPEN
    return PeriodResult(
        requirement=requirement, start=period.start, end=period.end, label=period.label,
        required=requirement.count, held=in_period, planned=ahead, status=status,
        still_needed=still_needed, days_left=max(0, (period.end - as_of).days + 1),
        school_days_left=session.count_school_days(max(as_of, period.start), period.end))


def _rule_text(requirement: Requirement) -> str:
    count = requirement.count
    kind = requirement.period
    if kind is PeriodKind.MONTH and requirement.in_session_only:
        text = ngettext("At least {count} drill in each month in session",
                        "At least {count} drills in each month in session", count)
    elif kind is PeriodKind.MONTH:
        text = ngettext("At least {count} drill in each month",
                        "At least {count} drills in each month", count)
    elif kind is PeriodKind.QUARTER and requirement.in_session_only:
        text = ngettext("At least {count} drill in each quarter in session",
                        "At least {count} drills in each quarter in session", count)
    elif kind is PeriodKind.QUARTER:
        text = ngettext("At least {count} drill in each quarter",
                        "At least {count} drills in each quarter", count)
    elif kind is PeriodKind.TERM:
        text = ngettext("At least {count} drill in each term",
                        "At least {count} drills in each term", count)
    elif kind is PeriodKind.SCHOOL_YEAR:
        text = ngettext("At least {count} drill in the school year",
                        "At least {count} drills in the school year", count)
    elif kind is PeriodKind.FIRST_DAYS:
        text = ngettext("At least {count} drill within the first {days} days of the school "
                        "year", "At least {count} drills within the first {days} days of the "
                        "school year", count)
    else:
        text = ngettext("At least {count} drill in the school year by {date}",
                        "At least {count} drills in the school year by {date}", count)
    month, day = requirement.before or (1, 1)
    return text.format(count=count, days=requirement.days,
                       date=_("{month}/{day}").format(month=month, day=day))


def describe_requirement(requirement: Requirement) -> str:
    """The rule in words, e.g. "At least 1 drill in each month in session: Fire drill"."""
    kinds = _(", ").join(kind_label(kind) for kind in EventKind if kind in requirement.kinds)
    return _("{rule}: {kinds}").format(rule=_rule_text(requirement), kinds=kinds)
