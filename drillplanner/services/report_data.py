"""The data of each PDF report, read from the database in one unit of work per report.

Each function returns a frozen value from ``domain.report_data``; the matching
``reports.build_*`` function turns it into pages. The values hold no wording, so the
language may be chosen when the report is built. Large histories are aggregated by the
database (services/report_figures.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplanner.domain.compliance import (
    HeldDrill,
    PeriodKind,
    PlannedDrill,
    Profile,
    Status,
    evaluate,
    worst,
)
from drillplanner.domain.drill_runs import CorrectiveAction, RunStatus
from drillplanner.domain.errors import ConflictError, NotFoundError, ValidationError
from drillplanner.domain.events import DRILL_KINDS, EventKind
from drillplanner.domain.headcount import Stage
from drillplanner.domain.headcount_history import HistoryItem
from drillplanner.domain.qr_matrix import QrMatrix
from drillplanner.domain.report_data import (
    Change,
    ComplianceLine,
    DistrictData,
    DrillReportData,
    OpenAction,
    RecordChange,
    RollcallData,
    RollcallSheet,
    ScheduleReportData,
    SchoolSummary,
    TermSummaryData,
)
from drillplanner.domain.roles import StaffRole
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.domain.structure import Grade
from drillplanner.i18n import _
from drillplanner.io.qr import qr_matrix
from drillplanner.services import (
    audit,
    classes,
    drills,
    headcounts,
    phone_links,
    report_changes,
    schedule,
)
from drillplanner.services.calendar import load_calendar_in
from drillplanner.services.compliance import profile_in
from drillplanner.services.drills import local, run_value
from drillplanner.services.lookup import require
from drillplanner.services.report_figures import (
    run_summaries,
    runs_between,
    slowest_classes,
    utc_bounds,
)
from drillplanner.services.schedule import events_with_changes_in, expand_all
from drillplanner.storage.collation import binary
from drillplanner.storage.database import Database
from drillplanner.storage.models import ClassRow, GradeRow, SchoolRow, StaffRoleRow, StaffRow
from drillplanner.storage.models_drills import CorrectiveActionRow, DrillRunRow

MAX_PERIOD = timedelta(days=366 * 20)

log = logging.getLogger("drillplanner.services.reports")


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError("end", _("The end ({end}) is before the start ({start}).").format(
            end=end.isoformat(), start=start.isoformat()))
    if end - start > MAX_PERIOD:
        raise ValidationError("end", _("A report may cover at most 20 years."))


def _principal(session: Session, school_id: int) -> str:
    name = session.scalar(
        select(StaffRow.name).join(StaffRoleRow, StaffRoleRow.staff_id == StaffRow.id)
        .where(StaffRow.school_id == school_id,
               StaffRoleRow.role == StaffRole.PRINCIPAL.value)
        .order_by(StaffRow.id).limit(1))
    return name or ""


# Drill report ------------------------------------------------------------------------------


def drill_data(db: Database, run_id: int) -> DrillReportData:
    """Everything the report of one drill run shows: its record, headcounts, posts and
    actions, the corrections and amendments made after the all clear, and (signed) the
    hash of the latest audit row of the run."""
    run = drills.get_run(db, run_id)
    rollup = headcounts.rollup(db, run_id)
    posts = drills.list_posts(db, run_id)
    actions = drills.list_actions(db, run_id)
    record: list[RecordChange] = []
    if run.all_clear_at is not None:
        record = report_changes.record_changes(
            audit.list_entries(db, run_id=run_id, limit=None), run, posts, actions)
    counts = headcounts.corrections(db, run_id)
    signed_at = run.signed_at
    with db.read() as session:
        school_name = require(session, SchoolRow, run.school_id, _("School")).name
        principal = _principal(session, run.school_id)
    return DrillReportData(
        school_name=school_name, run=run, rollup=rollup, posts=tuple(posts),
        actions=tuple(actions), principal=principal,
        corrections=_oldest_first(
            [c for c in record if signed_at is None or c.recorded_at <= signed_at],
            [c for c in counts if c.stage is Stage.CORRECTION]),
        amendments=_oldest_first(
            [c for c in record if signed_at is not None and c.recorded_at > signed_at],
            [c for c in counts if c.stage is Stage.AMENDMENT]),
        audit_hash=audit.latest_hash(db, run_id) if run.signed else None)


def _oldest_first(record: list[RecordChange], counts: list[HistoryItem]
                  ) -> tuple[Change, ...]:
    changes: list[Change] = [*record, *counts]
    return tuple(sorted(changes, key=lambda change: change.recorded_at))


# Compliance over a period ------------------------------------------------------------------


def _judge_period(session: Session, school_id: int, profile: Profile,
                  calendar: SchoolCalendar, tz: ZoneInfo, start: date, end: date,
                  as_of: date) -> list[ComplianceLine]:
    """Compliance of every school year overlapping ``start``..``end``.

    The same judgement as services.compliance.evaluate_school (completed runs are held,
    scheduled drill occurrences from the day judged on are planned), but with the held
    drills of all the years read in one query of plain columns: a summary over ten years
    would otherwise convert every run of the school once per year.
    """
    years = [y for y in calendar.years if y.start <= end and y.end >= start]
    if not years:
        return []
    first, after = utc_bounds(tz, years[0].start, years[-1].end)
    held = [HeldDrill(local(alarm_at, tz).date(), EventKind(kind), f"#{run_id} {title}")
            for run_id, kind, title, alarm_at in session.execute(
                select(DrillRunRow.id, DrillRunRow.kind, DrillRunRow.title,
                       DrillRunRow.alarm_at)
                .where(*runs_between(school_id, first, after, (RunStatus.COMPLETED,))))
            if alarm_at is not None]
    events = None
    lines: list[ComplianceLine] = []
    for year in years:
        judged = min(max(as_of, year.start), year.end)
        planned: list[PlannedDrill] = []
        if judged < year.end:
            if events is None:
                events = events_with_changes_in(session, school_id, DRILL_KINDS)
            planned = [PlannedDrill(o.day, o.kind) for o in
                       expand_all(events, calendar, tz, judged, year.end) if o.day >= judged]
        mine = [d for d in held if year.start <= d.day <= year.end]
        report = evaluate(profile, calendar, mine, planned, judged, year)
        for result in report.periods:
            if result.end < start or result.start > end:
                continue
            named = result.requirement.period in (PeriodKind.TERM, PeriodKind.SCHOOL_YEAR)
            lines.append(ComplianceLine(
                requirement=result.requirement, start=result.start, end=result.end,
                name=result.label if named else "", required=result.required,
                held=len(result.held), planned=len(result.planned), status=result.status,
                still_needed=result.still_needed))
    order = {r.code: i for i, r in enumerate(profile.requirements)}
    lines.sort(key=lambda line: (line.start, line.end, order[line.requirement.code]))
    return lines


def _days_outside_years(calendar: SchoolCalendar, start: date, end: date) -> int:
    covered = 0
    for year in calendar.years:
        first, last = max(year.start, start), min(year.end, end)
        if first <= last:
            covered += (last - first).days + 1
    return (end - start).days + 1 - covered


# Term or year summary ----------------------------------------------------------------------


def term_data(db: Database, school_id: int, start: date, end: date, *,
              today: date | None = None) -> TermSummaryData:
    """A school's drills from ``start`` to ``end`` (inclusive).

    Compliance is judged as of ``today`` (default: the current date) for the periods of the
    profile that overlap ``start``..``end``: a month that ended is met or missed even when
    the summary's period stops inside it. Runs are those whose alarm sounded in the period
    (planned runs, which have no alarm yet, are not listed).
    """
    _check_period(start, end)
    as_of = today or date.today()
    with db.read() as session:
        school = require(session, SchoolRow, school_id, _("School"))
        tz = ZoneInfo(school.timezone)
        profile = profile_in(session, school.compliance_profile)
        calendar = load_calendar_in(session, school_id)
        lines = _judge_period(session, school_id, profile, calendar, tz, start, end, as_of)
        first, after = utc_bounds(tz, start, end)
        runs = run_summaries(session, runs_between(school_id, first, after), tz)
        slowest = slowest_classes(
            session, runs_between(school_id, first, after, (RunStatus.COMPLETED,)))
        actions = _open_actions(session, school_id, tz, after)
        return TermSummaryData(
            school_name=school.name, start=start, end=end, as_of=as_of,
            target=timedelta(seconds=school.evacuation_target_seconds), profile=profile,
            compliance=tuple(lines), runs=tuple(runs), slowest=tuple(slowest),
            open_actions=tuple(actions),
            days_without_school_year=_days_outside_years(calendar, start, end))


def _open_actions(session: Session, school_id: int, tz: ZoneInfo,
                  after: datetime) -> list[OpenAction]:
    """Corrective actions not done of the school's runs up to the period's end (an action
    from an earlier drill stays open until someone marks it done)."""
    rows = session.execute(
        select(CorrectiveActionRow, DrillRunRow)
        .join(DrillRunRow, DrillRunRow.id == CorrectiveActionRow.run_id)
        .where(DrillRunRow.school_id == school_id, CorrectiveActionRow.done.is_(False),
               DrillRunRow.alarm_at < after)
        .order_by(CorrectiveActionRow.due.is_(None), CorrectiveActionRow.due,
                  CorrectiveActionRow.id)).all()
    actions = []
    for action, run in rows:
        value = run_value(run, tz)
        actions.append(OpenAction(
            action=CorrectiveAction(id=action.id, run_id=action.run_id,
                                    description=action.description, owner=action.owner,
                                    due=action.due, done=action.done),
            run_title=value.title, run_day=value.day))
    return actions


# Schedule ----------------------------------------------------------------------------------


def schedule_data(db: Database, school_id: int, start: date, end: date) -> ScheduleReportData:
    """The school's drills and events from ``start`` to ``end`` with its calendar."""
    _check_period(start, end)
    occurrences = schedule.occurrences(db, school_id, start, end)
    with db.read() as session:
        school = require(session, SchoolRow, school_id, _("School"))
        calendar = load_calendar_in(session, school_id)
        return ScheduleReportData(school_name=school.name, start=start, end=end,
                                  calendar=calendar, occurrences=tuple(occurrences))


