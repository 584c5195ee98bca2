"""The Changes view: the audit log, newest first, filtered by drill and kind of record, with
a check of its hash chain; and the same table for one drill (the drill detail's tab).

Every write appends to the log, so the view reads it again after any change notification
(when it is showing; a hidden view only notes that it is out of date). Verifying walks the
whole chain in a worker thread (``ops.OpRunner``): a log of many years takes a moment.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.audit import ChainCheck, entity_label
from drillplanner.domain.changes import Changes
from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import _, ngettext
from drillplanner.services import audit, drills
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.audit import CHANGES, AuditModel
from drillplanner.ui.ops import OpRunner

log = logging.getLogger("drillplanner.ui")

#: The newest entries a view shows (the CLI lists any number).
SHOWN = 1000
BROKEN_COLOUR = "#b00020"


def verify_text(result: ChainCheck) -> str:
    """A check's outcome in one sentence."""
    if result.problem is not None:
        return _("Chain broken: {problem}").format(problem=result.problem.describe())
    if not result.rows:
        return _("The audit log is empty.")
    return ngettext("Chain whole: {n} row; latest hash {hash}.",
                    "Chain whole: {n} rows; latest hash {hash}.", result.rows).format(
                        n=result.rows, hash=result.latest_hash)


class ChangesView(QWidget):
    """The audit log; with ``run_id``, only that drill's entries (no drill filter, no
    verify button, but the hash a signed report of it prints)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 run_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_id = run_id
        self.setObjectName("changesView" if run_id is None else "drillChangesView")
        self.setAccessibleName(_("Changes") if run_id is None else _("Changes of this drill"))
        self._stale = True
        self.runner = OpRunner(self)
        self._build_filters()
        self._build_table()
        self._build_layout()
        self.drill_combo.currentIndexChanged.connect(self.reload)
        self.entity_combo.currentIndexChanged.connect(self.reload)
        self.verify_button.clicked.connect(self.verify)
        ctx.changed.connect(self._on_changed)
        ctx.school_changed.connect(self._on_school_changed)
        self._load_filters()
        self.reload()

    def _build_filters(self) -> None:
        self.drill_combo = QComboBox(self)
        self.drill_combo.setAccessibleName(_("Drill"))
        self.drill_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.drill_combo.setMinimumContentsLength(18)
        self.entity_combo = QComboBox(self)
        self.entity_combo.setAccessibleName(_("Kind of record"))
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(_("Number of changes shown"))
        self.verify_button = QPushButton(_("&Verify Chain"), self)
        self.verify_button.setAccessibleName(_("Verify the audit log's hash chain"))
        self.result_label = QLabel(self)
        self.result_label.setObjectName("verifyResult")
        self.result_label.setAccessibleName(_("Result of the check"))
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)

    def _build_table(self) -> None:
        self.model = AuditModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("auditTable")
        self.view.setAccessibleName(_("Audit log"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setAccessibleName(_("Column headers"))
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CHANGES, QHeaderView.ResizeMode.Stretch)

    def _build_layout(self) -> None:
        drill_label = QLabel(_("&Drill:"), self)
        drill_label.setBuddy(self.drill_combo)
        entity_label_widget = QLabel(_("&Kind:"), self)
        entity_label_widget.setBuddy(self.entity_combo)
        bar = QHBoxLayout()
        if self.run_id is None:
            bar.addWidget(drill_label)
            bar.addWidget(self.drill_combo)
        else:
            drill_label.hide()
            self.drill_combo.hide()
            self.verify_button.hide()
        bar.addWidget(entity_label_widget)
        bar.addWidget(self.entity_combo)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.result_label)

    # Filters ------------------------------------------------------------------------------

    def _load_filters(self) -> None:
        """The current school's drills and the kinds of record the log holds; what was
        chosen stays chosen while it is there."""
        chosen_run = self.drill_combo.currentData()
        chosen_entity = self.entity_combo.currentData()
        runs = []
        entities: list[str] = []
        try:
            if self.run_id is None and self.ctx.school_id is not None:
                runs = drills.list_runs(self.ctx.db, self.ctx.school_id)
            entities = audit.entities(self.ctx.db)
        except DrillplannerError as error:
            log.warning("cannot read the audit log's filters: %s", error)
        for combo in (self.drill_combo, self.entity_combo):
            combo.blockSignals(True)
            combo.clear()
        self.drill_combo.addItem(_("All drills"), None)
        for run in runs:
            day = run.alarm_at.strftime("%Y-%m-%d") if run.alarm_at else "—"
            self.drill_combo.addItem(_("#{id} {title} ({day})").format(
                id=run.id, title=run.title, day=day), run.id)
        self.entity_combo.addItem(_("All kinds"), None)
        for name in sorted(entities, key=entity_label):
            self.entity_combo.addItem(entity_label(name), name)
        for combo, chosen in ((self.drill_combo, chosen_run),
                              (self.entity_combo, chosen_entity)):
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
            combo.blockSignals(False)

    def set_drill(self, run_id: int | None) -> None:
        """Show only the changes of ``run_id`` (None: every drill's and the rest)."""
        index = self.drill_combo.findData(run_id) if run_id is not None else 0
        if index < 0:
            self.drill_combo.addItem(_("#{id}").format(id=run_id), run_id)
            index = self.drill_combo.count() - 1
        self.drill_combo.setCurrentIndex(index)

    def set_entity(self, entity: str | None) -> None:
        index = self.entity_combo.findData(entity) if entity is not None else 0
        if index < 0:
            self.entity_combo.addItem(entity_label(entity or ""), entity)
            index = self.entity_combo.count() - 1
        self.entity_combo.setCurrentIndex(index)

    # Data ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the log again (a hidden view only notes that it is out of date)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        run_id = self.run_id if self.run_id is not None else self.drill_combo.currentData()
        try:
            entries = audit.list_entries(self.ctx.db, run_id=run_id,
                                         entity=self.entity_combo.currentData(), limit=SHOWN)
        except DrillplannerError as error:
            log.warning("cannot read the audit log: %s", error)
            entries = []
        self.model.set_rows(entries)
        text = ngettext("{n} change", "{n} changes", len(entries)).format(n=len(entries))
        if len(entries) >= SHOWN:
            text = _("the newest {n} changes").format(n=len(entries))
        self.count_label.setText(text)
        if self.run_id is not None:
            self._show_drill_hash()

    def _show_drill_hash(self) -> None:
        assert self.run_id is not None
        try:
            digest = audit.latest_hash(self.ctx.db, self.run_id)
        except DrillplannerError as error:
            log.warning("cannot read the drill's latest hash: %s", error)
            return
        self.result_label.setText(_("Latest hash of this drill: {hash}").format(hash=digest)
                                  if digest else "")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_changed(self, _changes: Changes, _source: object) -> None:
        # Every write appends to the log, whatever it changed.
        self._load_filters()
        self.reload()

    def _on_school_changed(self, _school_id: object) -> None:
        self._load_filters()
        self.reload()

    # Verifying ----------------------------------------------------------------------------

    def verify(self) -> None:
        """Walk the hash chain in a worker thread; the outcome shows below the table."""
        self.verify_button.setEnabled(False)
        self.result_label.setText(_("Verifying…"))
        self._colour(None)
        db = self.ctx.db
        self.runner.start(lambda: audit.check(db), self._verified, self._verify_failed,
                          log_file=self.ctx.log_file)

    def _verified(self, result: ChainCheck) -> None:
        self.verify_button.setEnabled(True)
        self.result_label.setText(verify_text(result))
        self._colour(BROKEN_COLOUR if result.problem is not None else None)

    def _verify_failed(self, message: str) -> None:
        self.verify_button.setEnabled(True)
        self.result_label.setText(message)
        self._colour(BROKEN_COLOUR)

    def _colour(self, colour: str | None) -> None:
        palette = self.result_label.palette()
        if colour is None:
            palette = self.palette()
        else:
            palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
        self.result_label.setPalette(palette)

    def detach(self) -> None:
        """Stop following the context (the view is going away)."""
        self.runner.wait()
        self.ctx.changed.disconnect(self._on_changed)
        self.ctx.school_changed.disconnect(self._on_school_changed)


def drill_changes_view(ctx: AppContext, run_id: int, parent: QWidget | None = None
                       ) -> ChangesView:
    """The changes of one drill, newest first, with the hash its signed report prints: the
    drill detail's "Changes" tab."""
    return ChangesView(ctx, parent, run_id=run_id)
