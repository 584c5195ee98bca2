"""The schools of the database, as a table."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from functools import cache
from typing import Any

from drillplanner.domain.changes import Done
from drillplanner.domain.changes import Kind as RecordKind
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.structure import School
from drillplanner.i18n import _, ngettext
from drillplanner.services import classes as class_service
from drillplanner.services import facilities, schools
from drillplanner.services import staff as staff_service
from drillplanner.ui.commands import Updater
from drillplanner.ui.models.table import NONE_TEXT, Column, Kind, RecordTableModel


@cache
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted (read once)."""
    return tuple(sorted(zoneinfo.available_timezones()))


class SchoolsModel(RecordTableModel):
    """All schools; a school may be overseen by a central school (parent)."""

    shows = frozenset({RecordKind.SCHOOL})
    per_school = False

    def columns(self) -> Sequence[Column]:
        return (
            Column("name"),
            Column("parent_id", Kind.CHOICE),
            Column("timezone", Kind.CHOICE),
            Column("evacuation_target_seconds", Kind.NUMBER, 1, 3600),
            Column("country"),
            Column("address"),
        )

    def fetch(self) -> list[Any]:
        return list(schools.list_schools(self.ctx.db))

    def updater(self) -> Updater:
        return schools.update_school

    def display(self, record: School, column: Column) -> str:
        if column.field == "parent_id":
            if record.parent_id is None:
                return NONE_TEXT
            names = {s.id: s.name for s in self._rows}
            if record.parent_id not in names:
                # Added elsewhere since the last reload (another window or program).
                try:
                    return schools.get_school(self.ctx.db, record.parent_id).name
                except DrillplannerError:
                    return NONE_TEXT
            return names[record.parent_id]
        return super().display(record, column)

    def choices(self, record: School, column: Column) -> list[tuple[object, str]]:
        if column.field == "parent_id":
            # Fresh from the database: another window or program may have added a school.
            return [(None, NONE_TEXT)] + [(s.id, s.name) for s in
                                          schools.list_schools(self.ctx.db) if s.id != record.id]
        if column.field == "timezone":
            return [(name, name) for name in timezone_names()]
        return []

    def add_record(self, near: School | None) -> Done[School]:
        name = self.unique_name(_("New school"), [s.name for s in self._rows])
        if near is not None:
            return schools.add_school(self.ctx.db, name, timezone=near.timezone,
                                      country=near.country)
        return schools.add_school(self.ctx.db, name)

    def delete_record(self, record: School) -> Done[None]:
        return schools.delete_school(self.ctx.db, record.id)

    def deletion_text(self, record: School) -> str:
        db = self.ctx.db
        parts = [
            (ngettext("{n} building", "{n} buildings", n := len(
                facilities.list_buildings(db, record.id))), n),
            (ngettext("{n} assembly area", "{n} assembly areas", n := len(
                facilities.list_areas(db, record.id))), n),
            (ngettext("{n} grade", "{n} grades", n := len(
                class_service.list_grades(db, record.id))), n),
            (ngettext("{n} class", "{n} classes", n := len(
                class_service.list_classes(db, record.id))), n),
            (ngettext("{n} staff member", "{n} staff members", n := len(
                staff_service.list_staff(db, record.id))), n),
        ]
        things = _(", ").join(text.format(n=n) for text, n in parts)
        return _("Delete the school “{name}” and everything it holds: {things}?\n\n"
                 "This cannot be undone.").format(name=record.name, things=things)
