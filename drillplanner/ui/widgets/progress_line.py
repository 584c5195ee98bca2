"""A progress bar and a line saying what a long import is doing, fed from a worker thread.

``sink()`` gives a ``ProgressSink`` to hand to a service running in a worker: it emits a
queued signal, so the bar moves on the GUI thread, and it raises ``Cancelled`` once the
user has asked to stop, which ends the work where it is (a write rolls back).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.progress import Progress, ProgressSink, Stage
from drillplanner.i18n import _
from drillplanner.ui.signals import emit


class Cancelled(DrillplannerError):  # noqa: N818 - the user's choice, not an error
    """The user stopped the work; nothing was written."""


def progress_text(progress: Progress) -> str:
    done = f"{progress.done:,}"
    total = f"{progress.total:,}"
    if progress.stage is Stage.READ:
        if progress.total <= 0:
            return _("Reading the file: {done} rows so far…").format(done=done)
        return _("Reading the file: row {done} of {total}…").format(done=done, total=total)
    if progress.stage is Stage.CHECK:
        return _("Checking row {done} of {total} against the school…").format(
            done=done, total=total)
    return _("Saving…")


class _Relay(QObject):
    moved = Signal(object)


class ProgressLine(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Progress"))
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(_("Progress bar"))
        self.bar.setTextVisible(True)
        self.label = QLabel(self)
        self.label.setAccessibleName(_("Progress text"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label, 2)
        self._relay = _Relay(self)
        self._relay.moved.connect(self.show_progress)
        self._cancelled = False
        self.hide()

    @property
    def moved(self) -> SignalInstance:
        """Emitted on the GUI thread with each ``Progress`` shown."""
        return self._relay.moved

    def sink(self) -> ProgressSink:
        """A fresh sink for one piece of work (the cancel request is forgotten)."""
        self._cancelled = False
        relay = self._relay

        def report(progress: Progress) -> None:
            if self._cancelled:
                raise Cancelled(_("Stopped: nothing was imported."))
            emit(relay.moved, progress)

        return report

    def cancel(self) -> None:
        self._cancelled = True

    def start(self, text: str) -> None:
        self.bar.setRange(0, 0)
        self.label.setText(text)
        self.show()

    def show_progress(self, progress: Progress) -> None:
        if progress.total > 0:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
        else:
            self.bar.setRange(0, 0)
        self.label.setText(progress_text(progress))
        self.show()
