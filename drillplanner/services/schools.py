"""Schools: list, add, edit, delete."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.errors import ConflictError, NotFoundError, ValidationError
from drillplanner.domain.permissions import Op
from drillplanner.domain.structure import (
    DEFAULT_EVACUATION_TARGET_SECONDS,
    DEFAULT_TIMEZONE,
    School,
)
from drillplanner.i18n import _
from drillplanner.services import convert
from drillplanner.services.authorization import operation
from drillplanner.services.lookup import ids_of
from drillplanner.storage.collation import binary
from drillplanner.storage.database import Database
from drillplanner.storage.models import (
    AssemblyAreaRow,
    BuildingRow,
    ClassRow,
    GradeRow,
    RouteRow,
    SchoolRow,
    StaffRow,
)
from drillplanner.storage.models_drills import DrillRunRow
from drillplanner.storage.models_schedule import EventRow


def list_schools(db: Database) -> list[School]:
    with db.read() as session:
        rows = session.scalars(select(SchoolRow).order_by(binary(SchoolRow.name))).all()
        return [convert.school(row) for row in rows]


def get_school(db: Database, school_id: int) -> School:
    with db.read() as session:
        row = session.get(SchoolRow, school_id)
        if row is None:
            raise NotFoundError(_("School #{id} does not exist.").format(id=school_id))
        return convert.school(row)


def find_school(db: Database, name: str | None) -> School:
    """The school called ``name``; with None, the only school of the database.

    Raises NotFoundError saying which schools exist when the choice is not clear.
    """
    schools = list_schools(db)
    if name is None:
        if len(schools) == 1:
            return schools[0]
        if not schools:
            raise NotFoundError(_("There is no school yet: add one first."))
        raise NotFoundError(_("Several schools exist; choose one with --school: {names}").format(
            names=", ".join(s.name for s in schools)))
    for school in schools:
        if school.name == name.strip():
            return school
    matches = [s for s in schools if name.strip().lower() in s.name.lower()]
    if len(matches) == 1:
        return matches[0]
    raise NotFoundError(_("No school is called “{name}”. Schools: {names}").format(
        name=name, names=", ".join(s.name for s in schools) or "-"))


def _clean(session: Session, values: Mapping[str, object],
           school_id: int | None) -> dict[str, object]:
    cleaned: dict[str, object] = {}
    for key, value in values.items():
        if key == "name":
            cleaned[key] = v.name(key, value, 200)
        elif key == "timezone":
            cleaned[key] = v.timezone(key, value)
        elif key == "evacuation_target_seconds":
            cleaned[key] = v.whole_number(key, value, 1, v.MAX_TARGET_SECONDS)
        elif key == "country":
            cleaned[key] = v.country(key, value)
        elif key == "address":
            cleaned[key] = v.text(key, value, 500)
        elif key == "parent_id":
            parent = None if value in (None, "") else int(str(value))
            if parent is not None and parent == school_id:
                raise ValidationError(key, _("A school cannot oversee itself."))
            cleaned[key] = parent
        elif key == "compliance_profile":
            from drillplanner.services.compliance import profile_in

            cleaned[key] = profile_in(session, str(value)).code
        else:
            raise ValidationError(key, _("Unknown field {field}.").format(field=key))
    return cleaned


@operation(Op.SET_UP_SCHOOL)
def add_school(db: Database, name: str, *, timezone: str = DEFAULT_TIMEZONE,
               evacuation_target_seconds: int = DEFAULT_EVACUATION_TARGET_SECONDS,
               country: str = "CN", address: str = "", parent_id: int | None = None
               ) -> Done[School]:
    """Add a school; raises ValidationError or ConflictError (name taken).

    Returns:
        The school added, and what changed (that school).
    """
    with db.write() as session:
        values = _clean(session, {
            "name": name, "timezone": timezone,
            "evacuation_target_seconds": evacuation_target_seconds,
            "country": country, "address": address, "parent_id": parent_id}, None)
        if session.scalar(select(SchoolRow.id).where(SchoolRow.name == values["name"])):
            raise ConflictError(_("A school called “{name}” already exists.").format(
                name=values["name"]))
        row = SchoolRow(**values)
        session.add(row)
        session.flush()
        return Done(convert.school(row), Changes.of(Kind.SCHOOL, row.id))


@operation(Op.SET_UP_SCHOOL)
def update_school(db: Database, school_id: int,
                  changes: Mapping[str, object]) -> Done[School]:
    with db.write() as session:
        row = session.get(SchoolRow, school_id)
        if row is None:
            raise NotFoundError(_("School #{id} does not exist.").format(id=school_id))
        values = _clean(session, changes, school_id)
        new_name = values.get("name")
        if new_name and new_name != row.name and session.scalar(
                select(SchoolRow.id).where(SchoolRow.name == new_name)):
            raise ConflictError(_("A school called “{name}” already exists.").format(
                name=new_name))
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return Done(convert.school(row), Changes.of(Kind.SCHOOL, row.id))


@operation(Op.SET_UP_SCHOOL)
def delete_school(db: Database, school_id: int) -> Done[None]:
    """Delete a school with everything it holds.

    Returns:
        Nothing, and what changed: the school, the schools it oversaw (they lose their
        parent) and every record it held.
    """
    with db.write() as session:
        row = session.get(SchoolRow, school_id)
        if row is None:
            raise NotFoundError(_("School #{id} does not exist.").format(id=school_id))
        changes = _held_by_in(session, school_id)
        session.delete(row)
        return Done(None, changes)


def _held_by_in(session: Session, school_id: int) -> Changes:
    """The school, the schools it oversees and every record it holds, by kind."""
    runs = select(DrillRunRow.id).where(DrillRunRow.school_id == school_id)
    return (
        Changes.of(Kind.SCHOOL, school_id)
        | ids_of(session, Kind.SCHOOL, select(SchoolRow.id)
                  .where(SchoolRow.parent_id == school_id))
        | Changes.of(Kind.CALENDAR, school_id)
        | ids_of(session, Kind.BUILDING, select(BuildingRow.id)
                  .where(BuildingRow.school_id == school_id))
        | ids_of(session, Kind.AREA, select(AssemblyAreaRow.id)
                  .where(AssemblyAreaRow.school_id == school_id))
        | ids_of(session, Kind.ROUTE, select(RouteRow.id)
                  .where(RouteRow.school_id == school_id))
        | ids_of(session, Kind.STAFF, select(StaffRow.id)
                  .where(StaffRow.school_id == school_id))
        | ids_of(session, Kind.GRADE, select(GradeRow.id)
                  .where(GradeRow.school_id == school_id))
        | ids_of(session, Kind.CLASS, select(ClassRow.id)
                  .join(GradeRow, ClassRow.grade_id == GradeRow.id)
                  .where(GradeRow.school_id == school_id))
        | ids_of(session, Kind.EVENT, select(EventRow.id)
                  .where(EventRow.school_id == school_id))
        | ids_of(session, Kind.DRILL, runs)
        | ids_of(session, Kind.HEADCOUNT, runs))


