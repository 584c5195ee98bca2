"""The School page: a school's structure in editable tables, one tab per kind of record."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import _
from drillplanner.ui import ops, state
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.models.classes import ClassesModel, GradesModel, StaffModel
from drillplanner.ui.models.facilities import AreasModel, BuildingsModel, RoutesModel
from drillplanner.ui.models.schools import SchoolsModel
from drillplanner.ui.models.table import RecordTableModel
from drillplanner.ui.permissions import Guard
from drillplanner.ui.signals import emit
from drillplanner.ui.widgets.delegates import install_delegate
from drillplanner.ui.widgets.message_bar import MessageBar

log = logging.getLogger("drillplanner.ui")


class TablePane(QWidget):
    """One table with its Add/Delete buttons and an inline message bar for refused edits."""

    def __init__(self, ctx: AppContext, model: RecordTableModel, key: str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = model
        self.key = key
        self.title = title
        model.setParent(self)

        self._build_buttons()
        self.message_bar = MessageBar(self)
        self.view = QTableView(self)
        self.view.setObjectName(key)
        self.view.setAccessibleName(title)
        self.view.setModel(model)
        install_delegate(self.view)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.view.verticalHeader().setDefaultSectionSize(
            self.view.fontMetrics().height() + 10)
        self.view.verticalHeader().setAccessibleName(_("Row numbers"))
        header = self.view.horizontalHeader()
        header.setAccessibleName(_("Column headers"))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        saved = state.load_bytes(state.header_key(key))
        if saved is None or not header.restoreState(saved):
            self.fit_columns()

        model.edit_refused.connect(self._on_refused)
        model.modelReset.connect(self._update_hint)
        model.rowsInserted.connect(self._update_hint)
        ctx.school_changed.connect(self._update_hint)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.view, 1)
        self.setTabOrder(self.view, self.add_button)
        self.setTabOrder(self.add_button, self.delete_button)
        self._update_hint()
        self.guard = Guard(ctx, self)
        model.may_wait = self._out_of_sight

    def _out_of_sight(self) -> bool:
        """On screen, but on another tab or page: changes can wait until this shows (a
        window not shown at all, as in a script or a test, reads them at once)."""
        return self.window().isVisible() and not self.isVisible()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.model.reload_if_pending()

    def _build_buttons(self) -> None:
        self.add_button = QPushButton(_("&Add"), self)
        self.add_button.setAccessibleName(_("Add to {table}").format(table=self.title))
        self.add_button.setToolTip(_("Add a row (Insert or Ctrl+N)"))
        self.delete_button = QPushButton(_("&Delete"), self)
        self.delete_button.setAccessibleName(_("Delete from {table}").format(table=self.title))
        self.delete_button.setToolTip(_("Delete the selected row (Del)"))
        self.add_button.clicked.connect(self.add)
        self.delete_button.clicked.connect(self.delete_selected)
        self.hint = QLabel(self)
        self.hint.setAccessibleName(_("Hint"))

    def fit_columns(self) -> None:
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, max(header.sectionSize(column), 90))

    def save_state(self) -> None:
        state.save_bytes(state.header_key(self.key), self.view.horizontalHeader().saveState())

    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def add(self) -> None:
        """Add a row with default values and start editing its name."""
        self.message_bar.hide()
        if self.model.per_school and self.ctx.school_id is None:
            self.message_bar.show_error(_("Add a school first (on the Schools tab)."))
            return
        near = self.model.record_near(self.current_row())
        done = ops.write(self.ctx, self, lambda _db: self.model.add_record(near),
                         on_error=self.message_bar.show_error, source=self.model)
        if done is None:
            return
        self.model.reload()
        row = self.model.row_of(done.value.id)
        if row < 0:
            return
        column = max(self.model.column_of("name"), 0)
        index = self.model.index(row, column)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()
        self.view.edit(index)

    def delete_selected(self) -> None:
        """Delete the current row after saying what goes with it."""
        self.message_bar.hide()
        row = self.current_row()
        if row < 0:
            self.message_bar.show_error(_("Select a row to delete first."))
            return
        record = self.model.record(row)
        try:
            question = self.model.deletion_text(record)
        except DrillplannerError as error:  # gone meanwhile, or the database is unreadable
            self.message_bar.show_error(str(error))
            return
        if not messages.confirm(self, _("Delete"), question, _("Delete")):
            return
        # What the delete takes with it (a grade's classes, a school's everything) is in
        # its Changes, so the other tables refresh too.
        if ops.write(self.ctx, self, lambda _db: self.model.delete_record(record),
                     on_error=self.message_bar.show_error, source=self.model) is None:
            return
        self.model.reload()
        emit(self.ctx.status, _("Deleted “{name}”.").format(name=self.model.record_name(record)))
        if self.model.rowCount():
            next_row = min(row, self.model.rowCount() - 1)
            self.view.selectionModel().setCurrentIndex(
                self.model.index(next_row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _on_refused(self, field: str, message: str) -> None:
        self.message_bar.show_error(message)
        emit(self.ctx.status, _("Not saved: {message}").format(message=message))

    def _update_hint(self, *_args: object) -> None:
        if self.model.per_school and self.ctx.school_id is None:
            self.hint.setText(_("Choose or add a school first."))
        elif self.model.rowCount() == 0:
            self.hint.setText(_("Nothing here yet: press Add (Insert)."))
        else:
            self.hint.setText("")


class SchoolPage(QWidget):
    """Schools, buildings, assembly areas, routes, grades, classes and staff, as tabs."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(_("School page"))
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(_("School structure"))
        self.tabs.setDocumentMode(True)
        specs: list[tuple[str, str, Callable[[AppContext], RecordTableModel]]] = [
            ("schools", _("Schools"), SchoolsModel),
            ("buildings", _("Buildings"), BuildingsModel),
            ("areas", _("Assembly areas"), AreasModel),
            ("routes", _("Routes"), RoutesModel),
            ("grades", _("Grades"), GradesModel),
            ("classes", _("Classes"), ClassesModel),
            ("staff", _("Staff"), StaffModel),
        ]
        self.panes: dict[str, TablePane] = {}
        for key, title, factory in specs:
            pane = TablePane(ctx, factory(ctx), key, title, self.tabs)
            self.panes[key] = pane
            self.tabs.addTab(pane, title)
        self.tabs.setCurrentIndex(state.load_int(state.SCHOOL_TAB, 5))

        self.add_action = QAction(_("&Add Row"), self)
        self.add_action.setShortcuts([QKeySequence(Qt.Key.Key_Insert),
                                      QKeySequence(QKeySequence.StandardKey.New)])
        self.add_action.triggered.connect(lambda: self.current_pane().add())
        self.delete_action = QAction(_("&Delete Row…"), self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.triggered.connect(lambda: self.current_pane().delete_selected())
        # Delete belongs to the tables: in a cell editor the key must still delete text.
        for action in (self.add_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.guard = Guard(ctx, self)

    def current_pane(self) -> TablePane:
        pane = self.tabs.currentWidget()
        assert isinstance(pane, TablePane)
        return pane

    def show_tab(self, key: str) -> TablePane:
        pane = self.panes[key]
        self.tabs.setCurrentWidget(pane)
        return pane

    def save_state(self) -> None:
        state.save_int(state.SCHOOL_TAB, self.tabs.currentIndex())
        for pane in self.panes.values():
            pane.save_state()

    def detach(self) -> None:
        """Stop listening to the context (the window is being rebuilt)."""
        for pane in self.panes.values():
            pane.model.detach()
            self.ctx.school_changed.disconnect(pane._update_hint)
