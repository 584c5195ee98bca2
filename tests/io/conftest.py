"""Roster files made on the fly, in any encoding or as a workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

WriteCsv = Callable[..., Path]
WriteXlsx = Callable[..., Path]


def csv_text(rows: Sequence[Sequence[object]], delimiter: str = ",") -> str:
    """Rows as CSV text, quoted the way Excel and the csv module quote."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """Write rows (or raw text) to a .csv file in ``encoding``; returns its path."""

    def write(rows: Sequence[Sequence[object]] | str, encoding: str = "utf-8",
              name: str = "roster.csv", delimiter: str = ",") -> Path:
        text = rows if isinstance(rows, str) else csv_text(rows, delimiter)
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> WriteXlsx:
    """Write rows (cells of any type openpyxl takes) to the first sheet of a workbook."""

    def write(rows: Sequence[Sequence[object]], name: str = "roster.xlsx",
              first_row: int = 1) -> Path:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for offset, row in enumerate(rows):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=first_row + offset, column=column, value=value)
        book.create_sheet("Other").append(["ignored", "sheet"])
        path = tmp_path / name
        book.save(path)
        return path

    return write
