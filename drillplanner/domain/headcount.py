"""Headcounts: one class's report at the assembly area, and the roll-up to grade and school.

A class reports enrolled (taken from the class when the run starts), absent before the drill
(known, not a search case), present at the assembly area and missing; expected = enrolled −
absent and must equal present + missing. Students of other classes standing with this one are
counted apart (``with_us``), never hidden in ``present``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from drillplanner.domain import validation as v
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.structure import class_sort_key
from drillplanner.i18n import N_, _

MAX_COUNT = 1000


class ReportState(enum.StrEnum):
    NOT_REPORTED = "not_reported"
    REPORTED = "reported"  # counted by the class teacher, awaiting the grade leader's check
    VERIFIED = "verified"  # checked by the grade leader


REPORT_STATE_LABELS: dict[ReportState, str] = {
    ReportState.NOT_REPORTED: N_("Not reported"),
    ReportState.REPORTED: N_("Reported"),
    ReportState.VERIFIED: N_("Verified"),
}


def report_state_label(state: ReportState) -> str:
    return _(REPORT_STATE_LABELS[state])


def _names(value: Iterable[str] | str) -> tuple[str, ...]:
    items = value.replace("，", ",").replace("、", ",").split(",") if isinstance(
        value, str) else value
    return tuple(name.strip() for name in items if name and name.strip())


@dataclass(frozen=True, slots=True)
class Figures:
    """What a class reports. Names are optional; counts are the record."""

    enrolled: int
    present: int
    absent: int = 0
    missing: int = 0
    injured: int = 0
    with_us: int = 0
    absent_names: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()
    note: str = ""

    @property
    def expected(self) -> int:
        return self.enrolled - self.absent


def check_figures(enrolled: object, present: object, absent: object = 0, missing: object = 0,
                  injured: object = 0, with_us: object = 0,
                  absent_names: Iterable[str] | str = (), missing_names: Iterable[str] | str = (),
                  note: str = "") -> Figures:
    """Validated figures; a report that does not add up is refused showing the arithmetic."""
    counts = {
        name: v.whole_number(name, value, 0, MAX_COUNT)
        for name, value in (("enrolled", enrolled), ("absent", absent), ("present", present),
                            ("missing", missing), ("injured", injured), ("with_us", with_us))
    }
    figures = Figures(enrolled=counts["enrolled"], present=counts["present"],
                      absent=counts["absent"], missing=counts["missing"],
                      injured=counts["injured"], with_us=counts["with_us"],
                      absent_names=_names(absent_names), missing_names=_names(missing_names),
                      note=v.text("note", note, 500))
    if figures.absent > figures.enrolled:
        raise ValidationError("absent", _(
            "More students absent ({absent}) than enrolled ({enrolled}).").format(
                absent=figures.absent, enrolled=figures.enrolled))
    if figures.present + figures.missing != figures.expected:
        raise ValidationError("present", _(
            "The numbers do not add up: enrolled {enrolled} − absent {absent} = expected "
            "{expected}, but present {present} + missing {missing} = {total}.").format(
                enrolled=figures.enrolled, absent=figures.absent, expected=figures.expected,
                present=figures.present, missing=figures.missing,
                total=figures.present + figures.missing))
    if figures.injured > figures.present:
        raise ValidationError("injured", _(
            "More students injured ({injured}) than present ({present}): injured students "
            "are counted among those present.").format(injured=figures.injured,
                                                       present=figures.present))
    if len(figures.missing_names) > figures.missing:
        raise ValidationError("missing_names", _(
            "{n} names given for {missing} missing students.").format(
                n=len(figures.missing_names), missing=figures.missing))
    if len(figures.absent_names) > figures.absent:
        raise ValidationError("absent_names", _(
            "{n} names given for {absent} absent students.").format(
                n=len(figures.absent_names), absent=figures.absent))
    return figures


@dataclass(frozen=True, slots=True)
class HeadcountEntry:
    """One stored history record: a report or correction (figures) or a verification."""

    id: int
    run_id: int
    class_id: int
    figures: Figures | None  # None for a verification
    reported_at: datetime  # when it happened at the assembly area (aware)
    recorded_at: datetime  # when it was stored (aware)
    recorded_by: str = ""
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Resolution:
    """A missing student found: where, when, by whom."""

    class_id: int
    found_where: str
    found_at: datetime
    found_by: str = ""
    count: int = 1


@dataclass(frozen=True, slots=True)
class ClassInfo:
    class_id: int
    name: str
    grade_id: int
    grade_name: str
    grade_order: int
    enrolled: int


@dataclass(frozen=True, slots=True)
class ClassStatus:
    info: ClassInfo
    state: ReportState
    figures: Figures | None = None
    reported_at: datetime | None = None
    reported_by: str = ""
    verified_by: str = ""
    still_missing: int = 0
    corrections: int = 0


@dataclass(frozen=True, slots=True)
class Totals:
    classes: int = 0
    reported: int = 0
    enrolled: int = 0
    absent: int = 0
    expected: int = 0
    present: int = 0
    missing: int = 0
    still_missing: int = 0
    injured: int = 0
    with_us: int = 0

    @property
    def still_out(self) -> int:
        """Classes that have not reported yet."""
        return self.classes - self.reported


def total(statuses: Iterable[ClassStatus]) -> Totals:
    values = dict.fromkeys(Totals.__dataclass_fields__, 0)
    for status in statuses:
        values["classes"] += 1
        values["enrolled"] += status.info.enrolled
        if status.figures is None:
            continue
        f = status.figures
        values["reported"] += 1
        values["absent"] += f.absent
        values["expected"] += f.expected
        values["present"] += f.present
        values["missing"] += f.missing
        values["still_missing"] += status.still_missing
        values["injured"] += f.injured
        values["with_us"] += f.with_us
    return Totals(**values)


@dataclass(frozen=True, slots=True)
class GradeRollup:
    grade_id: int
    grade_name: str
    totals: Totals
    classes: tuple[ClassStatus, ...]


@dataclass(frozen=True, slots=True)
class MissingAlert:
    """Missing students of one class, open until found."""

    class_id: int
    class_name: str
    missing: int
    names: tuple[str, ...]
    reported_at: datetime | None
    found: tuple[Resolution, ...] = ()

    @property
    def still_missing(self) -> int:
        return max(self.missing - sum(r.count for r in self.found), 0)

    @property
    def resolved(self) -> bool:
        return self.still_missing == 0


@dataclass(frozen=True, slots=True)
class Rollup:
    """Where the whole school stands in one drill run."""

    grades: tuple[GradeRollup, ...]
    totals: Totals
    alerts: tuple[MissingAlert, ...]
    accounted_at: datetime | None = None
    time_to_accountability: timedelta | None = None
    target: timedelta | None = None
    classes: tuple[ClassStatus, ...] = field(default=())

    @property
    def open_alerts(self) -> tuple[MissingAlert, ...]:
        return tuple(a for a in self.alerts if not a.resolved)

    @property
    def met_target(self) -> bool | None:
        if self.time_to_accountability is None or self.target is None:
            return None
        return self.time_to_accountability <= self.target


def roll_up(classes: Sequence[ClassInfo], entries: Sequence[HeadcountEntry],
            resolutions: Sequence[Resolution], alarm_at: datetime | None,
            target: timedelta | None) -> Rollup:
    """Class states, grade and school totals, alerts and time to full accountability.

    ``entries`` are the run's history records in the order they were stored; the latest
    report of a class holds its figures, a later verification marks it verified, and a
    correction after a verification needs a new verification.
    """
    latest: dict[int, HeadcountEntry] = {}
    verified_by: dict[int, str] = {}
    corrections: dict[int, int] = {}
    for entry in entries:
        if entry.verified:
            if entry.class_id in latest:
                verified_by[entry.class_id] = entry.recorded_by or "-"
            continue
        if entry.class_id in latest:
            corrections[entry.class_id] = corrections.get(entry.class_id, 0) + 1
        latest[entry.class_id] = entry
        verified_by.pop(entry.class_id, None)
    found: dict[int, list[Resolution]] = {}
    for resolution in resolutions:
        found.setdefault(resolution.class_id, []).append(resolution)

    statuses: list[ClassStatus] = []
    alerts: list[MissingAlert] = []
    for info in sorted(classes, key=lambda c: class_sort_key(c.grade_order, c.grade_name,
                                                             c.name)):
        report = latest.get(info.class_id)
        if report is None or report.figures is None:
            statuses.append(ClassStatus(info, ReportState.NOT_REPORTED))
            continue
        figures = report.figures
        alert = None
        if figures.missing:
            alert = MissingAlert(info.class_id, info.name, figures.missing,
                                 figures.missing_names, report.reported_at,
                                 tuple(found.get(info.class_id, ())))
            alerts.append(alert)
        state = ReportState.VERIFIED if info.class_id in verified_by else ReportState.REPORTED
        statuses.append(ClassStatus(
            info, state, figures, report.reported_at, report.recorded_by,
            verified_by.get(info.class_id, ""), alert.still_missing if alert else 0,
            corrections.get(info.class_id, 0)))

    grades: list[GradeRollup] = []
    for status in statuses:
        if not grades or grades[-1].grade_id != status.info.grade_id:
            grades.append(GradeRollup(status.info.grade_id, status.info.grade_name, Totals(), ()))
        last = grades[-1]
        grades[-1] = GradeRollup(last.grade_id, last.grade_name, Totals(),
                                 (*last.classes, status))
    grades = [GradeRollup(g.grade_id, g.grade_name, total(g.classes), g.classes)
              for g in grades]
    school = total(statuses)
    accounted_at = None
    if statuses and school.still_out == 0 and school.still_missing == 0:
        moments = [s.reported_at for s in statuses if s.reported_at is not None]
        moments += [r.found_at for a in alerts for r in a.found]
        accounted_at = max(moments)
    elapsed = (accounted_at - alarm_at) if accounted_at and alarm_at else None
    return Rollup(tuple(grades), school, tuple(alerts), accounted_at, elapsed, target,
                  tuple(statuses))
