"""Headcounts in a drill run: record (durably, one commit each), verify, find the missing,
roll up, and read a class's history.

Each entry is committed before the function returns, so a caller that shows "saved" after
the call never shows an entry the database could lose.

A completed run (after the all clear) is closed for normal entry: recording, verifying and
finding refuse unless given a ``reason``, and what they store then is a correction (an
amendment once the record is signed off) that keeps the drill's own times: a report keeps
the class's report time during the drill (or a given ``at`` between the alarm and the all
clear), a finding needs the time the student was found. The reason, who typed it and when
are kept with the entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, func, insert, select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.class_match import match_class
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.errors import ConflictError, NotFoundError, ValidationError
from drillplanner.domain.headcount import (
    ClassInfo,
    ClassStatus,
    Figures,
    HeadcountEntry,
    Resolution,
    Rollup,
    Stage,
    check_figures,
    check_reason,
    roll_up,
    stage_of,
)
from drillplanner.domain.headcount_history import HistoryItem, history_items
from drillplanner.domain.permissions import Op
from drillplanner.domain.structure import class_sort_key
from drillplanner.i18n import _
from drillplanner.services.authorization import operation, who
from drillplanner.services.drills import (
    during_drill,
    local,
    now_utc,
    run_in,
    to_local,
    to_utc,
)
from drillplanner.storage import audit_core
from drillplanner.storage.database import Database
from drillplanner.storage.models import SchoolRow
from drillplanner.storage.models_drills import (
    DrillRunRow,
    HeadcountRow,
    ResolutionRow,
    RunClassRow,
    RunPostRow,
)

OPEN_FOR_ENTRIES = (RunStatus.IN_PROGRESS.value, RunStatus.COMPLETED.value)
#: Entries on a run in this status are corrections: they need a reason.
CLOSED = RunStatus.COMPLETED.value


def _join(names: Sequence[str]) -> str:
    return "\n".join(names)


def _split(text: str) -> tuple[str, ...]:
    return tuple(name for name in text.split("\n") if name)


def _figures(row: HeadcountRow) -> Figures | None:
    if row.verified or row.enrolled is None:
        return None
    return Figures(enrolled=row.enrolled, present=row.present or 0, absent=row.absent or 0,
                   missing=row.missing or 0, injured=row.injured or 0,
                   with_us=row.with_us or 0, absent_names=_split(row.absent_names),
                   missing_names=_split(row.missing_names), note=row.note)


def _entry(row: HeadcountRow, tz: ZoneInfo,
           signed_at: datetime | None = None) -> HeadcountEntry:
    return HeadcountEntry(id=row.id, run_id=row.run_id, class_id=row.class_id,
                          figures=_figures(row),
                          reported_at=local(row.reported_at, tz),
                          recorded_at=local(row.recorded_at, tz),
                          recorded_by=row.recorded_by, verified=row.verified,
                          reason=row.reason,
                          stage=stage_of(row.reason, row.recorded_at, signed_at))


def _resolution(row: ResolutionRow, tz: ZoneInfo,
                signed_at: datetime | None = None) -> Resolution:
    return Resolution(row.class_id, row.found_where, local(row.found_at, tz), row.found_by,
                      row.count, reason=row.reason,
                      recorded_at=to_local(row.recorded_at, tz),
                      recorded_by=row.recorded_by,
                      stage=stage_of(row.reason, row.recorded_at, signed_at))


def _info(row: RunClassRow) -> ClassInfo:
    return ClassInfo(class_id=row.class_id, name=row.class_name, grade_id=row.grade_id,
                     grade_name=row.grade_name, grade_order=row.grade_order,
                     enrolled=row.enrolled)


def _run_class(session: Session, run_id: int, class_id: int) -> RunClassRow:
    row = session.get(RunClassRow, (run_id, class_id))
    if row is None:
        raise NotFoundError(_("Class #{id} does not take part in this drill.").format(
            id=class_id))
    return row


def _open_run(session: Session, run_id: int) -> tuple[DrillRunRow, ZoneInfo]:
    run, tz = run_in(session, run_id)
    if run.status not in OPEN_FOR_ENTRIES:
        raise ConflictError(_("Headcounts can only be entered for a drill in progress or "
                              "completed."))
    return run, tz


# Entries -----------------------------------------------------------------------------------


def classes_in_run(db: Database, run_id: int) -> list[ClassInfo]:
    with db.read() as session:
        run_in(session, run_id)
        rows = session.scalars(select(RunClassRow).where(RunClassRow.run_id == run_id)).all()
        return sorted((_info(r) for r in rows),
                      key=lambda c: class_sort_key(c.grade_order, c.grade_name, c.name))


def find_class(db: Database, run_id: int, text: str) -> ClassInfo:
    """The run's class named by ``text`` (see ``domain.class_match``)."""
    return match_class(classes_in_run(db, run_id), text)


