"""Change notifications end to end: what the Calendar page writes reaches the Drill and
History pages while they are on screen (no reload by hand), and ``ops.write`` /
``ops.write_in_background`` show refusals and bugs and announce exactly the Done's changes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from calendar_sample import TODAY, add_school_year, drive_dialog, weekly
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from drillplanner.domain.changes import NOTHING, Changes, Done, Kind
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.domain.school_calendar import CalendarDay, DayKind
from drillplanner.services import calendar as calendar_service
from drillplanner.services import drills, drills_today
from drillplanner.services.database import Database
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import calendar_entries, messages, occurrence_dialog
from drillplanner.ui.dialogs.calendar_entries import CalendarEntriesDialog
from drillplanner.ui.dialogs.event_dialog import EventDialog
from drillplanner.ui.dialogs.occurrence_dialog import EditScope
from drillplanner.ui.dialogs.school_year_dialog import SchoolYearDialog
from drillplanner.ui.mainwindow import MainWindow

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

NOTHING_TODAY = "No drill is scheduled today."

Heard = list[tuple[Changes, object]]


def listen(ctx: AppContext) -> Heard:
    heard: Heard = []
    ctx.changed.connect(lambda changes, source: heard.append((changes, source)))
    return heard


@pytest.fixture
def shown(window: MainWindow, ctx: AppContext, qtbot: QtBot) -> MainWindow:
    """The window on screen, every page agreeing that today is TODAY (a Monday)."""
    window.calendar_page.set_today(TODAY)
    window.calendar_page.go_today()
    window.drill_page.today = TODAY
    window.show()
    qtbot.waitExposed(window)
    return window


def show(window: MainWindow, page: QWidget) -> None:
    window.show_page(window.stack.indexOf(page))
    assert page.isVisible()


def scheduled(window: MainWindow) -> str:
    """What the Drill page's idle panel says about today's drills."""
    page = window.drill_page
    assert page.isVisible() and page.stack.currentWidget() is page.idle
    return page.scheduled_label.text()


def history_rows(window: MainWindow) -> list[str]:
    model = window.history_page.model
    return [" | ".join(str(model.index(row, column).data())
                       for column in range(model.columnCount()))
            for row in range(model.rowCount())]


def term_names(window: MainWindow) -> list[str]:
    combo = window.history_page.term_combo
    return [combo.itemText(i) for i in range(combo.count())]


# The Calendar page's own actions reach the Drill page ----------------------------------


def test_a_drill_added_on_the_calendar_is_offered_on_the_drill_page(
        shown: MainWindow, ctx: AppContext, sample: Sample, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    show(shown, shown.drill_page)
    assert scheduled(shown) == NOTHING_TODAY

    def fill(dialog: EventDialog) -> None:
        dialog.set_kind(EventKind.FIRE)
        dialog.set_title("消防疏散演练")

    dialogs = drive_dialog(monkeypatch, qtbot, fill)
    calendar = shown.calendar_page
    calendar.set_current(TODAY)
    calendar.new_action.trigger()  # the Calendar page's New Event…, on TODAY at 10:00

    assert dialogs[0].saved is not None
    assert shown.drill_page.isVisible() and not calendar.isVisible()
    assert scheduled(shown) == "Scheduled today: 10:00 Fire drill: 消防疏散演练"


def test_moving_and_cancelling_today_s_occurrence_on_the_calendar(
        shown: MainWindow, ctx: AppContext, sample: Sample,
        monkeypatch: pytest.MonkeyPatch) -> None:
    weekly(ctx.db, sample.school.id, "Weekly drill", datetime.combine(TODAY, time(10, 0)),
           "MO")
    calendar = shown.calendar_page
    show(shown, calendar)
    (today_s,) = calendar.month_model.occurrences_on(TODAY)
    show(shown, shown.drill_page)
    assert scheduled(shown) == "Scheduled today: 10:00 Fire drill: Weekly drill"

    # "Only this occurrence", moved to the afternoon.
    monkeypatch.setattr(occurrence_dialog.EditScopeQuestion, "ask",
                        classmethod(lambda cls, occurrence, parent=None: EditScope.OCCURRENCE))
    monkeypatch.setattr(occurrence_dialog.MoveOccurrenceDialog, "ask", classmethod(
        lambda cls, occurrence, parent=None: (datetime.combine(TODAY, time(14, 30)),
                                              timedelta(minutes=20))))
    calendar.edit_occurrence(today_s)
    assert scheduled(shown) == "Scheduled today: 14:30 Fire drill: Weekly drill"

    # Moved to tomorrow: nothing left today.
    monkeypatch.setattr(occurrence_dialog.MoveOccurrenceDialog, "ask", classmethod(
        lambda cls, occurrence, parent=None: (datetime.combine(TODAY + timedelta(days=1),
                                                               time(10, 0)),
                                              timedelta(minutes=20))))
    calendar.edit_occurrence(today_s)
    assert scheduled(shown) == NOTHING_TODAY

    # Back to today, then cancelled from the calendar (as the Delete key does).
    monkeypatch.setattr(occurrence_dialog.MoveOccurrenceDialog, "ask", classmethod(
        lambda cls, occurrence, parent=None: (datetime.combine(TODAY, time(9, 0)),
                                              timedelta(minutes=20))))
    calendar.edit_occurrence(today_s)
    assert scheduled(shown) == "Scheduled today: 09:00 Fire drill: Weekly drill"
    show(shown, calendar)
    (moved,) = calendar.month_model.occurrences_on(TODAY)
    assert moved.moved
    show(shown, shown.drill_page)
    monkeypatch.setattr(occurrence_dialog.DeleteScopeQuestion, "ask", classmethod(
        lambda cls, occurrence, repeats, parent=None: EditScope.OCCURRENCE))
    calendar.delete_occurrence(moved)
    assert scheduled(shown) == NOTHING_TODAY
    # Next Monday's is still there: only the one occurrence was cancelled.
    assert [o.day for o in drills_today.drills_to_start(ctx.db, sample.school.id,
                                                  TODAY + timedelta(days=7))] == [
        TODAY + timedelta(days=7)]


def test_a_refused_move_is_shown_and_changes_nothing(
        shown: MainWindow, ctx: AppContext, sample: Sample,
        monkeypatch: pytest.MonkeyPatch) -> None:
    weekly(ctx.db, sample.school.id, "Weekly drill", datetime.combine(TODAY, time(10, 0)),
           "MO")
    calendar = shown.calendar_page
    show(shown, calendar)
    (today_s,) = calendar.month_model.occurrences_on(TODAY)
    show(shown, shown.drill_page)
    heard = listen(ctx)
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, title=None: errors.append(message))
    monkeypatch.setattr(occurrence_dialog.EditScopeQuestion, "ask",
                        classmethod(lambda cls, occurrence, parent=None: EditScope.OCCURRENCE))
    monkeypatch.setattr(occurrence_dialog.MoveOccurrenceDialog, "ask", classmethod(
        lambda cls, occurrence, parent=None: (datetime.combine(TODAY, time(14, 0)),
                                              timedelta(0))))  # no duration: refused
    calendar.edit_occurrence(today_s)
    assert len(errors) == 1 and heard == []
    assert scheduled(shown) == "Scheduled today: 10:00 Fire drill: Weekly drill"


# A calendar edit reaches the Drill and History pages -----------------------------------


def entries_dialog_that(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
                        use: object) -> list[CalendarEntriesDialog]:
    """Replace CalendarEntriesDialog.ask: the real dialog (today is TODAY), driven by
    ``use``, then closed."""
    opened: list[CalendarEntriesDialog] = []

    def ask(cls: type[CalendarEntriesDialog], ctx: AppContext, school_id: int,
            parent: QWidget | None = None) -> None:
        dialog = cls(ctx, school_id, parent, today=TODAY)
        qtbot.addWidget(dialog)
        opened.append(dialog)
        assert callable(use)
        use(dialog)
        dialog.reject()

    monkeypatch.setattr(calendar_entries.CalendarEntriesDialog, "ask", classmethod(ask))
    return opened


def add_holiday_today(dialog: CalendarEntriesDialog) -> None:
    dialog.tabs.setCurrentIndex(1)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(DayKind.HOLIDAY.value))
    assert dialog.first_edit.date().toPython() == TODAY
    dialog.name_edit.setText("台风停课")
    dialog.add_day_button.click()
    assert dialog.message_bar.text().startswith("Added")


def test_a_holiday_added_today_takes_the_drill_off_the_drill_page(
        shown: MainWindow, ctx: AppContext, sample: Sample, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    weekly(ctx.db, sample.school.id, "School-day drill", datetime.combine(TODAY, time(10, 0)),
           "MO", school_days_only=True)
    show(shown, shown.drill_page)
    assert scheduled(shown) == "Scheduled today: 10:00 Fire drill: School-day drill"
    opened = entries_dialog_that(monkeypatch, qtbot, add_holiday_today)
    shown.calendar_page.entries_action.trigger()  # School Calendar… (Ctrl+Shift+K)
    assert len(opened) == 1
    assert scheduled(shown) == NOTHING_TODAY
    # The calendar shows the holiday too, when the user looks.
    show(shown, shown.calendar_page)
    assert shown.calendar_page.month_model.occurrences_on(TODAY) == []


def test_a_school_year_added_on_the_calendar_fills_the_history_term_filter(
        shown: MainWindow, ctx: AppContext, sample: Sample, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    show(shown, shown.history_page)
    assert term_names(shown) == ["Any term"]

    def add_year(dialog: CalendarEntriesDialog) -> None:
        def save_suggested(cls: type[SchoolYearDialog], ctx: AppContext, school_id: int,
                           year: object = None, parent: object = None) -> object:
            year_dialog = cls(ctx, school_id, None, today=TODAY)
            qtbot.addWidget(year_dialog)
            year_dialog.accept()
            return year_dialog.saved

        monkeypatch.setattr(SchoolYearDialog, "ask", classmethod(save_suggested))
        dialog.add_year_button.click()

    entries_dialog_that(monkeypatch, qtbot, add_year)
    shown.calendar_page.edit_calendar_entries()
    assert term_names(shown) == ["Any term", "2026–2027 First term", "2026–2027 Second term"]


def test_a_drill_started_from_the_calendar_appears_in_history(
        shown: MainWindow, ctx: AppContext, sample: Sample,
        monkeypatch: pytest.MonkeyPatch) -> None:
    add_school_year(ctx.db, sample.school.id)
    weekly(ctx.db, sample.school.id, "Weekly drill", datetime.combine(TODAY, time(10, 0)),
           "MO")
    calendar = shown.calendar_page
    show(shown, calendar)
    calendar.set_current(TODAY)
    show(shown, shown.history_page)
    assert history_rows(shown) == []
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    calendar.start_drill_action.trigger()  # Start Drill Now… on the selected day
    (run,) = drills.list_runs(ctx.db, sample.school.id)
    assert run.status is RunStatus.IN_PROGRESS and run.title == "Weekly drill"
    # The History page listed it while on screen; then the window went to the Drill page.
    rows = history_rows(shown)
    assert len(rows) == 1 and "Weekly drill" in rows[0]
    assert shown.stack.currentWidget() is shown.drill_page
    assert shown.drill_page.console is not None and shown.drill_page.console.run_id == run.id


# ops.write ------------------------------------------------------------------------------


def add_holiday(school_id: int) -> ops.Operation[CalendarDay]:
    return lambda db: calendar_service.add_calendar_day(db, school_id, DayKind.HOLIDAY,
                                                        date(2026, 10, 1))


def refuse(db: Database) -> Done[None]:
    raise ValidationError("name", "Give the entry a name.")


def crash(db: Database) -> Done[None]:
    raise RuntimeError("the disk caught fire")


def test_write_shows_a_refusal_where_the_page_says_and_announces_nothing(
        ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    heard = listen(ctx)
    dialogs: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, title=None: dialogs.append((message, title)))
    in_page: list[str] = []
    assert ops.write(ctx, None, refuse, on_error=in_page.append) is None
    assert in_page == ["Give the entry a name."] and dialogs == []
    # Without a place of its own, the refusal is a plain message box.
    assert ops.write(ctx, None, lambda db: (_ for _ in ()).throw(
        ConflictError("Taken."))) is None
    assert dialogs == [("Taken.", None)]
    assert heard == []


def test_write_reports_a_bug_with_the_log_file(ctx: AppContext,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    heard = listen(ctx)
    dialogs: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, title=None: dialogs.append((message, title)))
    assert ops.write(ctx, None, crash) is None
    ((message, title),) = dialogs
    assert "the disk caught fire" in message
    assert "/tmp/drillplanner-test.log" in message and ctx.log_file in message
    assert title == "Something went wrong"
    in_page: list[str] = []
    assert ops.write(ctx, None, crash, on_error=in_page.append) is None
    assert in_page == [message] and len(dialogs) == 1
    assert heard == []


def test_write_announces_exactly_the_done_s_changes(ctx: AppContext, sample: Sample,
                                                    qtbot: QtBot) -> None:
    heard = listen(ctx)
    page = QWidget()
    qtbot.addWidget(page)
    source = QObject()
    done = ops.write(ctx, page, add_holiday(sample.school.id), source=source)
    assert done is not None and done.value is not None
    assert done.changes == Changes.of(Kind.CALENDAR, sample.school.id)
    assert heard == [(done.changes, source)]
    # The source defaults to the page that asked.
    heard.clear()
    deleted = ops.write(ctx, page, lambda db: calendar_service.delete_calendar_day(
        db, calendar_service.list_calendar_days(db, sample.school.id)[0].id))
    assert deleted is not None and heard == [(deleted.changes, page)]
    # An operation that changed nothing tells nobody.
    heard.clear()
    assert ops.write(ctx, page, lambda db: Done(3, NOTHING)) == Done(3, NOTHING)
    assert heard == []


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[ops.OpRunner]:
    """A runner owned by a page, as in the app (a runner nobody owns is deleted with the
    connections of its last piece of work, while that is being deleted)."""
    page = QWidget()
    qtbot.addWidget(page)
    work = ops.OpRunner(page)
    yield work
    work.wait()


def test_write_in_background_works_off_the_gui_thread_and_then_announces(
        ctx: AppContext, sample: Sample, qtbot: QtBot, runner: ops.OpRunner) -> None:
    events: list[tuple[str, object, object]] = []
    ctx.changed.connect(lambda changes, source: events.append(("heard", changes, source)))
    threads: list[int] = []
    operation = add_holiday(sample.school.id)

    def op(db: Database) -> Done[CalendarDay]:
        threads.append(threading.get_ident())
        return operation(db)

    source = QObject()
    ops.write_in_background(ctx, runner, None, op,
                            lambda value: events.append(("done", value, None)), source=source)
    assert runner.busy
    qtbot.waitUntil(lambda: not runner.busy)
    assert threads and threads[0] != threading.get_ident()
    (added,) = calendar_service.list_calendar_days(ctx.db, sample.school.id)
    # Announced first, then on_done.
    assert events == [("heard", Changes.of(Kind.CALENDAR, sample.school.id), source),
                      ("done", added, None)]


def test_write_in_background_shows_refusals_and_bugs(
        ctx: AppContext, qtbot: QtBot, runner: ops.OpRunner,
        monkeypatch: pytest.MonkeyPatch) -> None:
    heard = listen(ctx)
    finished: list[object] = []
    in_page: list[str] = []
    ops.write_in_background(ctx, runner, None, refuse, finished.append,
                            on_error=in_page.append)
    qtbot.waitUntil(lambda: not runner.busy)
    assert in_page == ["Give the entry a name."]

    dialogs: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, title=None: dialogs.append((message, title)))
    ops.write_in_background(ctx, runner, None, crash, finished.append)
    qtbot.waitUntil(lambda: not runner.busy)
    ((message, _title),) = dialogs
    assert "the disk caught fire" in message and ctx.log_file in message
    assert finished == [] and heard == []


def test_a_runner_without_a_parent_outlives_its_work(qtbot: QtBot) -> None:
    """Its relays' slots do not hold the runner, so the last one going away cannot make
    the runner delete it a second time (this crashed the interpreter now and then)."""
    import gc

    runner = ops.OpRunner()
    results: list[int] = []
    for number in range(30):
        runner.start(lambda n=number: n, results.append, lambda message: results.append(-1))
    qtbot.waitUntil(lambda: len(results) == 30, timeout=5000)
    assert sorted(results) == list(range(30)) and not runner.busy
    qtbot.wait(20)  # the relays' deleteLater
    del runner
    gc.collect()
    qtbot.wait(20)
