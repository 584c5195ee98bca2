"""Rendering records for the terminal: aligned tables (CJK-aware), CSV and JSON.

A terminal shows a Chinese character in two columns, so padding counts display columns,
not characters; otherwise columns of class and teacher names drift apart.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from drillplanner.i18n import _
from drillplanner.io.csv_cells import safe_cell

FORMATS = ("table", "csv", "json")
COLUMN_GAP = "  "

Record = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Column:
    """One output column: ``key`` names it in JSON and CSV, ``header`` in tables."""

    key: str
    header: str
    numeric: bool = False


def char_width(char: str) -> int:
    """Columns ``char`` takes in a terminal: 2 for wide (CJK), 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal."""
    return sum(char_width(char) for char in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def cell_text(value: object) -> str:
    """How a value shows in a table or CSV cell: None is empty, newlines become spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return " ".join(str(value).splitlines())


def render_table(columns: Sequence[Column], records: Sequence[Record]) -> str:
    """An aligned text table with a header line and a rule under it."""
    rows = [[cell_text(record.get(c.key)) for c in columns] for record in records]
    headers = [c.header for c in columns]
    widths = [max([display_width(h), *(display_width(row[i]) for row in rows)])
              for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return COLUMN_GAP.join(pad(cell, widths[i], right=columns[i].numeric)
                               for i, cell in enumerate(cells)).rstrip()

    out = [line(headers), COLUMN_GAP.join("-" * w for w in widths)]
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n"


def render_csv(columns: Sequence[Column], records: Sequence[Record]) -> str:
    """CSV with the column keys as header, so scripts do not depend on the language.

    Cells follow the CSV-injection rule in drillplanner.io.csv_cells.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    for record in records:
        writer.writerow([safe_cell(cell_text(record.get(c.key))) for c in columns])
    return buffer.getvalue()


def render_json(records: Sequence[Record]) -> str:
    """A JSON array of objects; Chinese stays readable (not \\u-escaped)."""
    return json.dumps([dict(r) for r in records], ensure_ascii=False, indent=2) + "\n"


def render(fmt: str, columns: Sequence[Column], records: Sequence[Record]) -> str:
    """Render ``records`` as ``fmt`` (one of FORMATS)."""
    if fmt == "json":
        return render_json(records)
    if fmt == "csv":
        return render_csv(columns, records)
    return render_table(columns, records)


def emit(text: str, stream: TextIO | None = None) -> None:
    """Write already-rendered text to stdout (or ``stream``) without an extra newline."""
    target = stream if stream is not None else sys.stdout
    target.write(text)
    target.flush()