# Recording is the drill day's hot path (benchmarks/headcount.py): its two statements are
# built once (building and cache-keying them per call cost as much as running them) and run
# on the unit of work's connection, as Core: an append-only row needs none of the ORM's
# unit-of-work or loading machinery. The one lookup also brings the run's times, which a
# correction of a completed run needs; only a correction asks for more.
_ENTRY_TARGET = (
    select(DrillRunRow.status, SchoolRow.timezone, RunClassRow.enrolled,
           DrillRunRow.alarm_at, DrillRunRow.all_clear_at, DrillRunRow.signed_at,
           DrillRunRow.school_id)
    .join(SchoolRow, SchoolRow.id == DrillRunRow.school_id)
    .outerjoin(RunClassRow, (RunClassRow.run_id == DrillRunRow.id)
               & (RunClassRow.class_id == bindparam("class_id")))
    .where(DrillRunRow.id == bindparam("run_id")))
_INSERT_ENTRY = insert(HeadcountRow)
_LAST_REPORT_AT = (
    select(HeadcountRow.reported_at)
    .where(HeadcountRow.run_id == bindparam("run_id"),
           HeadcountRow.class_id == bindparam("class_id"), HeadcountRow.verified.is_(False))
    .order_by(HeadcountRow.id.desc()).limit(1))
_SENT_BEFORE = (
    select(HeadcountRow)
    .where(HeadcountRow.run_id == bindparam("run_id"),
           HeadcountRow.entry_id == bindparam("entry_id")))
#: The longest id a device may give an entry (a uuid is 36 characters).
ENTRY_ID_LENGTH = 64


@operation(Op.RECORD_HEADCOUNT)
def record_headcount(db: Database, run_id: int, class_id: int, present: object, *,
                     absent: object = 0, missing: object = 0, injured: object = 0,
                     with_us: object = 0, absent_names: Iterable[str] | str = (),
                     missing_names: Iterable[str] | str = (), note: str = "",
                     enrolled: object = None, at: datetime | None = None,
                     by: str = "", reason: str = "",
                     entry_id: str | None = None) -> Done[HeadcountEntry]:
    """Record (or correct) a class's report; returns only once it is committed.

    ``entry_id`` is the id the sending device gave the report (a phone's uuid). A report
    sent again with the same id (a double tap, a resend after a lost answer) is stored
    once: the entry stored the first time comes back, with no changes.

    ``enrolled`` defaults to the class's enrolment when the run started. A report that does
    not add up raises ValidationError showing the arithmetic; nothing is stored then.

    Once the drill is completed the record is closed: an entry needs ``reason`` (why the
    record is changed; ValidationError on field "reason" without one) and is a correction.
    It keeps the drill's timeline: its report time is the class's report time during the
    drill (the all clear for a class that had not reported), or ``at`` when that lies
    between the alarm and the all clear. While the drill runs, ``reason`` is not used.

    Returns:
        The entry and what changed (the run's headcounts).
    """
    sent_id = None if entry_id is None else _entry_id(entry_id)
    with db.write() as session:
        connection = session.connection()
        target = _entry_target(connection, run_id, class_id)
        tz = target.tz
        if sent_id is not None:
            before = session.scalars(_SENT_BEFORE, {"run_id": run_id, "entry_id": sent_id}
                                     ).one_or_none()
            if before is not None:
                return Done(_same_entry(before, class_id, tz, target), Changes())
        figures = check_figures(target.enrolled if enrolled is None else enrolled, present,
                                absent, missing, injured, with_us, absent_names, missing_names,
                                note)
        recorded_by = v.text("by", who(by), 100)
        if target.closed:
            why = check_reason(reason)
            reported_at = _correction_time(connection, run_id, class_id, at, target)
        else:
            why = ""
            reported_at = during_drill("at", at, tz, target.alarm_at, target.all_clear_at)
        recorded_at = now_utc()
        values = {
            "run_id": run_id, "class_id": class_id, "verified": False,
            "enrolled": figures.enrolled, "absent": figures.absent, "present": figures.present,
            "missing": figures.missing, "injured": figures.injured, "with_us": figures.with_us,
            "absent_names": _join(figures.absent_names),
            "missing_names": _join(figures.missing_names), "note": figures.note,
            "reported_at": reported_at, "recorded_at": recorded_at, "recorded_by": recorded_by,
            "reason": why, "entry_id": sent_id,
        }
        key = connection.execute(_INSERT_ENTRY, values).inserted_primary_key
        assert key is not None  # a one-row INSERT always knows its key
        # A Core INSERT passes the ORM's audit hook by: its audit row is appended here.
        audit_core.append(connection, "headcounts", key[0], new=values, run_id=run_id,
                     school_id=target.school_id, reason=why)
    entry = HeadcountEntry(id=int(key[0]), run_id=run_id, class_id=class_id, figures=figures,
                           reported_at=local(reported_at, tz),
                           recorded_at=local(recorded_at, tz), recorded_by=recorded_by,
                           verified=False, reason=why,
                           stage=stage_of(why, recorded_at, target.signed_at))
    return Done(entry, Changes.of(Kind.HEADCOUNT, run_id))


