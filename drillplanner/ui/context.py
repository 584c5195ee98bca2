"""What every window and page of one running app shares: the database, undo, change signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from drillplanner import config
from drillplanner.domain.changes import Changes
from drillplanner.domain.permissions import Actor
from drillplanner.services import authorization, outbox
from drillplanner.services.database import Database
from drillplanner.ui.signals import emit


class AppContext(QObject):
    """The open database, the undo stack and the signals that tell views what changed.

    It outlives a main window, so rebuilding the window (e.g. after a language switch)
    keeps the undo history and the chosen school.
    """

    #: Data changed; the second argument is the model that made the change (or None).
    changed = Signal(object, object)
    #: The current school changed (id, or None when the database holds no school).
    school_changed = Signal(object)
    #: A message for the user that is not tied to one widget (e.g. an undo that failed).
    error = Signal(str)
    #: A short note for the status bar.
    status = Signal(str)
    #: Another user signed in, or the user signed out (the Actor, or None): what is
    #: greyed out is decided again.
    user_changed = Signal(object)

    def __init__(self, db: Database, log_file: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.log_file = log_file
        self.font_warning = ""
        self.undo_stack = QUndoStack(self)
        self._school_id: int | None = None
        #: The main window showing now (replaced when the language changes).
        self.window: QObject | None = None
        self._outbox: outbox.Outbox | None = None

    @property
    def outbox(self) -> outbox.Outbox:
        """Where headcounts wait while the database server cannot be reached."""
        if self._outbox is None:
            self._outbox = outbox.Outbox(config.data_dir() / "outbox.sqlite3")
        return self._outbox

    @property
    def school_id(self) -> int | None:
        return self._school_id

    def set_school(self, school_id: int | None) -> None:
        if school_id != self._school_id:
            self._school_id = school_id
            emit(self.school_changed, school_id)

    def notify(self, changes: Changes, source: QObject | None = None) -> None:
        """Tell every view that ``changes`` happened (``source`` already knows)."""
        if changes.any:
            emit(self.changed, changes, source)

    def set_user(self, actor: Actor | None) -> None:
        """Make ``actor`` the user of every later write (None: signed out).

        The undo history goes: one user never undoes another's edits.
        """
        authorization.sign_in(actor)
        self.undo_stack.clear()
        emit(self.user_changed, actor)
