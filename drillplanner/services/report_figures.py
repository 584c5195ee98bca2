"""Drill figures for reports, aggregated in the database.

Ten years of daily drills for sixty classes are some 200,000 headcount entries; a summary
must not carry them into Python. These queries reduce them to one row per run (classes,
reports, missing, time of full accountability) and one row per class (average and worst
report time after the alarm), following the rules of ``domain.headcount.roll_up``: a
class's latest report (not verification) holds its figures; the run is accounted for when
every class has reported and every missing student has been found, at the latest of those
moments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.events import EventKind
from drillplanner.domain.report_data import ClassDelay, RunSummary
from drillplanner.services.drills import to_local
from drillplanner.storage.collation import binary
from drillplanner.storage.models_drills import (
    DrillRunRow,
    HeadcountRow,
    ResolutionRow,
    RunClassRow,
)

SLOWEST = 10


def utc_bounds(tz: ZoneInfo, start: date, end: date) -> tuple[datetime, datetime]:
    """Naive UTC instants of local midnight starting ``start`` and after ``end``."""
    first = datetime.combine(start, time.min, tz).astimezone(UTC).replace(tzinfo=None)
    after = datetime.combine(end + timedelta(days=1), time.min, tz)
    return first, after.astimezone(UTC).replace(tzinfo=None)


def runs_between(school_id: int, first: datetime, after: datetime,
                 statuses: tuple[RunStatus, ...] | None = None) -> list[ColumnElement[bool]]:
    """Conditions on DrillRunRow: the school's runs whose alarm sounded in [first, after)."""
    conditions = [DrillRunRow.school_id == school_id, DrillRunRow.alarm_at >= first,
                  DrillRunRow.alarm_at < after]
    if statuses is not None:
        conditions.append(DrillRunRow.status.in_([s.value for s in statuses]))
    return conditions


def _latest_reports(run_ids: Any) -> Any:
    """(run_id, class_id, entry_id) of each class's latest report in the runs."""
    return (select(HeadcountRow.run_id, HeadcountRow.class_id,
                   func.max(HeadcountRow.id).label("entry_id"))
            .where(HeadcountRow.verified.is_(False), HeadcountRow.run_id.in_(run_ids))
            .group_by(HeadcountRow.run_id, HeadcountRow.class_id).subquery("latest"))


@dataclass(frozen=True, slots=True)
class _Counts:
    classes: int = 0
    reported: int = 0
    missing: int = 0
    injured: int = 0
    still_missing_classes: int = 0
    last_report: datetime | None = None
    last_found: datetime | None = None

    @property
    def accounted_at(self) -> datetime | None:
        """Naive UTC moment of full accountability, or None when not reached."""
        if (not self.classes or self.reported < self.classes or self.still_missing_classes
                or self.last_report is None):
            return None
        return max(self.last_report, self.last_found or self.last_report)


def _run_counts(session: Session, conditions: list[ColumnElement[bool]]) -> dict[int, _Counts]:
    run_ids = select(DrillRunRow.id).where(*conditions)
    latest = _latest_reports(run_ids)
    found = (select(ResolutionRow.run_id, ResolutionRow.class_id,
                    func.sum(ResolutionRow.count).label("found"),
                    func.max(ResolutionRow.found_at).label("found_at"))
             .where(ResolutionRow.run_id.in_(run_ids))
             .group_by(ResolutionRow.run_id, ResolutionRow.class_id).subquery("found"))
    still = HeadcountRow.missing - func.coalesce(found.c.found, 0)
    per_run = (
        select(latest.c.run_id, func.count(), func.sum(HeadcountRow.missing),
               func.sum(HeadcountRow.injured), func.max(HeadcountRow.reported_at),
               func.sum(case((still > 0, 1), else_=0)),
               func.max(case((HeadcountRow.missing > 0, found.c.found_at))))
        .select_from(latest).join(HeadcountRow, HeadcountRow.id == latest.c.entry_id)
        .outerjoin(found, and_(found.c.run_id == latest.c.run_id,
                               found.c.class_id == latest.c.class_id))
        .group_by(latest.c.run_id))
    classes = dict(session.execute(
        select(RunClassRow.run_id, func.count()).where(RunClassRow.run_id.in_(run_ids))
        .group_by(RunClassRow.run_id)).all())
    counts = {run_id: _Counts(classes=int(n)) for run_id, n in classes.items()}
    for run_id, reported, missing, injured, last_report, open_classes, last_found in (
            session.execute(per_run).all()):
        counts[run_id] = _Counts(
            classes=int(classes.get(run_id, 0)), reported=int(reported),
            missing=int(missing or 0), injured=int(injured or 0),
            still_missing_classes=int(open_classes or 0), last_report=_instant(last_report),
            last_found=_instant(last_found))
    return counts


