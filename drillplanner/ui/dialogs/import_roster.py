"""Import Roster: choose a file, preview every row and every problem, then import."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.changes import NOTHING, Done
from drillplanner.domain.roster import ImportSummary, RosterError, RosterProblem, RosterTable
from drillplanner.i18n import _, ngettext
from drillplanner.services.database import Database
from drillplanner.ui import ops, state
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import files
from drillplanner.ui.models.roster import RosterRowsModel
from drillplanner.ui.widgets.progress_line import ProgressLine

log = logging.getLogger("drillplanner.ui")
T = TypeVar("T")


def summary_lines(summary: ImportSummary) -> list[str]:
    """The summary as short lines: a count, then the names (the first dozen)."""
    def line(text: str, items: tuple[str, ...]) -> str:
        text = text.format(n=len(items))
        if not items:
            return text
        shown = _(", ").join(items[:12]) + (_(", …") if len(items) > 12 else "")
        return _("{what}: {names}").format(what=text, names=shown)

    n = len
    lines = [
        line(ngettext("{n} class to add", "{n} classes to add", n(summary.added)),
             summary.added),
        line(ngettext("{n} class to update", "{n} classes to update", n(summary.updated)),
             summary.updated),
        line(ngettext("{n} class unchanged", "{n} classes unchanged", n(summary.unchanged)),
             summary.unchanged),
    ]
    if summary.removed:
        lines.append(line(ngettext("{n} class not in the file (removed)",
                                   "{n} classes not in the file (removed)",
                                   n(summary.removed)), summary.removed))
    else:
        lines.append(line(ngettext("{n} class not in the file (kept)",
                                   "{n} classes not in the file (kept)",
                                   n(summary.absent)), summary.absent))
    if summary.grades_added:
        lines.append(line(ngettext("{n} new grade", "{n} new grades",
                                   n(summary.grades_added)), summary.grades_added))
    if summary.staff_added:
        lines.append(line(ngettext("{n} new teacher", "{n} new teachers",
                                   n(summary.staff_added)), summary.staff_added))
    if summary.unknown_columns:
        lines.append(_("Columns not understood and ignored: {columns}").format(
            columns=_(", ").join(summary.unknown_columns)))
    return lines


class ImportRosterDialog(QDialog):
    """Preview first (a dry run through the same service), import only when nothing is wrong."""

    def __init__(self, ctx: AppContext, school_id: int, school_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.school_id = school_id
        self.path: Path | None = None
        self.table: RosterTable | None = None
        self.problems: list[str] = []
        self.summary: ImportSummary | None = None
        self.setWindowTitle(_("Import Roster into {school}").format(school=school_name))
        self.setAccessibleName(_("Import roster"))
        self._build()
        self.resize(820, 560)
        saved = state.load_bytes(state.IMPORT_GEOMETRY)
        if saved is not None:
            self.restoreGeometry(saved)

    def _build(self) -> None:
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(_("Choose a .csv or .xlsx file"))
        self.path_edit.setAccessibleName(_("Roster file"))
        path_label = QLabel(_("&File:"), self)
        path_label.setBuddy(self.path_edit)
        self.browse_button = QPushButton(_("&Browse…"), self)
        self.browse_button.setAccessibleName(_("Choose roster file"))
        self.browse_button.clicked.connect(self.browse)

        self.remove_absent = QCheckBox(_("Also &remove classes that are not in the file"), self)
        self.remove_absent.setAccessibleName(_("Remove classes not in the file"))
        self.remove_absent.toggled.connect(self._dry_run)

        self.rows_model = RosterRowsModel(self)
        self.rows_view = QTableView(self)
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setAccessibleName(_("Rows in the file"))
        self.rows_view.setAlternatingRowColors(True)
        self.rows_view.setTabKeyNavigation(False)
        self.rows_view.horizontalHeader().setStretchLastSection(True)
        self.rows_view.horizontalHeader().setAccessibleName(_("Column headers"))
        self.rows_view.verticalHeader().setAccessibleName(_("Line numbers"))
        self.rows_view.verticalHeader().setDefaultSectionSize(
            self.rows_view.fontMetrics().height() + 8)

        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(_("Preview result"))
        self.details = QListWidget(self)
        self.details.setAccessibleName(_("Problems or summary"))
        self.details.setWordWrap(True)
        self.progress = ProgressLine(self)
        self.runner = ops.OpRunner(self)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(_("&Import"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName(_("Import"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(_("Cancel"))
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        self._lay_out(path_label)

    def _lay_out(self, path_label: QLabel) -> None:
        top = QHBoxLayout()
        top.addWidget(path_label)
        top.addWidget(self.path_edit, 1)
        top.addWidget(self.browse_button)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.progress)
        bottom_layout.addWidget(self.status_label)
        bottom_layout.addWidget(self.details, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.rows_view)
        splitter.addWidget(bottom)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.remove_absent)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.browse_button, self.remove_absent)
        self.setTabOrder(self.remove_absent, self.rows_view)
        self.setTabOrder(self.rows_view, self.details)
        self.setTabOrder(self.details, self.import_button)

    # Steps ------------------------------------------------------------------------------

    def browse(self) -> None:
        path = files.choose_roster_to_open(self)
        if path is not None:
            self.set_path(path)

    def set_path(self, path: Path) -> None:
        """Read ``path`` and preview what importing it would do (in the background)."""
        from drillplanner.io.roster_files import read_roster
        from drillplanner.services.roster import import_roster

        self.path = Path(path)
        self.path_edit.setText(str(self.path))
        self.table = None
        self.rows_model.set_rows([])
        school_id, remove_absent = self.school_id, self.remove_absent.isChecked()
        problems: list[RosterProblem] = []
        progress = self.progress.sink()
        source = self.path

        def run(db: Database) -> Done[tuple[RosterTable, ImportSummary | None]]:
            try:
                table = read_roster(source, progress=progress)
            except RosterError as error:
                problems.extend(error.problems)
                raise
            try:
                done = import_roster(db, school_id, table, dry_run=True,
                                     remove_absent=remove_absent, progress=progress)
            except RosterError as error:
                # The rows are worth showing beside the problems the school finds in them.
                problems.extend(error.problems)
                return Done((table, None), NOTHING)
            return Done((table, done.value), NOTHING)

        def finished(value: tuple[RosterTable, ImportSummary | None]) -> None:
            self.table, summary = value
            self.rows_model.set_rows(self.table.rows)
            self._fit_columns()
            if summary is None:
                self._show_problems(problems)
            else:
                self._show_summary(summary, preview=True)
            if self.table.sheet:
                # A workbook may hold several sheets: say which one the rows come from.
                self.status_label.setText(" ".join((
                    self.status_label.text(),
                    _("(Rows read from the sheet “{sheet}”.)").format(sheet=self.table.sheet))))

        self._start(_("Reading {file}…").format(file=self.path.name), run, finished,
                    problems)

    def _dry_run(self) -> None:
        self._run_import(dry_run=True)

    def _run_import(self, *, dry_run: bool) -> None:
        """Run the import (or its dry run) in the background; problems are listed."""
        if self.table is None or self.runner.busy or (self.problems and not dry_run):
            return
        from drillplanner.services.roster import import_roster

        table, school_id = self.table, self.school_id
        remove_absent = self.remove_absent.isChecked()
        problems: list[RosterProblem] = []
        progress = self.progress.sink()

        def run(db: Database) -> Done[ImportSummary]:
            try:
                return import_roster(db, school_id, table, dry_run=dry_run,
                                     remove_absent=remove_absent, progress=progress)
            except RosterError as error:
                problems.extend(error.problems)  # every line's problem, not one message
                raise

        def finished(summary: ImportSummary) -> None:
            if dry_run:
                self._show_summary(summary, preview=True)
                return
            log.info("imported roster %s into school #%s", self.path, self.school_id)
            self.summary = summary
            self.accept()

        self._start(_("Checking…") if dry_run else _("Importing…"), run, finished, problems)

    def do_import(self) -> None:
        """Import for real; on success the dialog closes with ``summary`` set (the other
        pages were told what the import changed)."""
        self._run_import(dry_run=False)

    def _start(self, text: str, op: ops.Operation[T], on_done: Callable[[T], None],
               problems: list[RosterProblem]) -> None:
        self._set_busy(True)
        self.progress.start(text)

        def finished(value: T) -> None:
            self._set_busy(False)
            on_done(value)

        def failed(message: str) -> None:
            self._set_busy(False)
            self._show_problems(problems or [RosterProblem(message)])

        ops.write_in_background(self.ctx, self.runner, self, op, finished, on_error=failed)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.browse_button, self.remove_absent):
            widget.setEnabled(not busy)
        if busy:
            self.import_button.setEnabled(False)
        else:
            self.progress.hide()

    def _fit_columns(self) -> None:
        # Measuring every row of a 100,000-row file would stall the window; the first
        # rows show what the columns hold.
        self.rows_view.horizontalHeader().setResizeContentsPrecision(200)
        self.rows_view.resizeColumnsToContents()

    def reject(self) -> None:
        if self.runner.busy:
            # Stop at the next row (an import being saved rolls back), then close.
            self.progress.cancel()
            self.runner.wait()
        super().reject()

    # Display ----------------------------------------------------------------------------

    def _show_problems(self, problems: list[RosterProblem]) -> None:
        self.summary = None
        self.problems = [str(p) for p in problems] or [_("The file cannot be imported.")]
        count = len(self.problems)
        self.status_label.setText(ngettext(
            "{n} problem: nothing will be imported until it is fixed.",
            "{n} problems: nothing will be imported until they are fixed.", count).format(
                n=count))
        self.status_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.details.clear()
        self.details.addItems(self.problems)
        self.import_button.setEnabled(False)

    def _show_summary(self, summary: ImportSummary, preview: bool) -> None:
        self.problems = []
        self.summary = summary
        self.status_label.setStyleSheet("")
        self.status_label.setText(_("The file is fine. Importing it will do this:") if preview
                                  else _("Imported."))
        self.details.clear()
        self.details.addItems(summary_lines(summary))
        self.import_button.setEnabled(True)

    def done(self, result: int) -> None:
        state.save_bytes(state.IMPORT_GEOMETRY, self.saveGeometry())
        super().done(result)
