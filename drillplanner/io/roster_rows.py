"""From the cells of a roster sheet (CSV or XLSX alike) to checked roster rows.

Every problem in the file is collected, so a user fixes the whole file in one pass instead of
one error per attempt. References to the database (buildings, assembly areas) are checked by
the import service, not here: this module only knows the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from drillplanner.domain import validation as v
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.excerpts import excerpt
from drillplanner.domain.fields import label
from drillplanner.domain.progress import Progress, ProgressSink, Stage
from drillplanner.domain.roster import RosterError, RosterProblem, RosterRow, RosterTable
from drillplanner.domain.structure import class_full_name
from drillplanner.i18n import _
from drillplanner.io.roster_columns import REQUIRED, accepted_names, column_for

#: The most rows a roster file may have (a district's classes fit many times over).
MAX_ROWS = 200_000
#: How many rows pass between two progress reports.
PROGRESS_EVERY = 2000
# A title row ("2025学年班级名单") above the header is common; look this far for the header.
HEADER_SEARCH_ROWS = 10

# Longest text each field takes, as the database stores it.
TEXT_LIMITS: dict[str, int] = {
    "grade": 50, "class": 50, "homeroom_teacher": 100, "room": 50, "building": 100,
    "assembly_area": 100,
}

# More digits than this is never a count of students or floors (and too long to echo).
_LONGEST_NUMBER = 12
_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?")
# People write floors as "3楼", "3层" or "3F"; the number is what counts.
_FLOOR_SUFFIX = re.compile(r"(?<=\d)\s*(?:楼|层|f)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RawSheet:
    """The cells of a roster file before any checks.

    ``rows`` holds (file line, cells) for every row read, blank ones included.
    ``fixed_width`` says a row shorter than the header was cut short (CSV); in a spreadsheet
    missing trailing cells are simply empty. ``stopped`` is a problem that ended reading
    early (a quote never closed); the rows before it are still checked.
    """

    source: str
    rows: Sequence[tuple[int, Sequence[object]]]
    fixed_width: bool = True
    stopped: RosterProblem | None = None
    sheet: str = ""  # the workbook sheet the rows come from ("" for CSV)


def cell_text(value: object) -> str:
    """A cell as stripped text; Excel's 45.0 for a typed 45 reads as "45"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_blank(cells: Sequence[object]) -> bool:
    return all(not cell_text(cell) for cell in cells)


class _Checker:
    """Collects the problems of one sheet while turning its rows into RosterRows."""

    def __init__(self, sheet: RawSheet) -> None:
        self.sheet = sheet
        self.problems: list[RosterProblem] = []
        self.columns: dict[str, int] = {}
        self.headers: dict[int, str] = {}
        self.unknown: list[str] = []

    def problem(self, message: str, line: int | None, column: str = "") -> None:
        self.problems.append(RosterProblem(message, self.sheet.source, line, column))

    # Header ----------------------------------------------------------------------------

    def read_header(self, line: int, cells: Sequence[object]) -> None:
        for index, cell in enumerate(cells):
            if isinstance(cell, date | time | timedelta):
                continue
            name = cell_text(cell)
            if not name:
                continue
            self.headers[index] = excerpt(name, 40)
            key = column_for(name)
            if key is None:
                self.unknown.append(excerpt(name, 40))
            elif key in self.columns:
                self.problem(_("Columns “{first}” and “{second}” both mean {field}; keep only "
                               "one of them.").format(first=self.headers[self.columns[key]],
                                                      second=self.headers[index],
                                                      field=label(key)),
                             line, self.headers[index])
            else:
                self.columns[key] = index
        hint = ""
        if self.unknown:
            hint = " " + _("Columns not recognised: {columns}.").format(
                columns=excerpt(", ".join(self.unknown[:10]), 200))
        for key in REQUIRED:
            if key in self.columns:
                continue
            message = _("The required column {field} is missing (headers it may have: "
                        "{names}).").format(field=label(key), names=accepted_names(key))
            # The unrecognised headers are the likely culprits; say so once, not per column.
            self.problem(message + hint, line, label(key))
            hint = ""

    @property
    def width(self) -> int:
        return max(self.headers) + 1 if self.headers else 0

    # Rows ------------------------------------------------------------------------------

    def read_row(self, line: int, cells: Sequence[object]) -> RosterRow | None:
        before = len(self.problems)
        missing: set[str] = set()
        if self.sheet.fixed_width and len(cells) < self.width:
            first_missing = self.headers.get(len(cells), "")
            self.problem(_("This row has {n} cells but the header has {width}: it looks cut "
                           "short.").format(n=len(cells), width=self.width), line, first_missing)
            missing = {key for key, index in self.columns.items() if index >= len(cells)}
        for index, cell in enumerate(cells):
            if index not in self.headers and cell_text(cell):
                self.problem(_("“{value}” is in column {n}, which has no header: give the column "
                               "a header or remove the value.").format(
                                   value=excerpt(cell_text(cell)), n=index + 1), line)

        values: dict[str, object] = {}
        for key, index in self.columns.items():
            if key in missing:
                continue
            raw = cells[index] if index < len(cells) else None
            try:
                values[key] = self._value(key, raw)
            except ValidationError as error:
                self.problem(error.message, line, self.headers[index])
        if len(self.problems) > before or missing or not all(k in values for k in REQUIRED):
            return None
        floor = values.get("floor")
        return RosterRow(
            grade=str(values["grade"]), class_name=str(values["class"]),
            enrolled=int(str(values["enrolled"])),
            homeroom_teacher=str(values.get("homeroom_teacher", "")),
            room=str(values.get("room", "")), floor=floor if isinstance(floor, int) else None,
            building=str(values.get("building", "")),
            assembly_area=str(values.get("assembly_area", "")), line=line)

    def _value(self, key: str, raw: object) -> object:
        if isinstance(raw, date | time | timedelta):
            # Excel turns "1-2" or "3/4" into dates; we cannot know what was typed.
            raise ValidationError(key, _("{field} holds the date or time {value}: the "
                                         "spreadsheet converted what was typed. Format the "
                                         "column as Text and enter it again.").format(
                                             field=label(key), value=_date_text(raw)))
        if isinstance(raw, bool):
            raise ValidationError(key, _("{field} holds the logical value {value}.").format(
                field=label(key), value=str(raw).upper()))
        if key == "enrolled":
            return _whole_number(key, raw, 0, v.MAX_ENROLLED)
        if key == "floor":
            text = cell_text(raw)
            if not text:
                return None
            return _whole_number(key, _FLOOR_SUFFIX.sub("", unicodedata.normalize("NFKC", text)),
                                 1, v.MAX_FLOORS)
        text = cell_text(raw)
        for char in "" if text.isprintable() else text:  # printable: nothing to look for
            if char in "\r\n":
                raise ValidationError(key, _("{field} holds a line break; keep it on one line."
                                             ).format(field=label(key)))
            if unicodedata.category(char) == "Cc":
                raise ValidationError(key, _("{field} contains an invisible control character "
                                             "(U+{code:04X}).").format(field=label(key),
                                                                       code=ord(char)))
        if key in REQUIRED:
            return v.name(key, text, TEXT_LIMITS[key])
        return v.text(key, text, TEXT_LIMITS[key])


