"""Roster import (all-or-nothing, matched by grade + class name) and export.

An import runs in one write transaction. Rows are matched to the school's classes by grade
name and class name; grades and homeroom teachers the school does not have yet are created,
while buildings, floors and assembly areas must exist already (a roster is no place to
invent a building). An empty optional cell leaves the stored value as it is, so a roster
holding only grade, class and enrolled updates the counts without wiping rooms or teachers.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import NOTHING, Changes, Done, Kind
from drillplanner.domain.errors import DrillplannerError, ValidationError
from drillplanner.domain.fields import label
from drillplanner.domain.roles import StaffRole
from drillplanner.domain.roster import (
    ImportSummary,
    RosterError,
    RosterProblem,
    RosterRow,
    RosterTable,
)
from drillplanner.domain.structure import class_full_name, grade_ordinal
from drillplanner.i18n import _
from drillplanner.io.roster_rows import TEXT_LIMITS
from drillplanner.services.classes import apply_class_changes, list_classes, removed_classes_in
from drillplanner.services.lookup import require
from drillplanner.services.schools import get_school
from drillplanner.services.staff import add_staff_in
from drillplanner.storage.database import Database
from drillplanner.storage.models import (
    AssemblyAreaRow,
    BuildingRow,
    ClassRow,
    GradeRow,
    SchoolRow,
    StaffRoleRow,
    StaffRow,
)

log = logging.getLogger("drillplanner.services.roster")

# Which roster column a class field's ValidationError belongs to.
_FIELD_COLUMNS = {
    "name": "class", "grade_id": "grade", "enrolled": "enrolled", "room": "room",
    "homeroom_teacher_id": "homeroom_teacher", "building_id": "building",
    "floor_level": "floor", "assembly_area_id": "assembly_area",
}
# A row's texts: (roster column, RosterRow attribute, required).
_TEXT_FIELDS = (("grade", "grade", True), ("class", "class_name", True),
                ("homeroom_teacher", "homeroom_teacher", False), ("room", "room", False),
                ("building", "building", False), ("assembly_area", "assembly_area", False))


class _DryRun(Exception):  # noqa: N818 - a result, not an error
    """Carries a dry run's summary out of the transaction, which then rolls back."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__()
        self.summary = summary


def import_roster(db: Database, school_id: int, table: RosterTable, *, dry_run: bool = False,
                  remove_absent: bool = False) -> Done[ImportSummary]:
    """Apply a parsed roster to a school in one transaction.

    Raises RosterError listing every problem (unknown building, floor or assembly area, ...)
    with file, line and column; on any error nothing is written. ``dry_run`` computes the
    same summary and writes nothing.

    Args:
        db: the open database.
        school_id: the school the roster belongs to (NotFoundError when it does not exist).
        table: rows as ``io.roster_files.read_roster`` returns them.
        dry_run: run the whole import, report what it did, then roll it back.
        remove_absent: delete the school's classes that the roster does not list.

    Returns:
        Classes added, updated (with ``changed_fields``), unchanged, absent from the file
        (and removed, when asked), plus grades and staff created; and what changed (the
        grades, classes and staff created, updated or removed; nothing for a dry run).
    """
    try:
        with db.write() as session:
            work = _Import(session, school_id, table)
            summary = work.run(remove_absent, dry_run)
            if dry_run:
                # The same code path as a real import; only the commit is left out.
                raise _DryRun(summary)
            done = Done(summary, work.changes)
    except _DryRun as dry:
        return Done(dry.summary, NOTHING)
    log.info("roster %s imported into school %d: %d added, %d updated, %d unchanged, "
             "%d absent, %d removed", table.source, school_id, len(summary.added),
             len(summary.updated), len(summary.unchanged), len(summary.absent),
             len(summary.removed))
    return done


