"""Reading and writing roster files (.csv and .xlsx): the only entry points callers need.

The reader is forgiving in format (encodings, English or Chinese headers, title rows,
Excel's numbers) and strict in content: every problem is reported with file, line and
column, all at once. Whether buildings and assembly areas exist is the import service's
business, not the file's.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from drillplanner.domain.progress import ProgressSink
from drillplanner.domain.roster import RosterError, RosterProblem, RosterRow, RosterTable
from drillplanner.i18n import _, current_language
from drillplanner.io import roster_csv
from drillplanner.io.roster_columns import COLUMNS, header_names
from drillplanner.io.roster_rows import build_table

SUFFIXES = (".csv", ".xlsx")
# Columns written as text in a workbook (all but enrolled and floor).
_TEXT_COLUMNS = tuple(i for i, key in enumerate(COLUMNS) if key not in ("enrolled", "floor"))


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RosterError([RosterProblem(
            _("“{suffix}” files are not rosters drillplanner reads: use .csv or .xlsx (in "
              "Excel: Save As, then “CSV UTF-8” or “Excel Workbook”).").format(
                  suffix=path.suffix or path.name), path.name)])
    return suffix


def read_roster(path: Path, sheet: str | None = None,
                progress: ProgressSink | None = None) -> RosterTable:
    """Read a roster file; raises RosterError listing every problem found in it.

    Args:
        path: a .csv (UTF-8, UTF-8 with BOM or GB18030) or .xlsx file.
        sheet: the workbook sheet to read; by default the active sheet when it is visible,
            else the first visible one (``RosterTable.sheet`` names the one read).
        progress: told now and then how many rows have been read and checked.

    Returns:
        The rows with their file lines; ``source`` is the file name used in problems.
    """
    path = Path(path)
    source = path.name
    suffix = _format(path)
    try:
        if suffix == ".xlsx":
            from drillplanner.io import roster_xlsx

            raw = roster_xlsx.read(path, source, sheet, progress)
        else:
            if sheet is not None:
                raise RosterError([RosterProblem(_(
                    "A CSV file has no sheets; --sheet is for Excel workbooks (.xlsx)."),
                    source)])
            raw = roster_csv.read(path, source)
    except OSError as error:
        raise RosterError([RosterProblem(_("The file cannot be read: {reason}").format(
            reason=error.strerror or error), source)]) from error
    return build_table(raw, progress)


def _cells(row: RosterRow) -> list[object]:
    values: dict[str, object] = {
        "grade": row.grade, "class": row.class_name, "homeroom_teacher": row.homeroom_teacher,
        "enrolled": row.enrolled, "room": row.room, "floor": row.floor,
        "building": row.building, "assembly_area": row.assembly_area,
    }
    return [values[key] for key in COLUMNS]


def _write_atomically(path: Path, data: bytes) -> None:
    """Write next to ``path`` and move into place only when complete, so a failed export
    never leaves half a file where a good one was."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private; an export should be as readable as any other file.
        os.chmod(temporary, path.stat().st_mode if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_roster(path: Path, rows: Sequence[RosterRow]) -> None:
    """Write rows in the format ``read_roster`` reads, chosen by the suffix.

    CSV is written as UTF-8 with a BOM so Excel opens it with the right encoding. Headers
    are Chinese when the current language is zh_CN, English otherwise.

    Raises:
        RosterError: unsupported suffix, or the file cannot be written.
    """
    path = Path(path)
    suffix = _format(path)
    header = header_names(current_language())
    cells = [_cells(row) for row in rows]
    if suffix == ".xlsx":
        from drillplanner.io import roster_xlsx

        buffer = io.BytesIO()
        roster_xlsx.write(buffer, header, cells, title=_("Roster"), text_columns=_TEXT_COLUMNS)
        data = buffer.getvalue()
    else:
        text = io.StringIO(newline="")
        roster_csv.write(text, header, cells)
        data = text.getvalue().encode("utf-8-sig")
    try:
        _write_atomically(path, data)
    except OSError as error:
        raise RosterError([RosterProblem(_("The file cannot be written: {reason}").format(
            reason=error.strerror or error), path.name)]) from error