# Roll-call sheets --------------------------------------------------------------------------


def rollcall_data(db: Database, school_id: int, grade: int | str | None = None, *,
                  base: str | None = None) -> RollcallData:
    """A sheet per class of the school, or of one grade (its id, name or number).

    Each sheet carries its class's page for phones and that link's QR code, on this
    computer's network address (``base``, default ``phone_links.base_url()``): the sheets
    are printed where the drill's phone server will run.
    """
    grades = classes.list_grades(db, school_id)
    chosen = None
    if grade is not None:
        chosen = _find_grade(grades, grade)
    with db.read() as session:
        school = require(session, SchoolRow, school_id, _("School"))
        leaders = dict(session.execute(
            select(GradeRow.id, StaffRow.name).join(StaffRow, StaffRow.id == GradeRow.leader_id)
            .where(GradeRow.school_id == school_id)).all())
        school_name = school.name
    links = _class_links(db, school_id, base)
    # list_classes gives grade order, and 2班 before 10班 within a grade.
    sheets = tuple(RollcallSheet(c, leaders.get(c.grade_id, ""), *links.get(c.id, ("", None)))
                   for c in classes.list_classes(db, school_id)
                   if chosen is None or c.grade_id == chosen.id)
    return RollcallData(school_name=school_name, sheets=sheets,
                        grade_name=chosen.name if chosen else "")


