"""Headcounts: one class's report at the assembly area, and the roll-up to grade and school.

A class reports enrolled (taken from the class when the run starts), absent before the drill
(known, not a search case), present at the assembly area and missing; expected = enrolled −
absent and must equal present + missing. Students of other classes standing with this one are
counted apart (``with_us``), never hidden in ``present``.

Missing students found later (where, when, by whom) count as accounted for, so for a class,
a grade and the school alike: enrolled = absent + accounted for (present + found) + still
missing (+ the enrolment of classes that have not reported yet, ``unreported``).

The record has a life cycle (``Stage``): entries made while the drill runs; corrections,
made after the all clear with a reason; amendments, corrections made after the record was
signed off. Corrections carry the drill's own times (the figures' report time, a found
student's finding time), never the moment they were typed, so they cannot move the time to
full accountability past what happened on the day.
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


class Stage(enum.StrEnum):
    """When in the record's life an entry was made."""

    DRILL = "drill"  # while the drill was running
    CORRECTION = "correction"  # after the all clear, with a reason
    AMENDMENT = "amendment"  # after the record was signed off, with a reason


STAGE_LABELS: dict[Stage, str] = {
    Stage.DRILL: N_("During the drill"),
    Stage.CORRECTION: N_("Correction"),
    Stage.AMENDMENT: N_("Amendment"),
}


def stage_label(stage: Stage) -> str:
    return _(STAGE_LABELS[stage])


def stage_of(reason: str, recorded_at: datetime | None,
             signed_at: datetime | None = None) -> Stage:
    """The stage of a stored entry: only changes of a completed record carry a reason; those
    recorded after the sign-off are amendments."""
    if not reason:
        return Stage.DRILL
    if signed_at is not None and recorded_at is not None and recorded_at > signed_at:
        return Stage.AMENDMENT
    return Stage.CORRECTION


def check_reason(reason: object) -> str:
    """The reason for changing a completed record: required, at most 1000 characters."""
    text = v.text("reason", reason, 1000)
    if not text:
        raise ValidationError("reason", _(
            "The drill is completed: its record is closed for entries. A change is a "
            "correction and needs a reason (why the record is changed)."))
    return text


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
    reason: str = ""  # why a completed record was changed
    stage: Stage = Stage.DRILL

    @property
    def after_all_clear(self) -> bool:
        """A correction or amendment of the completed record."""
        return self.stage is not Stage.DRILL


@dataclass(frozen=True, slots=True)
class Resolution:
    """A missing student found: where, when, by whom (and, after the all clear, why it was
    recorded late, when and by whom it was typed)."""

    class_id: int
    found_where: str
    found_at: datetime
    found_by: str = ""
    count: int = 1
    reason: str = ""
    recorded_at: datetime | None = None
    recorded_by: str = ""
    stage: Stage = Stage.DRILL


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
    """A class's place in the roll-up.

    ``reported_by``/``reported_at`` name the report as it was made during the drill (a
    correction after the all clear keeps them); ``verified_by``/``verified_at`` the grade
    leader's check, beside it, never instead of it; ``correction`` the latest correction
    or amendment of the figures (who typed it, when, why).
    """

    info: ClassInfo
    state: ReportState
    figures: Figures | None = None
    reported_at: datetime | None = None
    reported_by: str = ""
    verified_by: str = ""
    still_missing: int = 0
    corrections: int = 0  # reports after the first (during the drill or after it)
    verified_at: datetime | None = None
    found: int = 0  # missing students found (counted as accounted for)
    accounted_at: datetime | None = None  # when nobody of the class was unaccounted for
    correction: HeadcountEntry | None = None
    #: The grade leader's check of an earlier report, when a later one has not been checked.
    earlier_check: HeadcountEntry | None = None

    @property
    def accounted(self) -> int:
        """Students accounted for: present at the assembly area, or found later."""
        return self.figures.present + self.found if self.figures is not None else 0


@dataclass(frozen=True, slots=True)
class Totals:
    """A grade's or the school's figures. They always add up:
    enrolled = absent + accounted + still_missing + unreported."""

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
    found: int = 0
    accounted: int = 0
    unreported: int = 0  # enrolment of the classes that have not reported

    @property
    def still_out(self) -> int:
        """Classes that have not reported yet."""
        return self.classes - self.reported


def total(statuses: Iterable[ClassStatus]) -> Totals:
    """The sum of classes; a reported class counts the enrolment its report gives."""
    values = dict.fromkeys(Totals.__dataclass_fields__, 0)
    for status in statuses:
        values["classes"] += 1
        if status.figures is None:
            values["enrolled"] += status.info.enrolled
            values["unreported"] += status.info.enrolled
            continue
        f = status.figures
        values["reported"] += 1
        values["enrolled"] += f.enrolled
        values["absent"] += f.absent
        values["expected"] += f.expected
        values["present"] += f.present
        values["missing"] += f.missing
        values["still_missing"] += status.still_missing
        values["injured"] += f.injured
        values["with_us"] += f.with_us
        values["found"] += status.found
        values["accounted"] += status.accounted
    return Totals(**values)


@dataclass(frozen=True, slots=True)
class GradeRollup:
    grade_id: int
    grade_name: str
    totals: Totals
    classes: tuple[ClassStatus, ...]


