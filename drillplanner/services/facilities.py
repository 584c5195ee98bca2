"""Buildings with their floors, assembly areas and evacuation routes of a school."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.permissions import Op
from drillplanner.domain.structure import AssemblyArea, Building, Floor, Route
from drillplanner.i18n import _
from drillplanner.services import convert
from drillplanner.services.authorization import operation
from drillplanner.services.lookup import ensure_unique, ids_of, require
from drillplanner.storage.collation import binary
from drillplanner.storage.database import Database
from drillplanner.storage.models import (
    AssemblyAreaRow,
    BuildingRow,
    ClassRow,
    FloorRow,
    RouteRow,
    SchoolRow,
)
from drillplanner.storage.models_schedule import EventRow


def _what_building() -> str:
    return _("Building")


def _what_area() -> str:
    return _("Assembly area")


def _what_route() -> str:
    return _("Route")


# Buildings and floors ------------------------------------------------------------------


def list_buildings(db: Database, school_id: int) -> list[Building]:
    with db.read() as session:
        rows = session.scalars(select(BuildingRow).where(BuildingRow.school_id == school_id)
                               .order_by(binary(BuildingRow.name))).all()
        return [convert.building(row) for row in rows]


def list_floors(db: Database, building_id: int) -> list[Floor]:
    with db.read() as session:
        rows = session.scalars(select(FloorRow).where(FloorRow.building_id == building_id)
                               .order_by(FloorRow.level)).all()
        return [Floor(id=r.id, building_id=r.building_id, level=r.level) for r in rows]


def _set_floor_count(session: Session, row: BuildingRow, count: int) -> None:
    """Floors are 1..count; removing a floor that classes are on is refused."""
    existing = {floor.level: floor for floor in row.floors}
    doomed = [floor for level, floor in existing.items() if level > count]
    if doomed:
        used = session.scalar(select(func.count(ClassRow.id)).where(
            ClassRow.floor_id.in_([f.id for f in doomed])))
        if used:
            raise ConflictError(_("{n} classes are on floors above {count} of {building}; "
                                  "move them first.").format(n=used, count=count,
                                                             building=row.name))
        for floor in doomed:
            row.floors.remove(floor)
    for level in range(1, count + 1):
        if level not in existing:
            row.floors.append(FloorRow(level=level))


@operation(Op.SET_UP_SCHOOL)
def add_building(db: Database, school_id: int, name: str,
                 floor_count: int = 1) -> Done[Building]:
    with db.write() as session:
        require(session, SchoolRow, school_id, _("School"))
        clean_name = v.name("name", name)
        count = v.whole_number("floor_count", floor_count, 1, v.MAX_FLOORS)
        ensure_unique(session, BuildingRow, {"school_id": school_id}, clean_name,
                      _what_building())
        row = BuildingRow(school_id=school_id, name=clean_name)
        session.add(row)
        _set_floor_count(session, row, count)
        session.flush()
        return Done(convert.building(row), Changes.of(Kind.BUILDING, row.id))


@operation(Op.SET_UP_SCHOOL)
def update_building(db: Database, building_id: int,
                    changes: Mapping[str, object]) -> Done[Building]:
    with db.write() as session:
        row = require(session, BuildingRow, building_id, _what_building())
        for key, value in changes.items():
            if key == "name":
                clean = v.name(key, value)
                ensure_unique(session, BuildingRow, {"school_id": row.school_id}, clean,
                              _what_building(), exclude_id=row.id)
                row.name = clean
            elif key == "floor_count":
                _set_floor_count(session, row, v.whole_number(key, value, 1, v.MAX_FLOORS))
            else:
                raise ValidationError(key, _("Unknown field {field}.").format(field=key))
        session.flush()
        return Done(convert.building(row), Changes.of(Kind.BUILDING, row.id))


@operation(Op.SET_UP_SCHOOL)
def delete_building(db: Database, building_id: int) -> Done[None]:
    """Delete a building with its floors; classes in it lose their building and floor.

    Returns:
        Nothing, and what changed: the building and the classes that were in it.
    """
    with db.write() as session:
        row = require(session, BuildingRow, building_id, _what_building())
        changes = Changes.of(Kind.BUILDING, building_id) | ids_of(
            session, Kind.CLASS, select(ClassRow.id).where(ClassRow.building_id == building_id))
        session.delete(row)
        return Done(None, changes)




# Assembly areas ------------------------------------------------------------------------


def list_areas(db: Database, school_id: int) -> list[AssemblyArea]:
    with db.read() as session:
        rows = session.scalars(select(AssemblyAreaRow)
                               .where(AssemblyAreaRow.school_id == school_id)
                               .order_by(binary(AssemblyAreaRow.name))).all()
        return [convert.area(row) for row in rows]


def _clean_area(key: str, value: object) -> object:
    if key == "name":
        return v.name(key, value)
    if key == "capacity":
        return v.optional_whole_number(key, value, 1, 100_000)
    if key == "description":
        return v.text(key, value, 500)
    raise ValidationError(key, _("Unknown field {field}.").format(field=key))


@operation(Op.SET_UP_SCHOOL)
def add_area(db: Database, school_id: int, name: str, capacity: int | None = None,
             description: str = "") -> Done[AssemblyArea]:
    with db.write() as session:
        require(session, SchoolRow, school_id, _("School"))
        values = {k: _clean_area(k, val) for k, val in
                  {"name": name, "capacity": capacity, "description": description}.items()}
        ensure_unique(session, AssemblyAreaRow, {"school_id": school_id}, str(values["name"]),
                      _what_area())
        row = AssemblyAreaRow(school_id=school_id, **values)
        session.add(row)
        session.flush()
        return Done(convert.area(row), Changes.of(Kind.AREA, row.id))


@operation(Op.SET_UP_SCHOOL)
def update_area(db: Database, area_id: int,
                changes: Mapping[str, object]) -> Done[AssemblyArea]:
    with db.write() as session:
        row = require(session, AssemblyAreaRow, area_id, _what_area())
        for key, value in changes.items():
            clean = _clean_area(key, value)
            if key == "name":
                ensure_unique(session, AssemblyAreaRow, {"school_id": row.school_id},
                              str(clean), _what_area(), exclude_id=row.id)
            setattr(row, key, clean)
        session.flush()
        return Done(convert.area(row), Changes.of(Kind.AREA, row.id))


@operation(Op.SET_UP_SCHOOL)
def delete_area(db: Database, area_id: int) -> Done[None]:
    """Delete an assembly area; the classes, routes and events gathering there lose it.

    Returns:
        Nothing, and what changed: the area and the classes, routes and events that named it.
    """
    with db.write() as session:
        row = require(session, AssemblyAreaRow, area_id, _what_area())
        changes = (
            Changes.of(Kind.AREA, area_id)
            | ids_of(session, Kind.CLASS,
                      select(ClassRow.id).where(ClassRow.assembly_area_id == area_id))
            | ids_of(session, Kind.ROUTE,
                      select(RouteRow.id).where(RouteRow.assembly_area_id == area_id))
            | ids_of(session, Kind.EVENT,
                      select(EventRow.id).where(EventRow.assembly_area_id == area_id)))
        session.delete(row)
        return Done(None, changes)


# Routes --------------------------------------------------------------------------------


def list_routes(db: Database, school_id: int) -> list[Route]:
    with db.read() as session:
        rows = session.scalars(select(RouteRow).where(RouteRow.school_id == school_id)
                               .order_by(binary(RouteRow.name))).all()
        return [convert.route(row) for row in rows]


def _clean_route(session: Session, school_id: int, key: str, value: object) -> object:
    if key == "name":
        return v.name(key, value)
    if key == "description":
        return v.text(key, value, 500)
    if key == "assembly_area_id":
        if value in (None, ""):
            return None
        area = require(session, AssemblyAreaRow, int(str(value)), _what_area())
        if area.school_id != school_id:
            raise ValidationError(key, _("That assembly area belongs to another school."))
        return area.id
    raise ValidationError(key, _("Unknown field {field}.").format(field=key))


@operation(Op.SET_UP_SCHOOL)
def add_route(db: Database, school_id: int, name: str, assembly_area_id: int | None = None,
              description: str = "") -> Done[Route]:
    with db.write() as session:
        require(session, SchoolRow, school_id, _("School"))
        values = {k: _clean_route(session, school_id, k, val) for k, val in
                  {"name": name, "assembly_area_id": assembly_area_id,
                   "description": description}.items()}
        ensure_unique(session, RouteRow, {"school_id": school_id}, str(values["name"]),
                      _what_route())
        row = RouteRow(school_id=school_id, **values)
        session.add(row)
        session.flush()
        return Done(convert.route(row), Changes.of(Kind.ROUTE, row.id))


@operation(Op.SET_UP_SCHOOL)
def update_route(db: Database, route_id: int, changes: Mapping[str, object]) -> Done[Route]:
    with db.write() as session:
        row = require(session, RouteRow, route_id, _what_route())
        for key, value in changes.items():
            clean = _clean_route(session, row.school_id, key, value)
            if key == "name":
                ensure_unique(session, RouteRow, {"school_id": row.school_id}, str(clean),
                              _what_route(), exclude_id=row.id)
            setattr(row, key, clean)
        session.flush()
        return Done(convert.route(row), Changes.of(Kind.ROUTE, row.id))


@operation(Op.SET_UP_SCHOOL)
def delete_route(db: Database, route_id: int) -> Done[None]:
    """Delete a route; the classes taking it lose it.

    Returns:
        Nothing, and what changed: the route and the classes that took it.
    """
    with db.write() as session:
        row = require(session, RouteRow, route_id, _what_route())
        changes = Changes.of(Kind.ROUTE, route_id) | ids_of(
            session, Kind.CLASS, select(ClassRow.id).where(ClassRow.route_id == route_id))
        session.delete(row)
        return Done(None, changes)
