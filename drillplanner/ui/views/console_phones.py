"""The drill console's phones: one phone server for the console's run, its button, its
dialog and, in projector mode, its code in the corner.

The server serves from its own threads and calls back from them: after each phone entry
(``on_change``) and when it stops (``on_stop``: Stop Phones, the all clear or a cancel
wherever it was given, the app quitting). Both callbacks only emit a signal, delivered
queued to this object on the GUI thread, which announces the entry's ``Changes`` through
``ctx.notify`` (the console reloads at once, as for an entry typed here) or shows that
phones are off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from drillplanner.domain.changes import Changes
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.headcount import ClassInfo
from drillplanner.domain.qr_matrix import QUIET_ZONE
from drillplanner.i18n import _
from drillplanner.services import phone_links
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.phones import PhonesDialog
from drillplanner.ui.permissions import Guard
from drillplanner.ui.signals import emit
from drillplanner.ui.widgets.qr_code import QrCodePanel
from drillplanner.web.server import PhoneServer

log = logging.getLogger("drillplanner.ui")

#: Where the phone page listens: every interface (phones reach the school network's one),
#: on the port printed roll-call sheets carry. Tests serve on 127.0.0.1, port 0.
HOST = "0.0.0.0"
PORT = phone_links.DEFAULT_PORT
#: Pixels per module of the projector's code at most (410 px for a LAN link) and at
#: least: on a projected screen it is read from a few metres.
PROJECTOR_MODULE = 10
PROJECTOR_MIN_MODULE = 4
#: The share of the console's right column the code may take: the school's totals above
#: it stay readable.
CORNER_SHARE = 0.4


class ConsolePhones(QObject):
    """Serves the phone page of one run while the commander wants it and the run lasts."""

    # Emitted from the server's threads; connected queued, so handled on the GUI thread.
    _entry_made = Signal(object)
    _server_stopped = Signal()

    def __init__(self, ctx: AppContext, run_id: int, console: QWidget,
                 classes: Callable[[], Sequence[ClassInfo]]) -> None:
        super().__init__(console)
        self.ctx = ctx
        self.run_id = run_id
        self._console = console
        self._classes = classes
        self.server: PhoneServer | None = None
        self._error = ""
        self.projector = False
        self.dialog: PhonesDialog | None = None
        self._holder: QWidget | None = None
        self._run_running: bool | None = None
        self.button = QPushButton(console)
        self.button.setAccessibleName(_("Phones"))
        self.button.setToolTip(_("Let teachers report their classes from their phones: "
                                 "shows the code to scan on the school Wi-Fi"))
        self.guard = Guard(ctx, self, lambda: {"run_id": run_id})
        self.corner = QrCodePanel(console, PROJECTOR_MODULE)
        self.corner.setObjectName("projectorPhoneCode")
        self.corner.code.setAccessibleName(_("QR code of the drill page"))
        self.corner.hide()
        queued = Qt.ConnectionType.QueuedConnection
        self._entry_made.connect(self._announce, queued)
        self._server_stopped.connect(self._after_stop, queued)
        self.button.clicked.connect(self.open_dialog)
        self._app = QCoreApplication.instance()
        if self._app is not None:
            self._app.aboutToQuit.connect(self.stop)
        self._show_state()

    def beside(self, column: QWidget) -> QWidget:
        """``column`` with the projector's code in its bottom corner."""
        self._holder = QWidget(self._console)
        layout = QVBoxLayout(self._holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(column, 1)
        layout.addWidget(self.corner)
        self._holder.installEventFilter(self)
        return self._holder

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._holder and event.type() == QEvent.Type.Resize:
            self._fit_corner()
        return super().eventFilter(watched, event)

    def _fit_corner(self) -> None:
        """As large a code as the column spares (a 1024×768 projector has less room)."""
        matrix = self.corner.code.matrix()
        if self._holder is None or matrix is None:
            return
        room = min(self._holder.height() * CORNER_SHARE, self._holder.width())
        module = int(room) // (matrix.size + 2 * QUIET_ZONE)
        self.corner.code.set_preferred_module(
            min(max(module, PROJECTOR_MIN_MODULE), PROJECTOR_MODULE))

    # State ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    @property
    def error(self) -> str:
        """Why phones could not be turned on ("" when they could, or were not tried)."""
        return self._error

    @property
    def can_start(self) -> bool:
        """Whether the console offers phones now (the run is in progress, the user may)."""
        return self.button.isEnabled()

    def url(self) -> str:
        return self.server.url if self.server is not None and self.running else ""

    def class_links(self) -> list[tuple[str, str]]:
        """(class, its page) for each class of the run, in the console's order."""
        if self.server is None or not self.running:
            return []
        urls = self.server.class_urls()
        return [(c.name, urls[c.class_id]) for c in self._classes() if c.class_id in urls]

    # Starting and stopping ------------------------------------------------------------

    def start(self) -> bool:
        """Serve the phone page (a second call while serving does nothing); False when it
        could not start, with ``error`` saying why."""
        if self.running:
            return True
        if self.server is None:
            # One server per run: Stop Phones and Start again reuse it (same links).
            self.server = PhoneServer(self.ctx.db, self.run_id, host=HOST, port=PORT,
                                      on_change=self._from_entry, on_stop=self._from_stop)
        try:
            self.server.start()
        except DrillplannerError as error:
            self._error = str(error)
        except Exception as error:
            log.exception("the phone page could not start")
            self._error = ops.bug_message(error, self.ctx.log_file)
        else:
            self._error = ""
            emit(self.ctx.status, _("Phones are on: {url}").format(url=self.server.url))
        self._show_state()
        return not self._error

    def stop(self) -> None:
        """Stop serving (waits for the server's thread); nothing when it is not serving."""
        if self.server is not None:
            self.server.stop()
        self._show_state()

    def dispose(self) -> None:
        """The console is going away: phones off, and no more calls from the app."""
        self.stop()
        if self._app is not None:
            self._app.aboutToQuit.disconnect(self.stop)
            self._app = None
        if self.dialog is not None:
            self.dialog.hide()

    def open_dialog(self) -> PhonesDialog:
        """Phones…: turn phones on (unless the drill is over) and show their codes."""
        if self.can_start and not self.running:
            self.start()
        self.dialog = PhonesDialog.show_for(self, self._console, self.dialog)
        return self.dialog

    # From the server's threads --------------------------------------------------------

    def _from_entry(self, changes: Changes) -> None:
        try:
            emit(self._entry_made, changes)
        except RuntimeError:
            log.info("a phone entry arrived after the console closed")

    def _from_stop(self) -> None:
        try:
            emit(self._server_stopped)
        except RuntimeError:
            log.info("the phone server stopped after its console closed")

    # Back on the GUI thread -----------------------------------------------------------

    def _announce(self, changes: Changes) -> None:
        # No source: the console shows a phone's entry as it would one typed elsewhere.
        self.ctx.notify(changes, None)

    def _after_stop(self) -> None:
        self._show_state()
        if not self.running:
            emit(self.ctx.status, _("Phones are off."))

    def set_running(self, running: bool) -> None:
        """The console's run is (still) in progress or not: Phones… is offered only then
        (the server closes the page by itself at the all clear)."""
        if running == self._run_running:
            return  # every reload of the console says so
        self._run_running = running
        self.guard.refresh()  # the permission to run a drill may depend on its status
        self.guard.set_enabled(self.button, running)
        if self.dialog is not None:
            self.dialog.refresh()

    def set_projector(self, on: bool) -> None:
        self.projector = on
        self._show_state()

    def _show_state(self) -> None:
        running = self.running
        self.button.setText(_("Ph&ones (on)…") if running else _("Ph&ones…"))
        self.corner.set_link(self.url() if running else "", _("Report from a phone:"))
        self.corner.setVisible(running and self.projector)
        self._fit_corner()
        if self.dialog is not None:
            self.dialog.refresh()
