"""The agenda: the period's occurrences as a table; Enter or a double-click edits one."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from drillplanner.domain.events import Occurrence
from drillplanner.i18n import _
from drillplanner.ui.models.agenda import AgendaModel
from drillplanner.ui.signals import emit


class AgendaView(QTableView):
    occurrence_activated = Signal(object)
    delete_occurrence = Signal(object)

    def __init__(self, model: AgendaModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaView")
        self.setAccessibleName(_("Agenda"))
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setAccessibleName(_("Column headers"))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.doubleClicked.connect(self._on_double_clicked)
        model.modelReset.connect(self.fit_columns)

    def agenda_model(self) -> AgendaModel:
        model = self.model()
        assert isinstance(model, AgendaModel)
        return model

    def fit_columns(self) -> None:
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        for column in range(self.agenda_model().columnCount() - 1):
            header.resizeSection(column, min(max(header.sectionSize(column), 70), 320))

    def current_occurrence(self) -> Occurrence | None:
        index = self.currentIndex()
        return self.agenda_model().occurrence(index.row()) if index.isValid() else None

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            emit(self.occurrence_activated, self.agenda_model().occurrence(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        occurrence = self.current_occurrence()
        key = Qt.Key(event.key())
        if occurrence is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            emit(self.occurrence_activated, occurrence)
            event.accept()
            return
        if occurrence is not None and key == Qt.Key.Key_Delete:
            emit(self.delete_occurrence, occurrence)
            event.accept()
            return
        super().keyPressEvent(event)