def _date_text(value: date | time | timedelta) -> str:
    return str(value) if isinstance(value, timedelta) else value.isoformat()


def _whole_number(key: str, raw: object, minimum: int, maximum: int) -> int:
    """A whole number from a cell: 45, 45.0 and "45" pass; 45.5, "45人" and "" do not."""
    if isinstance(raw, int | float):
        return v.whole_number(key, raw, minimum, maximum)
    text = unicodedata.normalize("NFKC", cell_text(raw))
    if not text:
        raise ValidationError(key, _("{field} must not be empty.").format(field=label(key)))
    if not _WHOLE.fullmatch(text):
        raise ValidationError(key, _("{field} must be a whole number, not “{value}”.").format(
            field=label(key), value=excerpt(cell_text(raw))))
    if len(text) > _LONGEST_NUMBER:
        raise ValidationError(key, _("{field} must be at most {max}, not {value}.").format(
            field=label(key), max=maximum, value=excerpt(text)))
    return v.whole_number(key, int(text.split(".")[0]), minimum, maximum)


def build_table(sheet: RawSheet, progress: ProgressSink | None = None) -> RosterTable:
    """Check a sheet and return its rows; raises RosterError listing every problem found.

    ``progress`` hears how many of the rows have been checked, now and then."""
    checker = _Checker(sheet)
    rows = [(line, cells) for line, cells in sheet.rows if not _is_blank(cells)]
    if not rows:
        if sheet.stopped is not None:
            raise RosterError([sheet.stopped])
        raise RosterError([RosterProblem(_("The file is empty: it has no header and no "
                                           "class rows."), sheet.source)])
    header_at = next((i for i, (_line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS])
                      if set(REQUIRED) <= {column_for(cell_text(c)) for c in cells}), 0)
    header_line, header_cells = rows[header_at]
    checker.read_header(header_line, header_cells)
    body = rows[header_at + 1:]
    if not body and sheet.stopped is None:
        checker.problem(_("The file has a header but no class rows."), header_line)

    result: list[RosterRow] = []
    first_line: dict[tuple[str, str], int] = {}
    for number, (line, cells) in enumerate(body, start=1):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(Progress(Stage.READ, number, len(body)))
        row = checker.read_row(line, cells)
        if row is None:
            continue
        key = (row.grade, row.class_name)
        if key in first_line:
            checker.problem(_("{name} is listed twice, on lines {first} and {line}; keep one "
                              "of them.").format(name=class_full_name(row.grade, row.class_name),
                                                 first=first_line[key], line=line),
                            line, checker.headers[checker.columns["class"]])
            continue
        first_line[key] = line
        result.append(row)
    if sheet.stopped is not None:
        checker.problems.append(sheet.stopped)
    if checker.problems:
        raise RosterError(checker.problems)
    return RosterTable(rows=tuple(result), source=sheet.source,
                       unknown_columns=tuple(checker.unknown), sheet=sheet.sheet)
