"""Whose classes the signed-in user may record on the drill console.

Everyone sees every class; a teacher records only their own classes and a grade leader
their grade's (the permission table's RECORD_HEADCOUNT). The console asks once per run
status and per user (a read per class) and shows the answer three ways: the user's own
tiles carry a star and the others are faded with the rule on hover (``TileModel``), the
entry bar greys Record for another class with the same reason, and a line above the tiles
says what the star means. A user who may record every class (an admin, a principal, the
local admin of a database without accounts) sees none of this.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget

from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.permissions import Op
from drillplanner.i18n import _
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.headcount import TileModel
from drillplanner.ui.permissions import class_refusals
from drillplanner.ui.widgets.headcount_entry import HeadcountEntryBar


class ClassAccess(QObject):
    """The per-class refusals of one run, pushed to the tiles, the entry bar and ``note``."""

    def __init__(self, ctx: AppContext, run_id: int, model: TileModel,
                 entry: HeadcountEntryBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_id = run_id
        self.model = model
        self.entry = entry
        self.refusals: dict[int, str | None] = {}
        self._key: tuple[RunStatus, tuple[int, ...]] | None = None
        self.note = QLabel(parent)
        self.note.setObjectName("accessNote")
        self.note.setAccessibleName(_("Your classes"))
        self.note.setWordWrap(True)
        self.note.hide()
        ctx.user_changed.connect(self._on_user_changed)

    def update(self, status: RunStatus, class_ids: Sequence[int]) -> bool:
        """Ask again when the run's status or classes changed; True when it asked."""
        key = (status, tuple(class_ids))
        if key == self._key:
            return False
        self._key = key
        self._read()
        return True

    def refusal(self, class_id: int) -> str | None:
        """Why the user may not record ``class_id`` (None: they may)."""
        return self.refusals.get(class_id)

    def _on_user_changed(self, *_args: object) -> None:
        if self._key is not None:
            self._read()

    def _read(self) -> None:
        assert self._key is not None
        status, class_ids = self._key
        self.refusals = class_refusals(self.ctx, Op.RECORD_HEADCOUNT, self.run_id, class_ids)
        self.model.set_refusals(self.refusals)
        self.entry.set_refusals(self.refusals)
        reasons = list(self.refusals.values())
        running = status is RunStatus.IN_PROGRESS
        some = not reasons or None in reasons
        # Entries are for the drill as it happens (a completed record is only corrected).
        self.entry.setEnabled(running and some)
        if running and some and any(reasons):
            self.note.setText(_("★ marks your classes: you record their headcounts. The "
                                "other classes are faded; hover over one to see why."))
        elif running and not some:
            self.note.setText(next(r for r in reasons if r))
        else:
            self.note.clear()
        self.note.setVisible(bool(self.note.text()))
