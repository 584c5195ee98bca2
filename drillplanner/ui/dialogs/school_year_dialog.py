"""Adding a school year with its terms, or changing the terms of one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.changes import Done
from drillplanner.domain.school_calendar import SchoolYear
from drillplanner.i18n import _
from drillplanner.services import calendar as calendar_service
from drillplanner.services.database import Database
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.widgets.recurrence_editor import error_label, show_error

MAX_TERMS = 4


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _date_edit(parent: QWidget, day: date, name: str) -> QDateEdit:
    edit = QDateEdit(_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(name)
    return edit


def default_year(today: date) -> tuple[str, date, date, list[tuple[str, date, date]]]:
    """A school year starting 1 September (the coming one from August on), in two terms."""
    first = today.year if today.month >= 8 else today.year - 1
    return (f"{first}–{first + 1}", date(first, 9, 1), date(first + 1, 7, 15),
            [(_("First term"), date(first, 9, 1), date(first + 1, 1, 20)),
             (_("Second term"), date(first + 1, 2, 20), date(first + 1, 7, 15))])


class SchoolYearDialog(QDialog):
    """Name, first and last day, and up to four terms; a year being edited keeps its dates."""

    def __init__(self, ctx: AppContext, school_id: int, year: SchoolYear | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.school_id = school_id
        self.year = year
        self.saved: SchoolYear | None = None
        self.setWindowTitle(_("Terms of {year}").format(year=year.name) if year
                            else _("Add a School Year"))
        self.setAccessibleName(self.windowTitle())
        name, start, end, terms = default_year(today or date.today())
        if year is not None:
            name, start, end = year.name, year.start, year.end
            terms = [(t.name, t.start, t.end) for t in year.terms]
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setAccessibleName(_("School year name"))
        self.start_edit = _date_edit(self, start, _("First day of the school year"))
        self.end_edit = _date_edit(self, end, _("Last day of the school year"))
        for widget in (self.name_edit, self.start_edit, self.end_edit):
            widget.setEnabled(year is None)
        form = QFormLayout()
        form.addRow(_("&Name:"), self.name_edit)
        form.addRow(_("&First day:"), self.start_edit)
        form.addRow(_("&Last day:"), self.end_edit)

        self.terms_grid = QGridLayout()
        for column, text in enumerate((_("Term"), _("First day"), _("Last day"))):
            self.terms_grid.addWidget(QLabel(f"<b>{text}</b>", self), 0, column)
        self.term_rows: list[tuple[QLineEdit, QDateEdit, QDateEdit]] = []
        self.add_term_button = QPushButton(_("Add &Term"), self)
        self.add_term_button.setAccessibleName(_("Add a term"))
        self.add_term_button.clicked.connect(self._on_add_term)
        for term in terms:
            self.add_term_row(*term)
        self.error = error_label(self, _("Error"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Save"))
        ok.setAccessibleName(_("Save"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(_("Leave a term's name empty to remove it. Days outside every term "
                        "are holidays (no school days)."), self)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self.terms_grid)
        layout.addWidget(self.add_term_button)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def add_term_row(self, name: str, start: date, end: date) -> None:
        if len(self.term_rows) >= MAX_TERMS:
            return
        number = len(self.term_rows) + 1
        name_edit = QLineEdit(name, self)
        name_edit.setAccessibleName(_("Name of term {n}").format(n=number))
        first = _date_edit(self, start, _("First day of term {n}").format(n=number))
        last = _date_edit(self, end, _("Last day of term {n}").format(n=number))
        for column, widget in enumerate((name_edit, first, last)):
            self.terms_grid.addWidget(widget, number, column)
        self.term_rows.append((name_edit, first, last))
        self.add_term_button.setEnabled(len(self.term_rows) < MAX_TERMS)

    def _on_add_term(self) -> None:
        last = _pydate(self.term_rows[-1][2].date()) if self.term_rows else \
            _pydate(self.start_edit.date())
        self.add_term_row(_("Term {n}").format(n=len(self.term_rows) + 1), last,
                          _pydate(self.end_edit.date()))

    def terms(self) -> list[tuple[str, date, date]]:
        return [(name.text().strip(), _pydate(first.date()), _pydate(last.date()))
                for name, first, last in self.term_rows if name.text().strip()]

    def accept(self) -> None:
        """Save through the calendar service; a refusal is shown and the dialog stays."""
        year, school_id, terms = self.year, self.school_id, self.terms()
        name = self.name_edit.text()
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())

        def save(db: Database) -> Done[SchoolYear]:
            if year is None:
                return calendar_service.add_school_year(db, school_id, name, start, end, terms)
            return calendar_service.set_terms(db, year.id, terms)

        done = ops.write(self.ctx, self, save, on_error=lambda text: show_error(self.error, text))
        if done is None:
            return
        self.saved = done.value
        super().accept()

    @classmethod
    def ask(cls, ctx: AppContext, school_id: int, year: SchoolYear | None = None,
            parent: QWidget | None = None) -> SchoolYear | None:
        dialog = cls(ctx, school_id, year, parent=parent)
        try:
            return dialog.saved if dialog.exec() else None
        finally:
            dialog.deleteLater()
