"""What a roster import needs to know about a school, read as plain values in one go.

A roster of 100,000 classes is checked against this snapshot in memory, outside any write
transaction; loading it costs one SELECT per table, whatever the size of the roster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain.roles import StaffRole
from drillplanner.storage import audit_core
from drillplanner.storage.models import (
    AssemblyAreaRow,
    BuildingRow,
    ClassRow,
    FloorRow,
    GradeRow,
    StaffRoleRow,
    StaffRow,
)

#: The tables a roster plan relies on: a write to any of them since the plan was made
#: means the plan is made again inside the write.
TABLES = ("schools", "buildings", "floors", "assembly_areas", "grades", "staff",
          "staff_roles", "classes")
#: The columns of a class an import sets or compares (every column but id, grade_id, name).
CLASS_VALUES = ("enrolled", "room", "building_id", "floor_id", "assembly_area_id",
                "homeroom_teacher_id", "route_id")


@dataclass(frozen=True, slots=True)
class Building:
    id: int
    #: floor level -> floor id
    floors: dict[int, int]


@dataclass(frozen=True, slots=True)
class StoredClass:
    """A class as stored: its ids and every column an import may change."""

    id: int
    grade_id: int
    name: str
    values: dict[str, object]


@dataclass(slots=True)
class SchoolSnapshot:
    school_id: int
    #: The newest audit row when the snapshot was read (see ``audit_core.changed_since``).
    audit_mark: int
    buildings: dict[str, Building] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)
    grades: dict[str, int] = field(default_factory=dict)
    #: staff name -> (id, already a homeroom teacher)
    staff: dict[str, tuple[int, bool]] = field(default_factory=dict)
    #: (grade name, class name) -> class, in grade order then class name
    classes: dict[tuple[str, str], StoredClass] = field(default_factory=dict)


def load_snapshot(session: Session, school_id: int) -> SchoolSnapshot:
    """Everything of the school a roster refers to, in a handful of SELECTs."""
    connection = session.connection()
    snapshot = SchoolSnapshot(school_id, audit_core.last_id(connection))
    floors: dict[int, dict[int, int]] = {}
    for building_id, level, floor_id in connection.execute(
            select(FloorRow.building_id, FloorRow.level, FloorRow.id)
            .join(BuildingRow, FloorRow.building_id == BuildingRow.id)
            .where(BuildingRow.school_id == school_id)):
        floors.setdefault(building_id, {})[level] = floor_id
    for building_id, name in connection.execute(
            select(BuildingRow.id, BuildingRow.name).where(BuildingRow.school_id == school_id)):
        snapshot.buildings[name] = Building(building_id, floors.get(building_id, {}))
    snapshot.areas = {name: area_id for name, area_id in connection.execute(
        select(AssemblyAreaRow.name, AssemblyAreaRow.id)
        .where(AssemblyAreaRow.school_id == school_id))}
    snapshot.grades = {name: grade_id for name, grade_id in connection.execute(
        select(GradeRow.name, GradeRow.id).where(GradeRow.school_id == school_id))}
    homeroom = set(connection.scalars(
        select(StaffRoleRow.staff_id).join(StaffRow, StaffRoleRow.staff_id == StaffRow.id)
        .where(StaffRow.school_id == school_id,
               StaffRoleRow.role == StaffRole.HOMEROOM_TEACHER.value)))
    for staff_id, name in connection.execute(
            select(StaffRow.id, StaffRow.name).where(StaffRow.school_id == school_id)):
        snapshot.staff[name] = (staff_id, staff_id in homeroom)
    columns = [ClassRow.__table__.c[name] for name in CLASS_VALUES]
    for row in connection.execute(
            select(GradeRow.name, ClassRow.id, ClassRow.grade_id, ClassRow.name, *columns)
            .join(GradeRow, ClassRow.grade_id == GradeRow.id)
            .where(GradeRow.school_id == school_id)
            .order_by(GradeRow.ordinal, GradeRow.name, ClassRow.name)):
        grade_name, class_id, grade_id, name, *values = row
        snapshot.classes[(grade_name, name)] = StoredClass(
            class_id, grade_id, name, dict(zip(CLASS_VALUES, values, strict=True)))
    return snapshot
