"""A missing student was found: where, by whom, how many of the class's missing."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.headcount import MissingAlert
from drillplanner.i18n import _
from drillplanner.ui.widgets.missing_alert import alert_text
from drillplanner.ui.widgets.recurrence_editor import error_label, show_error


@dataclass(frozen=True, slots=True)
class FoundAnswer:
    where: str
    by: str
    count: int


class MissingFoundDialog(QDialog):
    """Asks where and by whom; the console records it with headcounts.resolve_missing."""

    def __init__(self, alert: MissingAlert, by: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Student Found"))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(alert_text(alert), self)
        intro.setWordWrap(True)
        self.where_edit = QLineEdit(self)
        self.where_edit.setAccessibleName(_("Found where"))
        self.where_edit.setPlaceholderText(_("e.g. toilet on floor 2, school clinic"))
        self.by_edit = QLineEdit(by, self)
        self.by_edit.setAccessibleName(_("Found by"))
        self.count_spin = QSpinBox(self)
        self.count_spin.setAccessibleName(_("How many were found"))
        self.count_spin.setRange(1, max(alert.still_missing, 1))
        self.count_spin.setValue(max(alert.still_missing, 1))
        self.error = error_label(self, _("Error"))
        form = QFormLayout()
        form.addRow(_("Found &where:"), self.where_edit)
        form.addRow(_("Found &by:"), self.by_edit)
        form.addRow(_("&How many:"), self.count_spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Found"))
        ok.setAccessibleName(_("Found"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self._accept_if_complete)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def answer(self) -> FoundAnswer:
        return FoundAnswer(self.where_edit.text().strip(), self.by_edit.text().strip(),
                           self.count_spin.value())

    def _accept_if_complete(self) -> None:
        if not self.where_edit.text().strip():
            show_error(self.error, _("Say where the student was found."))
            self.where_edit.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, alert: MissingAlert, by: str = "",
            parent: QWidget | None = None) -> FoundAnswer | None:
        """Where, by whom and how many, or None when cancelled."""
        dialog = cls(alert, by, parent)
        try:
            return dialog.answer() if dialog.exec() else None
        finally:
            dialog.deleteLater()
