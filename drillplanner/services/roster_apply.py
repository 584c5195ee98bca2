"""Writing a roster plan: a few bulk statements, so the write lock is held briefly.

Grades, teachers and classes are inserted with one multi-row INSERT … RETURNING each (ids
come from the database, on SQLite and PostgreSQL alike), classes updated with one
executemany UPDATE, and every row written is recorded in the audit log in one go, as the
ORM would have recorded it. Removing classes (rare, and it cascades) goes through the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session

from drillplanner.domain.audit import Action
from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.roles import StaffRole
from drillplanner.domain.structure import grade_ordinal
from drillplanner.services.classes import removed_classes_in
from drillplanner.services.roster_plan import RosterPlan
from drillplanner.storage import audit_core
from drillplanner.storage.bulk import insert_rows, insert_with_ids
from drillplanner.storage.models import ClassRow, GradeRow, StaffRoleRow, StaffRow

#: Called before each step of the write: (step done, steps in all).
Saved = Callable[[int, int], None]
_STEPS = 5
_DELETE_CHUNK = 500

_CLASSES: Table = ClassRow.__table__  # type: ignore[assignment]
_GRADES: Table = GradeRow.__table__  # type: ignore[assignment]
_STAFF: Table = StaffRow.__table__  # type: ignore[assignment]
_STAFF_ROLES: Table = StaffRoleRow.__table__  # type: ignore[assignment]
_UPDATE_CLASS = (update(_CLASSES).where(_CLASSES.c.id == bindparam("b_id"))
                 .values(version=_CLASSES.c.version + 1))  # as the ORM raises it


def apply_plan(session: Session, plan: RosterPlan, saved: Saved | None = None) -> Changes:
    """Write ``plan`` in the session's (write) transaction; what it changed."""
    step = saved or (lambda _done, _total: None)
    connection = session.connection()
    school_id = plan.snapshot.school_id
    changes = Changes()

    step(0, _STEPS)
    grades = dict(plan.snapshot.grades)
    rows: list[dict[str, Any]] = [
        {"school_id": school_id, "name": name, "ordinal": grade_ordinal(name), "leader_id": None}
        for name in plan.new_grades]
    ids = _insert(connection, _GRADES, rows, school_id)
    grades.update(zip(plan.new_grades, ids, strict=True))
    changes |= _of(Kind.GRADE, ids)

    step(1, _STEPS)
    staff = {name: staff_id for name, (staff_id, _homeroom) in plan.snapshot.staff.items()}
    ids = _insert(connection, _STAFF, [{"school_id": school_id, "name": name, "phone": ""}
                                       for name in plan.new_staff], school_id)
    staff.update(zip(plan.new_staff, ids, strict=True))
    leading = [*ids, *plan.homeroom_for]
    _insert(connection, _STAFF_ROLES, [
        {"staff_id": staff_id, "role": StaffRole.HOMEROOM_TEACHER.value}
        for staff_id in leading], school_id, returning=False)
    changes |= _of(Kind.STAFF, leading)

    step(2, _STEPS)
    rows = []
    for planned in plan.inserts:
        values = dict(planned.values)
        if planned.teacher is not None:
            values["homeroom_teacher_id"] = staff[planned.teacher]
        rows.append({"grade_id": grades[planned.grade], "name": planned.name, **values})
    changes |= _of(Kind.CLASS, _insert(connection, _CLASSES, rows, school_id))

    step(3, _STEPS)
    updates: list[dict[str, Any]] = []
    notes: list[audit_core.CoreChange] = []
    for planned in plan.updates:
        assert planned.stored is not None  # an update is of a stored class
        values = dict(planned.values)
        if planned.teacher is not None:
            values["homeroom_teacher_id"] = staff[planned.teacher]
        old = planned.stored.values
        changed = [name for name, value in values.items() if value != old[name]]
        updates.append({"b_id": planned.stored.id, **values})
        notes.append((planned.stored.id, {n: old[n] for n in changed},
                      {n: values[n] for n in changed}))
    if updates:
        connection.execute(_UPDATE_CLASS, updates)
        audit_core.append_many(connection, "classes", Action.UPDATE, notes,
                               school_id=school_id)
        changes |= _of(Kind.CLASS, [row["b_id"] for row in updates])

    step(4, _STEPS)
    if plan.removals:
        changes |= removed_classes_in(session, plan.removals)
        for start in range(0, len(plan.removals), _DELETE_CHUNK):
            chunk = plan.removals[start:start + _DELETE_CHUNK]
            for row in session.scalars(select(ClassRow).where(ClassRow.id.in_(chunk))):
                session.delete(row)
        session.flush()
    step(_STEPS, _STEPS)
    return changes


def _insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]],
            school_id: int, *, returning: bool = True) -> list[int]:
    """Insert ``rows`` and record them; their new ids, in order (none if not asked)."""
    if not rows:
        return []
    if returning:
        ids = insert_with_ids(connection, table, rows)
        stored = [{"id": i, **row} for i, row in zip(ids, rows, strict=True)]
    else:
        ids = []
        insert_rows(connection, table, rows)
        stored = list(rows)
    keys = [column.name for column in table.primary_key.columns]
    names = [column.name for column in table.columns]
    audit_core.append_many(
        connection, table.name, Action.INSERT,
        ((":".join(str(row[k]) for k in keys), None, {n: row.get(n) for n in names})
         for row in stored), school_id=school_id)
    return ids


def _of(kind: Kind, ids: Sequence[int]) -> Changes:
    return Changes.of(kind, *ids) if ids else Changes()
