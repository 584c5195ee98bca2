"""The Drill page: starting ad-hoc and scheduled drills, opening the run in progress, the
calendar's "Start Drill Now", projector mode and the language switch in the main window."""

from __future__ import annotations

import gettext
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from calendar_sample import once
from drill_sample import start_fire_drill
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from PySide6.QtCore import Qt

from drillplanner import i18n
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.events import EventKind, Occurrence
from drillplanner.services import drills
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.start_drill import StartChoice, StartDrillDialog
from drillplanner.ui.mainwindow import MainWindow
from drillplanner.ui.views.drill_page import DrillPage

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

#: Today at the sample school (Asia/Shanghai), which is what the Drill page offers.
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture
def page(ctx: AppContext, qtbot: QtBot) -> DrillPage:
    widget = DrillPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def answer_start(monkeypatch: pytest.MonkeyPatch, choose: object) -> list[list[Occurrence]]:
    """Replace the start dialog: ``choose(occurrences)`` gives the StartChoice."""
    offered: list[list[Occurrence]] = []

    def ask(cls: type, occurrences: list[Occurrence], parent: object = None) -> object:
        offered.append(list(occurrences))
        assert callable(choose)
        return choose(occurrences)

    monkeypatch.setattr(StartDrillDialog, "ask", classmethod(ask))
    return offered


