"""A drill's writes announced through ``ops.write`` and followed by the pages that show them:
the console's headcounts reach the History page, the all clear reaches the calendar's
compliance and the History, the detail dialog follows the console, and the History page
ignores what it does not show."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from calendar_sample import add_school_year
from drill_sample import start_fire_drill
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from PySide6.QtWidgets import QWidget

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.compliance import Status
from drillplanner.domain.drill_runs import DrillRun, RunStatus
from drillplanner.domain.events import Event, EventKind
from drillplanner.domain.headcount import Rollup
from drillplanner.services import calendar as calendar_service
from drillplanner.services import drills, headcounts, schedule
from drillplanner.services.database import Database
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.drill_detail import DrillDetailDialog
from drillplanner.ui.drill_style import mmss
from drillplanner.ui.models.compliance import STATUS_ROLE
from drillplanner.ui.models.drill_runs import ACCOUNTABILITY, MET, STATUS
from drillplanner.ui.models.headcount_tables import PRESENT
from drillplanner.ui.views import drill_history
from drillplanner.ui.views.calendar_page import CalendarPage
from drillplanner.ui.views.drill_console import DrillConsole
from drillplanner.ui.views.drill_history import DrillHistoryPage

ALARM = datetime(2026, 10, 9, 10, 0)


def shown(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)


@pytest.fixture
def run(ctx: AppContext, sample: Sample) -> DrillRun:
    return start_fire_drill(ctx.db, sample.school.id)


@pytest.fixture
def console(ctx: AppContext, run: DrillRun, qtbot: QtBot) -> DrillConsole:
    widget = DrillConsole(ctx, run.id)
    shown(qtbot, widget)
    widget.activateWindow()
    widget.entry.class_edit.setFocus()
    return widget


@pytest.fixture
def history(ctx: AppContext, qtbot: QtBot) -> DrillHistoryPage:
    page = DrillHistoryPage(ctx)
    shown(qtbot, page)
    return page


def announcements(ctx: AppContext) -> list[tuple[Changes, object]]:
    heard: list[tuple[Changes, object]] = []
    ctx.changed.connect(lambda changes, source: heard.append((changes, source)))
    return heard


def cell(page: DrillHistoryPage, column: int, row: int = 0) -> str:
    return page.model.index(row, column).data()


def enter(console: DrillConsole, class_text: str, present: int) -> None:
    """Type a class's count into the console's entry bar and press Record."""
    console.entry.class_edit.setText(class_text)
    console.entry.present_edit.setText(str(present))
    console.entry.record_button.click()
    assert "Saved" in console.entry.message_text()


def test_a_recorded_headcount_announces_its_run_and_the_history_follows(
        console: DrillConsole, history: DrillHistoryPage, ctx: AppContext, run: DrillRun,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (cell(history, STATUS), cell(history, ACCOUNTABILITY)) == ("In progress", "—")
    heard = announcements(ctx)
    reloads: list[int] = []
    real_reload = console.reload

    def counted_reload() -> None:
        reloads.append(1)
        real_reload()

    monkeypatch.setattr(console, "reload", counted_reload)

    enter(console, "11", 45)
    assert heard == [(Changes.of(Kind.HEADCOUNT, run.id), console.entry)]
    # The notification (not the entry's own signal) reloads the console, once.
    assert reloads == [1]
    assert console.total_labels["present"].text() == "45"

    enter(console, "12", 44)
    enter(console, "21", 40)
    assert [changes for changes, _source in heard] == [Changes.of(Kind.HEADCOUNT, run.id)] * 3
    assert len(reloads) == 3
    # Everyone accounted for: the History page shows the time without being asked to.
    rollup = headcounts.rollup(ctx.db, run.id)
    assert rollup.time_to_accountability is not None
    assert cell(history, ACCOUNTABILITY) == mmss(rollup.time_to_accountability)
    assert cell(history, MET) == "Yes"
    assert history.chart.points()[0].seconds == \
        rollup.time_to_accountability.total_seconds()


def test_the_all_clear_counts_in_the_compliance_and_the_history(
        ctx: AppContext, sample: Sample, run: DrillRun, console: DrillConsole,
        history: DrillHistoryPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    day = run.day
    assert day is not None
    calendar_service.add_school_year(ctx.db, sample.school.id, "本学年",
                                     day - timedelta(days=120), day + timedelta(days=120),
                                     [("本学期", day - timedelta(days=120),
                                       day + timedelta(days=120))])
    calendar = CalendarPage(ctx, today=day)
    shown(qtbot, calendar)
    panel = calendar.compliance_panel
    month = f"{day:%Y-%m}"

    def status_of_month() -> str:
        model = panel.model
        parent = model.index(0, 0)
        return next(model.index(r, 0, parent).data(STATUS_ROLE)
                    for r in range(model.rowCount(parent))
                    if model.index(r, 0, parent).data() == month)

    assert status_of_month() != Status.MET.value
    assert cell(history, STATUS) == "In progress"

    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    heard = announcements(ctx)
    console.all_clear_button.click()
    assert heard == [(Changes.of(Kind.DRILL, run.id), console)]
    assert drills.get_run(ctx.db, run.id).status is RunStatus.COMPLETED
    assert status_of_month() == Status.MET.value
    assert cell(history, STATUS) == "Completed"
    assert "Completed" in console.title_label.text()


def test_a_refused_all_clear_announces_nothing(
        ctx: AppContext, run: DrillRun, console: DrillConsole, history: DrillHistoryPage,
        monkeypatch: pytest.MonkeyPatch) -> None:
    drills.cancel_drill(ctx.db, run.id, "停电")  # on another computer, not seen yet
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, *rest: errors.append(message))
    heard = announcements(ctx)
    console.all_clear_button.click()
    assert len(errors) == 1 and heard == []
    # The console shows what is stored now: the drill was cancelled.
    assert "Cancelled" in console.title_label.text()
    assert not console.all_clear_button.isEnabled()


def test_the_detail_dialog_follows_the_console(
        ctx: AppContext, run: DrillRun, console: DrillConsole, sample: Sample,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = DrillDetailDialog(ctx, run.id)
    qtbot.addWidget(dialog)
    first_class = dialog.rollup_model.index(0, PRESENT)
    assert first_class.data() in ("", "—", None)
    dialog.weather_edit.setText("晴")  # an edit in progress is kept

    enter(console, "11", 45)
    assert dialog.rollup_model.index(0, PRESENT).data() == "45"

    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    console.all_clear_button.click()
    assert "Completed" in dialog.summary.text()
    assert dialog.weather_edit.text() == "晴" and dialog.is_edited()

    # What the dialog writes itself it does not read back; the console does.
    heard = announcements(ctx)
    assert not dialog.add_action()  # no description: refused in the message bar
    assert heard == [] and dialog.message.text()
    dialog.action_edit.setText("疏散演练总结")
    assert dialog.add_action()
    assert heard == [(Changes.of(Kind.DRILL, run.id), dialog)]
    dialog.reject()  # Close: saves the edited record
    assert drills.get_run(ctx.db, run.id).details.weather == "晴"
    assert heard[-1] == (Changes.of(Kind.DRILL, run.id), dialog)
    # Closed: it follows no more.
    with qtbot.assertNotEmitted(dialog.posts_model.modelReset):
        assert ops.write(ctx, None, lambda db: drills.add_post(db, run.id, "操场"))


# The History page ignores what it does not show --------------------------------------


@pytest.fixture
def held(ctx: AppContext, sample: Sample) -> DrillRun:
    """A fire drill on 9 October 2026 in the sample school year, everyone at 10:02:30."""
    add_school_year(ctx.db, sample.school.id)
    done = drills.start_drill(ctx.db, sample.school.id, kind=EventKind.FIRE, at=ALARM,
                              title="消防演练").value
    for info in headcounts.classes_in_run(ctx.db, done.id):
        headcounts.record_headcount(ctx.db, done.id, info.class_id, info.enrolled,
                                    at=ALARM + timedelta(minutes=2, seconds=30))
    return drills.finish_drill(ctx.db, done.id, at=ALARM + timedelta(minutes=8)).value


def test_the_history_reads_the_terms_again_after_calendar_changes(
        ctx: AppContext, sample: Sample, held: DrillRun, history: DrillHistoryPage,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    real = drill_history.headcounts.rollup

    def counted_rollup(db: Database, run_id: int) -> Rollup:
        reads.append(run_id)
        return real(db, run_id)

    monkeypatch.setattr(drill_history.headcounts, "rollup", counted_rollup)
    # An event is not shown on the History page: nothing is read again.
    assert ops.write(ctx, None, lambda db: schedule.add_event(db, Event(
        id=0, school_id=sample.school.id, kind=EventKind.FIRE, title="消防演练",
        start=datetime(2026, 11, 20, 10, 0), duration=timedelta(minutes=30))))
    assert reads == []

    # A new school year: its terms appear in the filter; the runs are not read again.
    ops.write(ctx, None, lambda db: calendar_service.add_school_year(
        db, sample.school.id, "2027-2028", date(2027, 9, 1), date(2028, 7, 15),
        [("First term", date(2027, 9, 1), date(2028, 1, 21))]))
    terms = [history.term_combo.itemText(i) for i in range(history.term_combo.count())]
    assert terms == ["Any term", "2026-2027 First term", "2026-2027 Second term",
                     "2027-2028 First term"]
    assert reads == []

    # The chosen term's dates move: the filter follows and the runs are read again.
    history.term_combo.setCurrentIndex(1)
    assert history.model.rowCount() == 1
    reads.clear()
    year = next(y for y in calendar_service.list_school_years(ctx.db, sample.school.id)
                if y.name == "2026-2027")
    ops.write(ctx, None, lambda db: calendar_service.set_terms(
        db, year.id, [("First term", date(2026, 9, 1), date(2026, 10, 8)),
                      ("Second term", date(2027, 2, 22), date(2027, 7, 15))]))
    assert history.term_combo.currentText() == "2026-2027 First term"
    assert history.to_edit.date().toPython() == date(2026, 10, 8)
    assert history.model.rowCount() == 0
    assert history.count_label.text() == "0 drills"


def test_the_history_keeps_the_selected_run(
        ctx: AppContext, sample: Sample, held: DrillRun, history: DrillHistoryPage) -> None:
    later = drills.start_drill(ctx.db, sample.school.id, kind=EventKind.EARTHQUAKE,
                               at=ALARM + timedelta(days=7), title="地震演练").value
    history.reload()
    assert history.model.rowCount() == 2
    history.view.selectRow(1)
    assert history.model.summary(1).run.id == held.id
    ops.write(ctx, None, lambda db: drills.cancel_drill(db, later.id, "下雨"))
    assert cell(history, STATUS) == "Cancelled: 下雨"
    assert history.view.currentIndex().row() == 1
