"""The History page: the school's drill runs with filters (kind, term, dates), each run's
duration and time to full accountability, and a chart of evacuation times across runs.

It follows change notifications by what it shows: runs (DRILL), their headcounts
(HEADCOUNT) and the school (SCHOOL: the evacuation target) read the runs again; the calendar
(CALENDAR of the current school) only feeds the Term filter, so it reads the terms again
(and the runs only when the chosen term's dates moved). Scheduled events (EVENT) are not
shown here — a run keeps its own title, kind and times — so they are ignored.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.events import DRILL_KINDS, EventKind, kind_label
from drillplanner.domain.school_calendar import Term
from drillplanner.i18n import _, ngettext
from drillplanner.services import calendar as calendar_service
from drillplanner.services import drills, headcounts
from drillplanner.services.school_clock import school_today
from drillplanner.ui import state
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.drill_runs import ID_ROLE, RunsModel, RunSummary
from drillplanner.ui.widgets.evacuation_chart import ChartPoint, EvacuationChart

log = logging.getLogger("drillplanner.ui")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DrillHistoryPage(QWidget):
    """Runs of the current school, newest first; double-click (or Enter) opens one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("drillHistoryPage")
        self.setAccessibleName(_("Drill history page"))
        self.terms: list[Term] = []
        self._stale = True
        self._build_filters()
        self._build_table()
        self._build_layout()
        self.kind_combo.currentIndexChanged.connect(self.reload)
        self.term_combo.currentIndexChanged.connect(self._term_chosen)
        self.dates_check.toggled.connect(self._dates_toggled)
        self.from_edit.dateChanged.connect(self._dates_changed)
        self.to_edit.dateChanged.connect(self._dates_changed)
        self.view.activated.connect(self._open_index)
        self.open_button.clicked.connect(self.open_selected)
        ctx.changed.connect(self._on_changed)
        ctx.school_changed.connect(self._on_school_changed)
        self._dates_toggled(False)
        self._load_terms()
        self.reload()

    def _build_filters(self) -> None:
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(_("Kind of drill"))
        self.kind_combo.addItem(_("All drills"), None)
        for kind in EventKind:
            if kind in DRILL_KINDS:
                self.kind_combo.addItem(kind_label(kind), kind.value)
        self.term_combo = QComboBox(self)
        self.term_combo.setAccessibleName(_("Term"))
        self.term_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.term_combo.setMinimumContentsLength(14)
        self.dates_check = QCheckBox(_("&From"), self)
        self.dates_check.setAccessibleName(_("Only drills between two dates"))
        today = school_today(self.ctx.db, self.ctx.school_id)
        self.from_edit = QDateEdit(_qdate(today - timedelta(days=365)), self)
        self.from_edit.setAccessibleName(_("First day"))
        self.to_edit = QDateEdit(_qdate(today), self)
        self.to_edit.setAccessibleName(_("Last day"))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.open_button = QPushButton(_("&Open…"), self)
        self.open_button.setAccessibleName(_("Open the selected drill"))
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(_("Number of drills shown"))

    def _build_table(self) -> None:
        self.model = RunsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("drillRuns")
        self.view.setAccessibleName(_("Drill runs"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setAccessibleName(_("Column headers"))
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.chart = EvacuationChart(self)

    def _build_layout(self) -> None:
        # Two rows of filters, so a narrow window (or long Chinese term names) still fits.
        kind_label_widget = QLabel(_("&Kind:"), self)
        kind_label_widget.setBuddy(self.kind_combo)
        term_label = QLabel(_("&Term:"), self)
        term_label.setBuddy(self.term_combo)
        to_label = QLabel(_("to"), self)
        first = QHBoxLayout()
        for item in (kind_label_widget, self.kind_combo, term_label, self.term_combo):
            first.addWidget(item)
        first.addStretch(1)
        first.addWidget(self.count_label)
        second = QHBoxLayout()
        for widget in (self.dates_check, self.from_edit, to_label, self.to_edit):
            second.addWidget(widget)
        second.addStretch(1)
        second.addWidget(self.open_button)
        bar = QVBoxLayout()
        bar.addLayout(first)
        bar.addLayout(second)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("historySplitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        saved = state.load_bytes(state.HISTORY_SPLITTER)
        if saved is not None:
            self.splitter.restoreState(saved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

    # Filters ----------------------------------------------------------------------------

    def _load_terms(self, keep: bool = False) -> None:
        """Fill the Term filter from the school's calendar. With ``keep`` the chosen term
        stays chosen while it is there (by id, or by name: replacing a year's terms
        renumbers them); otherwise the filter is "Any term"."""
        chosen = self.term_combo.currentData() if keep else None
        chosen_name = self.term_combo.currentText()
        self.terms = []
        school_id = self.ctx.school_id
        if school_id is not None:
            try:
                years = calendar_service.list_school_years(self.ctx.db, school_id)
            except DrillplannerError as error:
                log.warning("cannot read the school years: %s", error)
                years = []
            self.terms = [term for year in years for term in year.terms]
            names = {term.id: f"{year.name} {term.name}" for year in years
                     for term in year.terms}
        self.term_combo.blockSignals(True)
        self.term_combo.clear()
        self.term_combo.addItem(_("Any term"), None)
        for term in self.terms:
            self.term_combo.addItem(names[term.id], term.id)
        index = 0
        if chosen is not None:
            index = self.term_combo.findData(chosen)
            if index < 0:
                index = max(self.term_combo.findText(chosen_name), 0)
        self.term_combo.setCurrentIndex(index)
        self.term_combo.blockSignals(False)

    def _term_chosen(self) -> None:
        self._apply_term()
        self.reload()

    def _chosen_term(self) -> Term | None:
        return next((t for t in self.terms if t.id == self.term_combo.currentData()), None)

    def _apply_term(self) -> bool:
        """Put the chosen term's dates in the date filter; whether the filter changed."""
        term = self._chosen_term()
        if term is None:
            return False
        changed = not self.dates_check.isChecked() or \
            _pydate(self.from_edit.date()) != term.start or \
            _pydate(self.to_edit.date()) != term.end
        for edit, day in ((self.from_edit, term.start), (self.to_edit, term.end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.dates_check.blockSignals(True)
        self.dates_check.setChecked(True)
        self.dates_check.blockSignals(False)
        self._enable_dates(True)
        return changed

    def _dates_toggled(self, on: bool) -> None:
        self._enable_dates(on)
        if not on:
            self.term_combo.blockSignals(True)
            self.term_combo.setCurrentIndex(0)
            self.term_combo.blockSignals(False)
        self.reload()

    def _enable_dates(self, on: bool) -> None:
        self.from_edit.setEnabled(on)
        self.to_edit.setEnabled(on)

    def _dates_changed(self) -> None:
        self.term_combo.blockSignals(True)
        self.term_combo.setCurrentIndex(0)
        self.term_combo.blockSignals(False)
        self.reload()

    def set_kind(self, kind: EventKind | None) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(
            kind.value if kind else None), 0))

    def set_dates(self, first: date | None, last: date | None = None) -> None:
        """Only runs between ``first`` and ``last`` (None: every date)."""
        if first is not None:
            self.from_edit.setDate(_qdate(first))
            self.to_edit.setDate(_qdate(last or first))
        self.dates_check.setChecked(first is not None)

    # Data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the runs again (a hidden page only notes that it is out of date)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        school_id = self.ctx.school_id
        selected = self.view.currentIndex().data(ID_ROLE)
        summaries: list[RunSummary] = []
        if school_id is not None:
            kind = self.kind_combo.currentData()
            first = _pydate(self.from_edit.date()) if self.dates_check.isChecked() else None
            last = _pydate(self.to_edit.date()) if self.dates_check.isChecked() else None
            try:
                runs = drills.list_runs(self.ctx.db, school_id,
                                        kinds=[EventKind(kind)] if kind else None,
                                        start=first, end=last)
                for run in runs:
                    rollup = headcounts.rollup(self.ctx.db, run.id)
                    summaries.append(RunSummary(run, rollup.time_to_accountability,
                                                rollup.target))
            except DrillplannerError as error:
                log.warning("cannot read the drill runs: %s", error)
        self.model.set_rows(summaries)
        self.count_label.setText(ngettext("{n} drill", "{n} drills", len(summaries)).format(
            n=len(summaries)))
        target = next((s.target for s in summaries if s.target is not None), None)
        self.chart.set_points([ChartPoint(s.run.day, s.accountability.total_seconds(),
                                          s.run.title)
                               for s in summaries
                               if s.accountability is not None and s.run.day is not None],
                              target)
        if summaries:
            # The run that was selected stays selected (a change elsewhere reloads the list).
            rows = [s.run.id for s in summaries]
            self.view.selectRow(rows.index(selected) if selected in rows else 0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_changed(self, changes: Changes, _source: object) -> None:
        school_id = self.ctx.school_id
        if school_id is not None and changes.touches_record(Kind.CALENDAR, school_id):
            self._load_terms(keep=True)
            if self._apply_term() and not changes.touches(Kind.DRILL, Kind.HEADCOUNT,
                                                          Kind.SCHOOL):
                self.reload()
        if changes.touches(Kind.DRILL, Kind.HEADCOUNT, Kind.SCHOOL):
            self.reload()

    def _on_school_changed(self, _school_id: object) -> None:
        self._load_terms()
        self.reload()

    # Opening ----------------------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_run(self.model.summary(index.row()).run.id)

    def open_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._open_index(index)

    def open_run(self, run_id: int) -> None:
        """The detail view of one run (what it changes comes back as notifications)."""
        from drillplanner.ui.dialogs.drill_detail import DrillDetailDialog

        DrillDetailDialog.show_for(self.ctx, run_id, self)

    # State ------------------------------------------------------------------------------

    def save_state(self) -> None:
        state.save_bytes(state.HISTORY_SPLITTER, self.splitter.saveState())

    def detach(self) -> None:
        self.ctx.changed.disconnect(self._on_changed)
        self.ctx.school_changed.disconnect(self._on_school_changed)