@dataclass(frozen=True, slots=True)
class MissingAlert:
    """Missing students of one class, open until found.

    ``live`` is False for an alert that only a correction after the all clear raised: it is
    on the record (its students count as still missing until found) but it does not sound
    as a live alert of the drill.
    """

    class_id: int
    class_name: str
    missing: int
    names: tuple[str, ...]
    reported_at: datetime | None
    found: tuple[Resolution, ...] = ()
    live: bool = True

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
        """Live alerts with students still missing (what the console sounds)."""
        return tuple(a for a in self.alerts if a.live and not a.resolved)

    @property
    def unresolved_alerts(self) -> tuple[MissingAlert, ...]:
        """Every alert with students still missing, raised by a correction too."""
        return tuple(a for a in self.alerts if not a.resolved)

    @property
    def met_target(self) -> bool | None:
        if self.time_to_accountability is None or self.target is None:
            return None
        return self.time_to_accountability <= self.target


@dataclass(slots=True)
class _Record:
    """One class's history folded: what roll_up needs of it."""

    latest: HeadcountEntry | None = None
    drill_report: HeadcountEntry | None = None  # the latest report made during the drill
    verification: HeadcountEntry | None = None
    last_check: HeadcountEntry | None = None  # the latest verification, even superseded
    correction: HeadcountEntry | None = None
    reports: int = 0


def _fold(entries: Sequence[HeadcountEntry]) -> dict[int, _Record]:
    records: dict[int, _Record] = {}
    for entry in entries:
        record = records.setdefault(entry.class_id, _Record())
        if entry.verified:
            if record.latest is not None:
                record.verification = record.last_check = entry
            continue
        if entry.figures is None:
            continue
        record.latest = entry
        record.reports += 1
        record.verification = None  # changed figures need a new check
        if entry.after_all_clear:
            record.correction = entry
        else:
            record.drill_report = entry
    return records


def _status(info: ClassInfo, record: _Record | None,
            found: Sequence[Resolution]) -> tuple[ClassStatus, MissingAlert | None]:
    if record is None or record.latest is None or record.latest.figures is None:
        return ClassStatus(info, ReportState.NOT_REPORTED), None
    report = record.latest
    figures = report.figures
    assert figures is not None
    alert = None
    if figures.missing:
        drill = record.drill_report
        live = drill is not None and drill.figures is not None and drill.figures.missing > 0
        alert = MissingAlert(info.class_id, info.name, figures.missing, figures.missing_names,
                             report.reported_at, tuple(found), live)
    still = alert.still_missing if alert else 0
    # The class's latest report holds: findings count while it says students were missing
    # (as services/report_figures computes it for the term chart).
    accounted_at = None if still else max(
        [report.reported_at, *(r.found_at for r in (alert.found if alert else ()))])
    reporter = record.drill_report or report
    verification = record.verification
    return ClassStatus(
        info, ReportState.VERIFIED if verification else ReportState.REPORTED, figures,
        report.reported_at, reporter.recorded_by,
        (verification.recorded_by or "-") if verification else "", still, record.reports - 1,
        verification.reported_at if verification else None, figures.missing - still,
        accounted_at, record.correction, None if verification else record.last_check), alert


def roll_up(classes: Sequence[ClassInfo], entries: Sequence[HeadcountEntry],
            resolutions: Sequence[Resolution], alarm_at: datetime | None,
            target: timedelta | None) -> Rollup:
    """Class states, grade and school totals, alerts and time to full accountability.

    ``entries`` are the run's history records in the order they were stored; the latest
    report of a class holds its figures, a later verification marks it verified, and a
    correction after a verification needs a new verification. Full accountability is
    reached at the latest of the moments at which each class became accounted for (its
    report, or the finding of its missing students): drill-day times, which corrections
    keep, so a correction never puts it at the moment it was typed. A correction that
    says nobody was missing accounts for the class at its report time (as a second report
    during the drill does); one that says students were missing leaves the drill
    unaccounted for until the record says when they were found.
    """
    records = _fold(entries)
    found: dict[int, list[Resolution]] = {}
    for resolution in resolutions:
        found.setdefault(resolution.class_id, []).append(resolution)

    statuses: list[ClassStatus] = []
    alerts: list[MissingAlert] = []
    for info in sorted(classes, key=lambda c: class_sort_key(c.grade_order, c.grade_name,
                                                             c.name)):
        status, alert = _status(info, records.get(info.class_id),
                                found.get(info.class_id, ()))
        statuses.append(status)
        if alert is not None:
            alerts.append(alert)

    grouped: dict[int, list[ClassStatus]] = {}
    for status in statuses:
        grouped.setdefault(status.info.grade_id, []).append(status)
    grades = [GradeRollup(members[0].info.grade_id, members[0].info.grade_name,
                          total(members), tuple(members)) for members in grouped.values()]
    school = total(statuses)
    accounted_at = None
    if statuses and all(s.accounted_at is not None for s in statuses):
        accounted_at = max(s.accounted_at for s in statuses if s.accounted_at is not None)
    elapsed = (accounted_at - alarm_at) if accounted_at and alarm_at else None
    return Rollup(tuple(grades), school, tuple(alerts), accounted_at, elapsed, target,
                  tuple(statuses))
