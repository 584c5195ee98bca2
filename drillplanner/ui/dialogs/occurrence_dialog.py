"""Questions about one occurrence of a repeating event, and moving one occurrence."""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from drillplanner import i18n
from drillplanner.domain.events import Occurrence
from drillplanner.i18n import _
from drillplanner.ui import calendar_style as style
from drillplanner.ui.widgets.recurrence_editor import error_label, show_error


class EditScope(enum.Enum):
    """Which part of a series an edit or deletion applies to."""

    OCCURRENCE = "occurrence"
    FOLLOWING = "following"
    SERIES = "series"


def occurrence_name(occurrence: Occurrence) -> str:
    return _("“{title}” on {day} at {time}").format(
        title=occurrence.title, day=i18n.format_date(occurrence.day),
        time=style.time_text(occurrence.start))


class EditScopeQuestion:
    """"Edit this occurrence, this and the following ones, or the whole series?"."""

    @classmethod
    def ask(cls, occurrence: Occurrence, parent: QWidget | None = None) -> EditScope | None:
        box = QMessageBox(QMessageBox.Icon.Question, _("Edit a repeating event"),
                          _("{event} is part of a repeating event. What do you want to "
                            "change?").format(event=occurrence_name(occurrence)),
                          QMessageBox.StandardButton.NoButton, parent)
        one = box.addButton(_("&This occurrence"), QMessageBox.ButtonRole.AcceptRole)
        following = box.addButton(_("This and &following"), QMessageBox.ButtonRole.AcceptRole)
        series = box.addButton(_("The &whole series"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(one)
        box.setEscapeButton(cancel)
        box.exec()
        answers: dict[object, EditScope] = {one: EditScope.OCCURRENCE,
                                             following: EditScope.FOLLOWING,
                                             series: EditScope.SERIES}
        return answers.get(box.clickedButton())


class DeleteScopeQuestion:
    """"Cancel this occurrence or delete the whole series?" (a one-off: delete it?)."""

    @classmethod
    def ask(cls, occurrence: Occurrence, repeats: bool,
            parent: QWidget | None = None) -> EditScope | None:
        if not repeats:
            box = QMessageBox(QMessageBox.Icon.Warning, _("Delete event"),
                              _("Delete {event}?").format(event=occurrence_name(occurrence)),
                              QMessageBox.StandardButton.NoButton, parent)
            delete = box.addButton(_("&Delete"), QMessageBox.ButtonRole.DestructiveRole)
            cancel = box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(cancel)
            box.setEscapeButton(cancel)
            box.exec()
            return EditScope.SERIES if box.clickedButton() is delete else None
        box = QMessageBox(QMessageBox.Icon.Warning, _("Cancel or delete"),
                          _("{event} is part of a repeating event.").format(
                              event=occurrence_name(occurrence)),
                          QMessageBox.StandardButton.NoButton, parent)
        one = box.addButton(_("Cancel &this occurrence"), QMessageBox.ButtonRole.AcceptRole)
        series = box.addButton(_("Delete the &whole series"),
                               QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("&Keep"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(one)
        box.setEscapeButton(keep)
        box.exec()
        answers: dict[object, EditScope] = {one: EditScope.OCCURRENCE,
                                             series: EditScope.SERIES}
        return answers.get(box.clickedButton())


class MoveOccurrenceDialog(QDialog):
    """A new date, time and length for one occurrence; the rest of the series stays."""

    def __init__(self, occurrence: Occurrence, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Move One Occurrence"))
        self.setAccessibleName(self.windowTitle())
        start = occurrence.start
        self.date_edit = QDateEdit(QDate(start.year, start.month, start.day), self)
        self.date_edit.setAccessibleName(_("New date"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.time_edit = QTimeEdit(QTime(start.hour, start.minute), self)
        self.time_edit.setAccessibleName(_("New start time"))
        self.time_edit.setDisplayFormat("HH:mm")
        self.duration_spin = QSpinBox(self)
        self.duration_spin.setAccessibleName(_("Duration in minutes"))
        self.duration_spin.setRange(1, 7 * 24 * 60)
        self.duration_spin.setSuffix(_(" min"))
        self.duration_spin.setValue(int((occurrence.end - occurrence.start).total_seconds()
                                        // 60))
        self.error = error_label(self, _("Error"))
        form = QFormLayout()
        form.addRow(_("&Date:"), self.date_edit)
        form.addRow(_("&Start:"), self.time_edit)
        form.addRow(_("D&uration:"), self.duration_spin)
        intro = QLabel(_("Move {event}. The other dates of the series stay as they are."
                         ).format(event=occurrence_name(occurrence)), self)
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Move"))
        ok.setAccessibleName(_("Move"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def new_start(self) -> datetime:
        day, moment = self.date_edit.date(), self.time_edit.time()
        return datetime.combine(date(day.year(), day.month(), day.day()),
                                time(moment.hour(), moment.minute()))

    def new_duration(self) -> timedelta:
        return timedelta(minutes=self.duration_spin.value())

    def show_error(self, message: str) -> None:
        show_error(self.error, message)

    @classmethod
    def ask(cls, occurrence: Occurrence,
            parent: QWidget | None = None) -> tuple[datetime, timedelta] | None:
        """The new (naive local) start and duration, or None when cancelled."""
        dialog = cls(occurrence, parent)
        try:
            if not dialog.exec():
                return None
            return dialog.new_start(), dialog.new_duration()
        finally:
            dialog.deleteLater()
