"""Opening databases: fresh, damaged, newer, locked, not ours (read-only: test_read_only_open,
a full disk: test_disk_full)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from drillplanner.services import schools
from drillplanner.storage import database as database_module
from drillplanner.storage.database import open_database, resolve_target
from drillplanner.storage.errors import (
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseNewerError,
    DatabaseReadOnlyError,
    StorageError,
)
from drillplanner.storage.schema import HEAD

# Opening files: SQLite paths, pragmas, locks, damaged and newer files (the PostgreSQL
# session: test_postgresql.py).
pytestmark = pytest.mark.sqlite_only


def test_fresh_database_is_at_head_with_durable_pragmas(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        with db.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        db.close()
    assert db_path.read_bytes().startswith(b"SQLite format 3\x00")


def test_reopening_keeps_data_and_makes_no_backup(db_path: Path) -> None:
    db = open_database(db_path)
    schools.add_school(db, "郑家镇东小学")
    db.close()
    db = open_database(db_path)
    try:
        assert [s.name for s in schools.list_schools(db)] == ["郑家镇东小学"]
    finally:
        db.close()
    assert not list(db_path.parent.glob("*.before-*"))


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a" / "b" / "school.sqlite3")
    db.close()
    assert (tmp_path / "a" / "b" / "school.sqlite3").exists()


def test_random_bytes_are_refused_and_left_alone(db_path: Path) -> None:
    junk = os.urandom(4096)
    db_path.write_bytes(junk)
    with pytest.raises(DatabaseCorruptError, match="damaged or is not a drillplanner database"):
        open_database(db_path)
    assert db_path.read_bytes() == junk


def test_truncated_database_is_refused(db_path: Path) -> None:
    db = open_database(db_path)
    for index in range(50):
        schools.add_school(db, f"学校{index}")
    db.close()
    data = db_path.read_bytes()
    db_path.write_bytes(data[:100])  # the header survives, the schema pages do not
    with pytest.raises(DatabaseCorruptError) as caught:
        open_database(db_path)
    assert str(db_path) in str(caught.value)
    assert db_path.read_bytes() == data[:100]


def test_sqlite_file_of_another_program_is_refused(db_path: Path) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseCorruptError, match="not a drillplanner database"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def _another_programs_wal_file(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    connection.close()


def _newer_database(path: Path) -> None:
    db = open_database(path)
    db.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    connection.close()


def _damaged_schema(path: Path) -> None:
    db = open_database(path)
    db.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema's first page, past the header
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    db = open_database(path)
    db.close()
    path.write_bytes(path.read_bytes()[:100])


@pytest.mark.parametrize("make", [_another_programs_wal_file, _newer_database, _damaged_schema,
                                  _truncated])
def test_a_refused_file_gets_nothing_beside_it(db_path: Path, make: Callable[[Path], None]
                                               ) -> None:
    make(db_path)
    assert {p.name for p in db_path.parent.iterdir()} == {db_path.name}
    before = db_path.read_bytes()
    with pytest.raises(StorageError):
        open_database(db_path)
    assert {p.name for p in db_path.parent.iterdir()} == {db_path.name}  # no -wal, no -shm
    assert db_path.read_bytes() == before


def test_newer_database_is_refused_byte_for_byte_untouched(db_path: Path) -> None:
    db = open_database(db_path)
    schools.add_school(db, "道口铺街道中心学校")
    db.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    connection.close()
    # Fold the WAL into the main file so the byte comparison sees everything.
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseNewerError) as caught:
        open_database(db_path)
    message = str(caught.value)
    assert "newer version" in message and "0999_from_the_future" in message
    assert str(db_path) in message
    assert db_path.read_bytes() == before
    # Read as it is: no -wal or -shm appears beside it.
    assert {p.name for p in db_path.parent.iterdir()} == {db_path.name}


def test_a_folder_that_cannot_be_created_gives_a_clear_message() -> None:
    # /proc refuses new folders even for root, unlike a chmod-ed temp folder.
    with pytest.raises(DatabaseReadOnlyError, match="Cannot create the folder"):
        open_database("/proc/drillplanner-test/school.sqlite3")


def test_write_to_read_only_connection_becomes_read_only_error(db: database_module.Database
                                                               ) -> None:
    with pytest.raises(DatabaseReadOnlyError, match="cannot be written"), db.write() as session:
        session.execute(text("PRAGMA query_only = 1"))
        session.execute(text("INSERT INTO schools (name, timezone, evacuation_target_seconds, "
                             "country, address) VALUES ('x', 'UTC', 60, 'CN', '')"))
    assert schools.list_schools(db) == []


def test_writer_waits_then_reports_a_lock_held_elsewhere(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    db = open_database(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLockedError, match="busy"):
            schools.add_school(db, "高马小学")
    finally:
        other.execute("ROLLBACK")
        other.close()
    schools.add_school(db, "高马小学")
    assert [s.name for s in schools.list_schools(db)] == ["高马小学"]
    db.close()


def test_missing_file_without_create_is_an_error(db_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        open_database(db_path, create=False)
    assert not db_path.exists()


def test_targets_resolve_paths_and_urls(tmp_path: Path) -> None:
    local = resolve_target(tmp_path / "x.sqlite3")
    assert local.path == (tmp_path / "x.sqlite3").resolve()
    assert local.url == f"sqlite:///{local.path}"
    server = resolve_target("postgresql+psycopg://admin:secret@db.example.org:5432/district")
    assert server.path is None
    assert "secret" not in server.display_name and "db.example.org" in server.display_name
    sqlite_url = resolve_target(f"sqlite:///{tmp_path}/y.sqlite3")
    assert sqlite_url.path == (tmp_path / "y.sqlite3").resolve()
