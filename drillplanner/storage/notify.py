"""Telling other computers what a write changed, and hearing what theirs changed.

PostgreSQL: every committed service write sends ``NOTIFY drillplanner, '<payload>'``
(``announce``; the payload is ``Changes.to_payload``, naming the database handle that wrote
it), and a ``PostgresWatcher`` holds a connection of its own in autocommit that LISTENs on
that channel. Its socket becomes readable when a notice arrives (or when the connection
breaks), so a face waits on the socket and calls ``drain`` then: nothing polls.

SQLite has no notices: a ``SQLiteWatcher`` keeps a connection of its own and reads
``PRAGMA data_version``, which changes when any other connection (another process, or
another connection of this one) commits, and is a read of the shared-memory header, not of
the file. It cannot say what changed, so a change there is reported as every kind.

A watcher never reconnects by itself: ``drain`` raises ``ConnectionLostError`` and the face
calls ``reconnect`` (off its GUI thread: it may wait for the network) with the back-off it
likes; notices sent meanwhile are lost, so after a reconnect the face reads everything
again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
import weakref
from typing import TYPE_CHECKING, Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from drillplanner.domain.changes import EVERYTHING, Changes
from drillplanner.i18n import _
from drillplanner.storage.database import Database
from drillplanner.storage.errors import StorageError

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("drillplanner.storage")

#: The LISTEN/NOTIFY channel of every drillplanner database.
CHANNEL = "drillplanner"
#: How often a SQLite watcher should be read: half the one-second promise of live refresh.
SQLITE_POLL_MS = 500
#: A connection attempt to an unreachable server gives up after this long (libpq: >= 2 s).
CONNECT_TIMEOUT_S = 3
# TCP keepalives on the LISTEN connection: it is idle for hours, and without them a cable
# pulled out (no RST from the server) would leave it waiting forever. With these the
# kernel gives up on a silent server after about 10 + 3 x 5 s and the socket turns readable.
_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
               "keepalives_count": 3}

_NOTIFY = text("SELECT pg_notify(:channel, :payload)")
_origins: weakref.WeakKeyDictionary[Database, str] = weakref.WeakKeyDictionary()
_origins_lock = threading.Lock()


class ConnectionLostError(StorageError):
    """The watcher's connection broke (server restarted, network down); reconnect."""


def _lost(db: Database, detail: object | None = None) -> ConnectionLostError:
    if detail is None:
        return ConnectionLostError(_("The connection to {where} is closed.").format(
            where=db.display_name))
    return ConnectionLostError(_("The connection to {where} was lost: {detail}").format(
        where=db.display_name, detail=str(detail).strip() or type(detail).__name__))


def is_server(db: Database) -> bool:
    """Whether ``db`` is on a PostgreSQL server (notices) rather than a SQLite file."""
    return db.engine.dialect.name == "postgresql"


def origin_of(db: Database) -> str:
    """This handle's name in the notices it sends, so that its watcher can skip them.

    Per handle, not per process: two handles in one process (a test playing two
    computers) hear each other.
    """
    with _origins_lock:  # the phone page's worker threads write too: one name per handle
        found = _origins.get(db)
        if found is None:
            found = _origins[db] = uuid.uuid4().hex[:12]
    return found


def announce(db: Database, changes: Changes) -> None:
    """Tell the other computers on ``db``'s server that ``changes`` were committed.

    Called after the commit (in a statement of its own, in autocommit): a notice never
    arrives before the data it names can be read. A failure is logged, not raised: the
    write itself succeeded, and watchers that lost the server read everything again when
    they reconnect. Nothing to do on SQLite (its watchers read ``data_version``).
    """
    if not changes.any or not is_server(db):
        return
    payload = changes.to_payload(origin_of(db))
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(_NOTIFY, {"channel": CHANNEL, "payload": payload})
    except sa_exc.DBAPIError as error:
        log.warning("cannot tell other computers of a change to %s: %s", db.display_name,
                    error.orig if error.orig is not None else error)


