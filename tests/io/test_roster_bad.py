"""Bad roster files: every problem is reported, each with file, line and column."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from drillplanner.domain.roster import RosterError, RosterProblem
from drillplanner.io.roster_files import read_roster

WriteCsv = Callable[..., Path]
WriteXlsx = Callable[..., Path]
HEADER = ["年级", "班级", "人数", "楼层"]


def problems_of(path: Path) -> list[RosterProblem]:
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert caught.value.problems, "a RosterError always says why"
    return caught.value.problems


def where(problem: RosterProblem) -> tuple[str, int | None, str]:
    return problem.file, problem.line, problem.column


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b"\xef\xbb\xbf", b" , ,\n,,\n"])
def test_empty_csv(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    (problem,) = problems_of(path)
    assert where(problem) == ("empty.csv", None, "")
    assert str(problem) == "empty.csv: The file is empty: it has no header and no class rows."


def test_empty_xlsx(write_xlsx: WriteXlsx) -> None:
    (problem,) = problems_of(write_xlsx([], name="empty.xlsx"))
    assert where(problem) == ("empty.xlsx", None, "")
    assert "empty" in problem.message


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_header_only(write_csv: WriteCsv, write_xlsx: WriteXlsx, suffix: str) -> None:
    rows = [["", ""], HEADER, ["", "", ""]]
    path = write_csv(rows) if suffix == "csv" else write_xlsx(rows)
    (problem,) = problems_of(path)
    assert where(problem) == (f"roster.{suffix}", 2, "")
    assert str(problem) == f"roster.{suffix}:2: The file has a header but no class rows."


def test_truncated_row(write_csv: WriteCsv) -> None:
    text = "年级,班级,人数,楼层\n一年级,1班,40,1\n一年级,2班,4"
    (problem,) = problems_of(write_csv(text))
    assert where(problem) == ("roster.csv", 3, "楼层")
    assert str(problem) == ("roster.csv:3 [楼层]: This row has 3 cells but the header has 4: "
                            "it looks cut short.")


def test_truncated_row_missing_a_required_cell_reports_once(write_csv: WriteCsv) -> None:
    (problem,) = problems_of(write_csv("年级,班级,人数\n一年级,1"))
    assert where(problem) == ("roster.csv", 2, "人数")


def test_file_cut_inside_a_quoted_cell(write_csv: WriteCsv) -> None:
    text = '年级,班级,人数\n一年级,1班,-1\n一年级,"2班,40\n一年级,3班,40\n'
    problems = problems_of(write_csv(text))
    assert [where(p) for p in problems] == [("roster.csv", 2, "人数"), ("roster.csv", 3, "")]
    assert "quote" in problems[1].message


def test_missing_required_columns_name_what_was_found(write_csv: WriteCsv) -> None:
    problems = problems_of(write_csv([["年级", "学生", "备注"], ["一年级", "40", "x"]]))
    assert [where(p) for p in problems] == [("roster.csv", 1, "Class"),
                                            ("roster.csv", 1, "Enrolled")]
    assert str(problems[0]).startswith("roster.csv:1 [Class]: The required column Class is "
                                       "missing (headers it may have: class, class name")
    assert "班级" in problems[0].message and "班名" in problems[0].message
    assert "Columns not recognised: 学生, 备注." in problems[0].message
    assert "人数" in problems[1].message and "学生人数" in problems[1].message


def test_same_column_twice(write_csv: WriteCsv) -> None:
    (problem,) = problems_of(write_csv([["年级", "班级", "Class", "人数"],
                                        ["一年级", "1班", "1班", "40"]]))
    assert where(problem) == ("roster.csv", 1, "Class")
    assert "“班级” and “Class”" in problem.message


@pytest.mark.parametrize(("row", "column", "message"), [
    (["", "1班", "40", ""], "年级", "Grade must not be empty."),
    (["一年级", "  ", "40", ""], "班级", "Class must not be empty."),
    (["一年级", "1班", "", ""], "人数", "Enrolled must not be empty."),
    (["一年级", "1班", "-3", ""], "人数", "Enrolled must be at least 0, not -3."),
    (["一年级", "1班", "四十", ""], "人数", "Enrolled must be a whole number, not “四十”."),
    (["一年级", "1班", "45.5", ""], "人数", "Enrolled must be a whole number, not “45.5”."),
    (["一年级", "1班", "45人", ""], "人数", "Enrolled must be a whole number, not “45人”."),
    (["一年级", "1班", "1e2", ""], "人数", "Enrolled must be a whole number, not “1e2”."),
    (["一年级", "1班", "501", ""], "人数", "Enrolled must be at most 500, not 501."),
    (["一年级", "1班", "40", "0"], "楼层", "Floor must be at least 1, not 0."),
    (["一年级", "1班", "40", "-1"], "楼层", "Floor must be at least 1, not -1."),
    (["一年级", "1班", "40", "2.5"], "楼层", "Floor must be a whole number, not “2.5”."),
    (["一年级", "1班", "40", "二楼"], "楼层", "Floor must be a whole number, not “二楼”."),
    (["一年级", "x" * 51, "40", ""], "班级", "Class is longer than 50 characters."),
    (["一年级", "1\x07班", "40", ""], "班级",
     "Class contains an invisible control character (U+0007)."),
    (["一年级", "1\n班", "40", ""], "班级", "Class holds a line break; keep it on one line."),
])
def test_bad_cells(write_csv: WriteCsv, row: list[str], column: str, message: str) -> None:
    good = ["一年级", "9班", "40", "1"]
    (problem,) = problems_of(write_csv([HEADER, good, row]))
    assert where(problem) == ("roster.csv", 3, column)
    assert str(problem) == f"roster.csv:3 [{column}]: {message}"


@pytest.mark.parametrize(("value", "message"), [
    (45.5, "Enrolled must be a whole number, not “45.5”."),
    (-2, "Enrolled must be at least 0, not -2."),
    ("多", "Enrolled must be a whole number, not “多”."),
    (True, "Enrolled holds the logical value TRUE."),
    (datetime(2025, 3, 4), "holds the date or time 2025-03-04T00:00:00"),
])
def test_bad_enrollment_in_a_workbook(write_xlsx: WriteXlsx, value: object,
                                      message: str) -> None:
    (problem,) = problems_of(write_xlsx([HEADER, ["一年级", "1班", value, 1]]))
    assert where(problem) == ("roster.xlsx", 2, "人数")
    assert message in problem.message


def test_duplicate_class_names_both_lines(write_csv: WriteCsv) -> None:
    rows = [HEADER, ["一年级", "1班", "40", ""], ["一年级", "2班", "40", ""],
            ["二年级", "1班", "40", ""], ["一年级", "1班", "41", ""], ["一年级", "1班", "42", ""]]
    problems = problems_of(write_csv(rows))
    assert [where(p) for p in problems] == [("roster.csv", 5, "班级"), ("roster.csv", 6, "班级")]
    assert problems[0].message == "一年级1班 is listed twice, on lines 2 and 5; keep one of them."
    assert "lines 2 and 6" in problems[1].message


def test_value_in_a_column_without_header(write_csv: WriteCsv) -> None:
    rows = [["年级", "班级", "", "人数"], ["一年级", "1班", "", "40"],
            ["一年级", "2班", "x", "40", "张三,李四"]]
    problems = problems_of(write_csv(rows))
    assert [where(p) for p in problems] == [("roster.csv", 3, ""), ("roster.csv", 3, "")]
    assert "“x” is in column 3, which has no header" in problems[0].message
    assert "column 5" in problems[1].message


def test_every_problem_is_reported_at_once(write_csv: WriteCsv) -> None:
    rows = [[*HEADER, "备注"], ["一年级", "1班", "-1", "", ""], ["", "2班", "40", "0", ""],
            ["一年级", "3班", "abc", "x", ""], ["一年级", "1班", "40", "", ""], ["一年级"]]
    problems = problems_of(write_csv(rows, "gb18030"))
    assert [(p.line, p.column) for p in problems] == [
        (2, "人数"), (3, "年级"), (3, "楼层"), (4, "人数"), (4, "楼层"), (6, "班级")]
    assert all(p.file == "roster.csv" for p in problems)


def test_utf8_file_with_a_bad_byte_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes("年级,班级,人数\n一年级,1班,40\n".encode() + b"\xe4\xb8,2,40\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("bad.csv", 3, "")
    assert str(problem).startswith("bad.csv:3: The file is not text in UTF-8 or GB18030")
    assert "0xE4" in problem.message


def test_gb18030_file_with_a_bad_byte_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    good = "年级,班级,人数\r\n一年级,1班,40\r\n一年级,2班,40\r\n".encode("gb18030")
    path.write_bytes(good + b"\xff\xfe,3,40\r\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("bad.csv", 4, "")
    assert "0xFF" in problem.message


def test_bom_file_with_a_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xef\xbb\xbfgrade,class,enrolled\r\nG1,A,\xff\r\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("bad.csv", 2, "")


def test_binary_file_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8")
    (problem,) = problems_of(path)
    # GB18030 reads furthest (to the 0xFF after \r\n, \n and \r), so that line is named.
    assert where(problem) == ("photo.csv", 4, "")
    assert "0xFF" in problem.message


@pytest.mark.parametrize("name", ["roster.xls", "roster.txt", "roster"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("grade,class,enrolled\nG1,A,1\n")
    (problem,) = problems_of(path)
    assert problem.file == name and ".csv or .xlsx" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "gone.csv")
    assert problem.file == "gone.csv"
    assert "cannot be read" in problem.message


@pytest.mark.parametrize("content", [b"grade,class,enrolled\nG1,A,1\n", b"PK\x03\x04broken",
                                     b""])
def test_not_a_workbook(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(content)
    (problem,) = problems_of(path)
    assert problem.file == "roster.xlsx"
    assert "cannot be opened as an Excel workbook" in problem.message