def _class_links(db: Database, school_id: int, base: str | None
                 ) -> dict[int, tuple[str, QrMatrix]]:
    """Each class's phone link and its QR code; none when the school has no link secret
    (the sheets are still worth printing without)."""
    try:
        urls = phone_links.class_urls(db, school_id, base or phone_links.base_url())
    except ConflictError as error:
        log.warning("roll-call sheets without phone links: %s", error)
        return {}
    return {class_id: (url, qr_matrix(url)) for class_id, url in urls.items()}


def _find_grade(grades: Sequence[Grade], wanted: int | str) -> Grade:
    if isinstance(wanted, int):
        found = [g for g in grades if g.id == wanted]
    else:
        text = wanted.strip()
        found = [g for g in grades if g.name == text] or [
            g for g in grades if text.isdigit() and g.ordinal == int(text)]
    if len(found) != 1:
        raise NotFoundError(_("No grade “{grade}”. Grades: {names}").format(
            grade=wanted, names=", ".join(g.name for g in grades) or "-"))
    return found[0]


# Central-school summary --------------------------------------------------------------------


def district_data(db: Database, start: date, end: date, *,
                  today: date | None = None) -> DistrictData:
    """Every school of the database from ``start`` to ``end``: compliance of the periods
    overlapping it as of ``today`` (default: the current date), drills held and times to
    accountability."""
    _check_period(start, end)
    as_of = today or date.today()
    with db.read() as session:
        schools = session.scalars(select(SchoolRow).order_by(binary(SchoolRow.name))).all()
        names = {s.id: s.name for s in schools}
        sizes = {school_id: (int(n), int(students or 0)) for school_id, n, students in
                 session.execute(
                     select(GradeRow.school_id, func.count(ClassRow.id),
                            func.sum(ClassRow.enrolled))
                     .join(ClassRow, ClassRow.grade_id == GradeRow.id)
                     .group_by(GradeRow.school_id)).all()}
        lines = [_school_line(session, row, names, sizes, start, end, as_of)
                 for row in schools]
        parents = {s.parent_id for s in schools if s.parent_id is not None}
    title = names[next(iter(parents))] if len(parents) == 1 else ""
    # Central schools first, each followed by the schools it oversees.
    lines.sort(key=lambda s: (s.parent_name or s.name, s.parent_name != "", s.name))
    return DistrictData(title_name=title, start=start, end=end, as_of=as_of,
                        schools=tuple(lines))


