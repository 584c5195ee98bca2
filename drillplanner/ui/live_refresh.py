"""Live refresh: what another computer changes shows here within a second.

The services announce every committed write (``services/live_changes``). ``LiveRefresh``
listens for one ``AppContext``: on PostgreSQL a ``QSocketNotifier`` on the LISTEN
connection's socket wakes it when a notice arrives, and the notice's ``Changes`` go out
through ``ctx.notify`` exactly as a local write's do, so each page reloads only what
overlaps what it shows. On SQLite a timer reads ``data_version`` twice a second; a change
there says only that someone committed, so the notification names every kind (pages that
are hidden just mark themselves stale, see e.g. ``CalendarPage.reload``). Notices of this
app's own writes are skipped on PostgreSQL; SQLite cannot tell them apart.

When the connection breaks (the server restarted, the network went), the status bar says
so and reconnecting is tried in a worker thread with a growing pause; once it is back,
everything is read again (notices sent meanwhile are lost) and the status bar says that.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from drillplanner.domain.changes import EVERYTHING
from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import _
from drillplanner.services import live_changes
from drillplanner.services.live_changes import LiveChanges
from drillplanner.ui.context import AppContext
from drillplanner.ui.ops import OpRunner
from drillplanner.ui.signals import emit

log = logging.getLogger("drillplanner.ui")

#: The first pause before reconnecting; it doubles after each failure, up to the last.
FIRST_RETRY_MS = 250
#: Short of the status bar's eight seconds: the "retrying" note stays up between attempts.
LAST_RETRY_MS = 5000
#: How long closing waits for a reconnect attempt under way (it gives up after 3 s).
_CLOSE_WAIT_MS = 5000


def lost_text() -> str:
    return _("Connection to the database lost: retrying…")


def restored_text() -> str:
    return _("Connection to the database restored.")


class LiveRefresh(QObject):
    """Hears other computers' writes to ``ctx.db`` and announces them through ``ctx``."""

    #: The connection broke; reconnecting is being tried.
    lost = Signal()
    #: The connection is back (and everything was announced as changed).
    restored = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._live: LiveChanges | None = None
        self._notifier: QSocketNotifier | None = None
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.check)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._reconnect)
        self._delay = FIRST_RETRY_MS
        self._runner = OpRunner(self)
        self._connected = False

    @property
    def connected(self) -> bool:
        return self._connected

    def start(self) -> bool:
        """Start listening; False when this database cannot be watched (logged)."""
        try:
            self._live = live_changes.watch(self.ctx.db)
        except DrillplannerError as error:
            log.warning("no live refresh for %s: %s", self.ctx.db.display_name, error)
            return False
        self._connected = True
        self._follow()
        log.info("live refresh of %s: %s", self.ctx.db.display_name,
                 "notices" if self._live.notices else "polling")
        return True

    def stop(self) -> None:
        """Stop listening and close the connection (the app is closing)."""
        self._retry.stop()
        self._unfollow()
        self._runner.wait(_CLOSE_WAIT_MS)
        if self._live is not None:
            self._live.close()
            self._live = None
        self._connected = False

    # Hearing ---------------------------------------------------------------------------

    def _follow(self) -> None:
        live = self._live
        assert live is not None
        socket = live.socket
        if socket is not None:
            self._notifier = QSocketNotifier(socket, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self.check)
        if live.poll_ms is not None:
            self._poll.start(live.poll_ms)

    def _unfollow(self) -> None:
        self._poll.stop()
        notifier, self._notifier = self._notifier, None
        if notifier is not None:
            # Off before the socket closes: Qt must never wait on a closed descriptor.
            notifier.setEnabled(False)
            notifier.deleteLater()

    def check(self, *_args: object) -> None:
        """Read what arrived and announce it (the notifier's and the poll's slot)."""
        if self._live is None or not self._connected:
            return
        try:
            changes = self._live.take()
        except live_changes.ConnectionLostError as error:
            self._on_lost(str(error))
            return
        if changes.any:
            self.ctx.notify(changes, self)

    # Losing and finding the server -------------------------------------------------------

    def _on_lost(self, detail: str) -> None:
        log.warning("live refresh: %s", detail)
        self._connected = False
        self._unfollow()
        self._delay = FIRST_RETRY_MS
        emit(self.ctx.status, lost_text())
        emit(self.lost)
        self._retry.start(self._delay)

    def _reconnect(self) -> None:
        live = self._live
        if live is None:
            return
        # A connection attempt may wait for the network: not on the GUI thread.
        self._runner.start(live.reconnect, lambda _none: self._on_restored(),
                           self._on_retry_failed)

    def _on_retry_failed(self, message: str) -> None:
        if self._live is None:
            return  # stopped meanwhile
        log.info("live refresh: still no connection: %s", message)
        self._delay = min(self._delay * 2, LAST_RETRY_MS)
        emit(self.ctx.status, lost_text())
        self._retry.start(self._delay)

    def _on_restored(self) -> None:
        if self._live is None:
            return
        log.info("live refresh: connection to %s restored", self.ctx.db.display_name)
        self._connected = True
        self._follow()
        emit(self.ctx.status, restored_text())
        emit(self.restored)
        # Whatever was announced while the connection was down was not heard.
        self.ctx.notify(EVERYTHING, self)