def _instant(value: object) -> datetime | None:
    # A MAX over a CASE may come back as text from SQLite: its type is not always kept.
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def run_summaries(session: Session, conditions: list[ColumnElement[bool]], tz: ZoneInfo
                  ) -> list[RunSummary]:
    """The runs matching ``conditions``, oldest first, each with its headcount figures."""
    counts = _run_counts(session, conditions)
    rows = session.execute(
        select(DrillRunRow.id, DrillRunRow.kind, DrillRunRow.title, DrillRunRow.status,
               DrillRunRow.alarm_at, DrillRunRow.all_clear_at, DrillRunRow.announced)
        .where(*conditions).order_by(DrillRunRow.alarm_at, DrillRunRow.id)).all()
    summaries = []
    for run_id, kind, title, status, alarm_at, all_clear_at, announced in rows:
        figures = counts.get(run_id, _Counts())
        accounted = figures.accounted_at
        summaries.append(RunSummary(
            id=run_id, kind=EventKind(kind), title=title, status=RunStatus(status),
            alarm_at=to_local(alarm_at, tz), all_clear_at=to_local(all_clear_at, tz),
            announced=bool(announced), classes=figures.classes, reported=figures.reported,
            missing=figures.missing, injured=figures.injured,
            time_to_accountability=(accounted - alarm_at) if accounted and alarm_at else None))
    return summaries


def _seconds_between(session: Session, later: Any, earlier: Any) -> Any:
    """``later - earlier`` in seconds, as the database computes it."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


def slowest_classes(session: Session, conditions: list[ColumnElement[bool]],
                    limit: int = SLOWEST) -> list[ClassDelay]:
    """Classes by their average report time after the alarm, slowest first.

    A class is known by its name as the run recorded it, so a class renamed (or a new class
    in last year's room) is counted under the name it had on the day.
    """
    latest = _latest_reports(select(DrillRunRow.id).where(*conditions))
    # Whole seconds per report: SQLite's julianday arithmetic is off by microseconds, which
    # would tip averages such as 67.5 s either way.
    seconds = func.round(_seconds_between(session, HeadcountRow.reported_at,
                                          DrillRunRow.alarm_at))
    average = func.avg(seconds)
    query = (
        select(RunClassRow.class_name, func.max(RunClassRow.grade_name), func.count(),
               average, func.max(seconds))
        .select_from(latest)
        .join(HeadcountRow, HeadcountRow.id == latest.c.entry_id)
        .join(DrillRunRow, DrillRunRow.id == latest.c.run_id)
        .join(RunClassRow, and_(RunClassRow.run_id == latest.c.run_id,
                                RunClassRow.class_id == latest.c.class_id))
        .group_by(RunClassRow.class_name)
        .order_by(average.desc(), binary(RunClassRow.class_name)).limit(limit))
    return [ClassDelay(class_name=name, grade_name=grade or "", runs=int(runs),
                       average=timedelta(seconds=round(float(mean))),
                       worst=timedelta(seconds=round(float(most))))
            for name, grade, runs, mean, most in session.execute(query).all()]
