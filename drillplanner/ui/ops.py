"""Running slow service calls (reading a report's data, building its PDF) off the GUI thread.

``OpRunner.start(work, on_done, on_error)`` runs ``work`` in a worker thread of its own
QThreadPool and calls ``on_done(result)`` or ``on_error(message)`` back on the GUI thread, so
the window keeps painting and answering while a long report is built. ``BusyIndicator``
shows that something is running. Work must not touch widgets; services and report builders
are safe (each opens its own unit of work).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from drillplanner import i18n
from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import _
from drillplanner.ui.signals import emit

log = logging.getLogger("drillplanner.ui")

T = TypeVar("T")


class _Relay(QObject):
    """Carries one task's outcome from the worker to the GUI thread (queued signals)."""

    finished = Signal(object)
    failed = Signal(str)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        # A pooled thread may have built a report in another language before.
        i18n.clear_thread_language()
        try:
            result = self._work()
        except DrillplannerError as error:
            self._send(self._relay.failed, str(error))
        except Exception as error:
            log.exception("unexpected error in a background operation")
            self._send(self._relay.failed, _(
                "Something went wrong: {error}. Details are in the log file.").format(
                    error=str(error) or type(error).__name__))
        else:
            self._send(self._relay.finished, result)
        finally:
            i18n.clear_thread_language()

    @staticmethod
    def _send(signal: Any, value: object) -> None:
        try:
            emit(signal, value)
        except RuntimeError:
            # The page that asked went away (its runner and relays with it).
            log.info("a background operation finished after its page was closed")


class OpRunner(QObject):
    """Runs work one piece at a time in a private thread pool; ``busy`` while any is."""

    #: True when work starts with nothing running, False when the last piece ends.
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        # One at a time: reports are memory-hungry and the user waits for the last one.
        self.pool.setMaxThreadCount(1)
        self._running = 0

    @property
    def busy(self) -> bool:
        return self._running > 0

    def start(self, work: Callable[[], T], on_done: Callable[[T], None],
              on_error: Callable[[str], None]) -> None:
        """Run ``work()`` in a worker thread; then, on the GUI thread, ``on_done(result)``,
        or ``on_error(message)`` when it raised (a DrillplannerError's text, or a short
        note for a bug, whose traceback goes to the log)."""
        relay = _Relay(self)
        relay.finished.connect(lambda result: self._end(relay, lambda: on_done(result)))
        relay.failed.connect(lambda message: self._end(relay, lambda: on_error(message)))
        self._running += 1
        if self._running == 1:
            emit(self.busy_changed, True)
        self.pool.start(_Task(work, relay))

    def _end(self, relay: _Relay, callback: Callable[[], None]) -> None:
        relay.deleteLater()
        self._running -= 1
        try:
            callback()
        finally:
            if self._running == 0:
                emit(self.busy_changed, False)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the running work is done (closing a page); False on time-out."""
        return self.pool.waitForDone(msecs)


class BusyIndicator(QWidget):
    """A moving bar and a line of text, shown while its runner is busy."""

    def __init__(self, runner: OpRunner, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Progress"))
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # no percentage: a busy indicator
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(160)
        self.bar.setAccessibleName(_("Working"))
        self.label = QLabel(text, self)
        self.label.setAccessibleName(_("Progress text"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        runner.busy_changed.connect(self.setVisible)
        self.setVisible(runner.busy)
