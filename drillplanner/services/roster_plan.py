"""Checking a roster against a school snapshot and planning what importing it writes.

Pure work on plain values: no database, no lock. Every problem of every row is collected
(with file, line and column) before anything is decided, so that a roster is either planned
whole or refused whole. The plan names new grades and teachers by name; their ids exist
only once ``roster_apply`` has written them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from drillplanner.domain import validation as v
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.fields import label
from drillplanner.domain.roster import (
    ImportSummary,
    RosterError,
    RosterProblem,
    RosterRow,
    RosterTable,
)
from drillplanner.domain.structure import class_full_name
from drillplanner.i18n import _
from drillplanner.io.roster_rows import TEXT_LIMITS
from drillplanner.services.roster_snapshot import SchoolSnapshot, StoredClass

#: Called now and then while rows are checked: (rows checked, rows in all).
Checked = Callable[[int, int], None]
_REPORT_EVERY = 2000

# A row's texts: (roster column, RosterRow attribute, required).
_TEXT_FIELDS = (("grade", "grade", True), ("class", "class_name", True),
                ("homeroom_teacher", "homeroom_teacher", False), ("room", "room", False),
                ("building", "building", False), ("assembly_area", "assembly_area", False))


@dataclass(slots=True)
class PlannedClass:
    """A class to add (``stored`` None) or to update, with every value it will hold.

    ``teacher`` names a homeroom teacher this import creates (``values`` then holds no id
    for them yet)."""

    grade: str
    name: str
    values: dict[str, object]
    stored: StoredClass | None = None
    teacher: str | None = None

    @property
    def full_name(self) -> str:
        return class_full_name(self.grade, self.name)


@dataclass(slots=True)
class RosterPlan:
    snapshot: SchoolSnapshot
    summary: ImportSummary
    new_grades: list[str] = field(default_factory=list)
    new_staff: list[str] = field(default_factory=list)
    #: Staff already in the school who now also lead a class.
    homeroom_for: list[int] = field(default_factory=list)
    inserts: list[PlannedClass] = field(default_factory=list)
    updates: list[PlannedClass] = field(default_factory=list)
    removals: list[int] = field(default_factory=list)


def plan_import(snapshot: SchoolSnapshot, table: RosterTable, *, remove_absent: bool,
                dry_run: bool, checked: Checked | None = None) -> RosterPlan:
    """What importing ``table`` into the snapshot's school writes.

    Raises:
        RosterError: every problem found, each with file, line and column.
    """
    return _Planner(snapshot, table).plan(remove_absent, dry_run, checked)


class _Planner:
    def __init__(self, snapshot: SchoolSnapshot, table: RosterTable) -> None:
        self.snapshot = snapshot
        self.table = table
        self.problems: list[RosterProblem] = []
        self.new_grades: dict[str, None] = {}
        self.new_staff: dict[str, None] = {}
        self.homeroom_for: dict[int, None] = {}
        self.inserts: list[PlannedClass] = []
        self.updates: list[PlannedClass] = []
        self.unchanged: list[str] = []
        self.changed_fields: dict[str, tuple[str, ...]] = {}

    def problem(self, row: RosterRow, key: str, message: str) -> None:
        self.problems.append(RosterProblem(message, self.table.source, row.line or None,
                                           label(key) if key else ""))

    def plan(self, remove_absent: bool, dry_run: bool, checked: Checked | None) -> RosterPlan:
        rows = self.table.rows
        if not rows:
            raise RosterError([RosterProblem(_("The roster has no class rows."),
                                             self.table.source)])
        seen: dict[tuple[str, str], RosterRow] = {}
        for number, given in enumerate(rows, start=1):
            if checked is not None and number % _REPORT_EVERY == 0:
                checked(number, len(rows))
            row = self._checked(given)
            if row is None:
                continue
            key = (row.grade, row.class_name)
            if key in seen:
                self.problem(row, "class", _(
                    "{name} is listed twice, on lines {first} and {line}; keep one of them."
                ).format(name=class_full_name(*key), first=seen[key].line, line=row.line))
                continue
            seen[key] = row
            self._plan_row(row, key)
        if checked is not None:
            checked(len(rows), len(rows))
        if self.problems:
            raise RosterError(self.problems)
        stored = self.snapshot.classes
        absent = [key for key in stored if key not in seen]
        absent_names = tuple(class_full_name(*key) for key in absent)
        summary = ImportSummary(
            added=tuple(c.full_name for c in self.inserts),
            updated=tuple(c.full_name for c in self.updates),
            unchanged=tuple(self.unchanged), absent=absent_names,
            removed=absent_names if remove_absent else (),
            staff_added=tuple(self.new_staff), grades_added=tuple(self.new_grades),
            unknown_columns=self.table.unknown_columns, dry_run=dry_run,
            changed_fields=self.changed_fields)
        return RosterPlan(
            self.snapshot, summary, list(self.new_grades), list(self.new_staff),
            list(self.homeroom_for), self.inserts, self.updates,
            [stored[key].id for key in absent] if remove_absent else [])

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
        if all(texts[attribute] == getattr(row, attribute) for attribute in texts):
            return row  # as read by drillplanner.io: already clean
        return dataclasses.replace(
            row, grade=texts["grade"], class_name=texts["class_name"],
            homeroom_teacher=texts["homeroom_teacher"], room=texts["room"],
            building=texts["building"], assembly_area=texts["assembly_area"])

    def _plan_row(self, row: RosterRow, key: tuple[str, str]) -> None:
        before = len(self.problems)
        stored = self.snapshot.classes.get(key)
        values: dict[str, object] = dict(stored.values) if stored is not None else dict(
            _NEW_CLASS)
        try:
            values["enrolled"] = v.whole_number("enrolled", row.enrolled, 0, v.MAX_ENROLLED)
        except ValidationError as error:
            self.problem(row, "enrolled", error.message)
        if row.room:
            values["room"] = row.room
        self._place(row, values)
        teacher = self._teacher(row, values)
        if stored is None and key[0] not in self.snapshot.grades:
            self.new_grades.setdefault(key[0], None)
        if len(self.problems) > before:
            return
        planned = PlannedClass(key[0], key[1], values, stored, teacher)
        if stored is None:
            self.inserts.append(planned)
            return
        changed = tuple(_FIELD_NAMES[name] for name, value in values.items()
                        if value != stored.values[name]
                        or (name == "homeroom_teacher_id" and teacher is not None))
        if changed:
            self.updates.append(planned)
            self.changed_fields[planned.full_name] = changed
        else:
            self.unchanged.append(planned.full_name)

    def _place(self, row: RosterRow, values: dict[str, object]) -> None:
        """Building, floor and assembly area: the named ones must exist; an empty cell
        keeps what is stored."""
        if row.building:
            building = self.snapshot.buildings.get(row.building)
            if building is None:
                self.problem(row, "building", _(
                    "Unknown building “{name}”. Buildings of this school: {known}.").format(
                        name=row.building, known=_known(self.snapshot.buildings)))
            else:
                moved = values["building_id"] != building.id
                values["building_id"] = building.id
                if row.floor is not None:
                    floor_id = building.floors.get(row.floor)
                    if floor_id is None:
                        self.problem(row, "floor", _(
                            "{building} has no floor {level}; it has floors 1 to {count}."
                        ).format(building=row.building, level=row.floor,
                                 count=len(building.floors)))
                    values["floor_id"] = floor_id
                elif moved:
                    # A floor belongs to the old building; do not carry it over.
                    values["floor_id"] = None
        elif row.floor is not None:
            self.problem(row, "floor", _("A floor needs a building: fill in the building "
                                         "column too."))
        if row.assembly_area:
            area = self.snapshot.areas.get(row.assembly_area)
            if area is None:
                self.problem(row, "assembly_area", _(
                    "Unknown assembly area “{name}”. Assembly areas of this school: {known}."
                ).format(name=row.assembly_area, known=_known(self.snapshot.areas)))
            values["assembly_area_id"] = area

    def _teacher(self, row: RosterRow, values: dict[str, object]) -> str | None:
        """Set the homeroom teacher; the name of one this import creates, else None."""
        name = row.homeroom_teacher
        if not name:
            return None
        found = self.snapshot.staff.get(name)
        if found is not None:
            staff_id, homeroom = found
            values["homeroom_teacher_id"] = staff_id
            if not homeroom:
                # A teacher already on staff (say, as grade leader) now also leads a class.
                self.homeroom_for.setdefault(staff_id, None)
            return None
        try:
            v.name("homeroom_teacher", name, TEXT_LIMITS["homeroom_teacher"])
        except ValidationError as error:
            self.problem(row, "homeroom_teacher", error.message)
            return None
        self.new_staff.setdefault(name, None)
        values["homeroom_teacher_id"] = None
        return name


_NEW_CLASS: dict[str, object] = {
    "enrolled": 0, "room": "", "homeroom_teacher_id": None, "building_id": None,
    "floor_id": None, "assembly_area_id": None, "route_id": None}
# The summary's names for changed class values (the roster's columns).
_FIELD_NAMES = {"enrolled": "enrolled", "room": "room", "building_id": "building",
                "floor_id": "floor", "assembly_area_id": "assembly_area",
                "homeroom_teacher_id": "homeroom_teacher", "route_id": "route"}


def _known(names: Iterable[str]) -> str:
    return ", ".join(sorted(names)) or _("none yet")
