"""What other computers change, as they change it: for a face that shows the database live.

Every service write announces its ``Changes`` to the other computers when it has committed
(``@operation``, through ``storage/notify.announce``). ``LiveChanges`` is the receiving end
for one open database: on PostgreSQL it wraps a LISTEN connection whose ``socket`` the face
waits on; on SQLite a ``data_version`` reader the face calls every ``poll_ms``. Either way
``take()`` answers what changed since it was last asked, this handle's own writes left out
(the face heard of those already, from the operation itself).
"""

from __future__ import annotations

import logging

from drillplanner.domain.changes import EVERYTHING, NOTHING, Changes, Notice
from drillplanner.storage import notify
from drillplanner.storage.database import Database
from drillplanner.storage.notify import ConnectionLostError

__all__ = ["ConnectionLostError", "LiveChanges", "announce", "watch"]

log = logging.getLogger("drillplanner.services")


def announce(db: Database, changes: Changes) -> None:
    """Tell the other computers that ``changes`` were committed to ``db`` (see notify)."""
    notify.announce(db, changes)


class LiveChanges:
    """The changes other computers (and other handles of this process) make to one database.

    Not thread-safe: one thread calls ``take``; ``reconnect`` may run in a worker while
    ``take`` is not called.
    """

    def __init__(self, db: Database, watcher: notify.Watcher) -> None:
        self._db = db
        self._watcher = watcher
        self._own = notify.origin_of(db)

    @property
    def notices(self) -> bool:
        """Whether the server sends notices naming what changed (PostgreSQL), rather than
        only that something did (SQLite)."""
        return notify.is_server(self._db)

    @property
    def socket(self) -> int | None:
        """The socket to wait on before calling ``take`` (None: poll every ``poll_ms``)."""
        return self._watcher.socket

    @property
    def poll_ms(self) -> int | None:
        return self._watcher.poll_ms

    def take(self) -> Changes:
        """What others changed since the last call, merged (NOTHING when nothing).

        A notice this build cannot read (a newer build's?) stands for everything.

        Raises:
            ConnectionLostError: the connection broke: ``reconnect``, then read everything again.
        """
        found = NOTHING
        for payload in self._watcher.drain():
            try:
                notice = Notice.from_payload(payload)
            except ValueError as error:
                log.warning("unreadable change notice %.200r: %s", payload, error)
                found = EVERYTHING
                continue
            if notice.origin != self._own:
                found |= notice.changes
        return found

    def reconnect(self) -> None:
        """Open the connection again; blocks for up to a few seconds.

        Raises:
            ConnectionLostError: still unreachable.
        """
        self._watcher.reconnect()

    def close(self) -> None:
        self._watcher.close()


def watch(db: Database) -> LiveChanges:
    """Start hearing other computers' changes to ``db``.

    Raises:
        StorageError: ``db`` cannot be watched (ConnectionLostError: the server went away since
            it was opened, or a SQLite file whose folder this process cannot write).
    """
    return LiveChanges(db, notify.open_watcher(db))
