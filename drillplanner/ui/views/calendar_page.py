"""The Calendar page: month, week and agenda views of the school's events, navigation,
and the compliance panel beside them."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain import recurrence as rec
from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.events import Occurrence, kind_label
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.i18n import _
from drillplanner.services import calendar as calendar_service
from drillplanner.services import schedule
from drillplanner.ui import calendar_style as style
from drillplanner.ui import state
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.models.agenda import AgendaModel
from drillplanner.ui.models.month import MonthModel, grid_days
from drillplanner.ui.permissions import Guard
from drillplanner.ui.signals import emit
from drillplanner.ui.views.calendar_actions import EventActions
from drillplanner.ui.views.calendar_agenda import AgendaView
from drillplanner.ui.views.calendar_month import MonthView
from drillplanner.ui.views.calendar_week import WeekView
from drillplanner.ui.views.compliance_panel import CompliancePanel

log = logging.getLogger("drillplanner.ui")

MONTH, WEEK, AGENDA = range(3)
NEW_EVENT_TIME = time(10, 0)

#: What the page shows depends on these: occurrences (events, the calendar's school days,
#: the school's time zone) and compliance (the same, held drills and the profiles).
SHOWN_KINDS = (Kind.EVENT, Kind.CALENDAR, Kind.DRILL, Kind.SCHOOL, Kind.PROFILE)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class CalendarPage(QWidget):
    """Views share one current day; the month and agenda show its month, the week its week."""

    #: A drill was started from the calendar (the run's id): the window shows the Drill page.
    drill_started = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("calendarPage")
        self.setAccessibleName(_("Calendar page"))
        self.today = today or date.today()
        self.current = self.today
        self.calendar = SchoolCalendar()
        self.occurrences: list[Occurrence] = []
        self._loaded_range: tuple[date, date] | None = None
        self._stale = True
        self.descriptions: dict[int, str] = {}
        self.actions_helper = EventActions(ctx, self)
        self.actions_helper.today = self.today

        self.month_model = MonthModel(self)
        self.month_view = MonthView(self.month_model, self)
        self.week_view = WeekView(self)
        self.agenda_model = AgendaModel(self)
        self.agenda_view = AgendaView(self.agenda_model, self)
        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName(_("Calendar views"))
        for view in (self.month_view, self.week_view, self.agenda_view):
            self.stack.addWidget(view)
        self.compliance_panel = CompliancePanel(ctx, self.today, self)
        self._build_bar()
        self._build_actions()
        self.legend = style.make_legend(self)

        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.bar)
        column.addWidget(self.stack, 1)
        column.addWidget(self.legend)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("calendarSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.compliance_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([780, 360])
        saved = state.load_bytes(state.CALENDAR_SPLITTER)
        if saved is not None:
            self.splitter.restoreState(saved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self._connect()
        panel = self.compliance_panel
        order: list[QWidget] = [*self.mode_buttons, self.previous_button, self.today_button,
                                self.next_button, self.new_button, self.month_view,
                                self.week_view, self.agenda_view, panel.entries_button,
                                panel.calendar_button, panel.profile_combo, panel.as_of_edit,
                                panel.tree]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)
        self.set_mode(min(max(state.load_int(state.CALENDAR_VIEW, MONTH), MONTH), AGENDA))
        self.reload()

    # Construction -----------------------------------------------------------------------

    def _build_bar(self) -> None:
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: list[QToolButton] = []
        for number, (text, name) in enumerate(((_("&Month"), _("Month view")),
                                               (_("&Week"), _("Week view")),
                                               (_("A&genda"), _("Agenda list")))):
            button = QToolButton(self)
            button.setText(text)
            button.setAccessibleName(name)
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setObjectName(f"segment{number}")
            self.mode_group.addButton(button, number)
            self.mode_buttons.append(button)
        self.mode_group.setExclusive(True)
        segment_style = ("QToolButton { padding: 4px 8px; border: 1px solid #90a4ae; "
                         "background: #eceff1; } QToolButton:checked { background: #1565c0; "
                         "color: white; font-weight: bold; }")
        for button in self.mode_buttons:
            button.setStyleSheet(segment_style)
        self.previous_button = QToolButton(self)
        self.previous_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_ArrowBack))
        self.previous_button.setAccessibleName(_("Previous"))
        self.previous_button.setToolTip(_("Previous (Page Up)"))
        self.today_button = QToolButton(self)
        self.today_button.setText(_("&Today"))
        self.today_button.setAccessibleName(_("Today"))
        self.today_button.setToolTip(_("Go to today (T)"))
        self.next_button = QToolButton(self)
        self.next_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_ArrowForward))
        self.next_button.setAccessibleName(_("Next"))
        self.next_button.setToolTip(_("Next (Page Down)"))
        self.title_label = QLabel(self)
        self.title_label.setAccessibleName(_("Period shown"))
        self.title_label.setStyleSheet("font-size: 130%; font-weight: bold; padding: 0 8px;")
        # A narrow window cuts the title rather than growing past the screen.
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                       QSizePolicy.Policy.Preferred)
        self.new_button = QPushButton(_("&New Event…"), self)
        self.new_button.setAccessibleName(_("New event"))
        self.new_button.setToolTip(_("New event on the selected day (Insert)"))
        bar = QHBoxLayout()
        bar.setSpacing(0)
        for button in self.mode_buttons:
            bar.addWidget(button)
        bar.addSpacing(12)
        for widget in (self.previous_button, self.today_button, self.next_button):
            bar.addWidget(widget)
        bar.addWidget(self.title_label, 1)
        bar.addWidget(self.new_button)
        self.bar = bar

    def _action(self, text: str, keys: list[QKeySequence], slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcuts(keys)
        # Plain keys (T, Page Up) belong to this page only, not to a table on another page.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.previous_action = self._action(_("&Previous"), [key(Qt.Key.Key_PageUp)],
                                            lambda: self.go(-1))
        self.next_action = self._action(_("&Next"), [key(Qt.Key.Key_PageDown)],
                                        lambda: self.go(1))
        self.today_action = self._action(_("&Today"), [key(Qt.Key.Key_T)], self.go_today)
        self.new_action = self._action(_("&New Event…"), [key(Qt.Key.Key_Insert),
                                                          key(key.StandardKey.New)],
                                       lambda: self.create_on(self.current))
        self.month_action = self._action(_("&Month View"), [key("Alt+1")],
                                         lambda: self.set_mode(MONTH))
        self.week_action = self._action(_("&Week View"), [key("Alt+2")],
                                        lambda: self.set_mode(WEEK))
        self.agenda_action = self._action(_("&Agenda"), [key("Alt+3")],
                                          lambda: self.set_mode(AGENDA))
        self.entries_action = self._action(_("School &Calendar…"), [key("Ctrl+Shift+K")],
                                           self.edit_calendar_entries)
        self.start_drill_action = self._action(_("Start &Drill Now…"), [key("Ctrl+Shift+R")],
                                               self.start_drill_on_current_day)
        self.menu_actions = [self.new_action, self.previous_action, self.next_action,
                             self.today_action, self.month_action, self.week_action,
                             self.agenda_action, self.entries_action, self.start_drill_action]
        self.guard = Guard(self.ctx, self)  # greys what the user may not do

    def _connect(self) -> None:
        self.mode_group.idClicked.connect(self.set_mode)
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.today_button.clicked.connect(self.go_today)
        self.new_button.clicked.connect(lambda: self.create_on(self.current))
        self.compliance_panel.calendar_requested.connect(self.edit_calendar_entries)
        for view in (self.month_view, self.week_view):
            view.date_requested.connect(self.set_current)
            view.occurrence_activated.connect(self.edit_occurrence)
            view.day_activated.connect(self._on_day_activated)
        self.month_view.more_activated.connect(self._on_more)
        self.month_view.delete_requested.connect(self._on_delete_day)
        self.month_view.clicked.connect(self._on_month_clicked)
        self.week_view.slot_activated.connect(self.create_at)
        self.week_view.delete_occurrence.connect(self.delete_occurrence)
        self.agenda_view.occurrence_activated.connect(self.edit_occurrence)
        self.agenda_view.delete_occurrence.connect(self.delete_occurrence)
        self.ctx.changed.connect(self._on_changed)
        self.ctx.school_changed.connect(self._on_school_changed)

    # Navigation -------------------------------------------------------------------------

    @property
    def mode(self) -> int:
        return self.stack.currentIndex()

    def set_mode(self, mode: int) -> None:
        self.stack.setCurrentIndex(mode)
        self.mode_buttons[mode].setChecked(True)
        self._show()
        widget = self.stack.currentWidget()
        if widget is not None:
            widget.setFocus()

    def set_today(self, today: date) -> None:
        """Which day counts as today (tests pin it; the app uses the clock)."""
        self.today = today
        self.actions_helper.today = today
        self.compliance_panel.set_as_of(today)
        self._loaded_range = None
        self.reload()

    def go(self, step: int) -> None:
        """Previous (-1) or next (1) month, week or agenda month."""
        if self.mode == WEEK:
            self.set_current(self.current + timedelta(days=7 * step))
        else:
            self.set_current(add_months(self.current, step))

    def go_today(self) -> None:
        self.set_current(self.today)

    def set_current(self, day: date) -> None:
        """Make ``day`` the current day, loading its month when it is not loaded."""
        self.current = day
        start, end = grid_days(day)
        if self._loaded_range != (start, end) or self.month_model.month != day.replace(day=1):
            self._load_occurrences()
        self._show()

    def visible_range(self) -> tuple[date, date]:
        """The first and last day the current view shows."""
        if self.mode == WEEK:
            monday = self.current - timedelta(days=self.current.weekday())
            return monday, monday + timedelta(days=6)
        if self.mode == AGENDA:
            first = self.current.replace(day=1)
            return first, add_months(first, 1) - timedelta(days=1)
        return grid_days(self.current)

    # Data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the calendar and the occurrences again, and re-evaluate compliance.

        A hidden page only notes that it is out of date and reads when it is shown, so
        starting on another page (and changes made there) cost nothing here.
        """
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._load_occurrences()
        self._show()
        self.compliance_panel.reload()

    def _load_occurrences(self) -> None:
        school_id = self.ctx.school_id
        start, end = grid_days(self.current)
        self.descriptions = {}
        if school_id is None:
            self.calendar, self.occurrences = SchoolCalendar(), []
        else:
            try:
                self.calendar = calendar_service.load_calendar(self.ctx.db, school_id)
                self.occurrences = schedule.occurrences(self.ctx.db, school_id, start, end)
                shown = {o.event_id for o in self.occurrences}
                for event in schedule.list_events(self.ctx.db, school_id, ids=shown):
                    if event.recurrence.repeats:
                        self.descriptions[event.id] = rec.describe(
                            event.recurrence, event.start, event.duration)
            except DrillplannerError as error:
                # E.g. the school was deleted elsewhere; the window is about to switch.
                log.warning("cannot load the calendar: %s", error)
                self.calendar, self.occurrences = SchoolCalendar(), []
        self._loaded_range = (start, end)
        self.month_model.set_month(self.current, self.calendar, self.occurrences, self.today)

    def _show(self) -> None:
        first, last = self.visible_range()
        shown = [o for o in self.occurrences if first <= o.day <= last]
        if self.mode == WEEK:
            self.week_view.set_week(first, self.calendar, shown, self.today, self.current)
            self.title_label.setText(style.week_title(first))
        elif self.mode == AGENDA:
            self.agenda_model.set_rows(shown, self.descriptions)
            self.title_label.setText(style.month_title(self.current))
            self._select_in_agenda(self.current)
        else:
            self.title_label.setText(style.month_title(self.current))
        self.month_view.select_day(self.current)

    def _select_in_agenda(self, day: date) -> None:
        model = self.agenda_model
        row = next((r for r in range(model.rowCount()) if model.occurrence(r).day >= day),
                   model.rowCount() - 1)
        if row >= 0:
            index = model.index(row, 0)
            self.agenda_view.setCurrentIndex(index)
            self.agenda_view.scrollTo(index)

    def occurrences_shown(self) -> list[Occurrence]:
        first, last = self.visible_range()
        return [o for o in self.occurrences if first <= o.day <= last]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_changed(self, changes: Changes, source: object) -> None:
        """Read again what the change touched, whoever made it: the page's own edits (made
        through ``ops.write`` by its actions and dialogs) reach it here too, so the views
        and the compliance panel follow them alike. Only the panel's own change (the
        school's profile) is skipped: the panel shows it already and the views do not."""
        if source is not self.compliance_panel and changes.touches(*SHOWN_KINDS):
            self.reload()

    def _on_school_changed(self, _school_id: object) -> None:
        self.reload()

    # Creating, editing, deleting --------------------------------------------------------

    def create_on(self, day: date) -> None:
        self.create_at(datetime.combine(day, NEW_EVENT_TIME))

    # The page reloads when it hears of the change (_on_changed), like every other page.

    def create_at(self, start: datetime) -> None:
        refused = self.guard.reason(self.new_action)
        if refused is not None:  # a double-click on a day, for a user who cannot schedule
            emit(self.ctx.status, refused)
            return
        if self.actions_helper.create(start):
            self.set_current(start.date())

    def edit_occurrence(self, occurrence: Occurrence) -> None:
        self.actions_helper.edit(occurrence)

    def delete_occurrence(self, occurrence: Occurrence) -> None:
        self.actions_helper.delete(occurrence)

    def choose_occurrence(self, items: list[Occurrence], title: str) -> Occurrence | None:
        """Let the user pick one of a day's occurrences from a menu."""
        menu = QMenu(title, self)
        menu.setAccessibleName(title)
        menu.addSection(title)
        for occurrence in items:
            action = menu.addAction(_("{time} {kind}: {title}").format(
                time=style.time_text(occurrence.start), kind=kind_label(occurrence.kind),
                title=occurrence.title))
            action.setData(items.index(occurrence))
        index = self.month_view.month_model().index_of(self.current)
        where = self.month_view.visualRect(index).center() if index.isValid() else QPoint()
        chosen = menu.exec(self.month_view.viewport().mapToGlobal(where))
        menu.deleteLater()
        return items[int(chosen.data())] if chosen is not None else None

    def _on_month_clicked(self, index: object) -> None:
        day = self.month_view.current_day()
        if day is not None:
            self.current = day

    def _on_day_activated(self, day: date, from_keyboard: bool) -> None:
        self.current = day
        items = self.month_model.occurrences_on(day) if self.mode == MONTH else []
        if not from_keyboard or not items:
            self.create_on(day)
        elif len(items) == 1:
            self.edit_occurrence(items[0])
        else:
            chosen = self.choose_occurrence(items, _("Edit which event?"))
            if chosen is not None:
                self.edit_occurrence(chosen)

    def _on_more(self, day: date) -> None:
        self.current = day
        chosen = self.choose_occurrence(self.month_model.occurrences_on(day),
                                        style.day_title(day))
        if chosen is not None:
            self.edit_occurrence(chosen)

    def _on_delete_day(self, day: date) -> None:
        items = self.month_model.occurrences_on(day)
        if len(items) == 1:
            self.delete_occurrence(items[0])
        elif items:
            chosen = self.choose_occurrence(items, _("Cancel or delete which event?"))
            if chosen is not None:
                self.delete_occurrence(chosen)

    def start_drill_on_current_day(self) -> None:
        """Start one of the selected day's drills now (the Drill page takes over)."""
        if self.mode == AGENDA and self.agenda_view.currentIndex().isValid():
            items = [self.agenda_model.occurrence(self.agenda_view.currentIndex().row())]
        else:
            items = [o for o in self.occurrences if o.day == self.current]
        items = [o for o in items if o.kind.is_drill]
        if not items:
            messages.show_error(self, _("No drill is scheduled on {day}.").format(
                day=style.day_title(self.current)))
            return
        chosen = items[0] if len(items) == 1 else self.choose_occurrence(
            items, _("Start which drill?"))
        if chosen is None:
            return
        run = self.actions_helper.start_drill(chosen)
        if run is not None:
            emit(self.drill_started, run.id)

    def edit_calendar_entries(self) -> None:
        from drillplanner.ui.dialogs.calendar_entries import CalendarEntriesDialog

        school_id = self.ctx.school_id
        if school_id is None:
            messages.show_error(self, _("Add a school first (School page, Schools tab)."))
            return
        CalendarEntriesDialog.ask(self.ctx, school_id, self)

    # State ------------------------------------------------------------------------------

    def save_state(self) -> None:
        state.save_int(state.CALENDAR_VIEW, self.mode)
        state.save_bytes(state.CALENDAR_SPLITTER, self.splitter.saveState())

    def detach(self) -> None:
        """Stop following the context (the window is being rebuilt)."""
        self.ctx.changed.disconnect(self._on_changed)
        self.ctx.school_changed.disconnect(self._on_school_changed)
