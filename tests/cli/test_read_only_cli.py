"""A database that cannot be written: commands that read work, a change exits 1 with one
clear line, and the file stays as it was (issue 10, item 9)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from in_process import ok, run
from read_only_places import ReadOnlyPlaces, files_beside, read_only
from sqlalchemy import create_engine

from drillplanner.storage import migrate

__all__ = ["read_only"]
pytestmark = pytest.mark.sqlite_only  # read-only files, folders and mounts

ZHENGJIA = "郑家镇东小学"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _place(read_only: ReadOnlyPlaces, kind: str, source: Path) -> Path:
    return read_only.file(source) if kind == "file" else read_only.folder(source)


def _one_line_error(code: int, out: str, err: str) -> str:
    assert (code, out) == (1, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_reading_works_and_changing_exits_1(capsys: pytest.CaptureFixture[str],
                                            read_only: ReadOnlyPlaces, demo_db: Path,
                                            tmp_path: Path, kind: str) -> None:
    db = _place(read_only, kind, demo_db)
    before, digest = files_beside(db), _digest(db)

    listed = json.loads(ok(capsys, "school", "list", "--format", "json", "--db", db))
    assert ZHENGJIA in [school["name"] for school in listed]
    assert "1班" in ok(capsys, "classes", "list", "--school", ZHENGJIA, "--db", db)
    ok(capsys, "schedule", "list", "--school", ZHENGJIA, "--db", db)
    ok(capsys, "compliance", "--school", ZHENGJIA, "--db", db)
    ok(capsys, "drill", "list", "--school", ZHENGJIA, "--db", db)
    ok(capsys, "audit", "list", "--db", db)
    assert "chain whole" in ok(capsys, "audit", "verify", "--db", db)
    out = tmp_path / "district.pdf"
    ok(capsys, "report", "district", "-o", out, "--db", db)
    assert out.read_bytes().startswith(b"%PDF")
    init = ok(capsys, "init", "--db", db)
    assert "It is read-only" in init and "changes cannot be saved" in init

    err = _one_line_error(*run(capsys, "school", "add", "高马小学", "--db", db))
    assert err.startswith("drillplanner: error: ")
    assert str(db) in err and "is open read-only" in err and "changes cannot be saved" in err

    assert files_beside(db) == before
    assert _digest(db) == digest


def test_an_older_read_only_database_exits_1_with_how_to_upgrade(
        capsys: pytest.CaptureFixture[str], read_only: ReadOnlyPlaces, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{old}")
    migrate.upgrade(engine, "0001_initial")
    engine.dispose()
    db = read_only.folder(old)
    err = _one_line_error(*run(capsys, "school", "list", "--db", db))
    assert "older version" in err and "where it can be written to upgrade it" in err
    assert files_beside(db) == {"old.sqlite3"}


def test_chinese_says_read_only_in_chinese(capsys: pytest.CaptureFixture[str],
                                           read_only: ReadOnlyPlaces, demo_db: Path) -> None:
    db = read_only.folder(demo_db)
    err = _one_line_error(*run(capsys, "--lang", "zh_CN", "school", "add", "高马小学",
                               "--db", db))
    assert "只读" in err and str(db) in err
