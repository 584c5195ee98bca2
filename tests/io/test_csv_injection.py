"""CSV files drillplanner writes cannot run as spreadsheet formulas (OWASP CSV injection),
and read back unchanged."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drillplanner.domain.roster import RosterError, RosterRow
from drillplanner.io.csv_cells import read_cell, safe_cell
from drillplanner.io.roster_files import read_roster, write_roster

ATTACKS = ["=HYPERLINK(\"http://evil\",\"click\")", "+cmd|' /C calc'!A0", "=1+1", "@SUM(1)",
           "-1+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", ATTACKS)
def test_formula_cells_get_an_apostrophe(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-5", "-3.5", "+86 138 0000 0000", "-(010) 1234-5678",
                                   "一年级", "O'Brien", "1-2", ""])
def test_numbers_phones_and_plain_text_stay(value: str) -> None:
    assert safe_cell(value) == value


@given(st.text())
def test_reading_undoes_writing(value: str) -> None:
    assert read_cell(safe_cell(value)) == value
    assert not safe_cell(value).startswith(("=", "@", "\t", "\r"))


def test_roster_export_is_neutralised_and_reads_back(tmp_path: Path) -> None:
    rows = [RosterRow("一年级", "=1+1", 30, "+cmd|' /C calc'!A0", "=HYPERLINK(\"x\")", 1,
                      "@教学楼", "-操场"),
            RosterRow("一年级", "'=2+2", 30, "-5", "+86 138", None, "", "")]
    path = tmp_path / "out.csv"
    write_roster(path, rows)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@") and cell != "+86 138"]
    assert {"'=1+1", "'+cmd|' /C calc'!A0", "'@教学楼", "'-操场", "''=2+2", "-5"} <= set(cells)
    read = read_roster(path).rows
    assert [(r.class_name, r.homeroom_teacher, r.room, r.building) for r in read] == [
        ("=1+1", "+cmd|' /C calc'!A0", "=HYPERLINK(\"x\")", "@教学楼"),
        ("'=2+2", "-5", "+86 138", "")]


@pytest.mark.parametrize(("cell", "code"), [("1\u202e班", "U+202E"), ("1\u2066班", "U+2066"),
                                            ("1\x07班", "U+0007")])
def test_roster_import_refuses_bidi_and_control_with_line_and_column(
        tmp_path: Path, cell: str, code: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(f"年级,班级,人数\n一年级,1班,30\n一年级,{cell},30\n", encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, "班级")
    assert code in problem.message


def test_roster_import_drops_zero_width_characters(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("年级,班级,人数\n一年级\u200b,1\ufeff班\u2060,30\n", encoding="utf-8")
    (row,) = read_roster(path).rows
    assert (row.grade, row.class_name) == ("一年级", "1班")
