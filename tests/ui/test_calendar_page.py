"""The Calendar page: events made in the dialog appear on the month view and in the agenda;
editing one occurrence, "this and following", deleting; keyboard navigation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from calendar_sample import TODAY, add_school_year, days_of, drive_dialog, once, weekly
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QDialog

from drillplanner.domain import recurrence as rec
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Event, EventKind
from drillplanner.domain.school_calendar import DayKind
from drillplanner.services import calendar as calendar_service
from drillplanner.services import schedule
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages, occurrence_dialog
from drillplanner.ui.dialogs.event_dialog import EventDialog
from drillplanner.ui.dialogs.occurrence_dialog import EditScope
from drillplanner.ui.mainwindow import MainWindow
from drillplanner.ui.views import calendar_page
from drillplanner.ui.views.calendar_page import AGENDA, MONTH, WEEK, CalendarPage


@pytest.fixture
def school_id(ctx: AppContext, sample: Sample) -> int:
    add_school_year(ctx.db, sample.school.id)
    return sample.school.id


@pytest.fixture
def page(ctx: AppContext, school_id: int, qtbot: QtBot) -> CalendarPage:
    widget = CalendarPage(ctx, today=TODAY)
    qtbot.addWidget(widget)
    widget.set_mode(MONTH)
    widget.resize(1300, 860)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def chip_days(page: CalendarPage, title: str) -> list[date]:
    """Days of the month shown that have a chip titled ``title`` (other months' days of
    the grid left out)."""
    model = page.month_model
    first = model.first_day()
    found = []
    for offset in range(42):
        day = first + timedelta(days=offset)
        if day.month != model.month.month:
            continue
        if any(o.title == title for _rect, o in page.month_view.chip_rects(day)):
            found.append(day)
    return found


def test_weekly_event_made_in_the_dialog_shows_on_month_and_agenda(
        page: CalendarPage, ctx: AppContext, school_id: int, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def edit(dialog: EventDialog) -> None:
        dialog.set_kind(EventKind.FIRE)
        dialog.set_title("消防疏散演练")
        dialog.set_duration(20)
        dialog.set_place("操场东侧")
        dialog.recurrence_editor.set_preset(rec.Preset.WEEKLY, weekdays=(0, 2))

    shown = drive_dialog(monkeypatch, qtbot, edit)
    page.month_view.select_day(TODAY)
    page.new_action.trigger()
    assert len(shown) == 1 and shown[0].saved is not None
    assert shown[0].start() == datetime.combine(TODAY, time(10, 0))

    # September 2026 starts on a Tuesday: its Mondays are 7, 14, 21, 28 and its Wednesdays
    # 2, 9, 16, 23, 30; the series starts on Monday 7 September.
    september = days_of([(9, 7), (9, 9), (9, 14), (9, 16), (9, 21), (9, 23), (9, 28),
                         (9, 30)])
    assert chip_days(page, "消防疏散演练") == september
    chip = page.month_view.chip_rects(date(2026, 9, 9))[0][1]
    assert chip.start.time() == time(10, 0) and chip.kind is EventKind.FIRE

    page.go(1)  # October: the 1st-7th are the National Day holiday
    assert page.title_label.text() == "October 2026"
    october = days_of([(10, 12), (10, 14), (10, 19), (10, 21), (10, 26), (10, 28)])
    assert chip_days(page, "消防疏散演练") == october

    page.set_mode(AGENDA)
    model = page.agenda_model
    rows = [(model.occurrence(r).day, model.index(r, 3).data()) for r in range(model.rowCount())]
    assert rows == [(day, "消防疏散演练") for day in october]
    assert "Monday" in model.index(0, 5).data()
    assert model.index(0, 4).data() == "操场东侧"


def test_editing_one_occurrence_moves_only_that_one(page: CalendarPage, ctx: AppContext,
                                                    school_id: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    event = weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    page.reload()
    monkeypatch.setattr(occurrence_dialog.EditScopeQuestion, "ask",
                        classmethod(lambda cls, occurrence, parent=None: EditScope.OCCURRENCE))
    monkeypatch.setattr(occurrence_dialog.MoveOccurrenceDialog, "ask", classmethod(
        lambda cls, occurrence, parent=None: (datetime(2026, 9, 10, 14, 0),
                                              timedelta(minutes=30))))
    target = page.month_model.occurrences_on(date(2026, 9, 9))[0]
    page.edit_occurrence(target)

    assert chip_days(page, "Drill") == days_of([(9, 2), (9, 10), (9, 16), (9, 23), (9, 30)])
    moved = page.month_model.occurrences_on(date(2026, 9, 10))[0]
    assert moved.moved and moved.start.time() == time(14, 0)
    assert moved.end - moved.start == timedelta(minutes=30)
    others = [o for o in schedule.occurrences(ctx.db, school_id, date(2026, 9, 1),
                                              date(2026, 9, 30)) if not o.moved]
    assert [o.start.time() for o in others] == [time(10, 0)] * 4
    assert len(schedule.list_events(ctx.db, school_id)) == 1
    assert schedule.get_event(ctx.db, event.id).recurrence == event.recurrence


def test_this_and_following_splits_the_series(page: CalendarPage, ctx: AppContext,
                                              school_id: int, qtbot: QtBot,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    before = [o.start for o in schedule.occurrences(ctx.db, school_id, date(2026, 9, 1),
                                                    date(2026, 12, 31))]
    page.reload()
    monkeypatch.setattr(occurrence_dialog.EditScopeQuestion, "ask",
                        classmethod(lambda cls, occurrence, parent=None: EditScope.FOLLOWING))
    shown = drive_dialog(monkeypatch, qtbot, lambda dialog: dialog.set_title("Drill (new)"))
    page.edit_occurrence(page.month_model.occurrences_on(date(2026, 9, 16))[0])

    assert shown[0].windowTitle() == "Edit This and Following Occurrences"
    assert shown[0].start() == datetime(2026, 9, 16, 10, 0)
    after = schedule.occurrences(ctx.db, school_id, date(2026, 9, 1), date(2026, 12, 31))
    assert [o.start for o in after] == before
    assert {o.title for o in after if o.day < date(2026, 9, 16)} == {"Drill"}
    assert {o.title for o in after if o.day >= date(2026, 9, 16)} == {"Drill (new)"}
    assert len(schedule.list_events(ctx.db, school_id)) == 2
    assert chip_days(page, "Drill (new)") == days_of([(9, 16), (9, 23), (9, 30)])


def test_the_whole_series_and_delete(page: CalendarPage, ctx: AppContext, school_id: int,
                                     qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    event = weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    page.reload()
    monkeypatch.setattr(occurrence_dialog.EditScopeQuestion, "ask",
                        classmethod(lambda cls, occurrence, parent=None: EditScope.SERIES))
    drive_dialog(monkeypatch, qtbot, lambda dialog: dialog.set_start(
        datetime(2026, 9, 2, 11, 0)))
    page.edit_occurrence(page.month_model.occurrences_on(date(2026, 9, 9))[0])
    assert {o.start.time() for o in page.occurrences} == {time(11, 0)}

    answers = iter([EditScope.OCCURRENCE, EditScope.SERIES])
    monkeypatch.setattr(occurrence_dialog.DeleteScopeQuestion, "ask", classmethod(
        lambda cls, occurrence, repeats, parent=None: next(answers)))
    page.set_current(date(2026, 9, 9))
    page.month_view.setFocus()
    qtbot.keyClick(page.month_view, Qt.Key.Key_Delete)
    assert chip_days(page, "Drill") == days_of([(9, 2), (9, 16), (9, 23), (9, 30)])
    changes = schedule.list_changes(ctx.db, event.id)
    assert [(c.original_start, c.cancelled) for c in changes] == [
        (datetime(2026, 9, 9, 11, 0), True)]

    page.set_current(date(2026, 9, 16))
    qtbot.keyClick(page.month_view, Qt.Key.Key_Delete)
    assert schedule.list_events(ctx.db, school_id) == []
    assert chip_days(page, "Drill") == []


def test_double_click_on_an_empty_day_creates_there(page: CalendarPage, qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    starts: list[object] = []
    monkeypatch.setattr(EventDialog, "ask", classmethod(
        lambda cls, ctx, school_id, **kw: starts.append(kw["start"])))
    view = page.month_view
    cell = view.visualRect(page.month_model.index_of(date(2026, 9, 17)))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=QPoint(cell.center().x(), cell.bottom() - 5))
    assert starts == [datetime(2026, 9, 17, 10, 0)]


def test_keyboard_navigation(page: CalendarPage, ctx: AppContext, school_id: int,
                             qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    once(ctx.db, school_id, "Sports meet", datetime(2026, 11, 9, 8, 30), minutes=300,
         kind=EventKind.SPORTS)
    view = page.month_view
    view.setFocus()
    assert page.current == TODAY
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert page.current == date(2026, 9, 8)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert page.current == date(2026, 9, 15)
    assert view.current_day() == date(2026, 9, 15)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.keyClick(page.month_view, Qt.Key.Key_PageDown)
    assert page.current == date(2026, 11, 15)
    assert page.title_label.text() == "November 2026"
    for _step in range(6):
        qtbot.keyClick(view, Qt.Key.Key_Left)
    assert page.current == date(2026, 11, 9)

    edited: list[str] = []
    monkeypatch.setattr(page.actions_helper, "edit", lambda o: edited.append(o.title))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert edited == ["Sports meet"]

    qtbot.keyClick(view, Qt.Key.Key_Up)  # 2 November: across into the previous month's grid
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert page.current == date(2026, 10, 26)
    assert page.title_label.text() == "October 2026"
    qtbot.keyClick(view, Qt.Key.Key_T)
    assert page.current == TODAY
    assert page.title_label.text() == "September 2026"


def test_week_view_blocks(page: CalendarPage, ctx: AppContext, school_id: int, qtbot: QtBot,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    once(ctx.db, school_id, "Training", datetime(2026, 9, 9, 10, 10), kind=EventKind.TRAINING)
    page.set_current(date(2026, 9, 9))
    page.reload()
    page.set_mode(WEEK)
    week = page.week_view
    assert page.title_label.text() == "Sep 7, 2026 – Sep 13, 2026"
    blocks = week.block_rects()
    assert sorted(o.title for _r, o in blocks) == ["Drill", "Training"]
    (drill_rect, _d), (training_rect, _t) = sorted(blocks, key=lambda b: b[1].title)
    assert not drill_rect.intersects(training_rect)  # overlapping in time: side by side
    wednesday = week.column_rect(2)
    assert wednesday.contains(drill_rect.center()) and wednesday.contains(
        training_rect.center())
    assert drill_rect.top() < training_rect.top()

    qtbot.keyClick(week, Qt.Key.Key_Down)
    assert week.selected is not None and week.selected.title == "Drill"
    opened: list[str] = []
    monkeypatch.setattr(page.actions_helper, "edit", lambda o: opened.append(o.title))
    qtbot.keyClick(week, Qt.Key.Key_Return)
    assert opened == ["Drill"]
    qtbot.keyClick(week, Qt.Key.Key_Right)
    assert page.current == date(2026, 9, 10)
    starts: list[object] = []
    monkeypatch.setattr(page.actions_helper, "create", starts.append)
    thursday = week.column_rect(3)
    y = round(week.header_height() + 7.7 * week.hour_height())  # 14:42, in the 14:30 slot
    qtbot.mouseDClick(week, Qt.MouseButton.LeftButton, pos=QPoint(thursday.center().x(), y))
    assert starts == [datetime(2026, 9, 10, 14, 30)]


def test_a_full_day_says_how_many_more(ctx: AppContext, school_id: int, qtbot: QtBot) -> None:
    for hour in range(8, 16):
        once(ctx.db, school_id, f"Item {hour}", datetime(2026, 9, 10, hour, 0))
    small = CalendarPage(ctx, today=TODAY)
    qtbot.addWidget(small)
    small.resize(900, 600)
    small.show()
    qtbot.waitExposed(small)
    layout = small.month_view.layout_of(date(2026, 9, 10))
    assert layout is not None and layout.more is not None
    assert len(layout.chips) + layout.hidden == 8
    assert layout.hidden >= 2
    chosen: list[list[str]] = []
    small.choose_occurrence = lambda items, title: chosen.append(  # type: ignore[method-assign]
        [o.title for o in items])
    small._on_more(date(2026, 9, 10))
    assert chosen == [[f"Item {hour}" for hour in range(8, 16)]]


def test_non_school_days_today_and_badges(page: CalendarPage, ctx: AppContext,
                                          school_id: int) -> None:
    from drillplanner.ui import calendar_style as style
    from drillplanner.ui.models.month import BADGES_ROLE, SCHOOL_DAY_ROLE, TODAY_ROLE

    page.set_current(date(2026, 10, 5))
    model = page.month_model
    holiday = model.index_of(date(2026, 10, 5))
    assert holiday.data(SCHOOL_DAY_ROLE) is False
    assert holiday.data(Qt.ItemDataRole.BackgroundRole) == style.HOLIDAY
    assert "National Day" in holiday.data(BADGES_ROLE)
    assert model.index_of(date(2026, 10, 10)).data(Qt.ItemDataRole.BackgroundRole) == \
        style.NO_SCHOOL
    assert model.index_of(date(2026, 10, 9)).data(SCHOOL_DAY_ROLE) is True
    page.go_today()
    assert page.month_model.index_of(TODAY).data(TODAY_ROLE) is True
    assert "Monday, September 7, 2026" in page.month_model.index_of(TODAY).data(
        Qt.ItemDataRole.ToolTipRole)


def test_page_controls_are_named(page: CalendarPage) -> None:
    for mode in (MONTH, WEEK, AGENDA):
        page.set_mode(mode)
        assert unnamed_controls(page) == []


def test_add_months_clamps_to_the_month_end() -> None:
    assert calendar_page.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert calendar_page.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert calendar_page.add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert calendar_page.add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_language_switch_rebuilds_the_calendar_page(window: MainWindow, ctx: AppContext,
                                                    school_id: int, qtbot: QtBot) -> None:
    window.show()
    window.page_actions[1].trigger()
    assert window.stack.currentWidget() is window.calendar_page
    old_page = window.calendar_page
    old_page.set_mode(WEEK)
    new = window.switch_language("zh_CN")
    qtbot.addWidget(new)
    page = new.calendar_page
    assert page is not old_page
    assert new.sidebar.item(1).text() == "日历"
    assert [b.text() for b in page.mode_buttons] == ["月(&M)", "周(&W)", "列表(&G)"]
    assert page.mode == WEEK  # the view chosen before the switch
    page.set_mode(MONTH)
    assert page.title_label.text() == f"{page.current.year}年{page.current.month}月"
    assert page.month_model.headerData(0, Qt.Orientation.Horizontal) == "周一"
    assert page.compliance_panel.profile_combo.currentText().startswith("教育部")
    # The old page no longer follows the shared context.
    weekly(ctx.db, school_id, "Drill", datetime.combine(page.current, time(10, 0)), "MO")
    ctx.notify(Changes.of(Kind.EVENT))
    assert page.occurrences and not old_page.occurrences


def test_agenda_keys_edit_and_delete(page: CalendarPage, ctx: AppContext, school_id: int,
                                     qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    page.reload()
    page.set_current(date(2026, 9, 10))
    page.set_mode(AGENDA)
    view = page.agenda_view
    # The agenda opens at the current day: the first occurrence on or after it.
    first = view.current_occurrence()
    assert first is not None and first.day == date(2026, 9, 16)
    opened: list[date] = []
    monkeypatch.setattr(page.actions_helper, "edit", lambda o: opened.append(o.day))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [date(2026, 9, 16)]
    monkeypatch.setattr(occurrence_dialog.DeleteScopeQuestion, "ask", classmethod(
        lambda cls, occurrence, repeats, parent=None: EditScope.OCCURRENCE))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    days = [page.agenda_model.occurrence(r).day for r in range(page.agenda_model.rowCount())]
    assert days == days_of([(9, 2), (9, 9), (9, 23), (9, 30)])


def test_hidden_page_reads_when_shown(ctx: AppContext, school_id: int, qtbot: QtBot) -> None:
    hidden = CalendarPage(ctx, today=TODAY)
    qtbot.addWidget(hidden)
    weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    hidden.reload()
    assert hidden.month_model.occurrences_on(date(2026, 9, 9)) == []
    hidden.show()
    assert [o.title for o in hidden.month_model.occurrences_on(date(2026, 9, 9))] == ["Drill"]


def test_the_page_follows_schedule_changes_made_elsewhere(page: CalendarPage, ctx: AppContext,
                                                          school_id: int) -> None:
    # Written behind the page's back: nothing announced, nothing shown.
    weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    assert chip_days(page, "Drill") == []
    ctx.notify(Changes.of(Kind.CLASS, 1))  # a change the page does not show
    assert chip_days(page, "Drill") == []
    # Another page (or the command line's notice) tells of new events: they appear.
    ctx.notify(Changes.of(Kind.EVENT), QObject())
    assert chip_days(page, "Drill") == days_of([(9, 2), (9, 9), (9, 16), (9, 23), (9, 30)])
    # A holiday on the calendar of the school (a school-days-only series skips it).
    weekly(ctx.db, school_id, "School-day drill", datetime(2026, 9, 2, 10, 0), "WE",
           school_days_only=True)
    ops.write(ctx, None, lambda db: calendar_service.add_calendar_day(
        db, school_id, DayKind.HOLIDAY, date(2026, 9, 9), name="Teachers' Day"))
    assert date(2026, 9, 9) not in chip_days(page, "School-day drill")
    assert date(2026, 9, 16) in chip_days(page, "School-day drill")


def test_a_refused_save_stays_in_the_event_dialog(page: CalendarPage, ctx: AppContext,
                                                  school_id: int, qtbot: QtBot,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    event = once(ctx.db, school_id, "Sports meet", datetime(2026, 9, 10, 8, 30),
                 kind=EventKind.SPORTS)
    boxes: list[str] = []
    heard: list[Changes] = []
    monkeypatch.setattr(messages, "show_error", lambda *args: boxes.append(args[1]))
    ctx.changed.connect(lambda changes, source: heard.append(changes))
    dialog = EventDialog(ctx, school_id, event=event, today=TODAY, parent=page)
    qtbot.addWidget(dialog)
    schedule.delete_event(ctx.db, event.id)  # gone meanwhile, on another computer
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.saved is None
    assert dialog.error_text("") != ""
    assert boxes == [] and heard == []

    def refuse_place(db: object, edited: object) -> Done[Event]:
        raise ValidationError("place", "That place is closed for repairs.")

    dialog = EventDialog(ctx, school_id, start=datetime(2026, 9, 10, 8, 30),
                         save=refuse_place, today=TODAY, parent=page)
    qtbot.addWidget(dialog)
    dialog.set_title("Sports meet")
    dialog.accept()
    assert dialog.error_text("place") == "That place is closed for repairs."
    assert dialog.error_text("") == ""
    assert boxes == [] and heard == []