def test_ad_hoc_drill_is_unannounced_and_opens_the_console(
        page: DrillPage, ctx: AppContext, sample: Sample,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert page.console is None
    assert page.stack.currentWidget() is page.idle
    assert page.scheduled_label.text() == "No drill is scheduled today."
    answer_start(monkeypatch, lambda _o: StartChoice(None, EventKind.EARTHQUAKE, "突击演练"))
    page.start_button.click()
    (run,) = drills.list_runs(ctx.db, sample.school.id)
    assert (run.kind, run.title, run.status, run.announced) == (
        EventKind.EARTHQUAKE, "突击演练", RunStatus.IN_PROGRESS, False)
    assert page.console is not None and page.console.run_id == run.id
    assert page.stack.currentWidget() is page.console


def test_the_dialog_offers_adhoc_kinds_unannounced_by_default(qtbot: QtBot) -> None:
    dialog = StartDrillDialog([])
    qtbot.addWidget(dialog)
    assert dialog.list.currentRow() == 0
    assert dialog.adhoc_box.isEnabled() and not dialog.postpone_button.isEnabled()
    choice = dialog.choice()
    assert (choice.occurrence, choice.kind, choice.announced) == (None, EventKind.FIRE, False)
    kinds = [dialog.kind_combo.itemData(i) for i in range(dialog.kind_combo.count())]
    assert kinds == ["fire", "earthquake", "lockdown", "shelter", "drill_other"]


def test_todays_scheduled_drill_is_offered_and_started(
        page: DrillPage, ctx: AppContext, sample: Sample,
        monkeypatch: pytest.MonkeyPatch) -> None:
    event = once(ctx.db, sample.school.id, "秋季消防演练", datetime.combine(TODAY, time(10)),
                 kind=EventKind.FIRE)
    once(ctx.db, sample.school.id, "安全培训", datetime.combine(TODAY, time(14)),
         kind=EventKind.TRAINING)
    page.reload()
    assert "秋季消防演练" in page.scheduled_label.text()
    assert "安全培训" not in page.scheduled_label.text()
    offered = answer_start(monkeypatch, lambda occurrences: StartChoice(
        occurrences[0], occurrences[0].kind, occurrences[0].title))
    page.start_drill()
    assert [o.title for o in offered[0]] == ["秋季消防演练"]
    (run,) = drills.list_runs(ctx.db, sample.school.id)
    assert (run.event_id, run.occurrence_start) == (event.id, datetime.combine(TODAY, time(10)))
    assert page.console is not None
    # Started once: it is no longer offered.
    assert page._todays_drills(sample.school.id) == []


def test_postponing_a_scheduled_drill_then_starting_it(
        page: DrillPage, ctx: AppContext, sample: Sample,
        monkeypatch: pytest.MonkeyPatch) -> None:
    once(ctx.db, sample.school.id, "秋季消防演练", datetime.combine(TODAY, time(10)),
         kind=EventKind.FIRE)
    answer_start(monkeypatch, lambda occurrences: StartChoice(
        occurrences[0], occurrences[0].kind, occurrences[0].title,
        postpone_reason="大雨"))
    page.start_drill()
    (postponed,) = drills.list_runs(ctx.db, sample.school.id, statuses=[RunStatus.POSTPONED])
    assert postponed.status_reason == "大雨"
    assert page.console is None
    answer_start(monkeypatch, lambda occurrences: StartChoice(
        occurrences[0], occurrences[0].kind, occurrences[0].title))
    page.start_drill()
    assert drills.get_run(ctx.db, postponed.id).status is RunStatus.IN_PROGRESS
    assert len(drills.list_runs(ctx.db, sample.school.id)) == 1


def test_a_run_in_progress_opens_instead_of_a_new_one(
        page: DrillPage, ctx: AppContext, sample: Sample, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Started on another computer: the idle page notices within its poll.
    run = start_fire_drill(ctx.db, sample.school.id)
    qtbot.waitUntil(lambda: page.console is not None, timeout=3000)
    assert page.console is not None and page.console.run_id == run.id
    answer_start(monkeypatch, lambda _o: pytest.fail("no second drill"))
    page.start_drill()
    assert len(drills.list_runs(ctx.db, sample.school.id)) == 1


def test_closing_a_finished_drill_returns_to_the_start(
        page: DrillPage, ctx: AppContext, sample: Sample,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run = start_fire_drill(ctx.db, sample.school.id)
    page.reload()
    assert page.console is not None
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    page.console.all_clear_button.click()
    assert page.console is not None and page.console.close_button.isVisible()
    page.console.close_button.click()
    assert page.console is None
    assert "消防演练" in page.last_label.text()
    assert drills.get_run(ctx.db, run.id).status is RunStatus.COMPLETED


def test_window_pages_projector_and_language(window: MainWindow, ctx: AppContext,
                                             sample: Sample, qtbot: QtBot,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    window.show()
    qtbot.waitExposed(window)
    run = start_fire_drill(ctx.db, sample.school.id)
    window.page_actions[2].trigger()
    assert window.stack.currentWidget() is window.drill_page
    console = window.drill_page.console
    assert console is not None and console.run_id == run.id

    window.drill_page.projector_action.trigger()
    assert window.isFullScreen()
    assert not window.sidebar.isVisible() and not window.menuBar().isVisible()
    assert console.projector
    window.drill_page.projector_action.trigger()
    assert not window.isFullScreen() and window.sidebar.isVisible()
    assert not console.projector

    class Marked(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return f"«{message}»"

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return f"«{singular if n == 1 else plural}»"

    def set_language(code: str | None = None) -> str:
        monkeypatch.setattr(i18n, "_translation",
                            Marked() if code == "zh_CN" else gettext.NullTranslations())
        monkeypatch.setattr(i18n, "_language", code or "en")
        return code or "en"

    monkeypatch.setattr(i18n, "set_language", set_language)
    new = window.switch_language("zh_CN")
    qtbot.addWidget(new)
    assert new.sidebar.item(2).text() == "«Drill»"
    assert new.sidebar.item(3).text() == "«History»"
    assert new.stack.currentWidget() is new.drill_page
    rebuilt = new.drill_page.console
    assert rebuilt is not None and rebuilt.run_id == run.id
    assert rebuilt.all_clear_button.text() == "«&All Clear…»"
    # The old window's console stopped polling.
    assert not console.poll_timer.isActive()
    new.page_actions[3].trigger()
    assert new.history_page.model.headerData(0, Qt.Orientation.Horizontal) == "«Date»"


def test_start_drill_now_from_the_calendar(window: MainWindow, ctx: AppContext,
                                           sample: Sample, qtbot: QtBot,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    event = once(ctx.db, sample.school.id, "秋季消防演练",
                 datetime.combine(TODAY, time(10)), kind=EventKind.FIRE)
    window.show()
    window.page_actions[1].trigger()
    page = window.calendar_page
    page.set_today(TODAY)
    page.set_current(TODAY)
    questions: list[str] = []
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, title, question, action: questions.append(question)
                        or True)
    page.start_drill_action.trigger()
    assert len(questions) == 1 and "秋季消防演练" in questions[0]
    (run,) = drills.list_runs(ctx.db, sample.school.id)
    assert (run.event_id, run.status) == (event.id, RunStatus.IN_PROGRESS)
    assert window.stack.currentWidget() is window.drill_page
    assert window.drill_page.console is not None
    assert window.drill_page.console.run_id == run.id


def test_start_drill_now_without_a_drill_that_day_says_so(
        window: MainWindow, ctx: AppContext, sample: Sample,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, title=None: shown.append(message))
    window.show()
    window.page_actions[1].trigger()
    window.calendar_page.set_current(TODAY + timedelta(days=1))
    window.calendar_page.start_drill_action.trigger()
    assert len(shown) == 1 and shown[0].startswith("No drill is scheduled on")
    assert drills.list_runs(ctx.db, sample.school.id) == []
