"""Undoable edits: one command per cell edit, replayed through the services."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand

from drillplanner.domain.changes import Done
from drillplanner.services.database import Database
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.signals import emit

log = logging.getLogger("drillplanner.ui")

#: A service ``update_*`` operation: (db, record id, {field: value}) -> Done(new record).
Updater = Callable[[Database, int, Mapping[str, object]], Done[Any]]


class EditCommand(QUndoCommand):
    """Set one field of one record; undo sets the old value back through the same service.

    The edit is applied by the model before the command is pushed (so a refused value
    never reaches the stack); the first ``redo`` that QUndoStack.push makes is skipped.
    """

    def __init__(self, ctx: AppContext, updater: Updater, record_id: int, field: str,
                 old: object, new: object, text: str) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._updater = updater
        self._record_id = record_id
        self._field = field
        self._old = old
        self._new = new
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        self._apply(self._new)

    def undo(self) -> None:
        self._applied = False
        self._apply(self._old)

    def _apply(self, value: object) -> None:
        def refused(message: str) -> None:
            # The record may have been deleted or changed meanwhile: say so, keep going.
            log.info("undo/redo of %s #%s refused: %s", self._field, self._record_id, message)
            emit(self._ctx.error, message)
            self.setObsolete(True)

        ops.write(self._ctx, None, lambda db: self._updater(db, self._record_id,
                                                             {self._field: value}),
                  on_error=refused, source=None)
