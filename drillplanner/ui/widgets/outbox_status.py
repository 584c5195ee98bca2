""""N waiting to send": headcounts kept on this computer while the database server could
not be reached, sent again every few seconds in the background until it takes them."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from drillplanner.domain.changes import Done
from drillplanner.i18n import _, ngettext
from drillplanner.services import outbox
from drillplanner.ui.context import AppContext
from drillplanner.ui.drill_style import ERROR_COLOUR, bold_font, set_text_colour
from drillplanner.ui.ops import OpRunner
from drillplanner.ui.signals import emit

#: How often waiting entries are offered to the database again.
RETRY_MS = 3000
WAITING_COLOUR = "#9a6700"


class OutboxStatus(QLabel):
    """Shows what waits and sends it; hidden while nothing waits."""

    def __init__(self, ctx: AppContext, box: outbox.Outbox,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.box = box
        self.setAccessibleName(_("Entries waiting to be sent"))
        self.setWordWrap(True)
        self.setFont(bold_font())
        self.runner = OpRunner(self)
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.send)
        self._refused: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        """Show the count now (after an entry was kept); retry while any wait."""
        waiting = self.box.count(self.ctx.db)
        if waiting:
            set_text_colour(self, WAITING_COLOUR)
            self.setText(ngettext(
                "{n} entry waiting to send: the database cannot be reached. It is kept on "
                "this computer and sent when the connection is back.",
                "{n} entries waiting to send: the database cannot be reached. They are "
                "kept on this computer and sent when the connection is back.",
                waiting).format(n=waiting))
            if not self.timer.isActive():
                self.timer.start()
        elif self._refused:
            set_text_colour(self, ERROR_COLOUR)
            self.setText(" ".join(self._refused))
            self.timer.stop()
        else:
            self.clear()
            self.timer.stop()
        self.setVisible(bool(self.text()))

    def send(self) -> None:
        if self.runner.busy:
            return
        db = self.ctx.db
        self.runner.start(lambda: outbox.send_waiting(db, self.box), self._sent,
                          lambda _message: self.refresh(), log_file=self.ctx.log_file)

    def _sent(self, done: Done[outbox.Sent]) -> None:
        self._refused = [_("A kept entry was refused when it arrived: {why}").format(
            why=why) for _waiting, why in done.value.refused]
        self.ctx.notify(done.changes)
        if done.value.sent and not done.value.waiting:
            emit(self.ctx.status, ngettext("{n} kept entry sent.", "{n} kept entries sent.",
                                          done.value.sent).format(n=done.value.sent))
        self.refresh()
