"""Issue 10, item 4: ``roster import`` says which sheet of a workbook it read, reads the
visible one by default and another with ``--sheet``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from in_process import run
from schedule_school import CN


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    hidden = book.active
    assert hidden is not None
    hidden.title = "旧名单"
    hidden.append(["年级", "班级", "人数"])
    hidden.append(["九年级", "9班", 99])
    hidden.sheet_state = "hidden"
    visible = book.create_sheet("名单")
    visible.append(["年级", "班级", "人数"])
    visible.append(["一年级", "3班", 40])
    book.active = 1
    book.save(path)
    return path


def test_the_visible_sheet_is_read_and_named(school_db: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path / "roster.xlsx")
    code, out, err = run(capsys, "roster", "import", path, "--dry-run", "--db", school_db,
                         "--school", CN)
    assert code == 0, err
    assert "Read the sheet “名单”." in out
    assert "一年级3班" in out and "九年级" not in out


def test_another_sheet_by_name(school_db: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path / "roster.xlsx")
    code, out, err = run(capsys, "roster", "import", path, "--dry-run", "--db", school_db,
                         "--school", CN, "--sheet", "旧名单")
    assert code == 0, err
    assert "Read the sheet “旧名单”." in out and "九年级9班" in out

    code, out, err = run(capsys, "roster", "import", path, "--dry-run", "--db", school_db,
                         "--school", CN, "--sheet", "无此表")
    assert code == 1 and "无此表" in err and len(err) < 300
