"""Driver errors are classified by SQLite result code or SQLSTATE, not by message text."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from drillplanner.domain.errors import ConflictError
from drillplanner.storage.database import Database
from drillplanner.storage.errors import (
    DatabaseCannotOpenError,
    DatabaseCorruptError,
    DatabaseIOError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    DiskFullError,
    translate_error,
)

WHERE = "school.sqlite3"


def _raised(action: Callable[[], object]) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        action()
    return caught.value


def _wrapped(error: BaseException) -> sa_exc.DBAPIError:
    """The error as SQLAlchemy hands it to Database._guard."""
    wrapped = sa_exc.DBAPIError.instance("SELECT 1", {}, error, sqlite3.Error)
    assert isinstance(wrapped, sa_exc.DBAPIError)
    return wrapped


def _classify(error: BaseException) -> Exception | None:
    """Both entry points (a raw driver error and SQLAlchemy's wrapper) must agree."""
    direct = translate_error(error, WHERE)
    wrapped = translate_error(_wrapped(error), WHERE)
    assert type(direct) is type(wrapped)
    return direct


@pytest.fixture
def table_file(tmp_path: Path) -> Path:
    path = tmp_path / "real.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        connection.executemany("INSERT INTO t (name) VALUES (?)",
                               [(f"row {index} " * 20,) for index in range(500)])
    connection.close()
    return path


@pytest.fixture
def connection(table_file: Path) -> Iterator[sqlite3.Connection]:
    handle = sqlite3.connect(table_file, isolation_level=None)
    yield handle
    handle.close()


# --- real sqlite3 errors -----------------------------------------------------------------

