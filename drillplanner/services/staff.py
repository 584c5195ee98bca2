"""Staff of a school and their roles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.permissions import Op
from drillplanner.domain.roles import StaffRole
from drillplanner.domain.structure import Staff
from drillplanner.i18n import _
from drillplanner.services import convert
from drillplanner.services.authorization import operation
from drillplanner.services.lookup import ensure_unique, ids_of, require
from drillplanner.storage.collation import binary
from drillplanner.storage.database import Database
from drillplanner.storage.models import ClassRow, GradeRow, SchoolRow, StaffRoleRow, StaffRow
from drillplanner.storage.models_drills import RunPostRow
from drillplanner.storage.models_schedule import EventRow


def _what() -> str:
    return _("Staff member")


def list_staff(db: Database, school_id: int) -> list[Staff]:
    with db.read() as session:
        rows = session.scalars(select(StaffRow).where(StaffRow.school_id == school_id)
                               .order_by(binary(StaffRow.name))).all()
        return [convert.staff(row) for row in rows]


def _clean_roles(value: object) -> frozenset[StaffRole]:
    if isinstance(value, str):
        items: Iterable[object] = [p for p in value.replace("，", ",").split(",") if p.strip()]
    elif isinstance(value, Iterable):
        items = value
    else:
        raise ValidationError("roles", _("Roles must be a list."))
    roles = set()
    for item in items:
        try:
            roles.add(StaffRole(str(item).strip()))
        except ValueError:
            raise ValidationError("roles", _("“{role}” is not a role. Roles: {roles}").format(
                role=item, roles=", ".join(r.value for r in StaffRole))) from None
    return frozenset(roles)


def _set_roles(row: StaffRow, roles: frozenset[StaffRole]) -> None:
    current = {r.role: r for r in row.roles}
    for value, role_row in current.items():
        if value not in roles:
            row.roles.remove(role_row)
    for role in sorted(roles):
        if role.value not in current:
            row.roles.append(StaffRoleRow(role=role.value))


def add_staff_in(session: Session, school_id: int, name: str,
                 roles: Iterable[StaffRole] = (), phone: str = "") -> StaffRow:
    """Add a staff member inside an open unit of work (used by imports too)."""
    clean = v.name("name", name)
    ensure_unique(session, StaffRow, {"school_id": school_id}, clean, _what())
    row = StaffRow(school_id=school_id, name=clean, phone=v.text("phone", phone, 40))
    session.add(row)
    _set_roles(row, frozenset(roles))
    session.flush()
    return row


@operation(Op.SET_UP_SCHOOL)
def add_staff(db: Database, school_id: int, name: str, roles: Iterable[StaffRole] = (),
              phone: str = "") -> Done[Staff]:
    with db.write() as session:
        require(session, SchoolRow, school_id, _("School"))
        row = add_staff_in(session, school_id, name, _clean_roles(list(roles)), phone)
        return Done(convert.staff(row), Changes.of(Kind.STAFF, row.id))


@operation(Op.SET_UP_SCHOOL)
def update_staff(db: Database, staff_id: int, changes: Mapping[str, object]) -> Done[Staff]:
    with db.write() as session:
        row = require(session, StaffRow, staff_id, _what())
        for key, value in changes.items():
            if key == "name":
                clean = v.name(key, value)
                ensure_unique(session, StaffRow, {"school_id": row.school_id}, clean, _what(),
                              exclude_id=row.id)
                row.name = clean
            elif key == "phone":
                row.phone = v.text(key, value, 40)
            elif key == "roles":
                _set_roles(row, _clean_roles(value))
            else:
                raise ValidationError(key, _("Unknown field {field}.").format(field=key))
        session.flush()
        return Done(convert.staff(row), Changes.of(Kind.STAFF, row.id))


@operation(Op.SET_UP_SCHOOL)
def delete_staff(db: Database, staff_id: int) -> Done[None]:
    """Delete a staff member; the classes, grades, events and drill posts naming them
    lose them.

    Returns:
        Nothing, and what changed: the staff member, the classes they taught, the grades
        they led, the events they organised and the drill runs they held a post in.
    """
    with db.write() as session:
        row = require(session, StaffRow, staff_id, _what())
        changes = (
            Changes.of(Kind.STAFF, staff_id)
            | ids_of(session, Kind.CLASS, select(ClassRow.id)
                      .where(ClassRow.homeroom_teacher_id == staff_id))
            | ids_of(session, Kind.GRADE, select(GradeRow.id)
                      .where(GradeRow.leader_id == staff_id))
            | ids_of(session, Kind.EVENT, select(EventRow.id)
                      .where(EventRow.organizer_id == staff_id))
            | ids_of(session, Kind.DRILL, select(RunPostRow.run_id)
                      .where(RunPostRow.staff_id == staff_id)))
        session.delete(row)
        return Done(None, changes)


