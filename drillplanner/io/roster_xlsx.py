"""Roster Excel workbooks (.xlsx) through openpyxl, imported only when one is used.

openpyxl takes a noticeable time to import, and start-up must not pay for it.
"""

from __future__ import annotations

import logging
import re
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from drillplanner.domain.excerpts import excerpt
from drillplanner.domain.progress import Progress, ProgressSink, Stage
from drillplanner.domain.roster import RosterError, RosterProblem
from drillplanner.i18n import _
from drillplanner.io.roster_rows import MAX_ROWS, PROGRESS_EVERY, RawSheet

log = logging.getLogger("drillplanner.io")

# Characters an XLSX file cannot hold (XML 1.0 forbids most C0 controls).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TEXT_FORMAT = "@"
# Bounds checked before and while reading: the unpacked size of all parts of the file, the
# rows and columns of the sheet, the characters of one cell.
MAX_UNPACKED = 256 * 2**20
MAX_COLUMNS = 200
MAX_CELL_LENGTH = 10_000


def check_size(path: Path, source: str) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED bytes (a "zip bomb"),
    from the sizes the zip directory lists, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise RosterError([RosterProblem(
            _("The file cannot be opened as an Excel workbook (.xlsx): {reason}").format(
                reason=excerpt(str(error) or type(error).__name__, 200)), source)]) from error
    if unpacked > MAX_UNPACKED:
        raise RosterError([RosterProblem(
            _("The workbook unpacks to {size} MB; a roster workbook may unpack to at most "
              "{limit} MB. Save only the roster sheet in a new workbook or as CSV.").format(
                  size=unpacked // 2**20, limit=MAX_UNPACKED // 2**20), source)])


def _choose(book: Any, wanted: str | None, source: str) -> Any:
    """The sheet named ``wanted``; without a name the active sheet when it is visible, else
    the first visible one (a hidden sheet is never read unless named)."""
    if wanted is not None:
        if wanted in book.sheetnames:
            return book[wanted]
        raise RosterError([RosterProblem(
            _("The workbook has no sheet “{name}”; its sheets are: {names}.").format(
                name=excerpt(wanted), names=", ".join(
                    excerpt(name, 31) for name in book.sheetnames[:20])), source)])
    active = book.active
    if active is not None and active.sheet_state == "visible":
        return active
    for sheet in book.worksheets:
        if sheet.sheet_state == "visible":
            return sheet
    raise RosterError([RosterProblem(_("The workbook has no visible sheet; name the sheet to "
                                       "read with --sheet."), source)])


def _row_cells(number: int, cells: tuple[object, ...], source: str) -> list[object]:
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL_LENGTH:
            from openpyxl.utils import get_column_letter

            raise RosterError([RosterProblem(
                _("A cell holds {n} characters (at most {limit}): “{value}”.").format(
                    n=len(cell), limit=MAX_CELL_LENGTH, value=excerpt(cell)),
                source, number, get_column_letter(index + 1))])
    return list(cells)


def read(path: Path, source: str, sheet_name: str | None = None,
         progress: ProgressSink | None = None) -> RawSheet:
    """The cells of one sheet of a workbook, each row with its sheet row number: the sheet
    named ``sheet_name``, else the active (or first visible) sheet.

    Raises:
        RosterError: the file is too big once unpacked, too long or wide, holds a cell too
            long for a roster, has no such sheet, or cannot be read as a workbook.
    """
    check_size(path, source)
    from openpyxl import load_workbook

    try:
        # openpyxl warns about styles and extensions it skips; none of them matter here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = _choose(book, sheet_name, source)
                # A stale <dimension> in the file would make read-only mode cut rows off.
                sheet.reset_dimensions()
                rows = []
                for number, cells in enumerate(sheet.iter_rows(
                        min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1):
                    if number > MAX_ROWS:
                        raise RosterError([RosterProblem(_(
                            "The sheet has more than {limit} rows; a roster has fewer.").format(
                                limit=MAX_ROWS), source, number)])
                    rows.append((number, _row_cells(number, cells, source)))
                    if progress is not None and number % PROGRESS_EVERY == 0:
                        progress(Progress(Stage.READ, number, 0))  # how many, unknown
                title = str(sheet.title)
            finally:
                book.close()
    except (OSError, RosterError):
        raise
    except Exception as error:
        # A damaged, encrypted or mislabelled file fails in many ways inside openpyxl.
        log.info("cannot read %s as a workbook", path, exc_info=True)
        raise RosterError([RosterProblem(
            _("The file cannot be opened as an Excel workbook (.xlsx): {reason}").format(
                reason=excerpt(str(error) or type(error).__name__, 200)), source)]
        ) from error
    return RawSheet(source, rows, fixed_width=False, sheet=title)


def write(handle: BinaryIO, header: Sequence[str], rows: Sequence[Sequence[object]],
          title: str, text_columns: Sequence[int]) -> None:
    """Write one sheet; ``text_columns`` are formatted as Text so Excel keeps "1-2" as typed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_ILLEGAL.sub("", cell) if isinstance(cell, str) else cell
                      for cell in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":
                # openpyxl takes any text starting with "=" for a formula; a name is text.
                cell.data_type = "s"
    for index, name in enumerate(header):
        letter = get_column_letter(index + 1)
        widest = max([len(str(r[index] or "")) for r in rows] + [len(name)])
        sheet.column_dimensions[letter].width = min(40, max(8, widest * 2 + 2))
        if index in text_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.number_format = _TEXT_FORMAT
    sheet.freeze_panes = "A2"
    book.save(handle)
