"""No output path the CLI writes (a report, a roster, an iCalendar file) can hit the open
database, its -wal/-shm, a folder or a device, nor replace another kind of file unasked."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.cli.in_process import run

ZHENGJIA = "郑家镇东小学"
SQLITE_HEADER = b"SQLite format 3\x00"


def report(capsys: pytest.CaptureFixture[str], db: Path, *output: str) -> tuple[int, str, str]:
    return run(capsys, "--db", db, "report", "rollcall-sheets", "--school", ZHENGJIA,
               "-o", *output)


@pytest.mark.sqlite_only  # the database is a file here
def test_a_report_never_replaces_the_open_database(
        demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = demo_db.read_bytes()
    code, _out, err = report(capsys, demo_db, str(demo_db))
    assert code == 1
    assert "open database" in err
    assert demo_db.read_bytes() == before
    # Not even with --force, nor through another spelling of the same path.
    code, _out, err = report(capsys, demo_db, str(demo_db), "--force")
    assert code == 1
    relative = os.path.relpath(demo_db)
    code, _out, err = report(capsys, demo_db, relative, "--force")
    assert code == 1
    assert demo_db.read_bytes().startswith(SQLITE_HEADER)


@pytest.mark.sqlite_only  # SQLite's own files
@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_report_never_replaces_the_databases_own_files(
        demo_db: Path, capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    companion = demo_db.with_name(demo_db.name + suffix)
    code, _out, err = report(capsys, demo_db, str(companion), "--force")
    assert code == 1, err
    assert "open database" in err
    assert not companion.exists() or not companion.read_bytes().startswith(b"%PDF-")


@pytest.mark.sqlite_only  # links to the database file
def test_a_link_to_the_database_is_the_database(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "report.pdf"
    link.symlink_to(demo_db)
    hard = tmp_path / "hard.pdf"
    os.link(demo_db, hard)
    for path in (link, hard):
        code, _out, err = report(capsys, demo_db, str(path), "--force")
        assert code == 1, err
    assert demo_db.read_bytes().startswith(SQLITE_HEADER)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_report_never_replaces_a_device(
        demo_db: Path, capsys: pytest.CaptureFixture[str], device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    before = os.stat(device)
    code, _out, err = report(capsys, demo_db, device, "--force")
    assert code == 1
    assert "not a regular file" in err
    after = os.stat(device)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (
        before.st_ino, before.st_mode, before.st_rdev)


def test_a_report_into_a_folder_is_refused(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    code, _out, err = report(capsys, demo_db, str(folder), "--force")
    assert code == 1
    assert "is a folder" in err
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


def test_an_empty_output_name_is_a_clear_error(
        demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = report(capsys, demo_db, "")
    assert code == 1
    assert "No output file was given" in err
    assert "internal error" not in err
    assert len(err.strip().splitlines()) == 1


def test_another_kind_of_file_is_replaced_only_with_force(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    code, _out, err = report(capsys, demo_db, str(notes))
    assert code == 1
    assert "is not a PDF file" in err and "--force" in err
    assert notes.read_text(encoding="utf-8") == "my notes\n"

    code, _out, err = report(capsys, demo_db, str(notes), "--force")
    assert code == 0, err
    assert notes.read_bytes().startswith(b"%PDF-")
    # Now it holds a PDF, so a second report replaces it without --force.
    code, _out, err = report(capsys, demo_db, str(notes))
    assert code == 0, err


@pytest.mark.sqlite_only  # a copy of the database file
def test_another_sqlite_file_is_never_replaced(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "backup.pdf"
    shutil.copyfile(demo_db, other)
    code, _out, err = report(capsys, demo_db, str(other), "--force")
    assert code == 1
    assert "is a database" in err
    assert other.read_bytes() == demo_db.read_bytes()


def test_a_roster_export_never_replaces_the_database(
        demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A database whose name ends in .csv passes the suffix check; the output check stops it.
    database = tmp_path / "school.csv"
    shutil.copyfile(demo_template, database)
    code, _out, err = run(capsys, "--db", database, "roster", "export", database,
                          "--school", ZHENGJIA, "--force")
    assert code == 1, err
    assert "open database" in err
    assert database.read_bytes().startswith(SQLITE_HEADER)


def test_a_roster_export_replaces_a_roster_but_not_another_file(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.csv"
    code, _out, err = run(capsys, "--db", demo_db, "roster", "export", roster,
                          "--school", ZHENGJIA)
    assert code == 0, err
    code, _out, err = run(capsys, "--db", demo_db, "roster", "export", roster,
                          "--school", ZHENGJIA)
    assert code == 0, err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02 not text")
    code, _out, err = run(capsys, "--db", demo_db, "roster", "export", binary,
                          "--school", ZHENGJIA)
    assert code == 1
    assert binary.read_bytes() == b"\x00\x01\x02 not text"
    code, _out, err = run(capsys, "--db", demo_db, "roster", "export", "",
                          "--school", ZHENGJIA)
    assert code == 1
    assert "internal error" not in err


def test_an_ics_export_never_replaces_the_database(
        demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "calendar.ics"
    shutil.copyfile(demo_template, database)
    code, _out, err = run(capsys, "--db", database, "schedule", "export", database,
                          "--school", ZHENGJIA, "--force")
    assert code == 1, err
    assert "open database" in err
    assert database.read_bytes().startswith(SQLITE_HEADER)
    link = tmp_path / "link.ics"
    link.symlink_to(database)
    code, _out, err = run(capsys, "--db", database, "schedule", "export", link,
                          "--school", ZHENGJIA)
    assert code == 1, err
    assert database.read_bytes().startswith(SQLITE_HEADER)


def test_an_ics_export_into_a_device_or_folder_is_refused(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "x.ics"
    folder.mkdir()
    code, _out, err = run(capsys, "--db", demo_db, "schedule", "export", folder,
                          "--school", ZHENGJIA)
    assert code == 1
    assert "is a folder" in err
    code, _out, err = run(capsys, "--db", demo_db, "schedule", "export", "",
                          "--school", ZHENGJIA)
    assert code == 1
    assert "No output file was given" in err