class _Import:
    """One import inside an open unit of work; collects problems instead of stopping."""

    def __init__(self, session: Session, school_id: int, table: RosterTable) -> None:
        require(session, SchoolRow, school_id, _("School"))
        self.session = session
        self.school_id = school_id
        self.table = table
        self.problems: list[RosterProblem] = []
        self.buildings = {row.name: row for row in session.scalars(
            select(BuildingRow).where(BuildingRow.school_id == school_id))}
        self.areas = {row.name: row for row in session.scalars(
            select(AssemblyAreaRow).where(AssemblyAreaRow.school_id == school_id))}
        self.grades = {row.name: row for row in session.scalars(
            select(GradeRow).where(GradeRow.school_id == school_id))}
        self.staff = {row.name: row for row in session.scalars(
            select(StaffRow).where(StaffRow.school_id == school_id))}
        self.floor_levels = {floor.id: floor.level for building in self.buildings.values()
                             for floor in building.floors}
        classes = session.scalars(
            select(ClassRow).join(GradeRow, ClassRow.grade_id == GradeRow.id)
            .where(GradeRow.school_id == school_id)
            .order_by(GradeRow.ordinal, GradeRow.name, ClassRow.name))
        self.classes = {(row.grade.name, row.name): row for row in classes}
        self.added: list[str] = []
        self.updated: list[str] = []
        self.unchanged: list[str] = []
        self.changed_fields: dict[str, tuple[str, ...]] = {}
        self.grades_added: list[str] = []
        self.staff_added: list[str] = []
        #: What the import changed, complete once ``run`` returns.
        self.changes = NOTHING
        self._new_classes: list[ClassRow] = []

    def problem(self, row: RosterRow, key: str, message: str) -> None:
        self.problems.append(RosterProblem(message, self.table.source, row.line or None,
                                           label(key) if key else ""))

    def run(self, remove_absent: bool, dry_run: bool) -> ImportSummary:
        if not self.table.rows:
            raise RosterError([RosterProblem(_("The roster has no class rows."),
                                             self.table.source)])
        seen: dict[tuple[str, str], RosterRow] = {}
        for given in self.table.rows:
            checked = self._checked(given)
            if checked is None:
                continue
            row = checked
            key = (row.grade.strip(), row.class_name.strip())
            if key in seen:
                self.problem(row, "class", _(
                    "{name} is listed twice, on lines {first} and {line}; keep one of them."
                ).format(name=class_full_name(*key), first=seen[key].line, line=row.line))
                continue
            seen[key] = row
            self._import_row(row, key)
        if self.problems:
            raise RosterError(self.problems)

        absent = [key for key in self.classes if key not in seen]
        if remove_absent:
            self.changes |= removed_classes_in(self.session,
                                               [self.classes[key].id for key in absent])
            for key in absent:
                self.session.delete(self.classes[key])
        self.session.flush()
        if self._new_classes:
            self.changes |= Changes.of(Kind.CLASS, *(row.id for row in self._new_classes))
        absent_names = tuple(class_full_name(*key) for key in absent)
        return ImportSummary(
            added=tuple(self.added), updated=tuple(self.updated),
            unchanged=tuple(self.unchanged), absent=absent_names,
            removed=absent_names if remove_absent else (),
            staff_added=tuple(self.staff_added), grades_added=tuple(self.grades_added),
            unknown_columns=self.table.unknown_columns, dry_run=dry_run,
            changed_fields=dict(self.changed_fields))

    def _checked(self, row: RosterRow) -> RosterRow | None:
        """The row's texts through the same field rules as every other face (a table not
        read by drillplanner.io passes them here too); problems keep the row's line."""
        texts: dict[str, str] = {}
        for key, attribute, required in _TEXT_FIELDS:
            check = v.name if required else v.text
            try:
                texts[attribute] = check(key, getattr(row, attribute), TEXT_LIMITS[key])
            except ValidationError as error:
                self.problem(row, key, error.message)
        if len(texts) < len(_TEXT_FIELDS):
            return None
        return dataclasses.replace(
            row, grade=texts["grade"], class_name=texts["class_name"],
            homeroom_teacher=texts["homeroom_teacher"], room=texts["room"],
            building=texts["building"], assembly_area=texts["assembly_area"])

    def _references(self, row: RosterRow) -> tuple[BuildingRow | None, AssemblyAreaRow | None]:
        """The building and area a row names, adding a problem for each unknown one."""
        building = area = None
        name = row.building.strip()
        if name:
            building = self.buildings.get(name)
            if building is None:
                self.problem(row, "building", _(
                    "Unknown building “{name}”. Buildings of this school: {known}.").format(
                        name=name, known=_known(self.buildings)))
        if row.floor is not None:
            if not name:
                self.problem(row, "floor", _("A floor needs a building: fill in the building "
                                             "column too."))
            elif building is not None and row.floor not in {f.level for f in building.floors}:
                self.problem(row, "floor", _(
                    "{building} has no floor {level}; it has floors 1 to {count}.").format(
                        building=building.name, level=row.floor, count=len(building.floors)))
        name = row.assembly_area.strip()
        if name:
            area = self.areas.get(name)
            if area is None:
                self.problem(row, "assembly_area", _(
                    "Unknown assembly area “{name}”. Assembly areas of this school: {known}."
                ).format(name=name, known=_known(self.areas)))
        return building, area

    def _import_row(self, row: RosterRow, key: tuple[str, str]) -> None:
        before = len(self.problems)
        building, area = self._references(row)
        existing = self.classes.get(key)
        grade = existing.grade if existing is not None else None
        if grade is None:
            try:
                grade = self._grade(key[0])
            except ValidationError as error:
                self.problem(row, "grade", error.message)
        teacher = None
        if row.homeroom_teacher.strip():
            try:
                teacher = self._teacher(row.homeroom_teacher)
            except DrillplannerError as error:
                self.problem(row, "homeroom_teacher", _message(error))
        if len(self.problems) > before or grade is None:
            return

        changes: dict[str, object] = {"enrolled": row.enrolled}
        if row.room.strip():
            changes["room"] = row.room
        if teacher is not None:
            changes["homeroom_teacher_id"] = teacher.id
        if building is not None:
            changes["building_id"] = building.id
            if row.floor is not None:
                changes["floor_level"] = row.floor
            elif existing is not None and existing.building_id != building.id:
                # A floor level belongs to the old building; do not carry it over.
                changes["floor_level"] = None
        if area is not None:
            changes["assembly_area_id"] = area.id

        target = existing or ClassRow(grade_id=0, name="", enrolled=0, room="")
        if existing is None:
            changes = {"grade_id": grade.id, "name": key[1], **changes}
        old = self._snapshot(target)
        try:
            apply_class_changes(self.session, target, self.school_id, changes)
        except DrillplannerError as error:
            field = getattr(error, "field", "name")
            self.problem(row, _FIELD_COLUMNS.get(field, "class"), _message(error))
            return
        full_name = class_full_name(*key)
        if existing is None:
            # Added only now: an autoflush must never see a half-filled row.
            self.session.add(target)
            self.classes[key] = target
            self._new_classes.append(target)
            self.added.append(full_name)
            return
        self._compare(target, full_name, old)

    def _compare(self, row: ClassRow, full_name: str, old: dict[str, object]) -> None:
        """Count a matched class as updated or unchanged against its ``old`` snapshot."""
        changed = tuple(name for name, value in self._snapshot(row).items()
                        if value != old[name])
        if changed:
            self.updated.append(full_name)
            self.changed_fields[full_name] = changed
            self.changes |= Changes.of(Kind.CLASS, row.id)
        else:
            self.unchanged.append(full_name)

    def _snapshot(self, row: ClassRow) -> dict[str, object]:
        return {
            "enrolled": row.enrolled, "room": row.room,
            "homeroom_teacher": row.homeroom_teacher_id, "building": row.building_id,
            "floor": self.floor_levels.get(row.floor_id) if row.floor_id else None,
            "assembly_area": row.assembly_area_id,
        }

    def _grade(self, name: str) -> GradeRow:
        grade = self.grades.get(name)
        if grade is None:
            clean = v.name("grade", name, 50)
            grade = GradeRow(school_id=self.school_id, name=clean, ordinal=grade_ordinal(clean))
            self.session.add(grade)
            self.session.flush()
            self.grades[clean] = grade
            self.grades_added.append(clean)
            self.changes |= Changes.of(Kind.GRADE, grade.id)
        return grade

    def _teacher(self, name: str) -> StaffRow:
        clean = name.strip()
        staff = self.staff.get(clean)
        if staff is None:
            staff = add_staff_in(self.session, self.school_id, clean,
                                 [StaffRole.HOMEROOM_TEACHER])
            self.staff[clean] = staff
            self.staff_added.append(clean)
            self.changes |= Changes.of(Kind.STAFF, staff.id)
        elif all(r.role != StaffRole.HOMEROOM_TEACHER for r in staff.roles):
            # A teacher already on staff (say, as grade leader) now also leads a class.
            staff.roles.append(StaffRoleRow(role=StaffRole.HOMEROOM_TEACHER.value))
            self.changes |= Changes.of(Kind.STAFF, staff.id)
        return staff


def _known(names: Iterable[str]) -> str:
    return ", ".join(sorted(names)) or _("none yet")


def _message(error: DrillplannerError) -> str:
    return error.message if isinstance(error, ValidationError) else str(error)


def export_roster(db: Database, school_id: int) -> list[RosterRow]:
    """The school's classes as roster rows, in grade order.

    Raises:
        NotFoundError: the school does not exist.
    """
    get_school(db, school_id)
    return [
        RosterRow(grade=c.grade_name, class_name=c.name, enrolled=c.enrolled,
                  homeroom_teacher=c.homeroom_teacher_name, room=c.room, floor=c.floor_level,
                  building=c.building_name, assembly_area=c.assembly_area_name)
        for c in list_classes(db, school_id)
    ]
