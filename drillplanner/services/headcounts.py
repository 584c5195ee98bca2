"""Headcounts in a drill run: record (durably, one commit each), verify, find the missing,
roll up, and read a class's history.

Each entry is committed before the function returns, so a caller that shows "saved" after
the call never shows an entry the database could lose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, func, insert, select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.errors import ConflictError, NotFoundError, ValidationError
from drillplanner.domain.headcount import (
    ClassInfo,
    Figures,
    HeadcountEntry,
    Resolution,
    Rollup,
    check_figures,
    roll_up,
)
from drillplanner.domain.structure import class_sort_key
from drillplanner.i18n import _
from drillplanner.services.drills import local, now_utc, run_in, to_local, to_utc
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


def _entry(row: HeadcountRow, tz: ZoneInfo) -> HeadcountEntry:
    return HeadcountEntry(id=row.id, run_id=row.run_id, class_id=row.class_id,
                          figures=_figures(row),
                          reported_at=local(row.reported_at, tz),
                          recorded_at=local(row.recorded_at, tz),
                          recorded_by=row.recorded_by, verified=row.verified)


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
    """The run's class named by ``text``: its full name ("一年级2班"), a unique short name
    ("2班" when only one grade has it), or grade and class digits ("1-2", "12")."""
    wanted = text.strip().replace(" ", "")
    classes = classes_in_run(db, run_id)
    exact = [c for c in classes if c.name == wanted]
    if exact:
        return exact[0]
    digits = "".join(ch for ch in wanted if ch.isdigit())
    matches = [c for c in classes if c.name.endswith(wanted)] or [
        c for c in classes if digits and _digits(c) in (digits, wanted.replace("-", ""))]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(_("No class called “{text}” takes part in this drill.").format(
            text=text))
    raise ValidationError("class", _("“{text}” could be {names}: type more of the name."
                                     ).format(text=text, names=", ".join(m.name for m in matches)))


def _digits(info: ClassInfo) -> str:
    return f"{info.grade_order}{''.join(ch for ch in info.name if ch.isdigit())}"


# Recording is the drill day's hot path (benchmarks/headcount.py): its two statements are
# built once (building and cache-keying them per call cost as much as running them) and run
# on the unit of work's connection, as Core: an append-only row needs none of the ORM's
# unit-of-work or loading machinery.
_ENTRY_TARGET = (
    select(DrillRunRow.status, SchoolRow.timezone, RunClassRow.enrolled)
    .join(SchoolRow, SchoolRow.id == DrillRunRow.school_id)
    .outerjoin(RunClassRow, (RunClassRow.run_id == DrillRunRow.id)
               & (RunClassRow.class_id == bindparam("class_id")))
    .where(DrillRunRow.id == bindparam("run_id")))
_INSERT_ENTRY = insert(HeadcountRow)


def record_headcount(db: Database, run_id: int, class_id: int, present: object, *,
                     absent: object = 0, missing: object = 0, injured: object = 0,
                     with_us: object = 0, absent_names: Iterable[str] | str = (),
                     missing_names: Iterable[str] | str = (), note: str = "",
                     enrolled: object = None, at: datetime | None = None,
                     by: str = "") -> Done[HeadcountEntry]:
    """Record (or correct) a class's report; returns only once it is committed.

    ``enrolled`` defaults to the class's enrolment when the run started. A report that does
    not add up raises ValidationError showing the arithmetic; nothing is stored then.

    Returns:
        The entry and what changed (the run's headcounts).
    """
    with db.write() as session:
        connection = session.connection()
        tz, snapshot = _entry_target(connection, run_id, class_id)
        figures = check_figures(snapshot if enrolled is None else enrolled, present,
                                absent, missing, injured, with_us, absent_names, missing_names,
                                note)
        reported_at, recorded_at = to_utc(at, tz), now_utc()
        recorded_by = v.text("by", by, 100)
        key = connection.execute(_INSERT_ENTRY, {
            "run_id": run_id, "class_id": class_id, "verified": False,
            "enrolled": figures.enrolled, "absent": figures.absent, "present": figures.present,
            "missing": figures.missing, "injured": figures.injured, "with_us": figures.with_us,
            "absent_names": _join(figures.absent_names),
            "missing_names": _join(figures.missing_names), "note": figures.note,
            "reported_at": reported_at, "recorded_at": recorded_at, "recorded_by": recorded_by,
        }).inserted_primary_key
        assert key is not None  # a one-row INSERT always knows its key
    entry = HeadcountEntry(id=int(key[0]), run_id=run_id, class_id=class_id, figures=figures,
                           reported_at=local(reported_at, tz),
                           recorded_at=local(recorded_at, tz), recorded_by=recorded_by,
                           verified=False)
    return Done(entry, Changes.of(Kind.HEADCOUNT, run_id))


def _entry_target(connection: Connection, run_id: int, class_id: int) -> tuple[ZoneInfo, int]:
    """The school's zone and the class's enrolment for a new entry, checked as _open_run and
    _run_class check them, in one query."""
    found = connection.execute(_ENTRY_TARGET, {"run_id": run_id, "class_id": class_id}
                               ).one_or_none()
    if found is None:
        raise NotFoundError(_("{what} #{id} does not exist.").format(what=_("Drill"),
                                                                      id=run_id))
    status, timezone, enrolled = found
    if status not in OPEN_FOR_ENTRIES:
        raise ConflictError(_("Headcounts can only be entered for a drill in progress or "
                              "completed."))
    if enrolled is None:
        raise NotFoundError(_("Class #{id} does not take part in this drill.").format(
            id=class_id))
    return ZoneInfo(timezone), int(enrolled)


def verify_headcount(db: Database, run_id: int, class_id: int, by: str,
                     at: datetime | None = None) -> Done[HeadcountEntry]:
    """The grade leader has checked the class's report."""
    with db.write() as session:
        _run, tz = _open_run(session, run_id)
        _run_class(session, run_id, class_id)
        reported = session.scalar(select(func.count(HeadcountRow.id)).where(
            HeadcountRow.run_id == run_id, HeadcountRow.class_id == class_id,
            HeadcountRow.verified.is_(False)))
        if not reported:
            raise ConflictError(_("The class has not reported yet: there is nothing to verify."))
        row = HeadcountRow(run_id=run_id, class_id=class_id, verified=True,
                           reported_at=to_utc(at, tz), recorded_at=now_utc(),
                           recorded_by=v.name("by", by, 100))
        session.add(row)
        session.flush()
        return Done(_entry(row, tz), Changes.of(Kind.HEADCOUNT, run_id))


def resolve_missing(db: Database, run_id: int, class_id: int, found_where: str, *,
                    found_by: str = "", count: int | None = None,
                    at: datetime | None = None) -> Done[Resolution]:
    """Missing students of a class were found (all still missing unless ``count``)."""
    with db.write() as session:
        _run, tz = _open_run(session, run_id)
        info = _run_class(session, run_id, class_id)
        rollup = _rollup_in(session, run_id)
        alert = next((a for a in rollup.alerts if a.class_id == class_id), None)
        if alert is None or alert.resolved:
            raise ConflictError(_("Nobody of {name} is missing.").format(name=info.class_name))
        amount = alert.still_missing if count is None else v.whole_number(
            "count", count, 1, alert.still_missing)
        row = ResolutionRow(run_id=run_id, class_id=class_id, count=amount,
                            found_where=v.name("found_where", found_where, 200),
                            found_at=to_utc(at, tz), found_by=v.text("by", found_by, 100))
        session.add(row)
        session.flush()
        return Done(Resolution(class_id, row.found_where, local(row.found_at, tz),
                               row.found_by, row.count), Changes.of(Kind.HEADCOUNT, run_id))


# Reading -----------------------------------------------------------------------------------


def _rollup_in(session: Session, run_id: int) -> Rollup:
    run, tz = run_in(session, run_id)
    school = session.get(SchoolRow, run.school_id)
    classes = [_info(r) for r in session.scalars(
        select(RunClassRow).where(RunClassRow.run_id == run_id))]
    entries = [_entry(r, tz) for r in session.scalars(
        select(HeadcountRow).where(HeadcountRow.run_id == run_id).order_by(HeadcountRow.id))]
    found = [Resolution(r.class_id, r.found_where, local(r.found_at, tz),
                        r.found_by, r.count)
             for r in session.scalars(select(ResolutionRow).where(ResolutionRow.run_id == run_id)
                                      .order_by(ResolutionRow.id))]
    target = timedelta(seconds=school.evacuation_target_seconds) if school else None
    return roll_up(classes, entries, found, to_local(run.alarm_at, tz), target)


def rollup(db: Database, run_id: int) -> Rollup:
    """Class states, grade and school totals, missing-student alerts, time to accountability."""
    with db.read() as session:
        return _rollup_in(session, run_id)


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One change of a class's report: old → new figures (a verification changes none)."""

    recorded_at: datetime
    reported_at: datetime
    recorded_by: str
    old: Figures | None
    new: Figures | None
    verified: bool


def history(db: Database, run_id: int, class_id: int) -> list[HistoryItem]:
    """Every entry for a class in a run, oldest first, with what it replaced."""
    with db.read() as session:
        _run, tz = run_in(session, run_id)
        _run_class(session, run_id, class_id)
        rows = session.scalars(select(HeadcountRow).where(
            HeadcountRow.run_id == run_id, HeadcountRow.class_id == class_id)
            .order_by(HeadcountRow.id)).all()
        items, current = [], None
        for row in rows:
            entry = _entry(row, tz)
            items.append(HistoryItem(entry.recorded_at, entry.reported_at, entry.recorded_by,
                                     current, entry.figures, entry.verified))
            if entry.figures is not None:
                current = entry.figures
        return items


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
