"""A missing student was found: where, by whom, how many of the class's missing.

After the all clear a finding is a correction of the record: the dialog then also asks when
the student was found (the drill's timeline keeps that time, not the time it is typed) and
why it is recorded late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
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
    reason: str = ""  # a correction: why it is recorded after the all clear
    at: datetime | None = None  # a correction: when the student was found (local, naive)


class MissingFoundDialog(QDialog):
    """Asks where and by whom; the console records it with headcounts.resolve_missing."""

    def __init__(self, alert: MissingAlert, by: str = "",
                 parent: QWidget | None = None, *, correction_from: datetime | None = None
                 ) -> None:
        super().__init__(parent)
        self.correction = correction_from is not None
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
        self._build_correction_fields(correction_from or datetime.now())
        self.error = error_label(self, _("Error"))
        self._build_layout(intro)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def _build_correction_fields(self, start: datetime) -> None:
        self.when_edit = QDateTimeEdit(self)
        self.when_edit.setAccessibleName(_("When found"))
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDateTime(QDateTime(
            QDate(start.year, start.month, start.day), QTime(start.hour, start.minute)))
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setAccessibleName(_("Reason for the correction"))
        self.reason_edit.setPlaceholderText(_("e.g. found after the all clear, not typed in"))

    def _build_layout(self, intro: QLabel) -> None:
        form = QFormLayout()
        form.addRow(_("Found &where:"), self.where_edit)
        form.addRow(_("Found &by:"), self.by_edit)
        form.addRow(_("&How many:"), self.count_spin)
        if self.correction:
            form.addRow(_("Found &at:"), self.when_edit)
            form.addRow(_("Reaso&n:"), self.reason_edit)
        else:
            self.when_edit.hide()
            self.reason_edit.hide()
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
        if self.correction:
            note = QLabel(_("This drill is completed: the finding is kept as a correction "
                            "with its reason, at the time the student was found."), self)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def answer(self) -> FoundAnswer:
        if not self.correction:
            return FoundAnswer(self.where_edit.text().strip(), self.by_edit.text().strip(),
                               self.count_spin.value())
        when = self.when_edit.dateTime().toPython()
        assert isinstance(when, datetime)
        return FoundAnswer(self.where_edit.text().strip(), self.by_edit.text().strip(),
                           self.count_spin.value(), self.reason_edit.text().strip(), when)

    def _accept_if_complete(self) -> None:
        if not self.where_edit.text().strip():
            show_error(self.error, _("Say where the student was found."))
            self.where_edit.setFocus()
            return
        if self.correction and not self.reason_edit.text().strip():
            show_error(self.error, _("Say why the finding is recorded after the all clear."))
            self.reason_edit.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, alert: MissingAlert, by: str = "", parent: QWidget | None = None, *,
            correction_from: datetime | None = None) -> FoundAnswer | None:
        """Where, by whom and how many, or None when cancelled. ``correction_from`` (the
        drill is completed; the time the dialog starts from): also when and why."""
        dialog = cls(alert, by, parent, correction_from=correction_from)
        try:
            return dialog.answer() if dialog.exec() else None
        finally:
            dialog.deleteLater()
