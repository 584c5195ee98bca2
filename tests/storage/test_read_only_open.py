"""A database that cannot be written (read-only file, folder or mount) opens read-only:
reads work, a change is refused with one clear message, and nothing is written in or beside
the file (issue 10, item 9)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from read_only_places import ReadOnlyPlaces, files_beside, read_only
from sqlalchemy import event, text

from drillplanner.services import schools
from drillplanner.storage import migrate
from drillplanner.storage.database import Database, open_database
from drillplanner.storage.errors import DatabaseReadOnlyError

# Read-only files, folders and mounts exist only for SQLite.
pytestmark = pytest.mark.sqlite_only

__all__ = ["read_only"]

PLACES = ["file", "folder"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def school_file(tmp_path: Path) -> Path:
    """A closed database at HEAD holding two schools (everything in the file, no -wal)."""
    path = tmp_path / "made" / "school.sqlite3"
    db = open_database(path)
    schools.add_school(db, "聊城市实验小学")
    schools.add_school(db, "郑家镇东小学")
    db.close()
    assert files_beside(path) == {"school.sqlite3"}
    return path


def _place(read_only: ReadOnlyPlaces, kind: str, *sources: Path) -> Path:
    return read_only.file(*sources) if kind == "file" else read_only.folder(*sources)


@pytest.mark.parametrize("kind", PLACES)
def test_a_read_only_database_is_read_and_left_untouched(
        read_only: ReadOnlyPlaces, school_file: Path, kind: str) -> None:
    path = _place(read_only, kind, school_file)
    before, digest = files_beside(path), _digest(path)
    db = open_database(path, create=False)
    try:
        assert db.read_only
        names = sorted(s.name for s in schools.list_schools(db))
        assert names == ["聊城市实验小学", "郑家镇东小学"]
        with pytest.raises(DatabaseReadOnlyError) as caught:
            schools.add_school(db, "高马小学")
        message = str(caught.value)
        assert str(path) in message and "open read-only" in message
        assert "changes cannot be saved" in message
        assert len(schools.list_schools(db)) == 2
    finally:
        db.close()
    assert files_beside(path) == before
    assert _digest(path) == digest


@pytest.mark.parametrize("kind", PLACES)
def test_a_write_is_refused_before_any_transaction(
        read_only: ReadOnlyPlaces, school_file: Path, kind: str) -> None:
    db = open_database(_place(read_only, kind, school_file))
    begun: list[object] = []
    event.listen(db.engine, "begin", begun.append)
    try:
        with pytest.raises(DatabaseReadOnlyError), db.write():
            pytest.fail("the block of a write to a read-only database must not run")
        assert begun == []
        with db.read() as session:
            assert session.execute(text("PRAGMA query_only")).scalar() == 1
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert len(begun) == 1
    finally:
        db.close()


def test_a_writable_database_is_not_read_only(db: Database) -> None:
    assert not db.read_only
    schools.add_school(db, "高马小学")
    with db.read() as session:
        assert session.execute(text("PRAGMA query_only")).scalar() == 0


@pytest.mark.parametrize("kind", PLACES)
def test_changes_still_in_the_wal_are_read(read_only: ReadOnlyPlaces, school_file: Path,
                                           kind: str) -> None:
    """A copy taken while another program had changes in the -wal: they are read too."""
    writer = sqlite3.connect(school_file, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE schools SET name = '道口铺街道中心学校' WHERE name = '郑家镇东小学'")
        wal = school_file.with_name(school_file.name + "-wal")
        shm = school_file.with_name(school_file.name + "-shm")
        assert wal.stat().st_size > 0
        copies = school_file.parent / "copies"
        copies.mkdir()
        for part in (school_file, wal, shm):
            shutil.copyfile(part, copies / part.name)
    finally:
        writer.close()
    path = _place(read_only, kind, *(copies / part.name for part in (school_file, wal, shm)))
    before = {name: _digest(path.parent / name) for name in files_beside(path)}
    db = open_database(path)
    try:
        assert db.read_only
        assert sorted(s.name for s in schools.list_schools(db)) == [
            "聊城市实验小学", "道口铺街道中心学校"]
    finally:
        db.close()
    if kind == "folder":
        # A read-only folder (or mount): not a byte changes, not even in the -shm index.
        assert {name: _digest(path.parent / name) for name in files_beside(path)} == before
    else:
        # A read-only file keeps its bytes; the -wal and -shm belong to whoever writes it.
        assert files_beside(path) == set(before)
        assert _digest(path) == before[path.name]


def _old_database(path: Path) -> Path:
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001_initial")
    engine.dispose()
    return path


@pytest.mark.parametrize("kind", PLACES)
def test_an_older_read_only_database_is_refused_unchanged(
        read_only: ReadOnlyPlaces, tmp_path: Path, kind: str) -> None:
    path = _place(read_only, kind, _old_database(tmp_path / "old.sqlite3"))
    before, digest = files_beside(path), _digest(path)
    with pytest.raises(DatabaseReadOnlyError) as caught:
        open_database(path)
    message = str(caught.value)
    assert str(path) in message and "older version" in message
    assert "where it can be written to upgrade it" in message
    assert files_beside(path) == before  # no backup, no -wal, no -shm
    assert _digest(path) == digest


@pytest.mark.parametrize("kind", PLACES)
def test_an_empty_read_only_file_is_refused(read_only: ReadOnlyPlaces, tmp_path: Path,
                                            kind: str) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    path = _place(read_only, kind, empty)
    with pytest.raises(DatabaseReadOnlyError, match="read-only and holds no drillplanner"):
        open_database(path)
    assert files_beside(path) == {"empty.sqlite3"}
    assert path.stat().st_size == 0


def test_a_new_database_in_a_read_only_folder_is_refused(read_only: ReadOnlyPlaces,
                                                         school_file: Path) -> None:
    existing = read_only.folder(school_file)
    with pytest.raises(DatabaseReadOnlyError, match="the folder is read-only"):
        open_database(existing.with_name("new.sqlite3"))
    assert files_beside(existing) == {"school.sqlite3"}


def test_the_read_only_mount_is_real_where_it_can_be_made(read_only: ReadOnlyPlaces,
                                                          school_file: Path) -> None:
    """For root, a read-only mount refuses even root's own writes, whatever we choose."""
    path = read_only.folder(school_file)
    if not read_only.mounted:
        pytest.skip("no read-only mount here: permissions (or os.access) decide")
    with pytest.raises(OSError, match="Read-only file system"):
        path.with_name("probe").touch()
    connection = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.OperationalError):
            connection.execute("DELETE FROM schools")
    finally:
        connection.close()


def test_a_user_signs_in_to_a_read_only_database_with_accounts(
        read_only: ReadOnlyPlaces, tmp_path: Path) -> None:
    from drillplanner.domain.permissions import PermissionDenied, Role
    from drillplanner.services import users

    path = tmp_path / "made" / "accounts.sqlite3"
    db = open_database(path)
    users.add_user(db, "admin", "correct horse 1", [Role.ADMIN])
    db.close()
    db = open_database(read_only.folder(path))
    try:
        assert db.read_only
        assert users.authenticate(db, "admin", "correct horse 1").value.login == "admin"
        with pytest.raises(PermissionDenied, match="Wrong login name or password"):
            users.authenticate(db, "admin", "a wrong one")
    finally:
        db.close()
