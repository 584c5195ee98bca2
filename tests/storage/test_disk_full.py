"""A full disk is called a full disk (never "damaged"), is checked before the copy made ahead
of a migration, and leaves no partial copy and no -wal/-shm behind (issue 10, item 8).

The disk is made full deterministically by answering ``shutil.disk_usage`` and by SQLite
errors carrying SQLITE_FULL; where root may mount a small tmpfs, one test fills a real disk.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import create_engine

from drillplanner.services import schools
from drillplanner.storage import migrate
from drillplanner.storage.database import open_database
from drillplanner.storage.errors import (
    DatabaseCorruptError,
    DatabaseIOError,
    DiskFullError,
    translate_error,
)
from drillplanner.storage.schema import HEAD

# A full disk under a SQLite file and the copy made before migrating it.
pytestmark = pytest.mark.sqlite_only

OLD = "0001_initial"


class Usage(NamedTuple):
    total: int
    used: int
    free: int


def _free(monkeypatch: pytest.MonkeyPatch, free: int) -> None:
    """Every folder has ``free`` bytes left."""
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage(10**12, 10**12 - free, free))


def _coded(code: int, message: str = "database or disk is full") -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    error.sqlite_errorname = f"code {code}"
    return error


def _names(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def _revision(path: Path) -> str | None:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    connection.close()
    return row[0] if row else None


@pytest.fixture
def old_db(db_path: Path) -> Path:
    """A database made by the first release, with a school in it (needs a migration)."""
    engine = create_engine(f"sqlite:///{db_path}")
    migrate.upgrade(engine, OLD)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO schools (id, name, timezone, evacuation_target_seconds, country, "
            "address) VALUES (1, '聊城市实验小学', 'Asia/Shanghai', 180, 'CN', '')")
    engine.dispose()
    return db_path


# --- before the copy ahead of a migration ------------------------------------------------

def test_too_little_space_for_the_copy_is_refused_before_anything_is_written(
        old_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, names = old_db.read_bytes(), _names(old_db.parent)
    _free(monkeypatch, 100 * 1024)
    with pytest.raises(DiskFullError) as caught:
        open_database(old_db)
    message = str(caught.value)
    assert str(old_db.parent) in message and str(old_db) in message
    assert "100 KB available" in message and "MB needed" in message
    assert "the database was not changed" in message
    assert old_db.read_bytes() == before  # not even the journal mode
    assert _names(old_db.parent) == names


def test_enough_space_migrates_with_a_complete_copy(old_db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _free(monkeypatch, 50 * 1024 * 1024)
    db = open_database(old_db)
    try:
        assert [s.name for s in schools.list_schools(db)] == ["聊城市实验小学"]
    finally:
        db.close()
    copies = sorted(old_db.parent.glob("school.before-*"))
    assert [c.name.endswith(".sqlite3") for c in copies] == [True]
    assert _revision(copies[0]) == OLD and _revision(old_db) == HEAD


def test_the_copy_needs_the_database_its_wal_and_a_margin(
        old_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wal = old_db.with_name(old_db.name + "-wal")
    wal.write_bytes(b"\0" * 5000)  # counted, whatever is in it
    needed = old_db.stat().st_size + 5000 + migrate.BACKUP_MARGIN_BYTES
    _free(monkeypatch, needed - 1)
    with pytest.raises(DiskFullError, match="not enough free space"):
        migrate.check_room_for_backup(old_db)
    _free(monkeypatch, needed)
    migrate.check_room_for_backup(old_db)


# --- the copy fails half way -------------------------------------------------------------

class FullDiskConnection(sqlite3.Connection):
    """A connection whose backups copy one page, then find the disk full."""

    def backup(self, target: sqlite3.Connection, *args: Any, **kwargs: Any) -> None:
        def progress(_status: int, _remaining: int, _total: int) -> None:
            raise _coded(sqlite3.SQLITE_FULL)

        super().backup(target, pages=1, progress=progress)


@pytest.fixture
def disk_fills_during_backup(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", FullDiskConnection)
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    yield


@pytest.mark.usefixtures("disk_fills_during_backup")
def test_a_copy_that_fills_the_disk_is_removed_and_reported(old_db: Path) -> None:
    with pytest.raises(DiskFullError, match="is full") as caught:
        open_database(old_db)
    assert str(old_db) in str(caught.value)
    assert _names(old_db.parent) == {old_db.name}  # no partial copy, no -wal, no -shm
    assert _revision(old_db) == OLD  # not migrated without its copy


def test_a_copy_that_cannot_be_renamed_is_removed(old_db: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(_source: object, _target: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(migrate.os, "replace", replace)
    with pytest.raises(DiskFullError, match="is full"):
        open_database(old_db)
    assert _names(old_db.parent) == {old_db.name}
    assert _revision(old_db) == OLD


def test_a_copy_refused_for_another_reason_says_why(old_db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(_source: object, _target: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(migrate.os, "replace", replace)
    with pytest.raises(Exception, match="could not be written") as caught:
        open_database(old_db)
    assert "Permission denied" in str(caught.value)
    assert _names(old_db.parent) == {old_db.name}


# --- opening on a full disk ---------------------------------------------------------------

@pytest.fixture
def head_db(db_path: Path) -> Path:
    open_database(db_path).close()
    return db_path


def _revision_raises(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def sqlite_revision(_path: Path) -> str | None:
        raise error

    monkeypatch.setattr(migrate, "sqlite_revision", sqlite_revision)


def test_a_full_disk_while_reading_the_revision_says_full(
        head_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _revision_raises(monkeypatch, _coded(sqlite3.SQLITE_FULL))
    with pytest.raises(DiskFullError) as caught:
        open_database(head_db)
    assert "is full" in str(caught.value) and "damaged" not in str(caught.value)


@pytest.mark.parametrize("code", [sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC,
                                  sqlite3.SQLITE_IOERR_SHMSIZE, sqlite3.SQLITE_ERROR])
def test_any_failure_to_read_on_a_full_disk_says_full(
        head_db: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    _revision_raises(monkeypatch, _coded(code, "disk I/O error"))
    _free(monkeypatch, 0)
    with pytest.raises(DiskFullError, match="is full"):
        open_database(head_db)


def test_with_free_space_io_and_damage_keep_their_names(
        head_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _free(monkeypatch, 10**9)
    _revision_raises(monkeypatch, _coded(sqlite3.SQLITE_IOERR_READ, "disk I/O error"))
    with pytest.raises(DatabaseIOError):
        open_database(head_db)
    _revision_raises(monkeypatch, _coded(sqlite3.SQLITE_ERROR, "malformed"))
    with pytest.raises(DatabaseCorruptError):
        open_database(head_db)


def test_no_space_from_the_system_is_a_full_disk(head_db: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _revision_raises(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    with pytest.raises(DiskFullError, match="is full"):
        open_database(head_db)
    quota = OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))
    assert isinstance(translate_error(quota, "school.sqlite3"), DiskFullError)


def test_an_io_error_in_a_unit_of_work_on_a_full_disk_says_full(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    error = _coded(sqlite3.SQLITE_IOERR_WRITE, "disk I/O error")
    assert isinstance(translate_error(error, "x", tmp_path), DatabaseIOError)
    _free(monkeypatch, 4096)
    assert isinstance(translate_error(error, "x", tmp_path), DiskFullError)
    assert isinstance(translate_error(error, "x"), DatabaseIOError)  # no folder: no guess


# --- a real full disk (root with permission to mount) ------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, where the system lets us mount one."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small disk needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", folder],
                          check=False, capture_output=True)
    if done.returncode != 0:
        pytest.skip("mounting a small disk is not permitted here")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", folder], check=False, capture_output=True).returncode:
            subprocess.run(["umount", "-l", folder], check=False, capture_output=True)


def _fill(folder: Path) -> None:
    descriptor = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)


def test_a_really_full_disk_says_full_and_leaves_nothing(small_disk: Path) -> None:
    path = small_disk / "school.sqlite3"
    db = open_database(path)
    schools.add_school(db, "郑家镇东小学")
    db.close()
    _fill(small_disk)
    before = path.read_bytes()
    with pytest.raises(DiskFullError, match="is full"):
        open_database(path)
    assert _names(small_disk) == {"school.sqlite3", "filler"}
    assert path.read_bytes() == before
    (small_disk / "filler").unlink()
    db = open_database(path)
    try:
        assert [s.name for s in schools.list_schools(db)] == ["郑家镇东小学"]
    finally:
        db.close()


def test_a_really_full_disk_refuses_the_migration_copy(small_disk: Path) -> None:
    path = small_disk / "school.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, OLD)
    engine.dispose()
    _fill(small_disk)
    before = path.read_bytes()
    with pytest.raises(DiskFullError, match="not enough free space"):
        open_database(path)
    assert _names(small_disk) == {"school.sqlite3", "filler"}
    assert path.read_bytes() == before
