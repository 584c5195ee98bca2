"""Drill runs: start (from the schedule or unannounced), all clear, cancel, postpone, the
written record, sign-off, posts and corrective actions.

Times given by callers are the school's local time (naive or aware); they are stored as naive
UTC and handed back as aware datetimes in the school's zone.

After the all clear, a change of something already recorded is a correction, and after
sign-off any change is an amendment: both take a ``reason`` (domain.drill_runs.check_reason),
which goes with the change into the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.drill_runs import (
    TRANSITIONS,
    CorrectiveAction,
    DrillRun,
    Notification,
    PostAssignment,
    RecordStage,
    RunDetails,
    RunStatus,
    check_reason,
    check_signable,
    run_status_label,
)
from drillplanner.domain.errors import ConflictError, NotFoundError, ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.domain.permissions import Op
from drillplanner.i18n import _
from drillplanner.services.authorization import operation, who
from drillplanner.services.drill_setup import (
    create_run_in,
    refuse_second_run_in,
    run_of_occurrence_in,
)
from drillplanner.services.drill_times import during_drill, local, now_utc, to_local, to_utc
from drillplanner.services.lookup import check_version, require
from drillplanner.services.schedule import zone_in
from drillplanner.storage import audit
from drillplanner.storage.database import Database
from drillplanner.storage.models_drills import CorrectiveActionRow, DrillRunRow, RunPostRow


def _what() -> str:
    return _("Drill")


# Conversions -----------------------------------------------------------------------------


def run_value(row: DrillRunRow, tz: ZoneInfo) -> DrillRun:
    return DrillRun(
        id=row.id, school_id=row.school_id, kind=EventKind(row.kind), title=row.title,
        status=RunStatus(row.status), alarm_at=to_local(row.alarm_at, tz),
        all_clear_at=to_local(row.all_clear_at, tz), status_reason=row.status_reason,
        event_id=row.event_id, occurrence_start=row.occurrence_start, announced=row.announced,
        details=RunDetails(conducted_by=row.conducted_by,
                           notification=Notification(row.notification)
                           if row.notification else None,
                           staff_on_duty=row.staff_on_duty, conditions=row.conditions,
                           weather=row.weather, observers=row.observers,
                           problems=row.problems, notes=row.notes),
        signed_by=row.signed_by, signed_at=to_local(row.signed_at, tz),
        unreported_at_all_clear=row.unreported_at_all_clear,
        missing_at_all_clear=row.missing_at_all_clear, version=row.version)


def _post(row: RunPostRow, tz: ZoneInfo) -> PostAssignment:
    return PostAssignment(id=row.id, run_id=row.run_id, post=row.post, staff_name=row.staff_name,
                          staff_id=row.staff_id, cleared_at=to_local(row.cleared_at, tz),
                          cleared_by=row.cleared_by)


def _action(row: CorrectiveActionRow) -> CorrectiveAction:
    return CorrectiveAction(id=row.id, run_id=row.run_id, description=row.description,
                            owner=row.owner, due=row.due, done=row.done)


def run_in(session: Session, run_id: int) -> tuple[DrillRunRow, ZoneInfo]:
    row = require(session, DrillRunRow, run_id, _what())
    return row, zone_in(session, row.school_id)


def _move(row: DrillRunRow, status: RunStatus) -> None:
    current = RunStatus(row.status)
    if status not in TRANSITIONS[current]:
        raise ConflictError(_("A drill that is {current} cannot become {new}.").format(
            current=run_status_label(current).lower(), new=run_status_label(status).lower()))
    row.status = status.value


# Starting --------------------------------------------------------------------------------


def _done(row: DrillRunRow, tz: ZoneInfo) -> Done[DrillRun]:
    return Done(run_value(row, tz), Changes.of(Kind.DRILL, row.id))


@operation(Op.RUN_DRILL)
def start_drill(db: Database, school_id: int, *, kind: EventKind | None = None,
                event_id: int | None = None, occurrence_start: datetime | None = None,
                at: datetime | None = None, title: str = "",
                announced: bool | None = None) -> Done[DrillRun]:
    """Sound the alarm: a run in progress, from a scheduled occurrence or ad hoc.

    An ad-hoc run (no event) is unannounced unless said otherwise. The classes taking part
    and their enrolment are fixed now; one post a floor is created to confirm it cleared.
    A scheduled occurrence that was planned or postponed resumes its run (the postponement
    stays in its record); one already held or running is refused; one whose run was
    cancelled gets a new run (the cancelled one stays on record).

    Returns:
        The run and what changed (the run).
    """
    with db.write() as session:
        tz = zone_in(session, school_id)
        if event_id is not None and occurrence_start is not None:
            row = run_of_occurrence_in(session, school_id, event_id, occurrence_start)
            if row is not None and RunStatus(row.status) is not RunStatus.CANCELLED:
                if RunStatus(row.status) not in (RunStatus.PLANNED, RunStatus.POSTPONED):
                    raise ConflictError(_occurrence_taken(row, tz))
                refuse_second_run_in(session, school_id)
                _move(row, RunStatus.IN_PROGRESS)
                row.alarm_at = to_utc(at, tz)
                if title:
                    row.title = v.name("title", title, 200)
                return _done(row, tz)
        row = create_run_in(session, school_id, kind=kind, event_id=event_id,
                            occurrence_start=occurrence_start, title=title,
                            announced=announced, status=RunStatus.IN_PROGRESS,
                            alarm_at=to_utc(at, tz))
        return _done(row, tz)


@operation(Op.RUN_DRILL)
def postpone_occurrence(db: Database, school_id: int, *, event_id: int,
                        occurrence_start: datetime, reason: str) -> Done[DrillRun]:
    """Postpone a scheduled drill before its alarm, with the reason.

    The occurrence gets a postponed run (made now if it had none, or only a cancelled one);
    starting the occurrence later resumes that run. A drill already postponed, held or
    running is refused.

    Returns:
        The postponed run and what changed (the run).
    """
    with db.write() as session:
        tz = zone_in(session, school_id)
        row = run_of_occurrence_in(session, school_id, event_id, occurrence_start)
        if row is not None and RunStatus(row.status) is RunStatus.CANCELLED:
            row = None
        if row is not None and RunStatus(row.status) is RunStatus.POSTPONED:
            raise ConflictError(_("This drill is already postponed."))
        if row is not None and RunStatus(row.status) is not RunStatus.PLANNED:
            raise ConflictError(_occurrence_taken(row, tz))
        if row is None:
            row = create_run_in(session, school_id, kind=None, event_id=event_id,
                                occurrence_start=occurrence_start, title="",
                                announced=None, status=RunStatus.PLANNED, alarm_at=None)
        _move(row, RunStatus.POSTPONED)
        row.status_reason = v.name("reason", reason, 1000)
        return _done(row, tz)


def _occurrence_taken(row: DrillRunRow, tz: ZoneInfo) -> str:
    run = run_value(row, tz)
    return _("This scheduled drill is already {status}: drill #{id} “{title}”.").format(
        status=run_status_label(run.status).lower(), id=run.id, title=run.title)


@operation(Op.RUN_DRILL)
def plan_drill(db: Database, school_id: int, *, event_id: int,
               occurrence_start: datetime) -> Done[DrillRun]:
    """A run prepared for a scheduled occurrence, before its alarm."""
    with db.write() as session:
        tz = zone_in(session, school_id)
        row = create_run_in(session, school_id, kind=None, event_id=event_id,
                            occurrence_start=occurrence_start, title="", announced=None,
                            status=RunStatus.PLANNED, alarm_at=None)
        return _done(row, tz)


@operation(Op.RUN_DRILL)
def sound_alarm(db: Database, run_id: int, at: datetime | None = None) -> Done[DrillRun]:
    """Start a planned or postponed run."""
    with db.write() as session:
        row, tz = run_in(session, run_id)
        refuse_second_run_in(session, row.school_id)
        _move(row, RunStatus.IN_PROGRESS)
        row.alarm_at = to_utc(at, tz)
        return _done(row, tz)


@operation(Op.RUN_DRILL)
def finish_drill(db: Database, run_id: int, at: datetime | None = None) -> Done[DrillRun]:
    """The all clear: the run is completed (and counts as held).

    An all clear while classes have not reported or students are still missing is allowed
    (the people in charge decide), and kept with the record: how many classes had not
    reported and how many students were still missing at that moment, from the roll-up in
    this same transaction.
    """
    # headcounts imports this module (times, run_in): read it when the all clear is given.
    from drillplanner.services import headcounts

    with db.write() as session:
        row, tz = run_in(session, run_id)
        when = to_utc(at, tz)
        if row.alarm_at is not None and when < row.alarm_at:
            raise ValidationError("all_clear_at", _(
                "The all clear ({at}) cannot come before the alarm ({alarm}).").format(
                    at=local(when, tz).strftime("%H:%M:%S"),
                    alarm=local(row.alarm_at, tz).strftime("%H:%M:%S")))
        _move(row, RunStatus.COMPLETED)
        totals = headcounts._rollup_in(session, run_id).totals
        row.all_clear_at = when
        row.unreported_at_all_clear = totals.still_out
        row.missing_at_all_clear = totals.still_missing
        return _done(row, tz)


def _stop(db: Database, run_id: int, status: RunStatus, reason: str) -> Done[DrillRun]:
    with db.write() as session:
        row, tz = run_in(session, run_id)
        text = v.name("reason", reason, 1000)
        _move(row, status)
        row.status_reason = text
        return _done(row, tz)


@operation(Op.RUN_DRILL)
def cancel_drill(db: Database, run_id: int, reason: str) -> Done[DrillRun]:
    """Call the drill off, with the reason (kept with the record)."""
    return _stop(db, run_id, RunStatus.CANCELLED, reason)


@operation(Op.RUN_DRILL)
def postpone_drill(db: Database, run_id: int, reason: str) -> Done[DrillRun]:
    """Postpone a planned run, with the reason; starting it later resumes it."""
    return _stop(db, run_id, RunStatus.POSTPONED, reason)


def _reason_in(session: Session, row: DrillRunRow, tz: ZoneInfo, reason: str, *,
               changes_recorded: bool) -> None:
    """Check that a change of the run has the reason it needs (none before the all clear,
    nor for filling in a blank before sign-off; raises ValidationError("reason") when it
    is missing) and give it to the audit rows of this unit of work. Before the all clear
    a reason is not kept: only changes of the completed record carry one (the report lists
    those)."""
    run = run_value(row, tz)
    _kind, text = check_reason(run, reason, changes_recorded=changes_recorded)
    if text and run.stage not in (RecordStage.PLANNED, RecordStage.RUNNING):
        audit.set_reason(session, text)


@operation(Op.RUN_DRILL)
def update_details(db: Database, run_id: int, details: RunDetails, *,
                   reason: str = "", expected_version: int | None = None) -> Done[DrillRun]:
    """Save the written record (who conducted it, notification, weather, problems…).

    After the all clear, changing a field that was filled in is a correction, and after
    sign-off any change is an amendment: both need ``reason``.
    """
    with db.write() as session:
        row, tz = run_in(session, run_id)
        check_version(row.version, expected_version, _what(), lambda: run_value(row, tz))
        new = {"conducted_by": v.text("conducted_by", details.conducted_by, 200),
               "notification": Notification(details.notification).value
               if details.notification else "",
               "weather": v.text("weather", details.weather, 200)}
        for name in ("staff_on_duty", "conditions", "observers", "problems", "notes"):
            new[name] = v.text(name, getattr(details, name), 5000)
        changed = {name: value for name, value in new.items() if getattr(row, name) != value}
        if changed:
            _reason_in(session, row, tz, reason, changes_recorded=any(
                getattr(row, name) for name in changed))
        for name, value in changed.items():
            setattr(row, name, value)
        return _done(row, tz)


@operation(Op.SIGN_DRILL)
def sign_drill(db: Database, run_id: int, by: str) -> Done[DrillRun]:
    """Sign off a completed drill's record (the principal, or whoever the school names).

    The record is locked from now on: any later change is an amendment with a reason.

    Raises:
        ConflictError: the drill is not completed, or is signed already.
    """
    with db.write() as session:
        row, tz = run_in(session, run_id)
        check_signable(run_value(row, tz))
        row.signed_by = v.name("by", who(by), 100)
        row.signed_at = now_utc()
        return _done(row, tz)


# Reading ---------------------------------------------------------------------------------


def get_run(db: Database, run_id: int) -> DrillRun:
    with db.read() as session:
        row, tz = run_in(session, run_id)
        return run_value(row, tz)


def run_status(db: Database, run_id: int) -> RunStatus:
    """Where the run stands, in one small query (asked on every phone request)."""
    with db.read() as session:
        status = session.scalar(select(DrillRunRow.status).where(DrillRunRow.id == run_id))
    if status is None:
        raise NotFoundError(_("{what} #{id} does not exist.").format(what=_what(), id=run_id))
    return RunStatus(status)


def list_runs(db: Database, school_id: int | None = None, *,
              kinds: Iterable[EventKind] | None = None, start: date | None = None,
              end: date | None = None, statuses: Iterable[RunStatus] | None = None
              ) -> list[DrillRun]:
    """Runs, newest first, filtered by school, kind, alarm date range and status."""
    with db.read() as session:
        query = select(DrillRunRow)
        if school_id is not None:
            query = query.where(DrillRunRow.school_id == school_id)
        if kinds is not None:
            query = query.where(DrillRunRow.kind.in_([EventKind(k).value for k in kinds]))
        if statuses is not None:
            query = query.where(DrillRunRow.status.in_([RunStatus(s).value for s in statuses]))
        # Dates are the alarm's UTC day widened by a day; exact local filtering follows.
        if start is not None:
            query = query.where(DrillRunRow.alarm_at >= datetime.combine(
                start - timedelta(days=1), time.min))
        if end is not None:
            query = query.where(DrillRunRow.alarm_at < datetime.combine(
                end + timedelta(days=2), time.min))
        rows = session.scalars(query.order_by(DrillRunRow.alarm_at.desc(),
                                              DrillRunRow.id.desc())).all()
        zones: dict[int, ZoneInfo] = {}
        runs = []
        for row in rows:
            tz = zones.setdefault(row.school_id, zone_in(session, row.school_id))
            runs.append(run_value(row, tz))
    return [r for r in runs
            if (start is None or (r.day is not None and r.day >= start))
            and (end is None or (r.day is not None and r.day <= end))]


# Posts and corrective actions --------------------------------------------------------------


def list_posts(db: Database, run_id: int) -> list[PostAssignment]:
    with db.read() as session:
        _row, tz = run_in(session, run_id)
        rows = session.scalars(select(RunPostRow).where(RunPostRow.run_id == run_id)
                               .order_by(RunPostRow.id)).all()
        return [_post(r, tz) for r in rows]


@operation(Op.RUN_DRILL)
def add_post(db: Database, run_id: int, post: str, staff_name: str = "",
             staff_id: int | None = None, *, reason: str = "") -> Done[PostAssignment]:
    """A post added to the run (after sign-off an amendment: ``reason`` needed)."""
    with db.write() as session:
        run, tz = run_in(session, run_id)
        row = RunPostRow(run_id=run_id, post=v.name("post", post, 200),
                         staff_name=v.text("staff_name", staff_name, 100), staff_id=staff_id)
        _reason_in(session, run, tz, reason, changes_recorded=False)
        session.add(row)
        session.flush()
        return Done(_post(row, tz), Changes.of(Kind.DRILL, run_id))


@operation(Op.RUN_DRILL)
def assign_post(db: Database, post_id: int, staff_name: str,
                staff_id: int | None = None, *, reason: str = "") -> Done[PostAssignment]:
    """The staff member at a post; replacing one after the all clear is a correction."""
    with db.write() as session:
        row = require(session, RunPostRow, post_id, _("Post"))
        run, tz = run_in(session, row.run_id)
        name = v.text("staff_name", staff_name, 100)
        if name != row.staff_name:
            _reason_in(session, run, tz, reason, changes_recorded=bool(row.staff_name))
        row.staff_name = name
        row.staff_id = staff_id
        return Done(_post(row, tz), Changes.of(Kind.DRILL, row.run_id))


@operation(Op.CLEAR_FLOOR)
def clear_floor(db: Database, post_id: int, by: str = "", at: datetime | None = None, *,
                reason: str = "") -> Done[PostAssignment]:
    """The post confirms its floor is empty; changing a confirmation after the all clear
    is a correction."""
    with db.write() as session:
        row = require(session, RunPostRow, post_id, _("Post"))
        run, tz = run_in(session, row.run_id)
        cleared_at = during_drill("at", at, tz, run.alarm_at, run.all_clear_at)
        _reason_in(session, run, tz, reason, changes_recorded=row.cleared_at is not None)
        row.cleared_at = cleared_at
        row.cleared_by = v.text("cleared_by", who(by) or row.staff_name, 100)
        return Done(_post(row, tz), Changes.of(Kind.DRILL, row.run_id))


def list_actions(db: Database, run_id: int) -> list[CorrectiveAction]:
    with db.read() as session:
        rows = session.scalars(select(CorrectiveActionRow)
                               .where(CorrectiveActionRow.run_id == run_id)
                               .order_by(CorrectiveActionRow.id)).all()
        return [_action(r) for r in rows]


@operation(Op.RUN_DRILL)
def add_action(db: Database, run_id: int, description: str, owner: str = "",
               due: date | None = None, *, reason: str = "") -> Done[CorrectiveAction]:
    """A corrective action found by the drill (after sign-off an amendment)."""
    with db.write() as session:
        run, tz = run_in(session, run_id)
        row = CorrectiveActionRow(run_id=run_id,
                                  description=v.name("description", description, 2000),
                                  owner=v.text("owner", owner, 100), due=due)
        _reason_in(session, run, tz, reason, changes_recorded=False)
        session.add(row)
        session.flush()
        return Done(_action(row), Changes.of(Kind.DRILL, run_id))


@operation(Op.RUN_DRILL)
def set_action_done(db: Database, action_id: int, done: bool = True
                    ) -> Done[CorrectiveAction]:
    """Mark a corrective action done (or not): follow-up of the drill, at any stage and
    without a reason, signed or not."""
    with db.write() as session:
        row = require(session, CorrectiveActionRow, action_id, _("Corrective action"))
        row.done = done
        return Done(_action(row), Changes.of(Kind.DRILL, row.run_id))


def held_drills_in(session: Session, school_id: int, first: date, last: date
                   ) -> list[tuple[date, EventKind, str]]:
    """Completed runs (the drills that count as held) with their local alarm day."""
    tz = zone_in(session, school_id)
    rows = session.scalars(select(DrillRunRow).where(
        DrillRunRow.school_id == school_id,
        DrillRunRow.status == RunStatus.COMPLETED.value,
        DrillRunRow.alarm_at.is_not(None))).all()
    held = []
    for row in rows:
        run = run_value(row, tz)
        if run.day is not None and first <= run.day <= last:
            held.append((run.day, run.kind, f"#{run.id} {run.title}"))
    return held

