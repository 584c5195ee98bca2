"""Grades and school classes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.permissions import Op
from drillplanner.domain.structure import Grade, SchoolClass, class_sort_key, grade_ordinal
from drillplanner.i18n import _
from drillplanner.services import convert
from drillplanner.services.authorization import operation
from drillplanner.services.lookup import check_version, ensure_unique, ids_of, require
from drillplanner.storage.database import Database
from drillplanner.storage.models import (
    AssemblyAreaRow,
    BuildingRow,
    ClassRow,
    FloorRow,
    GradeRow,
    RouteRow,
    SchoolRow,
    StaffRow,
)
from drillplanner.storage.models_schedule import EventClassRow, EventGradeRow

CLASS_FIELDS = ("grade_id", "name", "enrolled", "room", "homeroom_teacher_id", "building_id",
                "floor_level", "assembly_area_id", "route_id")


def _what_grade() -> str:
    return _("Grade")


def _what_class() -> str:
    return _("Class")


# Grades --------------------------------------------------------------------------------


def list_grades(db: Database, school_id: int) -> list[Grade]:
    with db.read() as session:
        rows = session.scalars(select(GradeRow).where(GradeRow.school_id == school_id)
                               .order_by(GradeRow.ordinal, GradeRow.name)).all()
        return [convert.grade(row) for row in rows]


def _clean_leader(session: Session, school_id: int, value: object) -> int | None:
    if value in (None, ""):
        return None
    staff = require(session, StaffRow, int(str(value)), _("Staff member"))
    if staff.school_id != school_id:
        raise ValidationError("leader_id", _("That staff member works at another school."))
    return staff.id


@operation(Op.SET_UP_SCHOOL)
def add_grade(db: Database, school_id: int, name: str, ordinal: int | None = None,
              leader_id: int | None = None) -> Done[Grade]:
    with db.write() as session:
        require(session, SchoolRow, school_id, _("School"))
        clean = v.name("name", name, 50)
        ensure_unique(session, GradeRow, {"school_id": school_id}, clean, _what_grade())
        order = grade_ordinal(clean) if ordinal is None else v.whole_number(
            "ordinal", ordinal, 0, 99)
        row = GradeRow(school_id=school_id, name=clean, ordinal=order,
                       leader_id=_clean_leader(session, school_id, leader_id))
        session.add(row)
        session.flush()
        return Done(convert.grade(row), Changes.of(Kind.GRADE, row.id))


@operation(Op.SET_UP_SCHOOL)
def update_grade(db: Database, grade_id: int, changes: Mapping[str, object]) -> Done[Grade]:
    with db.write() as session:
        row = require(session, GradeRow, grade_id, _what_grade())
        for key, value in changes.items():
            if key == "name":
                clean = v.name(key, value, 50)
                ensure_unique(session, GradeRow, {"school_id": row.school_id}, clean,
                              _what_grade(), exclude_id=row.id)
                row.name = clean
            elif key == "ordinal":
                row.ordinal = v.whole_number(key, value, 0, 99)
            elif key == "leader_id":
                row.leader_id = _clean_leader(session, row.school_id, value)
            else:
                raise ValidationError(key, _("Unknown field {field}.").format(field=key))
        session.flush()
        return Done(convert.grade(row), Changes.of(Kind.GRADE, row.id))


@operation(Op.SET_UP_SCHOOL)
def delete_grade(db: Database, grade_id: int) -> Done[None]:
    """Delete a grade and its classes.

    Returns:
        Nothing, and what changed: the grade, its classes and the events that named them.
    """
    with db.write() as session:
        row = require(session, GradeRow, grade_id, _what_grade())
        classes = select(ClassRow.id).where(ClassRow.grade_id == grade_id)
        changes = (
            Changes.of(Kind.GRADE, grade_id)
            | ids_of(session, Kind.CLASS, classes)
            | ids_of(session, Kind.EVENT, select(EventGradeRow.event_id)
                      .where(EventGradeRow.grade_id == grade_id))
            | ids_of(session, Kind.EVENT, select(EventClassRow.event_id)
                      .where(EventClassRow.class_id.in_(classes))))
        session.delete(row)
        return Done(None, changes)


def removed_classes_in(session: Session, class_ids: Iterable[int]) -> Changes:
    """What deleting those classes changes: them, and the events naming them."""
    ids = list(class_ids)
    if not ids:
        return Changes()
    return Changes.of(Kind.CLASS, *ids) | ids_of(
        session, Kind.EVENT,
        select(EventClassRow.event_id).where(EventClassRow.class_id.in_(ids)))




# Classes -------------------------------------------------------------------------------


def _class_query(school_id: int) -> Any:  # a Select whose typing differs across 2.0/2.1
    teacher = aliased(StaffRow)
    return (
        select(ClassRow, teacher.name, BuildingRow.name, FloorRow.level, AssemblyAreaRow.name,
               RouteRow.name)
        .join(GradeRow, ClassRow.grade_id == GradeRow.id)
        .outerjoin(teacher, ClassRow.homeroom_teacher_id == teacher.id)
        .outerjoin(BuildingRow, ClassRow.building_id == BuildingRow.id)
        .outerjoin(FloorRow, ClassRow.floor_id == FloorRow.id)
        .outerjoin(AssemblyAreaRow, ClassRow.assembly_area_id == AssemblyAreaRow.id)
        .outerjoin(RouteRow, ClassRow.route_id == RouteRow.id)
        .where(GradeRow.school_id == school_id)
        .order_by(GradeRow.ordinal, GradeRow.name, ClassRow.name)
    )


def _to_value(result: tuple[Any, ...]) -> SchoolClass:
    row, teacher, building, level, area, route = result
    return convert.school_class(row, teacher=teacher or "", building_name=building or "",
                                floor_level=level, area_name=area or "", route_name=route or "")


def list_classes(db: Database, school_id: int) -> list[SchoolClass]:
    """Every class of a school, in grade order."""
    with db.read() as session:
        rows = sorted(session.execute(_class_query(school_id)).all(), key=lambda r: class_sort_key(
            r[0].grade.ordinal, r[0].grade.name, r[0].name))
        return [_to_value(tuple(r)) for r in rows]


def get_class(db: Database, class_id: int) -> SchoolClass:
    with db.read() as session:
        return _class_in(session, class_id)


def _class_in(session: Session, class_id: int) -> SchoolClass:
    row = require(session, ClassRow, class_id, _what_class())
    result = session.execute(_class_query(row.grade.school_id)
                             .where(ClassRow.id == class_id)).one()
    return _to_value(tuple(result))


def _ref(session: Session, model: type[Any], value: object, school_id: int, field: str,
         what: str) -> int | None:
    if value in (None, ""):
        return None
    row: Any = require(session, model, int(str(value)), what)
    if row.school_id != school_id:
        raise ValidationError(field, _("{what} belongs to another school.").format(what=what))
    return int(row.id)


def apply_class_changes(session: Session, row: ClassRow, school_id: int,
                        changes: Mapping[str, object]) -> None:
    """Validate and apply ``changes`` to a class row inside an open unit of work."""
    floor_level = changes.get("floor_level", ...)
    for key, value in changes.items():
        if key == "name":
            row.name = v.name(key, value, 50)
        elif key == "grade_id":
            row.grade_id = _ref(session, GradeRow, value, school_id, key, _what_grade()) or 0
            if not row.grade_id:
                raise ValidationError(key, _("A class must belong to a grade."))
        elif key == "enrolled":
            row.enrolled = v.whole_number(key, value, 0, v.MAX_ENROLLED)
        elif key == "room":
            row.room = v.text(key, value, 50)
        elif key == "homeroom_teacher_id":
            row.homeroom_teacher_id = _ref(session, StaffRow, value, school_id, key,
                                           _("Staff member"))
        elif key == "building_id":
            row.building_id = _ref(session, BuildingRow, value, school_id, key, _("Building"))
        elif key == "assembly_area_id":
            row.assembly_area_id = _ref(session, AssemblyAreaRow, value, school_id, key,
                                        _("Assembly area"))
        elif key == "route_id":
            row.route_id = _ref(session, RouteRow, value, school_id, key, _("Route"))
        elif key != "floor_level":
            raise ValidationError(key, _("Unknown field {field}.").format(field=key))
    if floor_level is ... and "building_id" in changes and row.floor_id is not None:
        old = session.get(FloorRow, row.floor_id)
        floor_level = old.level if old is not None else None
    if floor_level is not ...:
        row.floor_id = _floor_id(session, row.building_id, floor_level)
    ensure_unique(session, ClassRow, {"grade_id": row.grade_id}, row.name, _what_class(),
                  exclude_id=row.id)


def _floor_id(session: Session, building_id: int | None, level: object) -> int | None:
    number = v.optional_whole_number("floor_level", level, 1, v.MAX_FLOORS)
    if number is None:
        return None
    if building_id is None:
        raise ValidationError("floor_level", _("Choose the building before the floor."))
    floor = session.scalar(select(FloorRow).where(FloorRow.building_id == building_id,
                                                  FloorRow.level == number))
    if floor is None:
        building = session.get(BuildingRow, building_id)
        raise ValidationError("floor_level", _("{building} has no floor {level}.").format(
            building=building.name if building else building_id, level=number))
    return floor.id


@operation(Op.SET_UP_SCHOOL)
def add_class(db: Database, school_id: int, grade_id: int, name: str, enrolled: int = 0,
              **fields: object) -> Done[SchoolClass]:
    """Add a class; ``fields`` takes the other CLASS_FIELDS.

    Returns:
        The class added, and what changed (that class).
    """
    with db.write() as session:
        require(session, SchoolRow, school_id, _("School"))
        row = ClassRow(grade_id=0, name="", enrolled=0, room="")
        apply_class_changes(session, row, school_id,
                            {"grade_id": grade_id, "name": name, "enrolled": enrolled, **fields})
        session.add(row)
        session.flush()
        return Done(_class_in(session, row.id), Changes.of(Kind.CLASS, row.id))


@operation(Op.SET_UP_SCHOOL)
def update_class(db: Database, class_id: int, changes: Mapping[str, object], *,
                 expected_version: int | None = None) -> Done[SchoolClass]:
    """Change a class's fields.

    Raises:
        StaleEditError: ``expected_version`` (the version the edit started from) is not
            the stored one.
    """
    with db.write() as session:
        row = require(session, ClassRow, class_id, _what_class())
        check_version(row.version, expected_version, _what_class(),
                      lambda: _class_in(session, class_id))
        apply_class_changes(session, row, row.grade.school_id, changes)
        session.flush()
        return Done(_class_in(session, class_id), Changes.of(Kind.CLASS, class_id))


@operation(Op.SET_UP_SCHOOL)
def delete_class(db: Database, class_id: int) -> Done[None]:
    """Delete a class.

    Returns:
        Nothing, and what changed: the class and the events that named it.
    """
    with db.write() as session:
        row = require(session, ClassRow, class_id, _what_class())
        changes = removed_classes_in(session, [class_id])
        session.delete(row)
        return Done(None, changes)
