"""Undoable edits: one command per cell edit, replayed through the services."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtGui import QUndoCommand

from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.structure import Changes
from drillplanner.storage.database import Database
from drillplanner.ui.context import AppContext
from drillplanner.ui.signals import emit

log = logging.getLogger("drillplanner.ui")

#: A service ``update_*`` function: (db, record id, {field: value}) -> new record.
Updater = Callable[[Database, int, Mapping[str, object]], object]


class EditCommand(QUndoCommand):
    """Set one field of one record; undo sets the old value back through the same service.

    The edit is applied by the model before the command is pushed (so a refused value
    never reaches the stack); the first ``redo`` that QUndoStack.push makes is skipped.
    """

    def __init__(self, ctx: AppContext, updater: Updater, record_id: int, field: str,
                 old: object, new: object, changes: Changes, text: str) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._updater = updater
        self._record_id = record_id
        self._field = field
        self._old = old
        self._new = new
        self._changes = changes
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        self._apply(self._new)

    def undo(self) -> None:
        self._applied = False
        self._apply(self._old)

    def _apply(self, value: object) -> None:
        try:
            self._updater(self._ctx.db, self._record_id, {self._field: value})
        except DrillplannerError as error:
            # The record may have been deleted or changed meanwhile: say so, keep going.
            log.info("undo/redo of %s #%s refused: %s", self._field, self._record_id, error)
            emit(self._ctx.error, str(error))
            self.setObsolete(True)
            return
        self._ctx.notify(self._changes)
