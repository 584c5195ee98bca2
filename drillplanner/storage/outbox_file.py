"""The outbox: headcounts typed while the school's database could not be reached, kept in
a small SQLite file on this computer until they are sent.

Plain ``sqlite3`` (no SQLAlchemy: nothing here is shared with the school's database),
WAL with ``synchronous=FULL``: an entry the console says is kept survives a crash or a
pulled plug. Entries are keyed by their entry id, the same id they are sent with, so
sending one twice (a crash between the send and the removal) stores it once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS waiting (
    entry_id TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    kept_at TEXT NOT NULL,
    payload TEXT NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class Waiting:
    """One entry kept for a database (``target``: its URL or file)."""

    entry_id: str
    target: str
    kept_at: datetime  # aware, UTC
    payload: dict[str, Any]


class OutboxFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            connection.execute(_SCHEMA)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            yield connection
        finally:
            connection.close()

    def keep(self, target: str, entry_id: str, payload: dict[str, Any]) -> Waiting:
        """Keep an entry; returns only once it is on disk. Keeping the same id again
        keeps the first."""
        kept_at = datetime.now(UTC)
        with self._lock, self._connection() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO waiting (entry_id, target, kept_at, payload) "
                "VALUES (?, ?, ?, ?)",
                (entry_id, target, kept_at.isoformat(), json.dumps(payload,
                                                                   ensure_ascii=False)))
        return Waiting(entry_id, target, kept_at, payload)

    def waiting(self, target: str) -> list[Waiting]:
        """The entries kept for ``target``, oldest first."""
        with self._lock, self._connection() as connection:
            rows = connection.execute(
                "SELECT entry_id, target, kept_at, payload FROM waiting WHERE target = ? "
                "ORDER BY kept_at, rowid", (target,)).fetchall()
        return [Waiting(r[0], r[1], datetime.fromisoformat(r[2]), json.loads(r[3]))
                for r in rows]

    def count(self, target: str) -> int:
        with self._lock, self._connection() as connection:
            found = connection.execute("SELECT count(*) FROM waiting WHERE target = ?",
                                       (target,)).fetchone()
        return int(found[0])

    def remove(self, entry_id: str) -> None:
        with self._lock, self._connection() as connection:
            connection.execute("DELETE FROM waiting WHERE entry_id = ?", (entry_id,))
