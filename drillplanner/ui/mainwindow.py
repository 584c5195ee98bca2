"""The main window: a sidebar of pages, a school switcher, menus and a status bar."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from drillplanner import config, i18n
from drillplanner.domain.changes import EVERYTHING, Changes, Kind
from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import _, ngettext
from drillplanner.services import schools
from drillplanner.ui import state
from drillplanner.ui.account import AccountMenu
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import files, messages
from drillplanner.ui.dialogs.about import show_about
from drillplanner.ui.dialogs.changes import show_changes
from drillplanner.ui.language import apply_language
from drillplanner.ui.permissions import Guard
from drillplanner.ui.views.school_page import SchoolPage

if TYPE_CHECKING:
    from drillplanner.ui.views.calendar_page import CalendarPage
    from drillplanner.ui.views.drill_history import DrillHistoryPage
    from drillplanner.ui.views.drill_page import DrillPage
    from drillplanner.ui.views.reports_page import ReportsPage

log = logging.getLogger("drillplanner.ui")


class MainWindow(QMainWindow):
    """One window over one database. Rebuilt whole when the language changes."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        title = (_("drillplanner — {database} (read-only)") if ctx.db.read_only
                 else _("drillplanner — {database}"))
        self.setWindowTitle(title.format(database=Path(ctx.db.display_name).name))
        self.setAccessibleName(_("drillplanner main window"))

        # The School page is built now; the others (and their modules) right after the
        # window is first shown, or as soon as anything asks for one (start-up time).
        self.school_page = SchoolPage(ctx, self)
        self._rest: tuple[CalendarPage, DrillPage, DrillHistoryPage, ReportsPage] | None = None
        self._rest_queued = False
        self.pages: list[tuple[str, QWidget]] = [(_("School"), self.school_page),
                                                 (_("Calendar"), QWidget(self)),
                                                 (_("Drill"), QWidget(self)),
                                                 (_("History"), QWidget(self)),
                                                 (_("Reports"), QWidget(self))]
        self.sidebar = QListWidget(self)
        self.sidebar.setAccessibleName(_("Pages"))
        self.sidebar.setIconSize(QSize(24, 24))
        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName(_("Page"))
        icons = [QStyle.StandardPixmap.SP_DirHomeIcon,
                 QStyle.StandardPixmap.SP_FileDialogDetailedView,
                 QStyle.StandardPixmap.SP_MessageBoxWarning,
                 QStyle.StandardPixmap.SP_FileDialogContentsView,
                 QStyle.StandardPixmap.SP_FileIcon]
        for (title, page), icon in zip(self.pages, icons, strict=True):
            QListWidgetItem(self.style().standardIcon(icon), title, self.sidebar)
            self.stack.addWidget(page)
        self.sidebar.currentRowChanged.connect(self._show_row)
        self.sidebar.setMaximumWidth(220)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([160, 1000])
        self.setCentralWidget(self.splitter)

        self._build_toolbar()
        self._build_status_bar()
        self._build_menus()
        self.setTabOrder(self.school_combo, self.sidebar)
        self.setTabOrder(self.sidebar, self.school_page.tabs)

        ctx.changed.connect(self._on_changed)
        ctx.error.connect(self._on_error)
        ctx.status.connect(self.show_message)
        self._reload_schools()
        self._restore_state()
        self.sidebar.setCurrentRow(min(state.load_int(state.MAIN_PAGE, 0), len(self.pages) - 1))
        self.guard = Guard(ctx, self)

    # Construction -----------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(_("School"), self)
        toolbar.setObjectName("schoolToolbar")
        toolbar.setMovable(False)
        school_label = QLabel(_("&School:"), toolbar)
        self.school_combo = QComboBox(toolbar)
        self.school_combo.setAccessibleName(_("Current school"))
        self.school_combo.setMinimumContentsLength(24)
        self.school_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        school_label.setBuddy(self.school_combo)
        school_label.setContentsMargins(6, 0, 6, 0)
        toolbar.addWidget(school_label)
        toolbar.addWidget(self.school_combo)
        self.school_combo.currentIndexChanged.connect(self._on_school_chosen)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setAccessibleName(_("Status bar"))
        self.database_label = QLabel(_("Database: {name}").format(
            name=self.ctx.db.display_name), bar)
        self.database_label.setAccessibleName(_("Database"))
        bar.addPermanentWidget(self.database_label)
        if self.ctx.font_warning:
            warning = QLabel(self.ctx.font_warning, bar)
            warning.setStyleSheet("color: #b00020;")
            warning.setAccessibleName(_("Font warning"))
            bar.addPermanentWidget(warning)

    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                status: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if status:
            action.setStatusTip(status)
        action.triggered.connect(slot)
        return action

    def _menu(self, title: str) -> QMenu:
        menu = self.menuBar().addMenu(title)
        menu.setToolTipsVisible(True)  # a greyed action says why on hover
        return menu

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = self._menu(_("&File"))
        self.import_action = self._action(_("&Import Roster…"), self.import_roster, "Ctrl+I",
                                          _("Read classes from a CSV or Excel file"))
        self.export_action = self._action(_("&Export Roster…"), self.export_roster, "Ctrl+E",
                                          _("Write this school's classes to a file"))
        self.quit_action = self._action(_("&Quit"), self.close,
                                        QKeySequence(QKeySequence.StandardKey.Quit))
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        file_menu.addActions([self.import_action, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = self._menu(_("&Edit"))
        self.undo_action = self.ctx.undo_stack.createUndoAction(self, _("&Undo"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.ctx.undo_stack.createRedoAction(self, _("&Redo"))
        # Ctrl+Shift+Z everywhere, plus whatever the platform calls Redo (Ctrl+Y on Windows).
        redo_keys = [QKeySequence("Ctrl+Shift+Z"),
                     *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
        self.redo_action.setShortcuts(list(dict.fromkeys(redo_keys)))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.school_page.add_action, self.school_page.delete_action])

        view_menu = menus.addMenu(_("&View"))
        self._view_menu = view_menu
        self.page_actions: list[QAction] = []
        for number, (title, _page) in enumerate(self.pages):
            action = self._action(title, lambda _c=False, n=number: self.show_page(n),
                                  f"Ctrl+{number + 1}")
            self.page_actions.append(action)
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.choose_school_action = self._action(_("Choose &School"), self.focus_school_combo,
                                                 "Ctrl+L")
        self.refresh_action = self._action(_("&Refresh"), self.refresh,
                                           QKeySequence(QKeySequence.StandardKey.Refresh))
        if self.refresh_action.shortcut().isEmpty():
            self.refresh_action.setShortcut(QKeySequence("F5"))
        self.changes_action = self._action(_("C&hanges…"), lambda: show_changes(self, self.ctx),
                                           "Ctrl+Shift+H",
                                           _("Who changed what, and whether the log is whole"))
        view_menu.addActions([self.choose_school_action, self.refresh_action,
                              self.changes_action])
        view_menu.addSeparator()
        language_menu = view_menu.addMenu(_("&Language"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, group)
            action.setCheckable(True)
            action.setChecked(code == i18n.current_language())
            action.triggered.connect(lambda _c=False, c=code: self.switch_language(c))
            language_menu.addAction(action)
            self.language_actions[code] = action

        self.account = AccountMenu(self.ctx, self)
        menus.addMenu(self.account.menu)
        help_menu = menus.addMenu(_("&Help"))
        self.about_action = self._action(_("&About drillplanner"),
                                         lambda: show_about(self, self.ctx),
                                         QKeySequence(QKeySequence.StandardKey.HelpContents))
        if self.about_action.shortcut().isEmpty():
            self.about_action.setShortcut(QKeySequence("F1"))
        help_menu.addAction(self.about_action)
        for action in (self.import_action, self.export_action, self.quit_action,
                       self.undo_action, self.redo_action, *self.page_actions,
                       self.choose_school_action, self.refresh_action, self.changes_action,
                       self.about_action):
            self.addAction(action)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._rest is None and not self._rest_queued:
            # After the first frame is on screen, not before it.
            self._rest_queued = True
            QTimer.singleShot(0, self.build_pages)

    def build_pages(self) -> tuple[CalendarPage, DrillPage, DrillHistoryPage, ReportsPage]:
        """Build the pages after the School page, with their menus and connections (once;
        on the first idle turn after the window shows, or when one of them is needed)."""
        if self._rest is not None:
            return self._rest
        from drillplanner.ui.views.calendar_page import CalendarPage
        from drillplanner.ui.views.drill_history import DrillHistoryPage
        from drillplanner.ui.views.drill_page import DrillPage
        from drillplanner.ui.views.reports_page import ReportsPage

        ctx = self.ctx
        rest = (CalendarPage(ctx, self), DrillPage(ctx, self), DrillHistoryPage(ctx, self),
                ReportsPage(ctx, self))
        self._rest = rest
        current = self.sidebar.currentRow()
        for number, page in enumerate(rest, start=1):
            placeholder = self.pages[number][1]
            self.stack.insertWidget(number, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages[number] = (self.pages[number][0], page)
        self.stack.setCurrentIndex(max(current, 0))
        calendar_page, drill_page = rest[0], rest[1]
        drill_page.projector_changed.connect(self._on_projector)
        calendar_page.drill_started.connect(self._on_drill_started)
        # The page's actions keep their page-wide shortcut context; the menus list them.
        before = self._view_menu.menuAction()
        calendar_menu = QMenu(_("&Calendar"), self)
        calendar_menu.setToolTipsVisible(True)
        actions = calendar_page.menu_actions
        calendar_menu.addActions(actions[:4])
        calendar_menu.addSeparator()
        calendar_menu.addActions(actions[4:7])
        calendar_menu.addSeparator()
        calendar_menu.addActions(actions[7:])
        drill_menu = QMenu(_("&Drill"), self)
        drill_menu.setToolTipsVisible(True)
        drill_menu.addActions(drill_page.menu_actions)
        self.menuBar().insertMenu(before, calendar_menu)
        self.menuBar().insertMenu(before, drill_menu)
        self.addActions(drill_page.menu_actions)
        return rest

    def _show_row(self, row: int) -> None:
        if row > 0:
            self.build_pages()
        self.stack.setCurrentIndex(row)

    @property
    def calendar_page(self) -> CalendarPage:
        return self.build_pages()[0]

    @property
    def drill_page(self) -> DrillPage:
        return self.build_pages()[1]

    @property
    def history_page(self) -> DrillHistoryPage:
        return self.build_pages()[2]

    @property
    def reports_page(self) -> ReportsPage:
        return self.build_pages()[3]

    # Schools ----------------------------------------------------------------------------

    def _reload_schools(self) -> None:
        current = self.ctx.school_id
        found = schools.list_schools(self.ctx.db)
        self.school_combo.blockSignals(True)
        self.school_combo.clear()
        for school in found:
            self.school_combo.addItem(school.name, school.id)
        index = self.school_combo.findData(current) if current is not None else -1
        if index < 0 and found:
            index = 0
        self.school_combo.setCurrentIndex(index)
        self.school_combo.blockSignals(False)
        self.school_combo.setEnabled(bool(found))
        self.ctx.set_school(self.school_combo.currentData() if found else None)

    def _on_school_chosen(self, index: int) -> None:
        school_id = self.school_combo.itemData(index) if index >= 0 else None
        self.ctx.set_school(school_id)
        if school_id is not None:
            try:
                config.update_preferences(last_school_id=school_id)
            except OSError as error:
                log.warning("cannot save the last school: %s", error)

    def focus_school_combo(self) -> None:
        self.school_combo.setFocus()
        self.school_combo.showPopup()

    def _on_changed(self, changes: Changes, _source: object) -> None:
        if changes.touches(Kind.SCHOOL):
            self._reload_schools()

    # Actions ----------------------------------------------------------------------------

    def show_page(self, number: int) -> None:
        self.sidebar.setCurrentRow(number)
        page = self.stack.currentWidget()
        if page is not None:
            page.setFocus()

    def _on_projector(self, on: bool) -> None:
        # Only the drill page on the projector: no sidebar, toolbar, menus or status bar.
        if on:
            self.show_page(self.stack.indexOf(self.drill_page))
        for widget in (self.sidebar, self.toolbar, self.menuBar(), self.statusBar()):
            widget.setVisible(not on)

    def _on_drill_started(self, _run_id: int) -> None:
        self.show_page(self.stack.indexOf(self.drill_page))
        self.drill_page.reload()

    def open_drill_report(self, run_id: int) -> None:
        """Show the Reports page building the drill report of ``run_id``."""
        self.show_page(self.stack.indexOf(self.reports_page))
        self.reports_page.open_run_report(run_id)

    def refresh(self) -> None:
        self.ctx.notify(EVERYTHING)
        self.show_message(_("Reloaded from the database."))

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _on_error(self, message: str) -> None:
        self.show_message(message)
        messages.show_error(self, message)

    def _school_or_complain(self) -> tuple[int, str] | None:
        if self.ctx.school_id is None:
            messages.show_error(self, _("Add a school first (School page, Schools tab)."))
            return None
        return self.ctx.school_id, self.school_combo.currentText()

    def import_roster(self) -> None:
        """Choose a roster file, preview it, import it."""
        from drillplanner.ui.dialogs.import_roster import ImportRosterDialog, summary_lines

        chosen = self._school_or_complain()
        if chosen is None:
            return
        path = files.choose_roster_to_open(self)
        if path is None:
            return
        dialog = ImportRosterDialog(self.ctx, chosen[0], chosen[1], self)
        dialog.set_path(path)
        if dialog.exec() and dialog.summary is not None:
            self.show_message(_("Imported {file}: {summary}").format(
                file=path.name, summary=_("; ").join(summary_lines(dialog.summary)[:3])))
            self.school_page.show_tab("classes")

    def export_roster(self) -> None:
        """Write the current school's classes to a .csv or .xlsx file."""
        chosen = self._school_or_complain()
        if chosen is None:
            return
        path = files.choose_roster_to_save(self, f"{chosen[1]}.csv")
        if path is None:
            return
        from drillplanner.io.roster_files import write_roster
        from drillplanner.services.output_files import check_output, kind_of
        from drillplanner.services.roster import export_roster

        try:
            # Never the open database, a folder, a device or a file of another kind.
            path = check_output(self.ctx.db, path, kind_of(path))
            rows = export_roster(self.ctx.db, chosen[0])
            write_roster(path, rows)
        except DrillplannerError as error:
            messages.show_error(self, str(error))
            return
        except OSError as error:
            messages.show_error(self, _("Cannot write {file}: {reason}").format(
                file=path, reason=error.strerror or error))
            return
        self.show_message(ngettext("Exported {n} class to {file}.",
                                   "Exported {n} classes to {file}.", len(rows)).format(
                                       n=len(rows), file=path))

    def switch_language(self, code: str) -> MainWindow:
        """Save the choice, then rebuild the window so every string is retranslated.

        Returns the window now showing (``self`` when the language did not change).
        """
        if code == i18n.current_language():
            return self
        try:
            config.update_preferences(language=code)
        except OSError as error:
            log.warning("cannot save the language choice: %s", error)
        apply_language(code)
        self.save_state()
        replacement = MainWindow(self.ctx)
        # Same place and size as now (restoreGeometry would also fit it to the screen).
        replacement.setWindowState(self.windowState())
        if not (self.isMaximized() or self.isFullScreen()):
            replacement.resize(self.size())
            replacement.move(self.pos())
        if self.isVisible():
            replacement.show()
        self.ctx.window = replacement
        self.dispose()
        self.hide()
        return replacement

    # State ------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = state.load_bytes(state.MAIN_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        saved = state.load_bytes(state.MAIN_STATE)
        if saved is not None:
            self.restoreState(saved)
        splitter = state.load_bytes(state.MAIN_SPLITTER)
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        state.save_bytes(state.MAIN_GEOMETRY, self.saveGeometry())
        state.save_bytes(state.MAIN_STATE, self.saveState())
        state.save_bytes(state.MAIN_SPLITTER, self.splitter.saveState())
        state.save_int(state.MAIN_PAGE, self.sidebar.currentRow())
        self.school_page.save_state()
        if self._rest is not None:
            self.calendar_page.save_state()
            self.history_page.save_state()

    def dispose(self) -> None:
        """Disconnect from the shared context: this window is going away."""
        self.ctx.changed.disconnect(self._on_changed)
        self.ctx.error.disconnect(self._on_error)
        self.ctx.status.disconnect(self.show_message)
        self.school_page.detach()
        for page in self._rest or ():
            page.detach()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
