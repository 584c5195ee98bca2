"""The live drill console: elapsed timer, missing-student alert, keyboard entry, class tiles,
grade and school totals, floor posts, all clear.

Every write goes through ``ops.write``; the console reads its run again when a change
notification names the run (its drill record or its headcounts, whoever made it in this
app: the entry bar, the full report, the detail dialog) or the run's school. Entries made on
other computers against the same database appear through a one-second poll of
``headcounts.change_marker``: when the marker differs, the roll-up is read again.

After the all clear the console is read-only: the entry bar is disabled with a line saying
how to correct the record, which is "Correct…" on a class's tile (or in its history), asking
why; verifying and finding a student then ask why too. A correction raises no live alert.
"""

from __future__ import annotations

import logging
from datetime import datetime
from weakref import WeakKeyDictionary

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.drill_runs import DrillRun, RunStatus, run_status_label
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.events import kind_label
from drillplanner.domain.headcount import ClassInfo, ClassStatus, HeadcountEntry, Rollup
from drillplanner.i18n import N_, _, ngettext
from drillplanner.services import drills, headcounts
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.headcount_dialog import (
    ClassHistoryDialog,
    HeadcountDialog,
    LeaderNameDialog,
)
from drillplanner.ui.dialogs.missing_found import MissingFoundDialog
from drillplanner.ui.dialogs.start_drill import ReasonDialog
from drillplanner.ui.drill_style import ERROR_COLOUR, PROJECTOR_SCALE, SAVED_COLOUR, set_text_colour
from drillplanner.ui.models.headcount import (
    TileModel,
    accountability_text,
    closed_text,
    record_lines,
)
from drillplanner.ui.permissions import Guard
from drillplanner.ui.signals import emit
from drillplanner.ui.views.console_access import ClassAccess
from drillplanner.ui.views.console_phones import ConsolePhones
from drillplanner.ui.widgets.class_tile import ClassTileView
from drillplanner.ui.widgets.elapsed_timer import Clock, ElapsedTimer, system_clock
from drillplanner.ui.widgets.headcount_entry import HeadcountEntryBar
from drillplanner.ui.widgets.missing_alert import MissingAlertBar
from drillplanner.ui.widgets.posts_panel import PostsPanel

log = logging.getLogger("drillplanner.ui")

POLL_MS = 1000

#: The grade leader's name, asked once and remembered while the app runs (per context).
_verifiers: WeakKeyDictionary[AppContext, str] = WeakKeyDictionary()

_TOTALS = ((N_("Expected"), "expected"), (N_("Present"), "present"),
           (N_("Found later"), "found"), (N_("Accounted"), "accounted"),
           (N_("Missing"), "still_missing"), (N_("Injured"), "injured"),
           (N_("From other classes"), "with_us"), (N_("Classes still out"), "still_out"))


