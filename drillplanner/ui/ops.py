"""The one way the GUI runs a service operation: known errors shown where the user looks,
bugs logged and reported with the log's path, and the operation's ``Changes`` announced.

``write(ctx, parent, op)`` runs a write on the GUI thread: single-record edits (a headcount,
a cell, a drill's status) take milliseconds and the user is waiting for exactly that answer
before typing on. ``write_in_background(...)`` runs the same kind of operation in a worker
thread of an ``OpRunner``: imports, bulk calendar changes and anything that may wait long
on another computer's lock, so the window keeps painting. Both end the same way: a
``DrillplannerError`` is a message for the user (a dialog by default, or the page's own
``on_error``), any other exception is a bug (logged with its traceback, reported with the
log file's path), and on success ``ctx.notify(done.changes, source)`` tells every page what
changed before the caller's ``on_done`` sees the result (Anki's CollectionOp and
``operation_did_execute``).

``OpRunner.start(work, on_done, on_error)`` is the lower level: any work (a report's data
and PDF) in a worker thread, the outcome back on the GUI thread by queued signals.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from drillplanner import i18n
from drillplanner.domain.changes import Done
from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import _
from drillplanner.services.database import Database
from drillplanner.ui.context import AppContext
from drillplanner.ui.signals import emit

log = logging.getLogger("drillplanner.ui")

T = TypeVar("T")

#: A service operation bound to its arguments: ``lambda db: drills.finish_drill(db, run_id)``.
Operation = Callable[[Database], Done[T]]
#: Where a page shows a known error instead of a dialog (an error label, a status line).
ErrorSink = Callable[[str], None]

#: ``source`` left out: the page that asked (``parent``) is the source.
_PARENT: Any = object()


def bug_message(error: BaseException, log_file: str = "") -> str:
    """What the user is told about a bug: what failed and where the details are."""
    what = str(error) or type(error).__name__
    if log_file:
        return _("Something went wrong: {error}. Details are in the log file: {log}").format(
            error=what, log=log_file)
    return _("Something went wrong: {error}. Details are in the log file.").format(error=what)


def write(ctx: AppContext, parent: QWidget | None, op: Operation[T], *,
          on_error: ErrorSink | None = None,
          source: QObject | None = _PARENT) -> Done[T] | None:
    """Run ``op`` now, on the GUI thread; the Done, or None when it failed (already shown).

    ``source`` is passed with the change notification so that the page that made the
    change (default: ``parent``) can skip reloading what it already shows.
    """
    try:
        done = op(ctx.db)
    except DrillplannerError as error:
        _show(parent, str(error), on_error, known=True)
        return None
    except Exception as error:
        log.exception("unexpected error in an operation")
        _show(parent, bug_message(error, ctx.log_file), on_error, known=False)
        return None
    ctx.notify(done.changes, parent if source is _PARENT else source)
    return done


def write_in_background(ctx: AppContext, runner: OpRunner, parent: QWidget | None,
                        op: Operation[T], on_done: Callable[[T], None], *,
                        on_error: ErrorSink | None = None,
                        source: QObject | None = _PARENT) -> None:
    """Run ``op`` in ``runner``'s worker thread; then, on the GUI thread, announce its
    changes and call ``on_done(value)``, or show the error."""
    db = ctx.db
    log_file = ctx.log_file

    def finished(done: Done[T]) -> None:
        ctx.notify(done.changes, parent if source is _PARENT else source)
        on_done(done.value)

    runner.start(lambda: op(db), finished,
                 lambda message: _show(parent, message, on_error, known=True),
                 log_file=log_file)


def _show(parent: QWidget | None, message: str, on_error: ErrorSink | None, *,
          known: bool) -> None:
    if on_error is not None:
        on_error(message)
        return
    from drillplanner.ui.dialogs import messages

    if known:
        messages.show_error(parent, message)
    else:
        messages.show_error(parent, message, _("Something went wrong"))


class _Relay(QObject):
    """Carries one task's outcome from the worker to the GUI thread (queued signals)."""

    finished = Signal(object)
    failed = Signal(str)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, log_file: str) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._log_file = log_file

    def run(self) -> None:
        # A pooled thread may have built a report in another language before.
        i18n.clear_thread_language()
        try:
            result = self._work()
        except DrillplannerError as error:
            self._send(self._relay.failed, str(error))
        except Exception as error:
            log.exception("unexpected error in a background operation")
            self._send(self._relay.failed, bug_message(error, self._log_file))
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
              on_error: Callable[[str], None], *, log_file: str = "") -> None:
        """Run ``work()`` in a worker thread; then, on the GUI thread, ``on_done(result)``,
        or ``on_error(message)`` when it raised (a DrillplannerError's text, or a short
        note for a bug naming ``log_file``, whose traceback goes to the log)."""
        relay = _Relay(self)
        # The slots must not hold the runner: when the last relay goes they would release
        # it, and a runner without a parent would then delete that relay a second time.
        runner = weakref.ref(self)

        def finished(result: object) -> None:
            alive = runner()
            if alive is not None:
                alive._end(relay, lambda: on_done(result))  # type: ignore[arg-type]

        def failed(message: str) -> None:
            alive = runner()
            if alive is not None:
                alive._end(relay, lambda: on_error(message))

        relay.finished.connect(finished)
        relay.failed.connect(failed)
        self._running += 1
        if self._running == 1:
            emit(self.busy_changed, True)
        self.pool.start(_Task(work, relay, log_file))

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