def _entry_id(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > ENTRY_ID_LENGTH or not text.isprintable():
        raise ValidationError("entry_id", _(
            "An entry id is 1 to {n} printable characters (a phone sends a uuid).").format(
                n=ENTRY_ID_LENGTH))
    return text


def _same_entry(row: HeadcountRow, class_id: int, tz: ZoneInfo,
                target: _Target) -> HeadcountEntry:
    """The entry first stored under a resent id; a different class under the same id is
    another report reusing an id, refused rather than silently dropped."""
    if row.class_id != class_id or row.verified:
        raise ConflictError(_("This entry id was already used for another report."))
    return _entry(row, tz, target.signed_at)


class _Target(NamedTuple):
    tz: ZoneInfo
    enrolled: int
    alarm_at: datetime | None
    all_clear_at: datetime | None
    signed_at: datetime | None
    school_id: int
    closed: bool  # completed: a new entry is a correction


def _entry_target(connection: Connection, run_id: int, class_id: int) -> _Target:
    """The school's zone, the class's enrolment and the run's times for a new entry,
    checked as _open_run and _run_class check them, in one query."""
    found = connection.execute(_ENTRY_TARGET, {"run_id": run_id, "class_id": class_id}
                               ).one_or_none()
    if found is None:
        raise NotFoundError(_("{what} #{id} does not exist.").format(what=_("Drill"),
                                                                      id=run_id))
    status, timezone, enrolled, alarm_at, all_clear_at, signed_at, school_id = found
    if status not in OPEN_FOR_ENTRIES:
        raise ConflictError(_("Headcounts can only be entered for a drill in progress or "
                              "completed."))
    if enrolled is None:
        raise NotFoundError(_("Class #{id} does not take part in this drill.").format(
            id=class_id))
    return _Target(ZoneInfo(timezone), int(enrolled), alarm_at, all_clear_at, signed_at,
                   int(school_id), status == CLOSED)


def _clock(value: datetime, tz: ZoneInfo) -> str:
    return local(value, tz).strftime("%H:%M:%S")


def _correction_time(connection: Connection, run_id: int, class_id: int,
                     at: datetime | None, target: _Target) -> datetime:
    """The drill-day time a correction of a class's figures stands for (naive UTC)."""
    tz, alarm_at, all_clear_at = target.tz, target.alarm_at, target.all_clear_at
    if at is not None:
        when = to_utc(at, tz)
        if (alarm_at is not None and when < alarm_at) or (
                all_clear_at is not None and when > all_clear_at):
            raise ValidationError("at", _(
                "A correction keeps the drill's timeline: give a time between the alarm "
                "({alarm}) and the all clear ({all_clear}), or none to keep the class's "
                "report time.").format(
                    alarm=_clock(alarm_at, tz) if alarm_at else "-",
                    all_clear=_clock(all_clear_at, tz) if all_clear_at else "-"))
        return when
    reported = connection.execute(_LAST_REPORT_AT, {"run_id": run_id, "class_id": class_id}
                                  ).scalar_one_or_none()
    if reported is not None:
        return reported
    # The class did not report during the drill: it was accounted for by the all clear
    # at the latest, never by the moment someone typed it in.
    return all_clear_at or alarm_at or now_utc()


@operation(Op.VERIFY_HEADCOUNT)
def verify_headcount(db: Database, run_id: int, class_id: int, by: str,
                     at: datetime | None = None, *, reason: str = "") -> Done[HeadcountEntry]:
    """The grade leader has checked the class's report (its own history entry: the
    reporter stays on the record beside the verifier).

    After the all clear a verification is a correction and needs ``reason``.
    """
    with db.write() as session:
        run, tz = _open_run(session, run_id)
        _run_class(session, run_id, class_id)
        why = check_reason(reason) if run.status == CLOSED else ""
        reported = session.scalar(select(func.count(HeadcountRow.id)).where(
            HeadcountRow.run_id == run_id, HeadcountRow.class_id == class_id,
            HeadcountRow.verified.is_(False)))
        if not reported:
            raise ConflictError(_("The class has not reported yet: there is nothing to verify."))
        reported_at = during_drill("at", at, tz, run.alarm_at, run.all_clear_at)
        row = HeadcountRow(run_id=run_id, class_id=class_id, verified=True,
                           reported_at=reported_at, recorded_at=now_utc(),
                           recorded_by=v.name("by", who(by), 100), reason=why)
        session.add(row)
        session.flush()
        return Done(_entry(row, tz, run.signed_at), Changes.of(Kind.HEADCOUNT, run_id))


@operation(Op.RECORD_HEADCOUNT)
def resolve_missing(db: Database, run_id: int, class_id: int, found_where: str, *,
                    found_by: str = "", count: int | None = None,
                    at: datetime | None = None, reason: str = "",
                    by: str = "") -> Done[Resolution]:
    """Missing students of a class were found (all still missing unless ``count``).

    ``by`` is who types it (default: ``found_by``). After the all clear a finding is a
    correction: it needs ``reason`` and ``at``, the time the student was found (after the
    alarm and not in the future), so the drill's timeline stays the day's.
    """
    with db.write() as session:
        run, tz = _open_run(session, run_id)
        info = _run_class(session, run_id, class_id)
        closed = run.status == CLOSED
        why = check_reason(reason) if closed else ""
        rollup = _rollup_in(session, run_id)
        alert = next((a for a in rollup.alerts if a.class_id == class_id), None)
        if alert is None or alert.resolved:
            raise ConflictError(_("Nobody of {name} is missing.").format(name=info.class_name))
        amount = alert.still_missing if count is None else v.whole_number(
            "count", count, 1, alert.still_missing)
        recorded_at = now_utc()
        found_at = (_finding_time(at, tz, run.alarm_at, recorded_at) if closed
                    else during_drill("at", at, tz, run.alarm_at, run.all_clear_at))
        finder = v.text("by", found_by, 100)
        row = ResolutionRow(run_id=run_id, class_id=class_id, count=amount,
                            found_where=v.name("found_where", found_where, 200),
                            found_at=found_at, found_by=finder, recorded_at=recorded_at,
                            recorded_by=v.text("by", who(by), 100) or finder, reason=why)
        session.add(row)
        session.flush()
        return Done(_resolution(row, tz, run.signed_at), Changes.of(Kind.HEADCOUNT, run_id))


def _finding_time(at: datetime | None, tz: ZoneInfo, alarm_at: datetime | None,
                  now: datetime) -> datetime:
    if at is None:
        raise ValidationError("at", _(
            "Say when the student was found: a finding recorded after the all clear keeps "
            "the drill's timeline, not the time it is typed."))
    when = to_utc(at, tz)
    if alarm_at is not None and when < alarm_at:
        raise ValidationError("at", _("The student cannot be found ({at}) before the alarm "
                                      "({alarm}).").format(at=_clock(when, tz),
                                                           alarm=_clock(alarm_at, tz)))
    if when > now:
        raise ValidationError("at", _("The time the student was found is in the future."))
    return when


# Reading -----------------------------------------------------------------------------------


def _rollup_in(session: Session, run_id: int) -> Rollup:
    run, tz = run_in(session, run_id)
    school = session.get(SchoolRow, run.school_id)
    classes = [_info(r) for r in session.scalars(
        select(RunClassRow).where(RunClassRow.run_id == run_id))]
    entries, found = _history_rows(session, run, tz)
    target = timedelta(seconds=school.evacuation_target_seconds) if school else None
    return roll_up(classes, entries, found, to_local(run.alarm_at, tz), target)


def _history_rows(session: Session, run: DrillRunRow, tz: ZoneInfo,
                  class_id: int | None = None
                  ) -> tuple[list[HeadcountEntry], list[Resolution]]:
    """The run's entries and findings (of one class, or all), each in stored order."""
    entry_query = select(HeadcountRow).where(HeadcountRow.run_id == run.id)
    found_query = select(ResolutionRow).where(ResolutionRow.run_id == run.id)
    if class_id is not None:
        entry_query = entry_query.where(HeadcountRow.class_id == class_id)
        found_query = found_query.where(ResolutionRow.class_id == class_id)
    entries = [_entry(r, tz, run.signed_at)
               for r in session.scalars(entry_query.order_by(HeadcountRow.id))]
    found = [_resolution(r, tz, run.signed_at)
             for r in session.scalars(found_query.order_by(ResolutionRow.id))]
    return entries, found


def rollup(db: Database, run_id: int) -> Rollup:
    """Class states, grade and school totals, missing-student alerts, time to accountability."""
    with db.read() as session:
        return _rollup_in(session, run_id)


def class_status(db: Database, run_id: int, class_id: int) -> ClassStatus:
    """One class's place in the roll-up, read without the rest of the school (what a
    phone shows after its report)."""
    with db.read() as session:
        run, tz = run_in(session, run_id)
        info = _info(_run_class(session, run_id, class_id))
        entries, found = _history_rows(session, run, tz, class_id)
        return roll_up([info], entries, found, to_local(run.alarm_at, tz), None).classes[0]


def history(db: Database, run_id: int, class_id: int) -> list[HistoryItem]:
    """Every entry and finding for a class in a run, in the order typed, with what it
    replaced."""
    with db.read() as session:
        run, tz = run_in(session, run_id)
        info = _run_class(session, run_id, class_id)
        entries, found = _history_rows(session, run, tz, class_id)
        return history_items(entries, found, {class_id: info.class_name})


def run_history(db: Database, run_id: int) -> list[HistoryItem]:
    """Every entry and finding of every class in a run, in the order typed."""
    with db.read() as session:
        run, tz = run_in(session, run_id)
        names = {class_id: name for class_id, name in session.execute(
            select(RunClassRow.class_id, RunClassRow.class_name)
            .where(RunClassRow.run_id == run_id))}
        entries, found = _history_rows(session, run, tz)
        return history_items(entries, found, names)


def corrections(db: Database, run_id: int) -> list[HistoryItem]:
    """The changes made to the completed record (corrections, and amendments after the
    sign-off), oldest first: who typed what and when, why, and old → new."""
    return [item for item in run_history(db, run_id) if item.stage is not Stage.DRILL]


def change_marker(db: Database, run_id: int) -> tuple[int, ...]:
    """A cheap value that changes whenever anything in the run changes (for live views
    on several computers: poll it and reload when it differs)."""
    with db.read() as session:
        run = session.get(DrillRunRow, run_id)
        if run is None:
            return (-1,)
        counts = [session.scalar(select(func.coalesce(func.max(model.id), 0))
                                 .where(model.run_id == run_id))
                  for model in (HeadcountRow, ResolutionRow)]
        cleared = session.scalar(select(func.count(RunPostRow.id)).where(
            RunPostRow.run_id == run_id, RunPostRow.cleared_at.is_not(None)))
        status = list(RunStatus).index(RunStatus(run.status))
        return (*(int(c or 0) for c in counts), int(cleared or 0), status,
                int(run.all_clear_at.timestamp()) if run.all_clear_at else 0)
