"""Opening a database: URL resolution, SQLite pragmas, units of work, error mapping."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
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
from drillplanner.storage import audit, migrate
from drillplanner.storage import tables as _tables  # noqa: F401  # every model registered
from drillplanner.storage.errors import (
    DatabaseCorruptError,
    DatabaseReadOnlyError,
    StorageError,
    corrupt_message,
    translate_error,
)

log = logging.getLogger("drillplanner.storage")

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


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
    """An open database. Services take one and open a unit of work per user action."""

    def __init__(self, engine: Engine, target: DatabaseTarget) -> None:
        self.engine = engine
        self.target = target
        self._reads = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(drillplanner_write=True)
        self._writes = sessionmaker(writer, expire_on_commit=False)
        audit.install(self._writes)  # every write appends its audit rows (storage/audit.py)

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
        """A unit of work that commits when the block ends without an error."""
        with self._guard(), self._writes.begin() as session:
            yield session

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (sa_exc.DBAPIError, sqlite3.Error) as error:
            # sqlite3 errors come unwrapped from the backup before a migration.
            known = translate_error(error, self.display_name)
            if known is None:
                raise
            raise known from error

    def close(self) -> None:
        self.engine.dispose()


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module's own transaction handling would defer BEGIN; we issue it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write that starts as a read cannot wait for the lock; take it up front.
        immediate = connection.get_execution_options().get("drillplanner_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _preflight_sqlite(path: Path, create: bool) -> None:
    """Refuse files that are not SQLite and folders we cannot write, before touching them."""
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
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseReadOnlyError(
                _("{where} cannot be written (read-only file or folder).").format(where=display))
        return
    if not create:
        raise StorageError(_("{where} does not exist.").format(where=display))
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseReadOnlyError(
            _("Cannot create the folder {folder}: {reason}").format(
                folder=parent, reason=error.strerror or error)) from error
    if not os.access(parent, os.W_OK):
        raise DatabaseReadOnlyError(
            _("Cannot create a database in {folder}: the folder is read-only.").format(
                folder=parent))


def open_database(target: str | os.PathLike[str], *, create: bool = True) -> Database:
    """Open (and if needed create or migrate) the database at ``target``.

    A newer or damaged database raises a StorageError and is left exactly as it was; a
    database that needs migrating is copied first.
    """
    try:
        resolved = resolve_target(target)
    except sa_exc.ArgumentError as error:
        raise StorageError(_("“{target}” is neither a file path nor a database URL: {reason}"
                             ).format(target=os.fspath(target), reason=error)) from error
    if resolved.path is not None:
        _preflight_sqlite(resolved.path, create)
        try:
            revision = migrate.sqlite_revision(resolved.path)
        except sqlite3.DatabaseError as error:
            # Locked, unreadable…: say so; any other failure to read the schema is damage.
            known = translate_error(error, resolved.display_name)
            if not isinstance(known, StorageError):
                known = DatabaseCorruptError(corrupt_message(resolved.display_name))
            raise known from error
        migrate.check_revision(revision, resolved.display_name)
        engine = create_engine(resolved.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_pragmas(engine)
    else:
        try:
            engine = create_engine(resolved.url, pool_pre_ping=True)
        except (ImportError, sa_exc.ArgumentError) as error:
            # An unknown dialect or a driver that is not installed: the user can act on it.
            raise StorageError(_("{where} cannot be opened: {reason}").format(
                where=resolved.display_name, reason=error)) from error
    database = Database(engine, resolved)
    try:
        with database._guard():
            migrate.ensure_schema(engine, resolved.display_name, resolved.path)
    except BaseException:
        engine.dispose()
        raise
    log.info("opened %s", resolved.display_name)
    return database
