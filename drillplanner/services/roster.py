"""Roster import (all-or-nothing, matched by grade + class name) and export.

Rows are matched to the school's classes by grade name and class name; grades and homeroom
teachers the school does not have yet are created, while buildings, floors and assembly
areas must exist already (a roster is no place to invent a building). An empty optional
cell leaves the stored value as it is, so a roster holding only grade, class and enrolled
updates the counts without wiping rooms or teachers.

An import never holds the write lock while it checks: the school is read in a read unit
of work (``roster_snapshot``), every row checked and the work planned in memory
(``roster_plan``), and only then is the plan written with a few bulk statements
(``roster_apply``). Headcounts entered during a drill wait for that short write at most,
never for the checking of a large file. If the school's structure was written in between
(the audit log says so), the plan is made again inside the write.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from drillplanner.domain.changes import NOTHING, Done
from drillplanner.domain.permissions import Op
from drillplanner.domain.progress import Progress, ProgressSink, Stage
from drillplanner.domain.roster import ImportSummary, RosterRow, RosterTable
from drillplanner.i18n import _
from drillplanner.services.authorization import operation
from drillplanner.services.classes import list_classes
from drillplanner.services.lookup import require
from drillplanner.services.roster_apply import apply_plan
from drillplanner.services.roster_plan import RosterPlan, plan_import
from drillplanner.services.roster_snapshot import TABLES, load_snapshot
from drillplanner.services.schools import get_school
from drillplanner.storage import audit_core
from drillplanner.storage.database import Database
from drillplanner.storage.models import SchoolRow

log = logging.getLogger("drillplanner.services.roster")


@operation(Op.SET_UP_SCHOOL)
def import_roster(db: Database, school_id: int, table: RosterTable, *, dry_run: bool = False,
                  remove_absent: bool = False,
                  progress: ProgressSink | None = None) -> Done[ImportSummary]:
    """Apply a parsed roster to a school, all of it or none of it.

    Raises RosterError listing every problem (unknown building, floor or assembly area, ...)
    with file, line and column; on any error nothing is written. ``dry_run`` computes the
    same summary and writes nothing.

    Args:
        db: the open database.
        school_id: the school the roster belongs to (NotFoundError when it does not exist).
        table: rows as ``io.roster_files.read_roster`` returns them.
        dry_run: check the whole import and report what it would do; write nothing.
        remove_absent: delete the school's classes that the roster does not list.
        progress: told how far checking and saving have come (from the calling thread).

    Returns:
        Classes added, updated (with ``changed_fields``), unchanged, absent from the file
        (and removed, when asked), plus grades and staff created; and what changed (the
        grades, classes and staff created, updated or removed; nothing for a dry run).
    """
    def checked(done: int, total: int) -> None:
        if progress is not None:
            progress(Progress(Stage.CHECK, done, total))

    def saved(done: int, total: int) -> None:
        if progress is not None:
            progress(Progress(Stage.SAVE, done, total))

    with db.read() as session:
        require(session, SchoolRow, school_id, _("School"))
        snapshot = load_snapshot(session, school_id)
    plan = plan_import(snapshot, table, remove_absent=remove_absent, dry_run=dry_run,
                       checked=checked)
    if dry_run:
        return Done(plan.summary, NOTHING)
    with db.write() as session:
        if audit_core.changed_since(session.connection(), snapshot.audit_mark, TABLES,
                                    school_id):
            plan = _plan_again(session, school_id, table, remove_absent)
        changes = apply_plan(session, plan, saved)
    summary = plan.summary
    log.info("roster %s imported into school %d: %d added, %d updated, %d unchanged, "
             "%d absent, %d removed", table.source, school_id, len(summary.added),
             len(summary.updated), len(summary.unchanged), len(summary.absent),
             len(summary.removed))
    return Done(summary, changes)


def _plan_again(session: Session, school_id: int, table: RosterTable,
                remove_absent: bool) -> RosterPlan:
    """The school changed since it was read: check the roster again against what is
    stored now (holding the lock this time, so nothing can change again)."""
    log.info("school %d changed while its roster was checked; checking again", school_id)
    require(session, SchoolRow, school_id, _("School"))
    return plan_import(load_snapshot(session, school_id), table,
                       remove_absent=remove_absent, dry_run=False)


def export_roster(db: Database, school_id: int) -> list[RosterRow]:
    """The school's classes as roster rows, in grade order.

    Raises:
        NotFoundError: the school does not exist.
    """
    get_school(db, school_id)
    return [
        RosterRow(grade=c.grade_name, class_name=c.name, enrolled=c.enrolled,
                  homeroom_teacher=c.homeroom_teacher_name, room=c.room, floor=c.floor_level,
                  building=c.building_name, assembly_area=c.assembly_area_name)
        for c in list_classes(db, school_id)
    ]
