"""Good roster files in every encoding and format read into the same rows."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from drillplanner.domain.roster import RosterRow
from drillplanner.io.roster_columns import column_for
from drillplanner.io.roster_files import read_roster

CHINESE = [
    ["年级", "班级", "班主任", "人数", "教室", "楼层", "楼栋", "集合区域"],
    ["一年级", "1班", "张丽", "45", "101", "1", "教学楼A", "操场东侧"],
    ["一年级", "2班", "王芳", "44", "102", "", "教学楼A", ""],
    ["二年级", "1班", "", "0", "", "", "", ""],
]
ENGLISH = [
    ["Grade", "Class", "Homeroom teacher", "Enrolled", "Room", "Floor", "Building",
     "Assembly area"],
    *CHINESE[1:],
]
WriteCsv = Callable[..., Path]
WriteXlsx = Callable[..., Path]

EXPECTED = [
    RosterRow("一年级", "1班", 45, "张丽", "101", 1, "教学楼A", "操场东侧", line=2),
    RosterRow("一年级", "2班", 44, "王芳", "102", None, "教学楼A", "", line=3),
    RosterRow("二年级", "1班", 0, line=4),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
@pytest.mark.parametrize("rows", [CHINESE, ENGLISH], ids=["chinese", "english"])
def test_csv_in_every_encoding(write_csv: WriteCsv, encoding: str,
                               rows: list[list[str]]) -> None:
    table = read_roster(write_csv(rows, encoding))
    assert list(table.rows) == EXPECTED
    assert table.source == "roster.csv"
    assert table.unknown_columns == ()


def test_gb18030_is_detected_even_where_gbk_has_no_character(write_csv: WriteCsv) -> None:
    # "𠀀" (U+20000) exists only in GB18030's four-byte range, not in GBK.
    rows = [["年级", "班级", "人数", "班主任"], ["一年级", "1班", "3", "𠀀丽"]]
    assert read_roster(write_csv(rows, "gb18030")).rows[0].homeroom_teacher == "𠀀丽"


@pytest.mark.parametrize("rows", [CHINESE, ENGLISH], ids=["chinese", "english"])
def test_xlsx_with_text_cells(write_xlsx: WriteXlsx, rows: list[list[str]]) -> None:
    table = read_roster(write_xlsx(rows))
    assert list(table.rows) == EXPECTED
    assert table.source == "roster.xlsx"


def test_xlsx_numbers_as_excel_stores_them(write_xlsx: WriteXlsx) -> None:
    rows = [
        ["年级", "班级", "人数", "教室", "楼层"],
        ["一年级", 1, 45.0, 101, 2.0],
        ["一年级", "2班", 44, "", None],
    ]
    table = read_roster(write_xlsx(rows))
    assert list(table.rows) == [
        RosterRow("一年级", "1", 45, room="101", floor=2, line=2),
        RosterRow("一年级", "2班", 44, line=3),
    ]


def test_xlsx_rows_keep_their_sheet_row_numbers(write_xlsx: WriteXlsx) -> None:
    rows = [["Grade", "Class", "Enrolled"], [None, None, None], ["G1", "A", 3]]
    table = read_roster(write_xlsx(rows, first_row=3))
    assert [row.line for row in table.rows] == [5]


def test_headers_match_ignoring_case_spaces_and_synonyms(write_csv: WriteCsv) -> None:
    rows = [
        [" GRADE ", "class_name", "Class Teacher", "学生人数", "ROOM", "楼 层", "教学楼",
         "集合点"],
        ["Grade 1", "A", "Ms Li", "30", "R1", "2", "Main", "Field"],
    ]
    assert read_roster(write_csv(rows)).rows[0] == RosterRow(
        "Grade 1", "A", 30, "Ms Li", "R1", 2, "Main", "Field", line=2)


@pytest.mark.parametrize(("header", "key"), [
    ("班名", "class"), ("在籍人数", "enrolled"), ("班主任", "homeroom_teacher"),
    ("ＥＮＲＯＬＬＥＤ", "enrolled"), ("Assembly_Area", "assembly_area"), ("楼栋", "building"),
    ("Notes", None), ("备注", None), ("", None),
])
def test_column_names(header: str, key: str | None) -> None:
    assert column_for(header) == key


def test_unknown_columns_are_reported_not_guessed(write_csv: WriteCsv) -> None:
    rows = [["年级", "备注", "班级", "人数", "Phone"], ["一年级", "新班", "1班", "40", "123"]]
    table = read_roster(write_csv(rows))
    assert table.unknown_columns == ("备注", "Phone")
    assert table.rows == (RosterRow("一年级", "1班", 40, line=2),)


def test_blank_lines_are_skipped_and_lines_are_file_lines(write_csv: WriteCsv) -> None:
    # A quoted note spanning two lines counts as two file lines.
    text = ("年级,班级,人数,备注\r\n\r\n一年级,1班,40,\r\n,,,\r\n  \r\n"
            "一年级,2班,41,\"two\r\nlines\"\r\n一年级,3班,42,\r\n")
    table = read_roster(write_csv(text))
    assert [(row.class_name, row.line) for row in table.rows] == [
        ("1班", 3), ("2班", 6), ("3班", 8)]


def test_title_rows_above_the_header_are_skipped(write_csv: WriteCsv) -> None:
    rows = [["2025学年班级名单", "", ""], ["年级", "班级", "人数"], ["一年级", "1班", "40"]]
    table = read_roster(write_csv(rows, "gbk"))
    assert table.rows == (RosterRow("一年级", "1班", 40, line=3),)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated(write_csv: WriteCsv, delimiter: str) -> None:
    rows = [["grade", "class", "enrolled", "teacher"], ["G1", "A", "3", "Li, Wei"]]
    table = read_roster(write_csv(rows, delimiter=delimiter))
    assert table.rows == (RosterRow("G1", "A", 3, "Li, Wei", line=2),)


def test_cells_are_stripped_and_forgiving_numbers_accepted(write_csv: WriteCsv) -> None:
    rows = [["年级", "班级", "人数", "楼层", "楼栋"],
            [" 一年级 ", " 1班\t", " 45 ", "3楼", "A"],
            ["一年级", "2班", "４５", "2F", "A"],
            ["一年级", "3班", "45.0", " 1 层", "A"]]
    assert [(r.grade, r.class_name, r.enrolled, r.floor) for r in
            read_roster(write_csv(rows)).rows] == [
        ("一年级", "1班", 45, 3), ("一年级", "2班", 45, 2), ("一年级", "3班", 45, 1)]


def test_uppercase_suffix_is_accepted(write_csv: WriteCsv) -> None:
    path = write_csv([["grade", "class", "enrolled"], ["G1", "A", "1"]], name="ROSTER.CSV")
    assert read_roster(path).source == "ROSTER.CSV"


def test_xlsx_whose_dimension_is_stale_is_read_in_full(write_xlsx: WriteXlsx,
                                                       tmp_path: Path) -> None:
    import zipfile

    path = write_xlsx([["grade", "class", "enrolled"], ["G1", "A", 1], ["G1", "B", 2]])
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stale, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # Some generators write a <dimension> that covers only the first cell.
                data = data.replace(b'<dimension ref="A1:C3" />', b'<dimension ref="A1" />')
                assert b'<dimension ref="A1" />' in data
            target.writestr(item, data)
    assert [row.class_name for row in read_roster(stale).rows] == ["A", "B"]


def test_dates_are_never_silently_read_as_text(write_xlsx: WriteXlsx) -> None:
    # Guard for the check itself: a real date cell is what Excel makes of "1-2".
    from drillplanner.domain.roster import RosterError

    rows = [["年级", "班级", "人数"], ["一年级", datetime(2025, 1, 2), 40]]
    with pytest.raises(RosterError) as caught:
        read_roster(write_xlsx(rows))
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("roster.xlsx", 2, "班级")
    assert "2025-01-02" in problem.message and "Text" in problem.message


def test_openpyxl_is_not_imported_with_the_roster_module() -> None:
    code = ("import sys, drillplanner.io.roster_files, drillplanner.services.roster; "
            "sys.exit('openpyxl' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