def test_a_write_lock_held_by_another_connection_is_busy(table_file: Path) -> None:
    holder = sqlite3.connect(table_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(table_file, isolation_level=None, timeout=0)
    waiter.execute("PRAGMA busy_timeout = 0")
    try:
        error = _raised(lambda: waiter.execute("BEGIN IMMEDIATE"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        waiter.close()
    assert error.sqlite_errorcode == sqlite3.SQLITE_BUSY
    assert isinstance(_classify(error), DatabaseLockedError)


def test_a_table_in_use_on_the_same_connection_is_locked(
        connection: sqlite3.Connection) -> None:
    reading = connection.execute("SELECT id FROM t")
    reading.fetchone()
    error = _raised(lambda: connection.execute("DROP TABLE t"))
    assert error.sqlite_errorcode == sqlite3.SQLITE_LOCKED
    assert isinstance(_classify(error), DatabaseLockedError)


def test_writing_through_a_read_only_uri_is_read_only(table_file: Path) -> None:
    reader = sqlite3.connect(f"{table_file.as_uri()}?mode=ro", uri=True)
    try:
        error = _raised(lambda: reader.execute("INSERT INTO t (name) VALUES ('x')"))
    finally:
        reader.close()
    assert error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY
    assert isinstance(_classify(error), DatabaseReadOnlyError)


def test_reaching_max_page_count_is_disk_full(connection: sqlite3.Connection) -> None:
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages + 1}")
    error = _raised(
        lambda: connection.execute("INSERT INTO t (name) VALUES (hex(zeroblob(100000)))"))
    assert error.sqlite_errorcode == sqlite3.SQLITE_FULL
    assert isinstance(_classify(error), DiskFullError)


def test_damaged_pages_are_corrupt(table_file: Path, tmp_path: Path) -> None:
    data = bytearray(table_file.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(1, len(data) // page_size):  # every page but the header's
        data[page * page_size:page * page_size + 8] = b"\xff" * 8
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(bytes(data))
    reader = sqlite3.connect(damaged)
    try:
        error = _raised(lambda: reader.execute("SELECT count(*), max(name) FROM t").fetchall())
    finally:
        reader.close()
    assert error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_CORRUPT
    assert isinstance(_classify(error), DatabaseCorruptError)


def test_random_bytes_are_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(os.urandom(4096))
    reader = sqlite3.connect(junk)
    try:
        error = _raised(lambda: reader.execute("SELECT * FROM sqlite_master").fetchall())
    finally:
        reader.close()
    assert error.sqlite_errorcode == sqlite3.SQLITE_NOTADB
    assert isinstance(_classify(error), DatabaseCorruptError)


def test_a_missing_folder_cannot_be_opened(tmp_path: Path) -> None:
    error = _raised(lambda: sqlite3.connect(tmp_path / "no such folder" / "x.sqlite3"))
    assert error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_CANTOPEN
    assert isinstance(_classify(error), DatabaseCannotOpenError)


def test_a_duplicate_is_a_conflict(connection: sqlite3.Connection) -> None:
    name = connection.execute("SELECT name FROM t LIMIT 1").fetchone()[0]
    error = _raised(lambda: connection.execute("INSERT INTO t (name) VALUES (?)", (name,)))
    assert error.sqlite_errorcode == sqlite3.SQLITE_CONSTRAINT_UNIQUE
    assert isinstance(_classify(error), ConflictError)


def test_a_mistake_in_sql_is_a_bug_not_a_known_condition(
        connection: sqlite3.Connection) -> None:
    error = _raised(lambda: connection.execute("SELECT * FROM no_such_table"))
    assert error.sqlite_errorcode == sqlite3.SQLITE_ERROR
    assert _classify(error) is None


@pytest.mark.sqlite_only  # max_page_count is SQLite's way to fill a disk in a test
def test_a_full_database_through_a_unit_of_work(db: Database) -> None:
    with pytest.raises(DiskFullError, match="is full") as caught, db.write() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
        session.execute(text(f"PRAGMA max_page_count = {pages + 1}"))
        session.execute(text("CREATE TABLE filler (data BLOB)"))
        session.execute(text("INSERT INTO filler VALUES (zeroblob(1000000))"))
    assert db.display_name in str(caught.value)


# --- the code decides, not the text ------------------------------------------------------

def _sqlite_error(code: int, message: str,
                  kind: type[sqlite3.Error] = sqlite3.OperationalError) -> sqlite3.Error:
    error = kind(message)
    # Plain attributes: the sqlite3 module sets them the same way on the errors it raises.
    error.sqlite_errorcode = code
    error.sqlite_errorname = f"code {code}"
    return error


def test_sqlite_errorcode_is_settable_on_an_instance() -> None:
    error = _sqlite_error(sqlite3.SQLITE_BUSY, "x")
    assert error.sqlite_errorcode == sqlite3.SQLITE_BUSY


@pytest.mark.parametrize(("code", "message", "expected"), [
    (sqlite3.SQLITE_BUSY, "the neighbours are noisy", DatabaseLockedError),
    (sqlite3.SQLITE_BUSY_SNAPSHOT, "", DatabaseLockedError),
    (sqlite3.SQLITE_LOCKED, "数据库已锁定", DatabaseLockedError),
    (sqlite3.SQLITE_READONLY_DBMOVED, "database is locked", DatabaseReadOnlyError),
    (sqlite3.SQLITE_FULL, "readonly", DiskFullError),
    (sqlite3.SQLITE_CORRUPT, "disk is full", DatabaseCorruptError),
    (sqlite3.SQLITE_NOTADB, "", DatabaseCorruptError),
    (sqlite3.SQLITE_CANTOPEN_FULLPATH, "", DatabaseCannotOpenError),
    (sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, "database is locked", ConflictError),
    (sqlite3.SQLITE_IOERR_WRITE, "disk I/O error", DatabaseIOError),
    (sqlite3.SQLITE_IOERR_FSYNC, "disk I/O error", DatabaseIOError),
    (sqlite3.SQLITE_IOERR_READ, "disk I/O error", DatabaseIOError),
    (sqlite3.SQLITE_IOERR_SHORT_READ, "disk I/O error", DatabaseCorruptError),
    (sqlite3.SQLITE_IOERR_CORRUPTFS, "disk I/O error", DatabaseCorruptError),
])
def test_the_code_decides_whatever_the_message_says(
        code: int, message: str, expected: type[Exception]) -> None:
    assert isinstance(_classify(_sqlite_error(code, message)), expected)


@pytest.mark.parametrize(("code", "message"), [
    (sqlite3.SQLITE_ERROR, "database is locked"),
    (sqlite3.SQLITE_ERROR, "database disk image is malformed"),
    (sqlite3.SQLITE_MISUSE, "attempt to write a readonly database"),
    (sqlite3.SQLITE_IOERR_NOMEM, "disk is full"),
])
def test_an_unknown_code_is_a_bug_whatever_the_message_says(code: int, message: str) -> None:
    assert _classify(_sqlite_error(code, message)) is None


def test_an_io_error_names_its_code() -> None:
    error = _sqlite_error(sqlite3.SQLITE_IOERR_WRITE, "disk I/O error")
    error.sqlite_errorname = "SQLITE_IOERR_WRITE"
    known = translate_error(error, WHERE)
    assert known is not None
    assert "SQLITE_IOERR_WRITE" in str(known) and WHERE in str(known)


# --- PostgreSQL by SQLSTATE --------------------------------------------------------------

class FakePsycopgError(Exception):
    """Shaped like psycopg 3's errors: the server's SQLSTATE in ``sqlstate``."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("state", "expected"), [
    ("08006", DatabaseUnavailableError),  # connection_failure
    ("08001", DatabaseUnavailableError),  # sqlclient_unable_to_establish_sqlconnection
    ("57P01", DatabaseUnavailableError),  # admin_shutdown
    ("23505", ConflictError),  # unique_violation
    ("23503", ConflictError),  # foreign_key_violation
    ("53100", DiskFullError),  # disk_full
    ("25006", DatabaseReadOnlyError),  # read_only_sql_transaction
    ("40P01", DatabaseLockedError),  # deadlock_detected
    ("55P03", DatabaseLockedError),  # lock_not_available
    ("XX001", DatabaseCorruptError),  # data_corrupted
])
def test_postgresql_errors_by_sqlstate(state: str, expected: type[Exception]) -> None:
    error = FakePsycopgError("ERROR: something in the server's language", state)
    assert isinstance(translate_error(sa_exc.OperationalError("SELECT 1", {}, error), WHERE),
                      expected)


def test_a_postgresql_syntax_error_is_a_bug_even_if_it_mentions_connections() -> None:
    error = FakePsycopgError('syntax error at or near "connection"', "42601")
    assert translate_error(sa_exc.ProgrammingError("SELECT 1", {}, error), WHERE) is None


# --- drivers without codes: the message is the fallback ----------------------------------

class CodelessError(Exception):
    """A driver error with neither a SQLite code nor a SQLSTATE."""


@pytest.mark.parametrize(("message", "expected"), [
    ("database is locked", DatabaseLockedError),
    ("attempt to write a readonly database", DatabaseReadOnlyError),
    ("No space left on device", DiskFullError),
    ("file is not a database", DatabaseCorruptError),
    ("could not connect to server: Connection refused", DatabaseUnavailableError),
    ("failed to resolve host 'db.school.example': [Errno -2] Name or service not known",
     DatabaseUnavailableError),
    ('could not translate host name "db.school.example" to address', DatabaseUnavailableError),
])
def test_drivers_without_codes_fall_back_to_the_message(
        message: str, expected: type[Exception]) -> None:
    wrapped = sa_exc.OperationalError("SELECT 1", {}, CodelessError(message))
    assert isinstance(translate_error(wrapped, WHERE), expected)


def test_an_integrity_error_without_a_code_is_a_conflict() -> None:
    wrapped = sa_exc.IntegrityError("INSERT", {}, CodelessError("duplicate key"))
    assert isinstance(translate_error(wrapped, WHERE), ConflictError)
