"""Opening a database: URL resolution, SQLite pragmas, units of work, error mapping."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from drillplanner.domain.credentials import has_one_at_sign, mask_credentials
from drillplanner.i18n import _
from drillplanner.storage import audit, migrate, sqlite_files
from drillplanner.storage import tables as _tables  # noqa: F401  # every model registered
from drillplanner.storage.errors import (
    DatabaseCorruptError,
    DatabaseReadOnlyError,
    StorageError,
    corrupt_message,
    disk_full,
    locked_error,
    opened_read_only,
    translate_error,
)
from drillplanner.storage.schema import HEAD

log = logging.getLogger("drillplanner.storage")

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
#: What every write transaction on PostgreSQL does first: writers take turns as SQLite's
#: BEGIN IMMEDIATE makes them, so two never interleave (no deadlocks between flushes) and
#: the audit chain's last row cannot change under a writer. Reads are not blocked.
POSTGRESQL_WRITE_LOCK = "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    """Where a database lives: a SQLite file path or a server URL."""

    url: str
    path: Path | None

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return str(self.path)
        return display_url(self.url)


def display_url(url: str) -> str:
    """``url`` with its password hidden (also one holding "@", which the parser misreads)."""
    if has_one_at_sign(url):
        with contextlib.suppress(ArgumentError, ValueError):
            return mask_credentials(make_url(url).render_as_string(hide_password=True))
    return mask_credentials(url)


def resolve_target(target: str | os.PathLike[str]) -> DatabaseTarget:
    """Turn ``--db``'s value (a file path or a URL) into a target."""
    text = os.fspath(target)
    if "://" in text:
        url = make_url(text)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return DatabaseTarget(text, Path(url.database).expanduser().resolve())
        return DatabaseTarget(text, None)
    path = Path(text).expanduser().resolve()
    return DatabaseTarget(f"sqlite:///{path}", path)


class Database:
    """An open database. Services take one and open a unit of work per user action.

    ``read_only`` is True for a SQLite file opened read-only because it or its folder
    cannot be written: reads work, ``write`` raises DatabaseReadOnlyError.
    """

    def __init__(self, engine: Engine, target: DatabaseTarget, *, read_only: bool = False
                 ) -> None:
        self.engine = engine
        self.target = target
        self.read_only = read_only
        self._reads = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(drillplanner_write=True)
        self._writes = sessionmaker(writer, expire_on_commit=False)
        audit.install(self._writes)  # every write appends its audit rows (storage/audit.py)
        # SQLite lets one writer in at a time and makes the others wait by sleeping and
        # retrying, with growing sleeps: threads of this process (the GUI, the phone
        # page's workers) queue here instead, each let in the moment the last one
        # commits. Other processes still wait through SQLite's busy timeout.
        self._write_turn = threading.RLock() if target.path is not None else None

    @property
    def display_name(self) -> str:
        return self.target.display_name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end)."""
        with self._guard(), self._reads() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that commits when the block ends without an error.

        Raises:
            DatabaseReadOnlyError: the database was opened read-only (before any
                transaction begins).
        """
        if self.read_only:
            raise opened_read_only(self.display_name)
        with self._turn(), self._guard(), self._writes.begin() as session:
            yield session

    @contextmanager
    def _turn(self) -> Iterator[None]:
        if self._write_turn is None:
            yield
            return
        if not self._write_turn.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise locked_error(self.display_name)
        try:
            yield
        finally:
            self._write_turn.release()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (sa_exc.DBAPIError, sqlite3.Error) as error:
            # sqlite3 errors come unwrapped from the backup before a migration.
            folder = self.target.path.parent if self.target.path is not None else None
            known = translate_error(error, self.display_name, folder)
            if known is None:
                raise
            raise known from error

    def close(self) -> None:
        self.engine.dispose()


def _install_sqlite_pragmas(engine: Engine, read_only_uri: str | None = None) -> None:
    """Durable settings on every connection; with ``read_only_uri``, open that URI instead.

    A read-only connection changes nothing: no journal mode (that writes the header), no
    BEGIN IMMEDIATE (Database.write refuses first), and ``query_only`` as a second lock.
    """
    if read_only_uri is not None:
        @event.listens_for(engine, "do_connect")
        def _read_only(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]
                       ) -> None:
            cargs[0] = read_only_uri
            cparams["uri"] = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module's own transaction handling would defer BEGIN; we issue it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only_uri is None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        else:
            cursor.execute("PRAGMA query_only = 1")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write that starts as a read cannot wait for the lock; take it up front.
        immediate = (read_only_uri is None
                     and connection.get_execution_options().get("drillplanner_write", False))
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _server_options(url: str) -> dict[str, Any]:
    # The audit chain and the checks made again under the write lock read what other
    # writers committed before the lock was granted: each statement needs a fresh snapshot,
    # whatever default the server was configured with.
    if make_url(url).get_backend_name() == "postgresql":
        return {"isolation_level": "READ COMMITTED"}
    return {}


