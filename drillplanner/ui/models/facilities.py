"""Buildings (with their floor count), assembly areas and evacuation routes of a school."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject

from drillplanner.domain.changes import Done
from drillplanner.domain.changes import Kind as RecordKind
from drillplanner.domain.structure import AssemblyArea, Building, Route
from drillplanner.i18n import _, ngettext
from drillplanner.services import classes as class_service
from drillplanner.services import facilities
from drillplanner.ui.commands import Updater
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.table import NONE_TEXT, Column, Kind, RecordTableModel

_PARAGRAPH = "\n\n"


def _school(model: RecordTableModel) -> int:
    school_id = model.ctx.school_id
    assert school_id is not None  # per-school models only fetch with a school chosen
    return school_id


class BuildingsModel(RecordTableModel):
    shows = frozenset({RecordKind.BUILDING})

    def columns(self) -> Sequence[Column]:
        return (Column("name"), Column("floor_count", Kind.NUMBER, 1, 60))

    def fetch(self) -> list[Any]:
        return list(facilities.list_buildings(self.ctx.db, _school(self)))

    def updater(self) -> Updater:
        return facilities.update_building

    def add_record(self, near: Building | None) -> Done[Building]:
        name = self.unique_name(_("New building"), [b.name for b in self._rows])
        return facilities.add_building(self.ctx.db, _school(self), name,
                                       near.floor_count if near else 1)

    def delete_record(self, record: Building) -> Done[None]:
        return facilities.delete_building(self.ctx.db, record.id)

    def deletion_text(self, record: Building) -> str:
        placed = sum(1 for c in class_service.list_classes(self.ctx.db, record.school_id)
                     if c.building_id == record.id)
        text = _("Delete the building “{name}” and its floors?").format(name=record.name)
        if placed:
            text += _PARAGRAPH + ngettext(
                "{n} class is in this building; it will have no building or floor.",
                "{n} classes are in this building; they will have no building or floor.",
                placed).format(n=placed)
        return text


class AreasModel(RecordTableModel):
    shows = frozenset({RecordKind.AREA})

    def columns(self) -> Sequence[Column]:
        return (Column("name"), Column("capacity", Kind.OPTIONAL_NUMBER, 0, 100_000),
                Column("description"))

    def fetch(self) -> list[Any]:
        return list(facilities.list_areas(self.ctx.db, _school(self)))

    def updater(self) -> Updater:
        return facilities.update_area

    def display(self, record: AssemblyArea, column: Column) -> str:
        if column.field == "capacity" and record.capacity is None:
            return NONE_TEXT
        return super().display(record, column)

    def edit_value(self, record: AssemblyArea, column: Column) -> object:
        if column.field == "capacity":
            return record.capacity
        return super().edit_value(record, column)

    def add_record(self, near: AssemblyArea | None) -> Done[AssemblyArea]:
        name = self.unique_name(_("New assembly area"), [a.name for a in self._rows])
        return facilities.add_area(self.ctx.db, _school(self), name)

    def delete_record(self, record: AssemblyArea) -> Done[None]:
        return facilities.delete_area(self.ctx.db, record.id)

    def deletion_text(self, record: AssemblyArea) -> str:
        using = sum(1 for c in class_service.list_classes(self.ctx.db, record.school_id)
                    if c.assembly_area_id == record.id)
        text = _("Delete the assembly area “{name}”?").format(name=record.name)
        if using:
            text += _PARAGRAPH + ngettext(
                "{n} class gathers here; it will have no assembly area.",
                "{n} classes gather here; they will have no assembly area.",
                using).format(n=using)
        return text


class RoutesModel(RecordTableModel):
    shows = frozenset({RecordKind.ROUTE})
    # A route shows the name of its assembly area.
    depends_on = frozenset({RecordKind.AREA})

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        self._areas: dict[int, str] = {}
        super().__init__(ctx, parent)

    def columns(self) -> Sequence[Column]:
        return (Column("name"), Column("assembly_area_id", Kind.CHOICE), Column("description"))

    def fetch(self) -> list[Any]:
        school_id = _school(self)
        self._areas = {a.id: a.name for a in facilities.list_areas(self.ctx.db, school_id)}
        return list(facilities.list_routes(self.ctx.db, school_id))

    def updater(self) -> Updater:
        return facilities.update_route

    def display(self, record: Route, column: Column) -> str:
        if column.field == "assembly_area_id":
            return self._areas.get(record.assembly_area_id or 0, NONE_TEXT)
        return super().display(record, column)

    def choices(self, record: Route, column: Column) -> list[tuple[object, str]]:
        return [(None, NONE_TEXT), *self._areas.items()]

    def add_record(self, near: Route | None) -> Done[Route]:
        name = self.unique_name(_("New route"), [r.name for r in self._rows])
        return facilities.add_route(self.ctx.db, _school(self), name,
                                    near.assembly_area_id if near else None)

    def delete_record(self, record: Route) -> Done[None]:
        return facilities.delete_route(self.ctx.db, record.id)

    def deletion_text(self, record: Route) -> str:
        using = sum(1 for c in class_service.list_classes(self.ctx.db, record.school_id)
                    if c.route_id == record.id)
        text = _("Delete the evacuation route “{name}”?").format(name=record.name)
        if using:
            text += _PARAGRAPH + ngettext(
                "{n} class uses this route; it will have no route.",
                "{n} classes use this route; they will have no route.",
                using).format(n=using)
        return text
