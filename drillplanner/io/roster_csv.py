"""Roster CSV files: encoding detection, parsing into a RawSheet, and writing.

Chinese Excel saves "CSV" in GB18030/GBK, "CSV UTF-8" with a byte-order mark; other tools
write plain UTF-8. The encoding is decided by a fixed rule, never by guessing statistics:
a BOM wins, then strict UTF-8, then strict GB18030.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from drillplanner.domain.roster import RosterError, RosterProblem
from drillplanner.i18n import _, format_size
from drillplanner.io.csv_cells import read_cell, safe_row
from drillplanner.io.roster_rows import HEADER_SEARCH_ROWS, MAX_ROWS, RawSheet

#: The largest CSV roster read (200,000 rows of a roster take about 20 MB).
MAX_BYTES = 64 * 2**20
# Excel saves "Unicode text" as tab-separated UTF-16 and some locales write ";".
_DELIMITERS = (",", "\t", ";")


def _line_of(text: str) -> int:
    """The 1-based line at the end of ``text``, counting \\n, \\r\\n and \\r as csv does."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def decode(data: bytes, source: str) -> str:
    """The text of a CSV file; raises RosterError naming the line of the first bad byte."""
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise RosterError([_undecodable(data, source, [(error.start, encoding)])]
                                  ) from None
    failures: list[tuple[int, str]] = []
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            failures.append((error.start, encoding))
    raise RosterError([_undecodable(data, source, failures)])


def _undecodable(data: bytes, source: str, failures: list[tuple[int, str]]) -> RosterProblem:
    # The encoding that read furthest is the one the file was most likely meant to be in.
    position, encoding = max(failures)
    before = data[:position].decode(encoding, errors="replace")
    return RosterProblem(
        _("The file is not text in UTF-8 or GB18030 (the encodings Excel uses): byte 0x{byte:02X} "
          "cannot be read. Save it again as “CSV UTF-8” or as an Excel workbook (.xlsx)."
          ).format(byte=data[position]),
        source, _line_of(before))


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    counts = {d: sum(line.count(d) for line in lines) for d in _DELIMITERS}
    # max() keeps the first of equal counts, so a comma wins ties.
    return max(_DELIMITERS, key=lambda d: counts[d])


def parse(text: str, source: str) -> RawSheet:
    """Split CSV text into rows with their file lines; a bad quote stops reading there."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise RosterError([RosterProblem(_(
                    "The file has more than {limit} rows; a roster has fewer.").format(
                        limit=MAX_ROWS), source, line)])
            rows.append((line, [read_cell(cell) for cell in cells]))
            line = reader.line_num + 1
    except csv.Error as error:
        return RawSheet(source, rows, fixed_width=True, stopped=RosterProblem(
            _("The file cannot be read from this line on ({reason}): look for a quote (\") "
              "that is not closed.").format(reason=error), source, line))
    return RawSheet(source, rows, fixed_width=True)


def read(path: Path, source: str) -> RawSheet:
    """Read and decode a CSV roster file (OSError is left to the caller)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise RosterError([RosterProblem(_(
            "The file is {size}; a roster file may be at most {limit}.").format(
                size=format_size(size), limit=format_size(MAX_BYTES)), source)])
    return parse(decode(path.read_bytes(), source), source)


def write(handle: TextIO, header: Sequence[str],
          rows: Sequence[Sequence[object]]) -> None:
    """Write a header and rows to an open text handle (opened with newline="").

    Text cells follow the CSV-injection rule in drillplanner.io.csv_cells.
    """
    writer = csv.writer(handle)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row("" if cell is None else cell for cell in row) for row in rows)
