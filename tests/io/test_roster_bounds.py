"""Issue 10, items 3 and 4: a roster workbook is checked for size before it is parsed,
messages show only an excerpt of a cell, and a hidden sheet is never read by accident."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from drillplanner.domain.excerpts import excerpt
from drillplanner.domain.roster import RosterError, RosterProblem
from drillplanner.io import roster_xlsx
from drillplanner.io.roster_files import read_roster

WriteCsv = Callable[..., Path]
MESSAGE_LIMIT = 300
HEADER = ["年级", "班级", "人数"]


def problems_of(path: Path, sheet: str | None = None) -> list[RosterProblem]:
    with pytest.raises(RosterError) as caught:
        read_roster(path, sheet)
    return caught.value.problems


def _short(problems: list[RosterProblem]) -> None:
    assert problems
    for problem in problems:
        assert len(str(problem)) < MESSAGE_LIMIT, str(problem)[:400]


def _bomb(path: Path, megabytes: int) -> Path:
    """A valid workbook whose sheet holds one cell of ``megabytes`` MB of "A": a few hundred
    KB on disk."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    chunk = b"A" * 2**20
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(
            path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item.filename))
                continue
            with target.open(item.filename, "w", force_zip64=True) as out:
                out.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                          b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                          b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
                for _index in range(megabytes):
                    out.write(chunk)
                out.write(b"</t></is></c></row></sheetData></worksheet>")
    return path


def test_a_zip_bomb_is_refused_by_size_before_parsing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = roster_xlsx.MAX_UNPACKED // 2**20
    path = _bomb(tmp_path / "bomb.xlsx", limit + 8)
    assert path.stat().st_size < 2 * 2**20

    def parse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", parse)
    problems = problems_of(path)
    _short(problems)
    assert f"at most {limit} MB" in problems[0].message


def test_a_cell_too_long_for_a_roster_is_refused_with_an_excerpt(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["一年级", "1班", 40, "长" * (roster_xlsx.MAX_CELL_LENGTH + 1)])
    path = tmp_path / "long.xlsx"
    book.save(path)

    problems = problems_of(path)
    _short(problems)
    assert (problems[0].line, problems[0].column) == (2, "D")


@pytest.mark.parametrize("size", [500, 5000])
def test_a_long_cell_is_only_excerpted(tmp_path: Path, write_csv: WriteCsv,
                                       size: int) -> None:
    value = "x" * size
    rows = [HEADER, ["一年级", "1班", value], ["一年级", "2班", "40", value],
            ["一年级" + value, "3班", "40"]]
    _short(problems_of(write_csv(rows)))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [[*HEADER, value], *rows]:
        sheet.append(row)
    path = tmp_path / "long.xlsx"
    book.save(path)
    _short(problems_of(path))


def _two_sheets(path: Path, *, active_hidden: bool) -> Path:
    book = openpyxl.Workbook()
    hidden = book.active
    assert hidden is not None
    hidden.title = "旧名单"
    hidden.append(HEADER)
    hidden.append(["九年级", "9班", 99])
    hidden.sheet_state = "hidden"
    visible = book.create_sheet("名单")
    visible.append(HEADER)
    visible.append(["一年级", "1班", 40])
    book.active = 0 if active_hidden else 1
    book.save(path)
    return path


@pytest.mark.parametrize("active_hidden", [False, True])
def test_a_hidden_first_sheet_is_not_read(tmp_path: Path, active_hidden: bool) -> None:
    table = read_roster(_two_sheets(tmp_path / "two.xlsx", active_hidden=active_hidden))
    assert [(row.grade, row.class_name) for row in table.rows] == [("一年级", "1班")]
    assert table.sheet == "名单"


def test_a_sheet_is_read_by_name(tmp_path: Path) -> None:
    path = _two_sheets(tmp_path / "two.xlsx", active_hidden=False)
    table = read_roster(path, "旧名单")
    assert [(row.grade, row.class_name) for row in table.rows] == [("九年级", "9班")]
    assert table.sheet == "旧名单"
    (problem,) = problems_of(path, "Sheet9")
    assert "Sheet9" in problem.message and "名单" in problem.message


def test_a_csv_file_has_no_sheets(write_csv: WriteCsv) -> None:
    (problem,) = problems_of(write_csv([HEADER, ["一年级", "1班", "40"]]), "名单")
    assert "--sheet" in problem.message


@pytest.mark.parametrize("value", ["short", "a" * 61, "a\nb " * 1000, "火" * 10**6])
def test_excerpt(value: str) -> None:
    text = excerpt(value)
    assert len(text) <= 60 and "\n" not in text
    assert text == value or text.endswith("…")


def test_a_csv_file_too_large_for_a_roster_is_refused_before_it_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drillplanner.io import roster_csv

    path = tmp_path / "huge.csv"
    path.write_bytes(("年级,班级,人数\n" + "一年级,1班,40\n" * 2000).encode())
    monkeypatch.setattr(roster_csv, "MAX_BYTES", 1024)
    [problem] = problems_of(path)
    assert problem.message == "The file is 35.2 KB; a roster file may be at most 1 KB."
    _short([problem])


def test_a_csv_file_with_too_many_rows_is_refused_at_the_first_row_too_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drillplanner.io import roster_csv

    monkeypatch.setattr(roster_csv, "MAX_ROWS", 50)
    path = tmp_path / "long.csv"
    path.write_text("年级,班级,人数\n" + "".join(f"一年级,{n}班,40\n" for n in range(100)),
                    encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.line == 51
    assert "more than 50 rows" in problem.message
