"""The demo schools of resources/demo/, loaded into a database in one unit of work.

Each JSON file describes one school: its buildings and floors, assembly areas, routes, staff
with roles, grades with their leader and classes. Keys ``name_en`` (the school's English name)
and ``post`` (where a floor or stairwell post stands) document the data and are not stored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import NOTHING, Changes, Done, Kind
from drillplanner.domain.permissions import Op
from drillplanner.domain.roles import StaffRole
from drillplanner.domain.structure import School, grade_ordinal
from drillplanner.services import convert
from drillplanner.services.authorization import operation
from drillplanner.services.classes import apply_class_changes
from drillplanner.services.staff import add_staff_in
from drillplanner.storage.database import Database
from drillplanner.storage.models import (
    AssemblyAreaRow,
    BuildingRow,
    ClassRow,
    FloorRow,
    GradeRow,
    RouteRow,
    SchoolRow,
)

log = logging.getLogger("drillplanner.services")

DemoSchool = Mapping[str, Any]

#: What a demo school brings along (its past drills, with headcounts, come separately).
_DEMO_KINDS = (Kind.SCHOOL, Kind.BUILDING, Kind.AREA, Kind.ROUTE, Kind.STAFF, Kind.GRADE,
               Kind.CLASS, Kind.CALENDAR, Kind.EVENT)


def demo_files() -> list[str]:
    """Names of the demo data files shipped with the package, sorted."""
    folder = resources.files("drillplanner") / "resources" / "demo"
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))


def read_demo_data() -> list[DemoSchool]:
    """Every demo school, parents before the schools they oversee."""
    folder = resources.files("drillplanner") / "resources" / "demo"
    schools = [json.loads((folder / name).read_text(encoding="utf-8")) for name in demo_files()]
    return _parents_first(schools)


def _parents_first(schools: list[DemoSchool]) -> list[DemoSchool]:
    ordered: list[DemoSchool] = []
    placed: set[str] = set()
    pending = list(schools)
    while pending:
        ready = [s for s in pending if not s.get("parent") or s["parent"] in placed
                 or all(o["name"] != s["parent"] for o in schools)]
        if not ready:
            raise ValueError("demo schools oversee each other in a cycle")
        for school in ready:
            ordered.append(school)
            placed.add(school["name"])
            pending.remove(school)
    return ordered


@operation(Op.SET_UP_SCHOOL)
def load_demo(db: Database) -> Done[list[School]]:
    """Add the demo schools whose names are not in the database yet, each with the demo
    school year, its public holidays and a few drills, trainings and sports events.

    The schools, their calendars and events are written in one transaction: either every
    missing demo school is added completely or none is. Their past drills (September and
    October 2026) follow as completed runs.

    Returns:
        The schools added, and what changed (every kind of record a demo school brings;
        nothing when every demo school was there already).
    """
    from drillplanner.services.demo_schedule import add_demo_schedule, read_demo_calendar

    data = read_demo_data()
    calendar = read_demo_calendar()
    with db.write() as session:
        existing = {name: school_id for school_id, name in
                    session.execute(select(SchoolRow.id, SchoolRow.name)).all()}
        added: list[SchoolRow] = []
        for school in data:
            if school["name"] in existing:
                continue
            row = _add_school(session, school, existing.get(school.get("parent") or ""))
            add_demo_schedule(session, row.id, row.country, calendar, school.get("events", ()))
            existing[row.name] = row.id
            added.append(row)
        result = [convert.school(row) for row in added]
        changes = Changes.of_kinds(_DEMO_KINDS) if added else NOTHING
    # Past drills go through the drill services, one entry per commit like a real drill.
    from drillplanner.services.demo_history import add_demo_history

    history = add_demo_history(db, result)
    log.info("demo: added %d schools with %d past drills", len(result), history.value)
    return Done(result, changes | history.changes)


def _add_school(session: Session, data: DemoSchool, parent_id: int | None) -> SchoolRow:
    school = SchoolRow(
        name=v.name("name", data["name"], 200),
        timezone=v.timezone("timezone", data.get("timezone", "Asia/Shanghai")),
        evacuation_target_seconds=v.whole_number(
            "evacuation_target_seconds", data.get("evacuation_target_seconds", 180), 1,
            v.MAX_TARGET_SECONDS),
        country=v.country("country", data.get("country", "CN")),
        address=v.text("address", data.get("address", ""), 500),
        parent_id=parent_id,
    )
    session.add(school)
    session.flush()
    buildings = _add_buildings(session, school.id, data.get("buildings", ()))
    areas = _add_areas(session, school.id, data.get("assembly_areas", ()))
    routes = _add_routes(session, school.id, data.get("routes", ()), areas)
    staff = {
        person["name"]: add_staff_in(session, school.id, person["name"],
                                     [StaffRole(role) for role in person.get("roles", ())],
                                     person.get("phone", "")).id
        for person in data.get("staff", ())
    }
    ids = _Ids(buildings, areas, routes, staff)
    for grade in data.get("grades", ()):
        leader = grade.get("leader")
        grade_row = GradeRow(school_id=school.id, name=v.name("name", grade["name"], 50),
                             ordinal=grade_ordinal(grade["name"]),
                             leader_id=staff[leader] if leader else None)
        session.add(grade_row)
        session.flush()
        for item in grade.get("classes", ()):
            _add_class(session, school.id, grade_row.id, item, ids)
    session.flush()
    return school


def _add_buildings(session: Session, school_id: int,
                   items: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    rows = []
    for item in items:
        count = v.whole_number("floor_count", item["floors"], 1, v.MAX_FLOORS)
        rows.append(BuildingRow(school_id=school_id, name=v.name("name", item["name"]),
                                floors=[FloorRow(level=level) for level in range(1, count + 1)]))
    session.add_all(rows)
    session.flush()
    return {row.name: row.id for row in rows}


def _add_areas(session: Session, school_id: int,
               items: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    rows = [AssemblyAreaRow(
        school_id=school_id, name=v.name("name", item["name"]),
        capacity=v.optional_whole_number("capacity", item.get("capacity"), 1, 100_000),
        description=v.text("description", item.get("description", ""), 500))
        for item in items]
    session.add_all(rows)
    session.flush()
    return {row.name: row.id for row in rows}


def _add_routes(session: Session, school_id: int, items: Iterable[Mapping[str, Any]],
                areas: Mapping[str, int]) -> dict[str, int]:
    rows = [RouteRow(
        school_id=school_id, name=v.name("name", item["name"]),
        assembly_area_id=areas[item["assembly_area"]] if item.get("assembly_area") else None,
        description=v.text("description", item.get("description", ""), 500))
        for item in items]
    session.add_all(rows)
    session.flush()
    return {row.name: row.id for row in rows}


@dataclass(frozen=True, slots=True)
class _Ids:
    """Ids of a school's records by name, for the classes that refer to them."""

    buildings: Mapping[str, int]
    areas: Mapping[str, int]
    routes: Mapping[str, int]
    staff: Mapping[str, int]


def _add_class(session: Session, school_id: int, grade_id: int, item: Mapping[str, Any],
               ids: _Ids) -> None:
    def ref(names: Mapping[str, int], key: str) -> int | None:
        value = item.get(key)
        return names[value] if value else None

    row = ClassRow(grade_id=0, name="", enrolled=0, room="")
    # The same validation as a class edited in the app; unknown names fail loudly (KeyError).
    apply_class_changes(session, row, school_id, {
        "grade_id": grade_id, "name": item["name"], "enrolled": item.get("enrolled", 0),
        "room": item.get("room", ""), "homeroom_teacher_id": ref(ids.staff, "homeroom_teacher"),
        "building_id": ref(ids.buildings, "building"), "floor_level": item.get("floor"),
        "assembly_area_id": ref(ids.areas, "assembly_area"), "route_id": ref(ids.routes, "route"),
    })
    session.add(row)
