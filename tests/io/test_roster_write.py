"""Writing rosters: what is written reads back as the same rows, in either language."""

from __future__ import annotations

import csv
import dataclasses
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drillplanner.domain.roster import RosterError, RosterRow
from drillplanner.domain.validation import BIDI_CONTROLS, ZERO_WIDTH
from drillplanner.io import roster_files
from drillplanner.io.roster_files import read_roster, write_roster

ROWS = [
    RosterRow("一年级", "1班", 45, "张丽", "101", 1, "教学楼A", "操场东侧"),
    RosterRow("一年级", "1-2", 0, "", "", None, "", ""),
    RosterRow("Grade 10", "007", 500, "O'Brien, Pat", "=1+1", 60, "Main \"Old\"", "Field"),
]


def without_lines(rows: tuple[RosterRow, ...] | list[RosterRow]) -> list[RosterRow]:
    return [dataclasses.replace(row, line=0) for row in rows]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str,
                    language: str) -> None:
    monkeypatch.setattr(roster_files, "current_language", lambda: language)
    path = tmp_path / f"out{suffix}"
    write_roster(path, ROWS)
    table = read_roster(path)
    assert without_lines(table.rows) == ROWS
    assert [row.line for row in table.rows] == [2, 3, 4]
    assert table.unknown_columns == ()


@pytest.mark.parametrize(("language", "header"), [
    ("en", "Grade,Class,Homeroom teacher,Enrolled,Room,Floor,Building,Assembly area"),
    ("zh_CN", "年级,班级,班主任,人数,教室,楼层,楼栋,集合区域"),
])
def test_csv_has_bom_and_language_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          language: str, header: str) -> None:
    monkeypatch.setattr(roster_files, "current_language", lambda: language)
    path = tmp_path / "out.csv"
    write_roster(path, ROWS[:1])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[0] == header
    assert lines[1] == "一年级,1班,张丽,45,101,1,教学楼A,操场东侧"


def test_xlsx_keeps_text_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    monkeypatch.setattr(roster_files, "current_language", lambda: "zh_CN")
    path = tmp_path / "out.xlsx"
    write_roster(path, ROWS)
    sheet = load_workbook(path).worksheets[0]
    assert [cell.value for cell in sheet[1]][:4] == ["年级", "班级", "班主任", "人数"]
    class_cell, enrolled_cell = sheet["B3"], sheet["D3"]
    # "1-2" typed again in Excel would become a date unless the column is Text.
    assert (class_cell.value, class_cell.number_format) == ("1-2", "@")
    assert enrolled_cell.value == 0 and enrolled_cell.number_format != "@"
    assert sheet["F3"].value is None


def test_overwrites_an_existing_file_completely(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old content that is much longer than the new one\n" * 100)
    write_roster(path, ROWS[:1])
    assert without_lines(read_roster(path).rows) == ROWS[:1]
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_written_file_is_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_roster(path, ROWS)
    assert path.stat().st_mode & 0o044 == 0o044


def test_unwritable_target_raises_roster_error(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="cannot be written") as caught:
        write_roster(tmp_path / "missing" / "out.csv", ROWS)
    assert caught.value.problems[0].file == "out.csv"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only folders")
def test_read_only_folder_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("previous")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(RosterError, match="cannot be written"):
            write_roster(path, ROWS)
    finally:
        tmp_path.chmod(0o755)
    assert path.read_text() == "previous"


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match=r"\.csv or \.xlsx"):
        write_roster(tmp_path / "out.ods", ROWS)
    assert not (tmp_path / "out.ods").exists()


def test_excel_style_csv_quoting_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_roster(path, ROWS)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[3][2] == "O'Brien, Pat"


# Names as a database holds them: stripped, one line, no control characters, no
# text-direction controls or zero-width characters (validation refuses or drops those).
_name = st.text(st.characters(blacklist_categories=("Cc", "Cs"),
                              blacklist_characters="".join(BIDI_CONTROLS) + ZERO_WIDTH),
                min_size=1,
                max_size=50).map(str.strip).filter(bool)
_optional = st.one_of(st.just(""), _name)
_rows = st.lists(st.builds(
    RosterRow, grade=_name, class_name=_name, enrolled=st.integers(0, 500),
    homeroom_teacher=_optional, room=_optional, floor=st.none() | st.integers(1, 60),
    building=_optional, assembly_area=_optional,
), min_size=1, max_size=8, unique_by=lambda row: (row.grade, row.class_name))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_rows, suffix=st.sampled_from([".csv", ".xlsx"]))
def test_any_rows_round_trip(tmp_path: Path, rows: list[RosterRow], suffix: str) -> None:
    path = tmp_path / f"any{suffix}"
    write_roster(path, rows)
    assert without_lines(read_roster(path).rows) == rows
