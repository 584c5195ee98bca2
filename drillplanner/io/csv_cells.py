"""Cells safe to open in a spreadsheet: the CSV-injection rule every CSV writer follows.

Excel, LibreOffice and WPS treat a CSV cell that starts with ``=``, ``+``, ``-`` or ``@``
(or with a tab or carriage return before one) as a formula, so a class named
``=HYPERLINK(...)`` or ``+cmd|' /C calc'!A0`` would run when the export is opened. Following
the OWASP rule, such a cell is written with a leading apostrophe, which spreadsheets show
as text and do not evaluate.

Two kinds of value that start with ``+`` or ``-`` are kept as they are, because they
cannot call a function or another program and an apostrophe would only spoil them: plain
numbers (``-5``, ``+3.5``) and phone-like values (``+86 138-0000-0000``, ``-(010) 1234``),
that is a sign followed by digits, spaces, dots, hyphens and parentheses only.

So that drillplanner reads its own files back unchanged, a cell that already starts with
apostrophes before a formula character gets one more, and reading removes exactly one
(``read_cell``): "=1+1" is written "'=1+1", "'=1+1" is written "''=1+1".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_OR_PHONE = re.compile(r"[+-][0-9(][0-9 ().\-]*")


def _formula_like(value: str) -> bool:
    core = value.lstrip("'")
    return core.startswith(FORMULA_STARTS) and not _NUMBER_OR_PHONE.fullmatch(core)


def safe_cell(value: str) -> str:
    """``value`` as it may be written to CSV: formula-leading text gets an apostrophe."""
    return "'" + value if _formula_like(value) else value


def read_cell(value: str) -> str:
    """A cell as written by ``safe_cell`` back to its value (the inverse of safe_cell)."""
    return value[1:] if value.startswith("'") and _formula_like(value) else value


def safe_row(cells: Iterable[object]) -> list[object]:
    """A row of cells with every text cell made safe; numbers and None pass unchanged."""
    return [safe_cell(cell) if isinstance(cell, str) else cell for cell in cells]