def _school_line(session: Session, school: SchoolRow, names: dict[int, str],
                 sizes: dict[int, tuple[int, int]], start: date, end: date,
                 as_of: date) -> SchoolSummary:
    tz = ZoneInfo(school.timezone)
    profile = profile_in(session, school.compliance_profile)
    calendar = load_calendar_in(session, school.id)
    lines = _judge_period(session, school.id, profile, calendar, tz, start, end, as_of)
    status = worst(line.status for line in lines) if lines else None
    missed = sum(1 for line in lines if line.status is Status.MISSED)
    pending = sum(1 for line in lines if line.status is Status.OPEN)
    first, after = utc_bounds(tz, start, end)
    runs = run_summaries(session, runs_between(school.id, first, after,
                                               (RunStatus.COMPLETED,)), tz)
    times = [r.time_to_accountability for r in runs if r.time_to_accountability is not None]
    target = timedelta(seconds=school.evacuation_target_seconds)
    class_count, students = sizes.get(school.id, (0, 0))
    return SchoolSummary(
        name=school.name, parent_name=names.get(school.parent_id or 0, ""),
        classes=class_count, students=students, profile=profile, status=status,
        missed=missed, open=pending, drills_held=len(runs), timed_runs=len(times),
        met_target=sum(1 for t in times if t <= target),
        average=timedelta(seconds=round(sum(t.total_seconds() for t in times) / len(times)))
        if times else None,
        worst=max(times) if times else None, target=target)
