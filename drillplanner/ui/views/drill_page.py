"""The Drill page: start a drill (today's scheduled drills or an ad-hoc one) and, while one is
in progress at the school, its live console. Projector mode (F11) is switched here."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.drill_runs import DrillRun, RunStatus
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.events import Occurrence
from drillplanner.i18n import _
from drillplanner.services import drills, drills_today
from drillplanner.services.school_clock import school_today
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.start_drill import StartChoice, StartDrillDialog, occurrence_line
from drillplanner.ui.drill_style import target_text
from drillplanner.ui.permissions import Guard
from drillplanner.ui.signals import emit
from drillplanner.ui.views.drill_console import DrillConsole
from drillplanner.ui.widgets.elapsed_timer import Clock, system_clock

log = logging.getLogger("drillplanner.ui")

#: How often the idle page looks for a drill started on another computer.
IDLE_POLL_MS = 2000


class DrillPage(QWidget):
    """Idle (start a drill) or the console of the run in progress."""

    #: Projector mode switched on (True) or off: the main window hides its chrome.
    projector_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 today: date | None = None, clock: Clock = system_clock) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.clock = clock
        self.setObjectName("drillPage")
        self.setAccessibleName(_("Drill page"))
        self.console: DrillConsole | None = None
        self.todays: list[Occurrence] = []
        self._stale = True
        self._window_state = Qt.WindowState.WindowNoState

        self._build_idle()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.idle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.start_action = QAction(_("&Start a Drill…"), self)
        self.start_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.start_action.triggered.connect(self.start_drill)
        self.projector_action = QAction(_("&Projector Mode"), self)
        self.projector_action.setCheckable(True)
        self.projector_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.projector_action.toggled.connect(self.set_projector)
        self.menu_actions = [self.start_action, self.projector_action]
        self.start_button.clicked.connect(self.start_drill)
        self.guard = Guard(ctx, self)

        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(IDLE_POLL_MS)
        self.idle_timer.timeout.connect(self._look_for_run)
        ctx.school_changed.connect(self._on_school_changed)
        ctx.changed.connect(self._on_changed)
        self.reload()

    def _build_idle(self) -> None:
        self.idle = QWidget(self)
        self.heading = QLabel(_("No drill in progress"), self.idle)
        self.heading.setAccessibleName(_("Drill status"))
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.scheduled_label = QLabel(self.idle)
        self.scheduled_label.setAccessibleName(_("Today's scheduled drills"))
        self.scheduled_label.setWordWrap(True)
        self.start_button = QPushButton(_("&Start a Drill…"), self.idle)
        self.start_button.setAccessibleName(_("Start a drill"))
        self.start_button.setStyleSheet("font-size: 14pt; padding: 10px 24px;")
        self.last_label = QLabel(self.idle)
        self.last_label.setAccessibleName(_("Last drill"))
        self.last_label.setWordWrap(True)
        # Wrapped labels take the column's width (centred text), so none is cut short.
        middle = QWidget(self.idle)
        middle.setMaximumWidth(720)
        column = QVBoxLayout(middle)
        column.setSpacing(16)
        for label in (self.heading, self.scheduled_label, self.last_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.heading)
        column.addWidget(self.scheduled_label)
        column.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.last_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(middle, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self.idle)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def day(self) -> date:
        """Today at the school (its time zone, not necessarily this computer's)."""
        if self.today is not None:
            return self.today
        try:
            return school_today(self.ctx.db, self.ctx.school_id, self.clock())
        except DrillplannerError:  # the school went away; the next reload shows that
            return self.clock().date()

    # Loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Open the run in progress at the school, or show the idle panel (when visible)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        running = self._running_run()
        if running is not None:
            self.open_run(running.id)
            return
        if self.console is not None and self.console.run is not None and \
                self.console.run.school_id == self.ctx.school_id:
            return  # a finished run stays on screen until closed
        self._show_idle()

    def _running_run(self) -> DrillRun | None:
        school_id = self.ctx.school_id
        if school_id is None:
            return None
        try:
            found = drills.list_runs(self.ctx.db, school_id, statuses=(RunStatus.IN_PROGRESS,))
        except DrillplannerError as error:
            log.warning("cannot list drill runs: %s", error)
            return None
        return found[0] if found else None

    def _show_idle(self) -> None:
        self._drop_console()
        school_id = self.ctx.school_id
        self.guard.set_enabled(self.start_button, school_id is not None)
        self.todays, last = [], None
        if school_id is not None:
            try:
                self.todays = self._todays_drills(school_id)
                done = drills.list_runs(self.ctx.db, school_id,
                                        statuses=(RunStatus.COMPLETED,))
                last = done[0] if done else None
            except DrillplannerError as error:
                log.warning("cannot read today's drills: %s", error)
        lines = [occurrence_line(o) for o in self.todays]
        self.scheduled_label.setText(_("Scheduled today: {drills}").format(
            drills=_("; ").join(lines)) if lines else _("No drill is scheduled today."))
        self.last_label.setText(self._last_text(last) if last else "")
        self.stack.setCurrentWidget(self.idle)
        self.idle_timer.start()

    def _todays_drills(self, school_id: int) -> list[Occurrence]:
        return drills_today.drills_to_start(self.ctx.db, school_id, self.day())

    def _last_text(self, run: DrillRun) -> str:
        from drillplanner.services import headcounts

        rollup = headcounts.rollup(self.ctx.db, run.id)
        when = run.alarm_at.strftime("%Y-%m-%d %H:%M") if run.alarm_at else ""
        return _("Last drill: {title} on {when}; everyone accounted for in {time}.").format(
            title=run.title, when=when,
            time=target_text(rollup.time_to_accountability, rollup.target))

    def _look_for_run(self) -> None:
        if self.isVisible() and self.stack.currentWidget() is self.idle and \
                self._running_run() is not None:
            self.reload()

    def open_run(self, run_id: int) -> DrillConsole:
        """Show the console of ``run_id`` (kept when it is already shown)."""
        self.idle_timer.stop()
        if self.console is not None and self.console.run_id == run_id:
            self.stack.setCurrentWidget(self.console)
            self.console.reload()
            return self.console
        self._drop_console()
        console = DrillConsole(self.ctx, run_id, self, self.clock)
        console.closed.connect(self._on_console_closed)
        console.set_projector(self.projector_action.isChecked())
        self.stack.addWidget(console)
        self.stack.setCurrentWidget(console)
        self.console = console
        return console

    def _drop_console(self) -> None:
        if self.console is None:
            return
        self.console.stop()
        self.stack.removeWidget(self.console)
        self.console.deleteLater()
        self.console = None

    def _on_console_closed(self) -> None:
        self._drop_console()
        self._show_idle()

    # Starting ---------------------------------------------------------------------------

    def start_drill(self) -> DrillRun | None:
        """Ask what to start and sound the alarm (or open the run already in progress)."""
        school_id = self.ctx.school_id
        if school_id is None:
            messages.show_error(self, _("Add a school first (School page, Schools tab)."))
            return None
        running = self._running_run()
        if running is not None:
            self.open_run(running.id)
            return running
        try:
            todays = self._todays_drills(school_id)
        except DrillplannerError as error:
            messages.show_error(self, str(error))
            return None
        choice = StartDrillDialog.ask(todays, self)
        if choice is None:
            return None
        return self.start(choice)

    def start(self, choice: StartChoice) -> DrillRun | None:
        """Carry out a StartChoice: start (or postpone) a scheduled drill, or an ad-hoc one."""
        school_id = self.ctx.school_id
        if school_id is None:
            return None
        occurrence = choice.occurrence
        if occurrence is not None and choice.postpone_reason is not None:
            reason = choice.postpone_reason
            done = ops.write(self.ctx, self, lambda db: drills.postpone_occurrence(
                db, school_id, event_id=occurrence.event_id,
                occurrence_start=occurrence.original_start, reason=reason))
            if done is None:
                return None
            emit(self.ctx.status, _("“{title}” postponed.").format(title=done.value.title))
            self._show_idle()
            return done.value
        if occurrence is not None:
            started = ops.write(self.ctx, self, lambda db: drills.start_drill(
                db, school_id, event_id=occurrence.event_id,
                occurrence_start=occurrence.original_start))
        else:
            started = ops.write(self.ctx, self, lambda db: drills.start_drill(
                db, school_id, kind=choice.kind, title=choice.title,
                announced=choice.announced))
        if started is None:
            return None
        run = started.value
        self.open_run(run.id)
        emit(self.ctx.status, _("Alarm sounded: {title}.").format(title=run.title))
        return run

    # Projector --------------------------------------------------------------------------

    def set_projector(self, on: bool) -> None:
        """Full screen and large type (F11 again goes back)."""
        if self.projector_action.isChecked() != on:
            self.projector_action.setChecked(on)  # toggled calls back here
            return
        window = self.window()
        if on:
            self._window_state = window.windowState() & ~Qt.WindowState.WindowFullScreen
            window.showFullScreen()
        elif window.isFullScreen():
            window.setWindowState(self._window_state)
        if self.console is not None:
            self.console.set_projector(on)
        points = 30 if on else 20
        self.heading.setStyleSheet(f"font-size: {points}pt; font-weight: bold;")
        emit(self.projector_changed, on)

    # Following the context --------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or self.console is None:
            self.reload()

    def hideEvent(self, event: QHideEvent) -> None:
        self.idle_timer.stop()
        super().hideEvent(event)

    def _on_school_changed(self, _school_id: object) -> None:
        self._drop_console()
        self.reload()

    def _on_changed(self, changes: Changes, source: object) -> None:
        # Today's drills follow the schedule and the calendar; a run elsewhere may start.
        if source is not self and self.console is None and changes.touches(
                Kind.EVENT, Kind.CALENDAR, Kind.DRILL, Kind.SCHOOL):
            self.reload()

    def detach(self) -> None:
        """Stop timers and stop following the context (the window is being rebuilt)."""
        self.idle_timer.stop()
        if self.console is not None:
            self.console.stop()
        self.ctx.school_changed.disconnect(self._on_school_changed)
        self.ctx.changed.disconnect(self._on_changed)