class Watcher:
    """A dedicated connection that hears other connections' commits (see the module)."""

    #: The socket to wait on for ``drain`` (None: call ``drain`` every ``poll_ms``).
    socket: int | None = None
    #: How often to call ``drain`` when there is no socket to wait on.
    poll_ms: int | None = None

    def drain(self) -> list[str]:
        """The notices that arrived since the last call (``Changes.to_payload`` texts).

        Raises:
            ConnectionLostError: the connection broke; call ``reconnect``.
        """
        raise NotImplementedError

    def reconnect(self) -> None:
        """Open the connection again (blocking: at most ``CONNECT_TIMEOUT_S``).

        Raises:
            ConnectionLostError: still unreachable.
        """
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def open_watcher(db: Database) -> Watcher:
    """A watcher for ``db``, connected.

    Raises:
        StorageError: the dedicated connection cannot be opened (ConnectionLostError), or a
            PostgreSQL database without the psycopg driver.
    """
    watcher: Watcher = PostgresWatcher(db) if is_server(db) else SQLiteWatcher(db)
    watcher.reconnect()
    return watcher


class PostgresWatcher(Watcher):
    """LISTEN on its own autocommit connection; ``socket`` is that connection's."""

    def __init__(self, db: Database) -> None:
        try:
            import psycopg
        except ImportError as error:  # open_database would have failed first
            raise StorageError(str(error)) from error
        self._psycopg = psycopg
        self._db = db
        self._connection: psycopg.Connection[Any] | None = None

    def reconnect(self) -> None:
        self.close()
        engine = self._db.engine
        # The same parameters SQLAlchemy connects with (host, password, sslmode…).
        args, params = engine.dialect.create_connect_args(engine.url)
        for name, value in {**_KEEPALIVES, "connect_timeout": CONNECT_TIMEOUT_S}.items():
            params.setdefault(name, value)
        try:
            connection = self._psycopg.connect(*args, **params, autocommit=True)
        except self._psycopg.Error as error:
            raise _lost(self._db, error) from error
        try:
            connection.execute(f"LISTEN {CHANNEL}")
        except self._psycopg.Error as error:
            connection.close()
            raise _lost(self._db, error) from error
        self._connection = connection
        self.socket = connection.fileno()

    def drain(self) -> list[str]:
        connection = self._connection
        if connection is None:
            raise _lost(self._db)
        pgconn = connection.pgconn
        # What psycopg's own notifies() does, without its wait: read what the socket holds
        # and take the notices out. Reading is also what finds a closed connection (the
        # socket turns readable at EOF), which notifies(timeout=0) would not report.
        try:
            pgconn.consume_input()
        except self._psycopg.OperationalError as error:
            raise _lost(self._db, error) from error
        if pgconn.status != self._psycopg.pq.ConnStatus.OK:
            raise _lost(self._db, pgconn.get_error_message())
        found: list[str] = []
        while (notice := pgconn.notifies()) is not None:
            if notice.relname.decode() == CHANNEL:
                found.append(notice.extra.decode("utf-8", errors="replace"))
        return found

    def close(self) -> None:
        connection, self._connection = self._connection, None
        self.socket = None
        if connection is not None:
            connection.close()


class SQLiteWatcher(Watcher):
    """``PRAGMA data_version`` on its own connection, read every ``poll_ms``."""

    poll_ms = SQLITE_POLL_MS

    def __init__(self, db: Database) -> None:
        if db.target.path is None:
            raise StorageError(_("{where} cannot be watched for changes.").format(
                where=db.display_name))
        self._db = db
        self._path = db.target.path
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None

    def reconnect(self) -> None:
        self.close()
        # Read-only: this connection must never take a lock a writer waits for.
        uri = f"{self._path.as_uri()}?mode=ro"
        try:
            # Opened by the thread that reconnects, read by the GUI thread: never at once.
            connection = sqlite3.connect(uri, uri=True, isolation_level=None,
                                         check_same_thread=False)
            self._version = self._read(connection)
        except sqlite3.Error as error:
            raise _lost(self._db, error) from error
        self._connection = connection

    @staticmethod
    def _read(connection: sqlite3.Connection) -> int:
        row = connection.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def drain(self) -> list[str]:
        connection = self._connection
        if connection is None:
            raise _lost(self._db)
        try:
            version = self._read(connection)
        except sqlite3.Error as error:
            raise _lost(self._db, error) from error
        if version == self._version:
            return []
        self._version = version
        return [EVERYTHING.to_payload()]

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
