"""ORM rows to the plain values services hand out."""

from __future__ import annotations

from drillplanner.domain.roles import StaffRole
from drillplanner.domain.structure import (
    AssemblyArea,
    Building,
    Grade,
    School,
    SchoolClass,
    Staff,
)
from drillplanner.domain.structure import (
    Route as RouteValue,
)
from drillplanner.storage.models import (
    AssemblyAreaRow,
    BuildingRow,
    ClassRow,
    GradeRow,
    RouteRow,
    SchoolRow,
    StaffRow,
)


def school(row: SchoolRow) -> School:
    return School(id=row.id, name=row.name, timezone=row.timezone,
                  evacuation_target_seconds=row.evacuation_target_seconds,
                  country=row.country, parent_id=row.parent_id, address=row.address,
                  compliance_profile=row.compliance_profile)


def building(row: BuildingRow) -> Building:
    return Building(id=row.id, school_id=row.school_id, name=row.name,
                    floor_count=len(row.floors))


def area(row: AssemblyAreaRow) -> AssemblyArea:
    return AssemblyArea(id=row.id, school_id=row.school_id, name=row.name,
                        capacity=row.capacity, description=row.description)


def route(row: RouteRow) -> RouteValue:
    return RouteValue(id=row.id, school_id=row.school_id, name=row.name,
                      assembly_area_id=row.assembly_area_id, description=row.description)


def grade(row: GradeRow) -> Grade:
    return Grade(id=row.id, school_id=row.school_id, name=row.name, ordinal=row.ordinal,
                 leader_id=row.leader_id)


def staff(row: StaffRow) -> Staff:
    known = {role.value for role in StaffRole}
    roles = frozenset(StaffRole(r.role) for r in row.roles if r.role in known)
    return Staff(id=row.id, school_id=row.school_id, name=row.name, roles=roles, phone=row.phone)


def school_class(row: ClassRow, *, teacher: str = "", building_name: str = "",
                 floor_level: int | None = None, area_name: str = "",
                 route_name: str = "") -> SchoolClass:
    return SchoolClass(
        id=row.id, school_id=row.grade.school_id, grade_id=row.grade_id,
        grade_name=row.grade.name, name=row.name, enrolled=row.enrolled, room=row.room,
        homeroom_teacher_id=row.homeroom_teacher_id, homeroom_teacher_name=teacher,
        building_id=row.building_id, building_name=building_name, floor_level=floor_level,
        assembly_area_id=row.assembly_area_id, assembly_area_name=area_name,
        route_id=row.route_id, route_name=route_name, version=row.version,
    )