def _install_postgresql_settings(engine: Engine) -> None:
    """Make a PostgreSQL session behave as the SQLite file does."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            # Times are stored naive UTC; server defaults (now()) would otherwise be the
            # server's local time, e.g. a school server set to Asia/Shanghai.
            cursor.execute("SET TIME ZONE 'UTC'")
            # Waiting for another writer ends as SQLite's busy timeout does: "busy".
            cursor.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("drillplanner_write", False):
            connection.exec_driver_sql(POSTGRESQL_WRITE_LOCK)


def _preflight_sqlite(path: Path, create: bool) -> bool:
    """Refuse files that are not SQLite, and new files in folders we cannot write.

    Returns:
        True when an existing file can only be read: it or its folder cannot be written.
    """
    display = str(path)
    if path.exists():
        if path.is_dir():
            raise DatabaseCorruptError(corrupt_message(display))
        if not path.is_file():
            # /dev/null, a pipe or a socket: SQLite would fail deep inside with an I/O error.
            raise StorageError(_("{where} is not a regular file (a device, pipe or socket), so "
                                 "it cannot hold a database: choose a database file."
                                 ).format(where=display))
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise DatabaseCorruptError(corrupt_message(display))
        # A read-only mount says so even to root; a folder we cannot write would refuse
        # SQLite's -wal and -shm files.
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    if not create:
        raise StorageError(_("{where} does not exist.").format(where=display))
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if sqlite_files.is_disk_full(error):
            raise disk_full(display) from error
        raise DatabaseReadOnlyError(
            _("Cannot create the folder {folder}: {reason}").format(
                folder=parent, reason=error.strerror or error)) from error
    if not os.access(parent, os.W_OK):
        raise DatabaseReadOnlyError(
            _("Cannot create a database in {folder}: the folder is read-only.").format(
                folder=parent))
    return False


def open_database(target: str | os.PathLike[str], *, create: bool = True) -> Database:
    """Open (and if needed create or migrate) the database at ``target``.

    A newer or damaged database raises a StorageError and is left exactly as it was, with
    nothing new beside it; a database that needs migrating is copied first. A SQLite file
    that cannot be written (read-only file, folder or mount) is opened read-only.
    """
    try:
        resolved = resolve_target(target)
    except sa_exc.ArgumentError as error:
        raise StorageError(_("“{target}” is neither a file path nor a database URL: {reason}"
                             ).format(target=os.fspath(target), reason=error)) from error
    if resolved.path is not None:
        database = _open_sqlite(resolved, resolved.path, create)
    else:
        if not has_one_at_sign(resolved.url):
            # The URL parser would end the password at its first "@" and send the rest to
            # the name server as a host name.
            raise StorageError(_("{where} cannot be opened: a password holding “@” must be "
                                 "written as %40 in the URL.").format(
                                     where=resolved.display_name))
        try:
            engine = create_engine(resolved.url, pool_pre_ping=True,
                                   **_server_options(resolved.url))
        except (ImportError, sa_exc.ArgumentError) as error:
            # An unknown dialect or a driver that is not installed: the user can act on it.
            raise StorageError(_("{where} cannot be opened: {reason}").format(
                where=resolved.display_name, reason=error)) from error
        if engine.dialect.name == "postgresql":
            _install_postgresql_settings(engine)
        database = Database(engine, resolved)
        _ensure_schema(database)
    log.info("opened %s%s", resolved.display_name, " read-only" if database.read_only else "")
    return database


def _open_sqlite(resolved: DatabaseTarget, path: Path, create: bool) -> Database:
    where = resolved.display_name
    with _disk_full_errors(where), sqlite_files.no_new_side_files(path):
        read_only = _preflight_sqlite(path, create)
        try:
            revision = migrate.sqlite_revision(path)
        except sqlite3.DatabaseError as error:
            # Locked, unreadable, a full disk…: say so; any other failure to read the schema
            # is damage.
            known = translate_error(error, where, path.parent)
            if not isinstance(known, StorageError):
                known = (disk_full(where) if sqlite_files.nearly_full(path.parent)
                         else DatabaseCorruptError(corrupt_message(where)))
            raise known from error
        migrate.check_revision(revision, where)
        read_only_uri = None
        if read_only:
            _check_readable_as_is(revision, where)
            read_only_uri = sqlite_files.read_only_uri(
                path, immutable=sqlite_files.can_read_immutable(path))
        elif revision not in (None, HEAD):
            migrate.check_room_for_backup(path)  # before the first write (the WAL pragma)
        engine = create_engine(resolved.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_pragmas(engine, read_only_uri)
        database = Database(engine, resolved, read_only=read_only)
        _ensure_schema(database)
    return database


def _check_readable_as_is(revision: str | None, where: str) -> None:
    """A read-only database can be opened only if it needs no schema change."""
    if revision is None:
        raise DatabaseReadOnlyError(
            _("{where} is read-only and holds no drillplanner database yet, so none can be "
              "made in it: choose a file in a folder that can be written.").format(where=where))
    if revision != HEAD:
        raise DatabaseReadOnlyError(
            _("{where} is read-only and was made by an older version of drillplanner: open "
              "it once where it can be written to upgrade it.").format(where=where))


def _ensure_schema(database: Database) -> None:
    try:
        with database._guard():
            migrate.ensure_schema(database.engine, database.display_name, database.target.path)
    except BaseException:
        database.engine.dispose()
        raise


@contextmanager
def _disk_full_errors(where: str) -> Iterator[None]:
    """An OSError for lack of space (reading a header, copying the file) is a full disk."""
    try:
        yield
    except OSError as error:
        if not sqlite_files.is_disk_full(error):
            raise
        raise disk_full(where) from error