class DrillConsole(QWidget):
    """One drill run, live. ``closed`` when the user leaves a finished run."""

    closed = Signal()

    def __init__(self, ctx: AppContext, run_id: int, parent: QWidget | None = None,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_id = run_id
        self.setObjectName("drillConsole")
        self.setAccessibleName(_("Drill console"))
        self.run: DrillRun | None = None
        self.rollup: Rollup | None = None
        self.classes: list[ClassInfo] = []
        self._marker: tuple[int, ...] | None = None
        self._following = False
        self.projector = False

        self.alert_bar = MissingAlertBar(self)
        self.title_label = QLabel(self)
        self.title_label.setAccessibleName(_("Drill"))
        self.title_label.setWordWrap(True)
        self.timer = ElapsedTimer(self, clock)
        self.accountability = QLabel(self)
        self.accountability.setAccessibleName(_("Time to full accountability"))
        self.accountability.setWordWrap(True)
        self.entry = HeadcountEntryBar(ctx, run_id, self)
        self.closed_label = self._label("closedNote", _("The drill's record is closed"))
        self.closed_label.hide()
        self.detail = self._label("classDetail", _("Selected class"))
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = TileModel(self)
        self.tiles = ClassTileView(self)
        self.tiles.setModel(self.model)
        self.posts = PostsPanel(self)
        self.all_clear_button = QPushButton(_("&All Clear…"), self)
        self.all_clear_button.setAccessibleName(_("All clear"))
        self.cancel_button = QPushButton(_("Cancel Drill…"), self)
        self.cancel_button.setAccessibleName(_("Cancel drill"))
        self.close_button = QPushButton(_("&Close"), self)
        self.close_button.setAccessibleName(_("Close the finished drill"))
        self.phones = ConsolePhones(ctx, run_id, self, lambda: self.classes)
        self.totals_box = QGroupBox(_("Whole school"), self)
        self.totals_box.setAccessibleName(_("School totals"))
        self.total_labels: dict[str, QLabel] = {}
        self.access = ClassAccess(ctx, run_id, self.model, self.entry, self)
        self._build_layout()
        self._build_actions()
        self.guard = Guard(ctx, self, lambda: {"run_id": self.run_id,
                                               "class_id": self.tiles.current_class_id()})
        self._connect()

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        ctx.changed.connect(self._on_changed)
        self._following = True
        self.set_projector(False)
        self.reload()

    # Construction -----------------------------------------------------------------------

    def _label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        return label

    def _build_layout(self) -> None:
        grid = QGridLayout(self.totals_box)
        for row, (untranslated, key) in enumerate(_TOTALS):
            text = _(untranslated)
            name = QLabel(text, self.totals_box)
            value = QLabel("0", self.totals_box)
            value.setAccessibleName(text)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.total_labels[key] = value
        side = QWidget(self)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.totals_box)
        column.addWidget(self.detail)
        column.addWidget(self.posts)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(side)
        scroll.setMinimumWidth(260)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tiles)
        self.splitter.addWidget(self.phones.beside(scroll))  # its code in projector mode
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        buttons = QVBoxLayout()
        for button in (self.all_clear_button, self.cancel_button, self.phones.button,
                       self.close_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        header = QHBoxLayout()
        header.addWidget(self.title_label, 2)
        header.addWidget(self.timer, 1)
        header.addWidget(self.accountability, 2)
        header.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.alert_bar)
        layout.addLayout(header)
        layout.addWidget(self.closed_label)
        layout.addWidget(self.entry)
        layout.addWidget(self.access.note)
        layout.addWidget(self.splitter, 1)

    def _build_actions(self) -> None:
        def action(text: str, key: str, slot: object) -> QAction:
            made = QAction(text, self.tiles)
            made.setShortcut(QKeySequence(key))
            made.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            made.triggered.connect(slot)
            self.tiles.addAction(made)
            return made

        self.verify_action = action(_("&Verify (grade leader checked)"), "V",
                                    self.verify_current)
        self.history_action = action(_("Report &History"), "H", self.show_history)
        self.found_action = action(_("Student &Found…"), "F", self.found_current)
        self.correct_action = action(_("&Correct… (completed drill)"), "C",
                                     self.correct_current)
        self.tiles.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _connect(self) -> None:
        # A recorded entry reloads through the change notification (see _on_changed).
        self.entry.full_entry_requested.connect(self.open_full_entry)
        self.alert_bar.found_requested.connect(self.resolve)
        self.posts.clear_requested.connect(self.clear_floor)
        self.tiles.activated.connect(self._on_tile_activated)
        self.tiles.selectionModel().currentChanged.connect(lambda *_args: self._show_detail())
        self.tiles.selectionModel().currentChanged.connect(self.guard.refresh)
        self.all_clear_button.clicked.connect(self.all_clear)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(lambda: emit(self.closed))

    # Data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the run, its roll-up and its posts again and show them."""
        try:
            self._marker = headcounts.change_marker(self.ctx.db, self.run_id)
            run = drills.get_run(self.ctx.db, self.run_id)
            rollup = headcounts.rollup(self.ctx.db, self.run_id)
            posts = drills.list_posts(self.ctx.db, self.run_id)
        except DrillplannerError as error:
            log.warning("cannot read drill run %s: %s", self.run_id, error)
            self.accountability.setText(str(error))
            return
        self.run, self.rollup = run, rollup
        self.classes = [status.info for status in rollup.classes]
        self.model.set_rollup(rollup)
        self.entry.set_classes(self.classes, {s.info.class_id: s for s in rollup.classes},
                               zone=run.alarm_at.tzinfo if run.alarm_at else None)
        # An alert only a correction after the all clear raised is on the record, not live.
        self.alert_bar.set_alerts([a for a in rollup.alerts if a.live])
        running = run.status is RunStatus.IN_PROGRESS
        self.posts.set_posts(posts, editable=running)
        if self.access.update(run.status, [c.class_id for c in self.classes]):
            self.guard.refresh()  # what the user may do follows the run's status
        self._show_run(run, rollup)
        for key, label in self.total_labels.items():
            label.setText(str(getattr(rollup.totals, key)))
        missing = self.total_labels["still_missing"]
        set_text_colour(missing, ERROR_COLOUR if rollup.totals.still_missing else None)
        self._show_detail()

    def _show_run(self, run: DrillRun, rollup: Rollup) -> None:
        running = run.status is RunStatus.IN_PROGRESS
        title = _("{kind}: {title}").format(kind=kind_label(run.kind), title=run.title)
        if not run.announced:
            title += _(" (unannounced)")
        if run.alarm_at is not None:
            title += "\n" + _("Alarm at {time}").format(time=run.alarm_at.strftime("%H:%M:%S"))
        if not running:
            title += "\n" + run_status_label(run.status)
            if run.status_reason:
                title += _(": {reason}").format(reason=run.status_reason)
        self.title_label.setText(title)
        stopped = None if running else (run.all_clear_at or self.timer.now())
        self.timer.start(run.alarm_at, rollup.target, stopped)
        self.accountability.setText(accountability_text(rollup))
        done = rollup.time_to_accountability is not None
        colour = (SAVED_COLOUR if rollup.met_target else ERROR_COLOUR) if done else ""
        set_text_colour(self.accountability, colour or None)
        self.guard.set_enabled(self.all_clear_button, running)
        self.guard.set_enabled(self.cancel_button, running)
        self.phones.set_running(running)
        self.close_button.setVisible(not running)
        completed = run.status is RunStatus.COMPLETED
        self.guard.set_enabled(self.correct_action, completed)
        self.closed_label.setVisible(completed)
        if completed:
            self.closed_label.setText(closed_text(run))

    def _status(self, class_id: int | None) -> ClassStatus | None:
        if self.rollup is None or class_id is None:
            return None
        return next((s for s in self.rollup.classes if s.info.class_id == class_id), None)

    def _show_detail(self) -> None:
        """Who reported the selected class and when, who verified it and when, and its
        latest correction."""
        status = self._status(self.tiles.current_class_id())
        if status is None:
            self.detail.clear()
            return
        lines = record_lines(status) or [_("Not reported")]
        self.detail.setText("\n".join([status.info.name, *lines]))

    def poll(self) -> None:
        """Reload when anything in the run changed (here or on another computer)."""
        try:
            marker = headcounts.change_marker(self.ctx.db, self.run_id)
        except DrillplannerError as error:
            log.warning("cannot poll drill run %s: %s", self.run_id, error)
            return
        if marker != self._marker:
            self.reload()

    def shows(self, changes: Changes) -> bool:
        """Whether ``changes`` touch what the console shows: its run's record and
        headcounts, or its school (the evacuation target)."""
        if changes.touches_record(Kind.DRILL, self.run_id) or \
                changes.touches_record(Kind.HEADCOUNT, self.run_id):
            return True
        return self.run is not None and changes.touches_record(Kind.SCHOOL, self.run.school_id)

    def _on_changed(self, changes: Changes, _source: object) -> None:
        # Also the console's own writes: the notification is what makes it read them back.
        if self.shows(changes):
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.poll()
        self.poll_timer.start()
        self.entry.class_edit.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        self.poll_timer.stop()
        super().hideEvent(event)

    def stop(self) -> None:
        """Stop every timer and stop following changes (the page or window is going away)."""
        self.poll_timer.stop()
        self.timer.stop()
        self.phones.dispose()
        if self._following:
            self._following = False
            self.ctx.changed.disconnect(self._on_changed)

    # Actions ----------------------------------------------------------------------------

    def _info(self, class_id: int | None) -> ClassInfo | None:
        return next((c for c in self.classes if c.class_id == class_id), None)

    def _completed(self) -> bool:
        return self.run is not None and self.run.status is RunStatus.COMPLETED

    def _on_tile_activated(self, index: QModelIndex) -> None:
        info = self._info(self.tiles.current_class_id())
        if info is None:
            return
        if self._completed():
            self.correct_current()
        elif (refused := self.access.refusal(info.class_id)) is not None:
            self.entry.show_refusal(refused)  # another teacher's class
        else:
            self.open_full_entry(info)

    def correct_current(self) -> HeadcountEntry | None:
        """C: correct the selected class of a completed drill (the dialog asks why)."""
        info = self._info(self.tiles.current_class_id())
        if info is None or not self._completed() or not self.correct_action.isEnabled():
            return None
        return HeadcountDialog.ask(self.ctx, self.run_id, self.classes, info.class_id,
                                   self._status(info.class_id), "", self, correction=True)

    def open_full_entry(self, info: object) -> None:
        """The full report dialog for ``info`` (a ClassInfo, or None to choose)."""
        chosen = info if isinstance(info, ClassInfo) else self._info(
            self.tiles.current_class_id())
        current = None
        if chosen is not None and self.rollup is not None:
            current = next((s for s in self.rollup.classes
                            if s.info.class_id == chosen.class_id), None)
        entry = HeadcountDialog.ask(self.ctx, self.run_id, self.classes,
                                    chosen.class_id if chosen else None, current,
                                    self.entry.recorded_by, self)
        if entry is not None:
            self.entry.clear_fields()

    def verify_current(self) -> None:
        """V: the grade leader checked the selected class's report."""
        info = self._info(self.tiles.current_class_id())
        if info is None:
            return
        name = _verifiers.get(self.ctx) or LeaderNameDialog.ask(self)
        if not name:
            return
        _verifiers[self.ctx] = name
        reason = ""
        if self._completed():
            asked = ReasonDialog.ask(_("Verify after the all clear"), _(
                "The drill is completed: why is {name} verified now?").format(name=info.name),
                self)
            if asked is None:
                return
            reason = asked
        if ops.write(self.ctx, self, lambda db: headcounts.verify_headcount(
                db, self.run_id, info.class_id, name, reason=reason)) is None:
            return
        emit(self.ctx.status, _("{name} checked by {leader}.").format(name=info.name,
                                                                     leader=name))

    def show_history(self) -> None:
        """H: every entry of the selected class's report."""
        info = self._info(self.tiles.current_class_id())
        if info is not None:
            ClassHistoryDialog.show_for(self.ctx, self.run_id, info, self)

    def found_current(self) -> None:
        """F: students of the selected class were found (also those only a correction
        reported missing, which raise no live alert)."""
        class_id = self.tiles.current_class_id()
        if class_id is not None:
            self.resolve(class_id)

    def resolve(self, class_id: int) -> None:
        """"Found…" on an alert: where and by whom, then the alert goes."""
        alerts = self.rollup.unresolved_alerts if self.rollup is not None else ()
        alert = next((a for a in alerts if a.class_id == class_id), None)
        if alert is None:
            return
        by = _verifiers.get(self.ctx, "")
        if self._completed() and self.run is not None:
            # After the all clear: also when the student was found, and why it is late.
            clear = self.run.all_clear_at or self.run.alarm_at
            answer = MissingFoundDialog.ask(alert, by, self, correction_from=(
                clear.replace(tzinfo=None) if clear else datetime.now()))
        else:
            answer = MissingFoundDialog.ask(alert, by, self)
        if answer is None:
            return
        if ops.write(self.ctx, self, lambda db: headcounts.resolve_missing(
                db, self.run_id, class_id, answer.where, found_by=answer.by,
                count=answer.count, at=answer.at, reason=answer.reason)) is None:
            self.reload()  # refused: perhaps found meanwhile elsewhere; show what is stored

    def clear_floor(self, post_id: int) -> None:
        if ops.write(self.ctx, self, lambda db: drills.clear_floor(db, post_id)) is None:
            self.reload()

    def all_clear(self) -> None:
        """Give the all clear (after confirming): the run is completed."""
        rollup = self.rollup
        question = _("Give the all clear and end the drill?")
        if rollup is not None and rollup.totals.still_missing:
            question = ngettext(
                "{n} student is still missing. Give the all clear anyway?",
                "{n} students are still missing. Give the all clear anyway?",
                rollup.totals.still_missing).format(n=rollup.totals.still_missing)
        elif rollup is not None and rollup.totals.still_out:
            question = ngettext(
                "{n} class has not reported. Give the all clear anyway?",
                "{n} classes have not reported. Give the all clear anyway?",
                rollup.totals.still_out).format(n=rollup.totals.still_out)
        if not messages.confirm(self, _("All Clear"), question, _("&All Clear")):
            return
        # On success the run's DRILL change reloads the console, and the calendar's
        # compliance and the history count the drill as held from now on.
        if ops.write(self.ctx, self, lambda db: drills.finish_drill(db, self.run_id)) is None:
            self.reload()

    def cancel(self) -> None:
        reason = ReasonDialog.ask(_("Cancel Drill"), _("Why is the drill cancelled?"), self)
        if reason is None:
            return
        if ops.write(self.ctx, self,
                     lambda db: drills.cancel_drill(db, self.run_id, reason)) is None:
            self.reload()

    # Projector --------------------------------------------------------------------------

    def set_projector(self, on: bool) -> None:
        """Large type for a projector (the page makes the window full screen)."""
        self.projector = on
        scale = PROJECTOR_SCALE if on else 1.0
        points = max(QApplication.font().pointSizeF(), 6.0) * scale
        font = QFont(QApplication.font())
        font.setPointSizeF(points)
        self.setFont(font)
        self.timer.set_scale(scale)
        self.alert_bar.set_base_points(points)
        big = QFont(font)
        big.setPointSizeF(points * 1.5)
        big.setBold(True)
        for label in self.total_labels.values():
            label.setFont(big)
        larger = QFont(font)
        larger.setPointSizeF(points * 1.25)
        self.title_label.setFont(larger)
        larger.setBold(True)
        self.accountability.setFont(larger)
        self.all_clear_button.setFont(larger)
        self.phones.set_projector(on)
        self.tiles.scheduleDelayedItemsLayout()
