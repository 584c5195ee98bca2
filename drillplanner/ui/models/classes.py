"""Grades and school classes of the current school."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject

from drillplanner.domain.changes import Done
from drillplanner.domain.changes import Kind as RecordKind
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.fields import roles_text
from drillplanner.domain.structure import Grade, SchoolClass, Staff
from drillplanner.i18n import _, ngettext
from drillplanner.services import classes as class_service
from drillplanner.services import facilities
from drillplanner.services import staff as staff_service
from drillplanner.services.database import Database
from drillplanner.ui.commands import Updater
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.table import NONE_TEXT, Column, Kind, RecordTableModel


def _school(model: RecordTableModel) -> int:
    school_id = model.ctx.school_id
    assert school_id is not None  # per-school models only fetch with a school chosen
    return school_id


class GradesModel(RecordTableModel):
    shows = frozenset({RecordKind.GRADE})
    depends_on = frozenset({RecordKind.STAFF})

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        self._staff: dict[int, str] = {}
        super().__init__(ctx, parent)

    def columns(self) -> Sequence[Column]:
        return (Column("name"), Column("ordinal", Kind.NUMBER, 0, 99),
                Column("leader_id", Kind.CHOICE))

    def fetch(self) -> list[Any]:
        school_id = _school(self)
        self._staff = {s.id: s.name for s in staff_service.list_staff(self.ctx.db, school_id)}
        return list(class_service.list_grades(self.ctx.db, school_id))

    def updater(self) -> Updater:
        return class_service.update_grade

    def display(self, record: Grade, column: Column) -> str:
        if column.field == "leader_id":
            return self._staff.get(record.leader_id or 0, NONE_TEXT)
        return super().display(record, column)

    def choices(self, record: Grade, column: Column) -> list[tuple[object, str]]:
        return [(None, NONE_TEXT), *self._staff.items()]

    def add_record(self, near: Grade | None) -> Done[Grade]:
        name = self.unique_name(_("New grade"), [g.name for g in self._rows])
        ordinal = max((g.ordinal for g in self._rows), default=0) + 1
        return class_service.add_grade(self.ctx.db, _school(self), name, min(ordinal, 99))

    def delete_record(self, record: Grade) -> Done[None]:
        return class_service.delete_grade(self.ctx.db, record.id)

    def deletion_text(self, record: Grade) -> str:
        count = sum(1 for c in class_service.list_classes(self.ctx.db, record.school_id)
                    if c.grade_id == record.id)
        return ngettext(
            "Delete the grade “{name}” and its {n} class?\n\nThis cannot be undone.",
            "Delete the grade “{name}” and its {n} classes?\n\nThis cannot be undone.",
            count).format(name=record.name, n=count)


class ClassesModel(RecordTableModel):
    shows = frozenset({RecordKind.CLASS})
    # A class shows the names of its grade, teacher, building, area and route.
    depends_on = frozenset({RecordKind.BUILDING, RecordKind.AREA, RecordKind.ROUTE,
                            RecordKind.GRADE, RecordKind.STAFF})

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        self._grades: dict[int, str] = {}
        super().__init__(ctx, parent)

    def columns(self) -> Sequence[Column]:
        return (
            Column("grade_id", Kind.CHOICE),
            Column("name"),
            Column("enrolled", Kind.NUMBER, 0, 500),
            Column("homeroom_teacher_id", Kind.CHOICE),
            Column("room"),
            Column("building_id", Kind.CHOICE),
            Column("floor_level", Kind.CHOICE),
            Column("assembly_area_id", Kind.CHOICE),
            Column("route_id", Kind.CHOICE),
        )

    def fetch(self) -> list[Any]:
        school_id = _school(self)
        self._grades = {g.id: g.name for g in class_service.list_grades(self.ctx.db, school_id)}
        return list(class_service.list_classes(self.ctx.db, school_id))

    def updater(self) -> Updater:
        return class_service.update_class

    def edit(self, db: Database, record: SchoolClass, changes: dict[str, object]
             ) -> Done[SchoolClass]:
        return class_service.update_class(db, record.id, changes,
                                          expected_version=record.version)

    def record_name(self, record: SchoolClass) -> str:
        return record.full_name

    def display(self, record: SchoolClass, column: Column) -> str:
        names = {
            "grade_id": record.grade_name,
            "homeroom_teacher_id": record.homeroom_teacher_name,
            "building_id": record.building_name,
            "assembly_area_id": record.assembly_area_name,
            "route_id": record.route_name,
        }
        if column.field in names:
            return names[column.field] or NONE_TEXT
        if column.field == "floor_level":
            return NONE_TEXT if record.floor_level is None else str(record.floor_level)
        return super().display(record, column)

    def choices(self, record: SchoolClass, column: Column) -> list[tuple[object, str]]:
        db, school_id = self.ctx.db, record.school_id
        if column.field == "grade_id":
            return list(self._grades.items())
        none: list[tuple[object, str]] = [(None, NONE_TEXT)]
        if column.field == "homeroom_teacher_id":
            return none + [(s.id, s.name) for s in staff_service.list_staff(db, school_id)]
        if column.field == "building_id":
            return none + [(b.id, b.name) for b in facilities.list_buildings(db, school_id)]
        if column.field == "floor_level":
            if record.building_id is None:
                return none
            return none + [(f.level, str(f.level))
                           for f in facilities.list_floors(db, record.building_id)]
        if column.field == "assembly_area_id":
            return none + [(a.id, a.name) for a in facilities.list_areas(db, school_id)]
        if column.field == "route_id":
            return none + [(r.id, r.name) for r in facilities.list_routes(db, school_id)]
        return []

    def add_record(self, near: SchoolClass | None) -> Done[SchoolClass]:
        if near is not None:
            grade_id = near.grade_id
        elif self._grades:
            grade_id = next(iter(self._grades))
        else:
            raise ValidationError("grade_id", _("Add a grade first: every class belongs to "
                                                "a grade."))
        taken = [c.name for c in self._rows if c.grade_id == grade_id]
        name = self.unique_name(_("New class"), taken)
        return class_service.add_class(self.ctx.db, _school(self), grade_id, name)

    def delete_record(self, record: SchoolClass) -> Done[None]:
        return class_service.delete_class(self.ctx.db, record.id)

    def deletion_text(self, record: SchoolClass) -> str:
        return _("Delete the class “{name}” ({n} enrolled)?").format(
            name=record.full_name, n=record.enrolled)


class StaffModel(RecordTableModel):
    shows = frozenset({RecordKind.STAFF})

    def columns(self) -> Sequence[Column]:
        return (Column("name"), Column("roles", Kind.ROLES), Column("phone"))

    def fetch(self) -> list[Any]:
        return list(staff_service.list_staff(self.ctx.db, _school(self)))

    def updater(self) -> Updater:
        return staff_service.update_staff

    def display(self, record: Staff, column: Column) -> str:
        if column.field == "roles":
            return roles_text(record.roles)
        return super().display(record, column)

    def edit_value(self, record: Staff, column: Column) -> object:
        if column.field == "roles":
            return sorted(role.value for role in record.roles)
        return super().edit_value(record, column)

    def add_record(self, near: Staff | None) -> Done[Staff]:
        name = self.unique_name(_("New staff member"), [s.name for s in self._rows])
        return staff_service.add_staff(self.ctx.db, _school(self), name)

    def delete_record(self, record: Staff) -> Done[None]:
        return staff_service.delete_staff(self.ctx.db, record.id)

    def deletion_text(self, record: Staff) -> str:
        db = self.ctx.db
        classes = [c for c in class_service.list_classes(db, record.school_id)
                   if c.homeroom_teacher_id == record.id]
        grades = [g for g in class_service.list_grades(db, record.school_id)
                  if g.leader_id == record.id]
        text = _("Delete the staff member “{name}”?").format(name=record.name)
        if classes or grades:
            text += "\n\n" + _("Classes and grades they lead will have no teacher or leader: "
                               "{names}.").format(names=_(", ").join(
                                   [c.full_name for c in classes] + [g.name for g in grades]))
        return text
