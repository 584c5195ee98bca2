"""The school calendar: school years with terms, and holidays, closures, exam days, sports
days and make-up school days; public holidays pre-filled, or entries read from an .ics file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QDate, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.changes import Done
from drillplanner.domain.school_calendar import CalendarDay, DayKind, day_kind_label
from drillplanner.i18n import _, ngettext
from drillplanner.services import calendar as calendar_service
from drillplanner.services.database import Database
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.school_year_dialog import SchoolYearDialog
from drillplanner.ui.models.calendar_entries import CalendarDaysModel, SchoolYearsModel
from drillplanner.ui.permissions import Guard
from drillplanner.ui.widgets.message_bar import MessageBar

T = TypeVar("T")


def choose_calendar_file(parent: QWidget | None) -> Path | None:
    """Ask for an iCalendar file of school holidays; tests replace this function."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Import a School Calendar"), str(Path.home()),
        _("iCalendar files (*.ics);;All files (*)"))
    return Path(name) if name else None


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _table(parent: QWidget, model: SchoolYearsModel | CalendarDaysModel,
           name: str) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setAccessibleName(_("Column headers"))
    return view


class CalendarEntriesDialog(QDialog):
    """Every change is saved at once through services.calendar (pre-filling and importing
    in the background); the other pages hear of each. Close just closes."""

    def __init__(self, ctx: AppContext, school_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.school_id = school_id
        self.today = today or date.today()
        self.setObjectName("calendarEntriesDialog")
        self.setWindowTitle(_("School Calendar"))
        self.setAccessibleName(_("School calendar"))
        self.message_bar = MessageBar(self)
        #: Pre-filling and importing run here, off the GUI thread.
        self.runner = ops.OpRunner(self)
        self.years_model = SchoolYearsModel(self)
        self.days_model = CalendarDaysModel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(_("School calendar parts"))
        self.tabs.addTab(self._years_tab(), _("School &years and terms"))
        self.tabs.addTab(self._days_tab(), _("&Holidays and other days"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(860, 540)
        self.guard = Guard(ctx, self, lambda: {"school_id": school_id})
        self.reload()

    # Construction -----------------------------------------------------------------------

    def _years_tab(self) -> QWidget:
        tab = QWidget(self)
        self.years_view = _table(tab, self.years_model, _("School years"))
        self.add_year_button = QPushButton(_("&Add School Year…"), tab)
        self.add_year_button.setAccessibleName(_("Add a school year"))
        self.terms_button = QPushButton(_("Edit &Terms…"), tab)
        self.terms_button.setAccessibleName(_("Edit the terms of the selected year"))
        self.delete_year_button = QPushButton(_("&Delete Year"), tab)
        self.delete_year_button.setAccessibleName(_("Delete the selected school year"))
        self.add_year_button.clicked.connect(self.add_year)
        self.terms_button.clicked.connect(self.edit_terms)
        self.delete_year_button.clicked.connect(self.delete_year)
        row = QHBoxLayout()
        for button in (self.add_year_button, self.terms_button, self.delete_year_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.years_view, 1)
        return tab

    def _days_tab(self) -> QWidget:
        tab = QWidget(self)
        self.days_view = _table(tab, self.days_model, _("Holidays and other days"))
        self.kind_combo = QComboBox(tab)
        self.kind_combo.setAccessibleName(_("Kind of day"))
        for kind in DayKind:
            self.kind_combo.addItem(day_kind_label(kind), kind.value)
        today = QDate(self.today.year, self.today.month, self.today.day)
        self.first_edit = QDateEdit(today, tab)
        self.last_edit = QDateEdit(today, tab)
        for edit, name in ((self.first_edit, _("First day")), (self.last_edit, _("Last day"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        self.first_edit.dateChanged.connect(self._keep_range)
        self.name_edit = QLineEdit(tab)
        self.name_edit.setAccessibleName(_("Name of the entry"))
        self.name_edit.setPlaceholderText(_("e.g. National Day, mid-term exams"))
        self.add_day_button = QPushButton(_("A&dd"), tab)
        self.add_day_button.setAccessibleName(_("Add the entry"))
        self.add_day_button.clicked.connect(self.add_day)

        add_row = QHBoxLayout()
        add_row.addWidget(self.kind_combo)
        add_row.addWidget(self.first_edit)
        add_row.addWidget(QLabel(_("to"), tab))
        add_row.addWidget(self.last_edit)
        add_row.addWidget(self.name_edit, 1)
        add_row.addWidget(self.add_day_button)
        layout = QVBoxLayout(tab)
        layout.addLayout(add_row)
        layout.addWidget(self.days_view, 1)
        layout.addLayout(self._days_tools(tab))
        return tab

    def _days_tools(self, tab: QWidget) -> QHBoxLayout:
        """Delete an entry; pre-fill public holidays or import a file (in the background)."""
        self.delete_day_button = QPushButton(_("De&lete Entry"), tab)
        self.delete_day_button.setAccessibleName(_("Delete the selected entry"))
        self.delete_day_button.clicked.connect(self.delete_day)
        self.holiday_year_spin = QSpinBox(tab)
        self.holiday_year_spin.setAccessibleName(_("Year of the public holidays"))
        self.holiday_year_spin.setRange(2000, 2100)
        self.holiday_year_spin.setValue(self.today.year)
        self.prefill_button = QPushButton(_("&Prefill Public Holidays"), tab)
        self.prefill_button.setAccessibleName(_("Prefill public holidays of the year"))
        self.prefill_button.setToolTip(_("Adds the country's public holidays of the year, "
                                         "with make-up school days where the country has them"))
        self.prefill_button.clicked.connect(lambda: self.prefill(self.holiday_year_spin.value()))
        self.import_button = QPushButton(_("&Import .ics…"), tab)
        self.import_button.setAccessibleName(_("Import a school calendar file"))
        self.import_button.clicked.connect(self.choose_and_import)
        self.busy_indicator = ops.BusyIndicator(self.runner, _("Adding the entries…"), tab)
        self.runner.busy_changed.connect(self._on_busy)
        tools = QHBoxLayout()
        tools.addWidget(self.delete_day_button)
        tools.addStretch(1)
        tools.addWidget(self.busy_indicator)
        tools.addWidget(self.holiday_year_spin)
        tools.addWidget(self.prefill_button)
        tools.addWidget(self.import_button)
        return tools

    def _keep_range(self, value: QDate) -> None:
        if self.last_edit.date() < value:
            self.last_edit.setDate(value)

    def _on_busy(self, busy: bool) -> None:
        # One bulk change at a time.
        self.guard.set_enabled(self.prefill_button, not busy)
        self.guard.set_enabled(self.import_button, not busy)

    # Data -------------------------------------------------------------------------------

    def reload(self) -> None:
        db = self.ctx.db
        self.years_model.set_rows(calendar_service.list_school_years(db, self.school_id))
        self.days_model.set_rows(calendar_service.list_calendar_days(db, self.school_id))
        for view in (self.years_view, self.days_view):
            view.resizeColumnsToContents()

    def _selected(self, view: QTableView) -> int:
        index = view.currentIndex()
        return index.row() if index.isValid() else -1

    def _run(self, op: Callable[[Database], Done[T]], done: str) -> bool:
        """Run ``op`` (a service call); show what it did or why it was refused."""
        if ops.write(self.ctx, self, op, on_error=self.message_bar.show_error) is None:
            return False
        self.reload()
        self.message_bar.show_info(done)
        return True

    def add_year(self) -> None:
        year = SchoolYearDialog.ask(self.ctx, self.school_id, parent=self)
        if year is not None:
            self.reload()
            self.message_bar.show_info(_("Added the school year {name}.").format(
                name=year.name))

    def edit_terms(self) -> None:
        row = self._selected(self.years_view)
        if row < 0:
            self.message_bar.show_error(_("Select a school year first."))
            return
        year = SchoolYearDialog.ask(self.ctx, self.school_id, self.years_model.record(row),
                                    parent=self)
        if year is not None:
            self.reload()
            self.message_bar.show_info(_("Saved the terms of {name}.").format(name=year.name))

    def delete_year(self) -> None:
        row = self._selected(self.years_view)
        if row < 0:
            self.message_bar.show_error(_("Select a school year first."))
            return
        year = self.years_model.record(row)
        if not messages.confirm(self, _("Delete"), _(
                "Delete the school year {name} and its terms? Events stay.").format(
                    name=year.name), _("Delete")):
            return
        self._run(lambda db: calendar_service.delete_school_year(db, year.id),
                  _("Deleted the school year {name}.").format(name=year.name))

    def add_day(self) -> None:
        kind = DayKind(self.kind_combo.currentData())
        first, last = _pydate(self.first_edit.date()), _pydate(self.last_edit.date())
        school_id, name = self.school_id, self.name_edit.text()
        if self._run(lambda db: calendar_service.add_calendar_day(
                db, school_id, kind, first, last, name),
                _("Added {kind} {first} – {last}.").format(
                    kind=day_kind_label(kind), first=first.isoformat(),
                    last=last.isoformat())):
            self.name_edit.clear()

    def delete_day(self) -> None:
        row = self._selected(self.days_view)
        if row < 0:
            self.message_bar.show_error(_("Select an entry first."))
            return
        entry = self.days_model.record(row)
        self._run(lambda db: calendar_service.delete_calendar_day(db, entry.id),
                  _("Deleted {kind} {first}.").format(kind=day_kind_label(entry.kind),
                                                     first=entry.start.isoformat()))

    def prefill(self, year: int) -> None:
        """Add the public holidays of ``year`` (in the background); the message bar then
        says how many entries were added."""
        school_id = self.school_id

        def added(entries: list[CalendarDay]) -> None:
            self.reload()
            self.message_bar.show_info(ngettext(
                "Added {n} entry for {year}.", "Added {n} entries for {year}.",
                len(entries)).format(n=len(entries), year=year))

        ops.write_in_background(
            self.ctx, self.runner, self,
            lambda db: calendar_service.prefill_public_holidays(db, school_id, [year]),
            added, on_error=self.message_bar.show_error)

    def choose_and_import(self) -> None:
        path = choose_calendar_file(self)
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> None:
        """Add the holidays and other days of an .ics file (in the background); the message
        bar then says how many were added, or why the file was refused."""
        from drillplanner.services.ical import import_calendar_entries

        try:
            data = path.read_bytes()
        except OSError as error:
            self.message_bar.show_error(_("Cannot read {file}: {reason}").format(
                file=path, reason=error.strerror or error))
            return
        school_id, source = self.school_id, path.name

        def imported(entries: list[CalendarDay]) -> None:
            self.reload()
            self.message_bar.show_info(ngettext(
                "Imported {n} entry from {file}.", "Imported {n} entries from {file}.",
                len(entries)).format(n=len(entries), file=source))

        ops.write_in_background(
            self.ctx, self.runner, self,
            lambda db: import_calendar_entries(db, school_id, data, source),
            imported, on_error=self.message_bar.show_error)

    def done(self, result: int) -> None:
        """Close; a change still being saved is finished and announced first."""
        if self.runner.busy:
            self.runner.wait()
            # Its outcome is queued for this thread: deliver it before the dialog goes.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)
        super().done(result)

    @classmethod
    def ask(cls, ctx: AppContext, school_id: int, parent: QWidget | None = None) -> None:
        dialog = cls(ctx, school_id, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
