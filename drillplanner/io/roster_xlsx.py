"""Roster Excel workbooks (.xlsx) through openpyxl, imported only when one is used.

openpyxl takes a noticeable time to import, and start-up must not pay for it.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from drillplanner.domain.roster import RosterError, RosterProblem
from drillplanner.i18n import _
from drillplanner.io.roster_rows import RawSheet

log = logging.getLogger("drillplanner.io")

# Characters an XLSX file cannot hold (XML 1.0 forbids most C0 controls).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TEXT_FORMAT = "@"


def read(path: Path, source: str) -> RawSheet:
    """The cells of the first sheet of a workbook, each row with its sheet row number."""
    from openpyxl import load_workbook

    try:
        # openpyxl warns about styles and extensions it skips; none of them matter here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                # A stale <dimension> in the file would make read-only mode cut rows off.
                sheet.reset_dimensions()
                rows = [(number, list(cells)) for number, cells in
                        enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
            finally:
                book.close()
    except OSError:
        raise
    except Exception as error:
        # A damaged, encrypted or mislabelled file fails in many ways inside openpyxl.
        log.info("cannot read %s as a workbook", path, exc_info=True)
        raise RosterError([RosterProblem(
            _("The file cannot be opened as an Excel workbook (.xlsx): {reason}").format(
                reason=str(error) or type(error).__name__), source)]) from error
    return RawSheet(source, rows, fixed_width=False)


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
