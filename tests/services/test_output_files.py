"""``output_files.check_output``: the one check every writer of an output file passes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from drillplanner.services.output_files import (
    OutputFileError,
    OutputKind,
    check_output,
    write_output,
)
from drillplanner.storage.database import Database, open_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "drills.sqlite3")
    yield database
    database.close()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def test_a_new_file_or_an_empty_one_may_be_written(db: Database, tmp_path: Path) -> None:
    assert check_output(db, tmp_path / "new.pdf", OutputKind.PDF) == tmp_path / "new.pdf"
    empty = tmp_path / "empty.pdf"
    empty.touch()
    assert check_output(db, empty, OutputKind.PDF) == empty


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("a.pdf", b"%PDF-1.4\n...", OutputKind.PDF),
    ("a.csv", "年级,班级\n一年级,1班\n".encode("gb18030"), OutputKind.CSV),
    ("a.csv", "\ufeffgrade,class\n".encode(), OutputKind.CSV),
    ("a.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", OutputKind.ICS),
    ("a.xlsx", _zip(), OutputKind.XLSX),
])
def test_a_file_of_the_same_kind_is_replaced(db: Database, tmp_path: Path, name: str,
                                             content: bytes, kind: OutputKind) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert check_output(db, path, kind) == path


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("a.pdf", b"plain text", OutputKind.PDF),
    ("a.csv", b"%PDF-1.4\x00\x01binary", OutputKind.CSV),
    ("a.txt", b"grade,class\n", OutputKind.CSV),
    ("a.ics", b"\x00\x00", OutputKind.ICS),
    ("a.xlsx", b"grade,class\n", OutputKind.XLSX),
    ("a.zip", _zip(), OutputKind.XLSX),
])
def test_another_kind_of_file_needs_force(db: Database, tmp_path: Path, name: str,
                                          content: bytes, kind: OutputKind) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(OutputFileError) as refused:
        check_output(db, path, kind)
    assert refused.value.forcible
    assert check_output(db, path, kind, force=True) == path
    assert path.read_bytes() == content


def test_the_database_and_its_files_are_never_written(db: Database, tmp_path: Path) -> None:
    database = tmp_path / "drills.sqlite3"
    before = database.read_bytes()
    for name in ("drills.sqlite3", "drills.sqlite3-wal", "drills.sqlite3-shm"):
        for kind in OutputKind:
            with pytest.raises(OutputFileError) as refused:
                write_output(db, tmp_path / name, kind, b"%PDF-1.4", force=True)
            assert not refused.value.forcible
    assert database.read_bytes() == before


def test_any_sqlite_file_is_never_written(db: Database, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(OutputFileError, match="is a database"):
        check_output(db, other, OutputKind.CSV, force=True)
    with pytest.raises(OutputFileError, match="is a database"):
        check_output(None, other, OutputKind.CSV, force=True)


def test_empty_names_folders_and_devices_are_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="No output file"):
        check_output(db, "", OutputKind.PDF)
    with pytest.raises(OutputFileError, match="is a folder"):
        check_output(db, tmp_path, OutputKind.PDF, force=True)
    if Path("/dev/null").exists():
        with pytest.raises(OutputFileError, match="not a regular file"):
            check_output(db, "/dev/null", OutputKind.CSV, force=True)


def test_write_output_writes_whole_files(db: Database, tmp_path: Path) -> None:
    path = write_output(db, tmp_path / "out.ics", OutputKind.ICS, b"BEGIN:VCALENDAR\r\n")
    assert path.read_bytes() == b"BEGIN:VCALENDAR\r\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
