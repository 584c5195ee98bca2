"""The Reports page: choose a report and what it covers, preview the PDF inside the app, print
it or save it.

The PDF is built in a worker thread (ui/ops.py) into memory, and QPdfView shows it; printing
draws the previewed pages and saving writes the previewed bytes, so what is printed or filed
is what was looked at.
"""

from __future__ import annotations

import io
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from drillplanner import i18n
from drillplanner.domain.drill_runs import run_status_label
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.report_data import Paper, ReportOptions, paper_label
from drillplanner.domain.report_requests import PeriodPreset, ReportRequest, preset_label
from drillplanner.i18n import _, ngettext
from drillplanner.services import classes, drills, report_files, schools
from drillplanner.services.database import Database
from drillplanner.ui.context import AppContext
from drillplanner.ui.ops import BusyIndicator, OpRunner
from drillplanner.ui.signals import emit
from drillplanner.ui.widgets import pdf_preview
from drillplanner.ui.widgets.message_bar import MessageBar
from drillplanner.ui.widgets.pdf_preview import PdfPreview, file_name

if TYPE_CHECKING:
    from drillplanner.reports.registry import ReportInfo

log = logging.getLogger("drillplanner.ui")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def build_in_memory(db: Database, request: ReportRequest) -> tuple[bytes, int]:
    """The requested report's PDF and its page count (run in a worker thread)."""
    out = io.BytesIO()
    pages = report_files.build_report(db, request, out)
    return out.getvalue(), pages


class ReportsPage(QWidget):
    """Report list and settings on the left, the preview on the right."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reportsPage")
        self.setAccessibleName(_("Reports page"))
        #: Filled when the page is first shown: the registry loads reportlab, which the
        #: app's start-up does without.
        self.reports: list[ReportInfo] = []
        self.runner = OpRunner(self)
        #: What the preview was built from (None until the first preview).
        self.shown: ReportRequest | None = None
        self._again = False
        self._period_set = False
        self._build_settings()
        self._build_layout()
        self.report_list.currentRowChanged.connect(self._report_chosen)
        self.language_combo.currentIndexChanged.connect(self._output_changed)
        self.paper_combo.currentIndexChanged.connect(self._output_changed)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.save_as)
        self.runner.busy_changed.connect(self._busy_changed)
        ctx.school_changed.connect(self._on_school_changed)
        self._update_buttons()

    # Construction -----------------------------------------------------------------------

    def _build_settings(self) -> None:
        self.report_list = QListWidget(self)
        self.report_list.setAccessibleName(_("Reports"))
        self.description_label = QLabel(self)
        self.description_label.setWordWrap(True)
        self.description_label.setAccessibleName(_("Report description"))
        self.school_label = QLabel(self)
        self.school_label.setAccessibleName(_("School of the report"))
        self.school_label.setWordWrap(True)
        self.run_combo = QComboBox(self)
        self.run_combo.setAccessibleName(_("Drill"))
        self.run_combo.setMinimumContentsLength(24)
        self.run_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.from_edit = QDateEdit(self)
        self.from_edit.setAccessibleName(_("First day of the period"))
        self.to_edit = QDateEdit(self)
        self.to_edit.setAccessibleName(_("Last day of the period"))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.preset_buttons: dict[PeriodPreset, QPushButton] = {}
        for preset in PeriodPreset:
            button = QPushButton(preset_label(preset), self)
            button.setAccessibleName(_("Period: {preset}").format(preset=preset_label(preset)))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, p=preset: self.use_preset(p))
            self.preset_buttons[preset] = button
        self.grade_combo = QComboBox(self)
        self.grade_combo.setAccessibleName(_("Grade"))
        self.language_combo = QComboBox(self)
        self.language_combo.setAccessibleName(_("Language of the report"))
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(
            self.language_combo.findData(i18n.current_language()))
        self.paper_combo = QComboBox(self)
        self.paper_combo.setAccessibleName(_("Paper size"))
        for paper in Paper:
            self.paper_combo.addItem(paper_label(paper), paper.value)
        self.preview_button = QPushButton(_("Previe&w"), self)
        self.preview_button.setAccessibleName(_("Build and preview the report"))
        self.print_button = QPushButton(_("&Print…"), self)
        self.print_button.setAccessibleName(_("Print the previewed report"))
        self.save_button = QPushButton(_("Save &As…"), self)
        self.save_button.setAccessibleName(_("Save the previewed report as a PDF file"))
        self.busy = BusyIndicator(self.runner, _("Building the report…"), self)
        self.message = MessageBar(self)
        self.preview_pane = PdfPreview(self)
        self.preview_pane.caption.setText(_("Choose a report and press Preview."))

    def _build_layout(self) -> None:
        period = QWidget(self)
        period_layout = QVBoxLayout(period)
        period_layout.setContentsMargins(0, 0, 0, 0)
        dates = QHBoxLayout()
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel(_("to"), period))
        dates.addWidget(self.to_edit)
        dates.addStretch(1)
        presets = QHBoxLayout()
        for button in self.preset_buttons.values():
            presets.addWidget(button)
        presets.addStretch(1)
        period_layout.addLayout(dates)
        period_layout.addLayout(presets)
        self.period_row = period
        box = QGroupBox(_("Settings"), self)
        self.form = QFormLayout(box)
        self.form.addRow(_("School:"), self.school_label)
        self.form.addRow(_("Dr&ill:"), self.run_combo)
        self.form.addRow(_("Peri&od:"), period)
        self.form.addRow(_("&Grade:"), self.grade_combo)
        self.form.addRow(_("&Language:"), self.language_combo)
        self.form.addRow(_("Paper si&ze:"), self.paper_combo)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        report_label = QLabel(_("&Report:"), left)
        report_label.setBuddy(self.report_list)
        column.addWidget(report_label)
        column.addWidget(self.report_list)
        column.addWidget(self.description_label)
        column.addWidget(box)
        column.addLayout(buttons)
        column.addWidget(self.busy)
        column.addWidget(self.message)
        column.addStretch(1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("reportsSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview_pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

    # Choices ----------------------------------------------------------------------------

    def load_reports(self) -> None:
        """Fill the list of reports (once)."""
        if self.reports:
            return
        from drillplanner.reports.registry import list_reports

        self.reports = list_reports()
        for info in self.reports:
            item = QListWidgetItem(info.title, self.report_list)
            item.setToolTip(info.description)
            item.setData(Qt.ItemDataRole.UserRole, info.key)
        self.report_list.setMaximumHeight(
            self.report_list.sizeHintForRow(0) * (len(self.reports) + 1) + 8)
        self.report_list.setCurrentRow(0)

    @property
    def info(self) -> ReportInfo:
        self.load_reports()
        return self.reports[max(self.report_list.currentRow(), 0)]

    def select_report(self, key: str) -> None:
        self.load_reports()
        self.report_list.setCurrentRow(next(i for i, r in enumerate(self.reports)
                                            if r.key == key))

    def _report_chosen(self) -> None:
        needs = self.info.needs
        self.description_label.setText(self.info.description)
        self.form.setRowVisible(self.school_label, "period" not in needs or "school" in needs)
        self.form.setRowVisible(self.run_combo, "run" in needs)
        self.form.setRowVisible(self.period_row, "period" in needs)
        self.form.setRowVisible(self.grade_combo, "grade" in needs)

    def reload(self) -> None:
        """Read the school, its drills and grades again, keeping what is chosen."""
        school_id = self.ctx.school_id
        run, grade = self.run_combo.currentData(), self.grade_combo.currentData()
        self.run_combo.clear()
        self.grade_combo.clear()
        self.grade_combo.addItem(_("All grades"), None)
        if school_id is None:
            self.school_label.setText(_("No school yet: add one on the School page."))
            return
        try:
            school = schools.get_school(self.ctx.db, school_id)
            runs = [r for r in drills.list_runs(self.ctx.db, school_id)
                    if r.alarm_at is not None]
            grades = classes.list_grades(self.ctx.db, school_id)
        except DrillplannerError as error:
            self.message.show_error(str(error))
            return
        self.school_label.setText(school.name)
        for found in runs:
            assert found.alarm_at is not None
            self.run_combo.addItem(_("{when} {title} ({status})").format(
                when=found.alarm_at.strftime("%Y-%m-%d %H:%M"), title=found.title,
                status=run_status_label(found.status)), found.id)
        for found_grade in grades:
            self.grade_combo.addItem(found_grade.name, found_grade.id)
        self.run_combo.setCurrentIndex(max(self.run_combo.findData(run), 0))
        self.grade_combo.setCurrentIndex(max(self.grade_combo.findData(grade), 0))
        if not self._period_set:
            self._use_usual_period()

    def _use_usual_period(self) -> None:
        try:
            start, end = report_files.usual_period(self.ctx.db, self.ctx.school_id)
        except DrillplannerError as error:
            self.message.show_error(str(error))
            return
        self.set_period(start, end)

    def set_period(self, start: date, end: date) -> None:
        self._period_set = True
        self.from_edit.setDate(_qdate(start))
        self.to_edit.setDate(_qdate(end))

    def period(self) -> tuple[date, date]:
        return _pydate(self.from_edit.date()), _pydate(self.to_edit.date())

    def use_preset(self, preset: PeriodPreset) -> bool:
        """Set the dates to this term, school year or month; False with a message when
        the school calendar has no such period."""
        if self.ctx.school_id is None:
            self.message.show_error(_("Choose a school first."))
            return False
        try:
            start, end = report_files.named_period(self.ctx.db, self.ctx.school_id, preset)
        except DrillplannerError as error:
            self.message.show_error(str(error))
            return False
        self.message.hide()
        self.set_period(start, end)
        return True

    def request(self) -> ReportRequest:
        """What the settings ask for now."""
        start, end = self.period()
        return ReportRequest(
            self.info.key, school_id=self.ctx.school_id, run_id=self.run_combo.currentData(),
            start=start, end=end, grade=self.grade_combo.currentData(),
            options=ReportOptions(language=self.language_combo.currentData(),
                                  paper=Paper(self.paper_combo.currentData())))

    # Building ---------------------------------------------------------------------------

    @property
    def is_busy(self) -> bool:
        return self.runner.busy

    def preview(self) -> bool:
        """Build the report in a worker thread, then show it; False when nothing started
        (a build is running: it is built again when that ends)."""
        if self.runner.busy:
            self._again = True
            return False
        request = self.request()
        db = self.ctx.db
        self.message.hide()
        self.runner.start(lambda: build_in_memory(db, request),
                          lambda built: self._built(request, *built), self._failed)
        return True

    def open_run_report(self, run_id: int) -> bool:
        """Show the drill report of ``run_id`` (a drill of the current school)."""
        self.select_report("drill")
        self.reload()
        index = self.run_combo.findData(run_id)
        if index < 0:
            self.message.show_error(_("Drill #{run} is not a drill of this school.").format(
                run=run_id))
            return False
        self.run_combo.setCurrentIndex(index)
        return self.preview()

    def _built(self, request: ReportRequest, data: bytes, pages: int) -> None:
        info = next(r for r in self.reports if r.key == request.key)
        problem = self.preview_pane.load(data, ngettext(
            "{title}: {n} page", "{title}: {n} pages", pages).format(title=info.title, n=pages))
        if problem:
            self._failed(problem)
            return
        self.shown = request
        self._update_buttons()
        if self._again:
            self._again = False
            self.preview()

    def _failed(self, message: str) -> None:
        self._again = False
        self.message.show_error(message)

    def _output_changed(self) -> None:
        # The same report in another language or on other paper: build it again.
        if self.shown is not None or self.runner.busy:
            self.preview()

    def _busy_changed(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.shown is not None and not self.runner.busy
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # Printing and saving ----------------------------------------------------------------

    def print_report(self) -> bool:
        """Ask for a printer, then print the previewed pages."""
        if self.shown is None:
            return False
        problem = self.preview_pane.print_with_dialog(self.shown.options.paper,
                                                      self.preview_pane.caption.text())
        return self._after_printing(problem)

    def print_to(self, printer: QPrinter) -> bool:
        """Print the previewed pages on ``printer`` without asking."""
        return self._after_printing(self.preview_pane.print_to(printer))

    def _after_printing(self, problem: str | None) -> bool:
        if problem is None:
            return False
        if problem:
            self.message.show_error(problem)
            return False
        pages = self.preview_pane.page_count
        emit(self.ctx.status, ngettext("Sent {n} page to the printer.",
                                       "Sent {n} pages to the printer.", pages).format(n=pages))
        return True

    def suggested_name(self) -> str:
        if self.shown is None:
            return file_name(_("Report"))
        info = next(r for r in self.reports if r.key == self.shown.key)
        period = ""
        if "period" in info.needs and self.shown.start and self.shown.end:
            period = f"{self.shown.start.isoformat()} {self.shown.end.isoformat()}"
        return file_name(info.title, self.school_label.text()
                         if "school" in info.needs or "run" in info.needs else "", period)

    def save_as(self) -> bool:
        """Ask for a file name, then save the previewed PDF there."""
        if self.shown is None:
            return False
        path = pdf_preview.choose_pdf_to_save(self, self.suggested_name())
        return path is not None and self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Write the previewed PDF to ``path`` (replacing it whole, or not at all)."""
        problem = self.preview_pane.save_to(path, self.ctx.db)
        if problem:
            self.message.show_error(problem)
            return False
        self.message.show_info(_("Saved {file}.").format(file=path))
        return True

    # Life cycle -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load_reports()
        self.reload()

    def _on_school_changed(self, _school_id: object) -> None:
        self._period_set = False  # the new school's current term
        if self.isVisible():
            self.reload()

    def detach(self) -> None:
        """Stop listening to the shared context and wait for a build still running."""
        self.ctx.school_changed.disconnect(self._on_school_changed)
        self.runner.wait()
        self.preview_pane.close_document()
