"""The History page (runs, filters, the evacuation chart), the run detail view, and the
drill-day item models under pytest-qt's model tester."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from calendar_sample import add_school_year
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import QModelIndex, Qt

from drillplanner.domain.drill_runs import DrillRun, Notification
from drillplanner.domain.events import EventKind
from drillplanner.services import drills, headcounts
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.drill_detail import DrillDetailDialog
from drillplanner.ui.dialogs.headcount_dialog import ClassHistoryDialog
from drillplanner.ui.models.drill_runs import ActionsModel, PostsModel, RunsModel, RunSummary
from drillplanner.ui.models.headcount import TileModel, natural_key
from drillplanner.ui.models.headcount_tables import HistoryModel, RollupTableModel
from drillplanner.ui.views import drill_history
from drillplanner.ui.views.drill_history import DrillHistoryPage
from drillplanner.ui.widgets.evacuation_chart import ChartPoint, EvacuationChart, tick_step

ALARM = datetime(2026, 10, 9, 10, 0)


@pytest.fixture
def held(ctx: AppContext, sample: Sample) -> DrillRun:
    """A fire drill on 9 October 2026: every class reported at 10:02:30, all clear 10:08."""
    add_school_year(ctx.db, sample.school.id)
    run = drills.start_drill(ctx.db, sample.school.id, kind=EventKind.FIRE, at=ALARM,
                             title="消防演练").value
    reported = ALARM + timedelta(minutes=2, seconds=30)
    for info in headcounts.classes_in_run(ctx.db, run.id):
        headcounts.record_headcount(ctx.db, run.id, info.class_id, info.enrolled, at=reported)
    return drills.finish_drill(ctx.db, run.id, at=ALARM + timedelta(minutes=8)).value


@pytest.fixture
def history(ctx: AppContext, held: DrillRun, qtbot: QtBot) -> DrillHistoryPage:
    page = DrillHistoryPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def row_texts(page: DrillHistoryPage, row: int = 0) -> list[str]:
    return [page.model.index(row, c).data() for c in range(page.model.columnCount())]


def test_history_lists_the_run_with_its_times(history: DrillHistoryPage) -> None:
    assert history.model.rowCount() == 1
    assert row_texts(history) == ["2026-10-09 10:00", "Fire drill", "消防演练 (unannounced)",
                                  "Completed", "8:00", "2:30", "Yes"]
    assert history.count_label.text() == "1 drill"
    assert unnamed_controls(history) == []


def test_the_chart_has_one_point_against_the_target(history: DrillHistoryPage) -> None:
    assert history.chart.points() == [ChartPoint(date(2026, 10, 9), 150.0, "消防演练")]
    assert "1 drill, 1 within the target of 3:00" in history.chart.summary()
    image = history.chart.grab().toImage()
    assert not image.isNull()


def test_filters_by_kind_term_and_dates(history: DrillHistoryPage) -> None:
    history.set_kind(EventKind.EARTHQUAKE)
    assert history.model.rowCount() == 0
    assert history.chart.points() == []
    history.set_kind(EventKind.FIRE)
    assert history.model.rowCount() == 1
    terms = [history.term_combo.itemText(i) for i in range(history.term_combo.count())]
    assert terms == ["Any term", "2026-2027 First term", "2026-2027 Second term"]
    history.term_combo.setCurrentIndex(2)
    assert history.model.rowCount() == 0
    history.term_combo.setCurrentIndex(1)
    assert history.model.rowCount() == 1
    assert history.dates_check.isChecked()
    history.set_dates(date(2026, 10, 10), date(2026, 12, 31))
    assert history.model.rowCount() == 0
    history.set_dates(None)
    assert history.model.rowCount() == 1


def test_double_click_opens_the_detail(history: DrillHistoryPage, held: DrillRun,
                                       qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[int] = []
    monkeypatch.setattr(DrillDetailDialog, "show_for",
                        classmethod(lambda cls, ctx, run_id, parent=None: opened.append(run_id)))
    rect = history.view.visualRect(history.model.index(0, 2))
    qtbot.mouseClick(history.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(history.view.viewport(), Qt.MouseButton.LeftButton,
                      pos=rect.center())
    assert opened == [held.id]
    qtbot.keyClick(history.view, Qt.Key.Key_Return)
    assert opened == [held.id, held.id]


def test_detail_edits_the_record_and_actions(ctx: AppContext, held: DrillRun, sample: Sample,
                                            qtbot: QtBot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = DrillDetailDialog(ctx, held.id)
    qtbot.addWidget(dialog)
    assert "duration 8:00" in dialog.summary.text()
    assert "2:30 (target 3:00, met)" in dialog.summary.text()
    dialog.conducted_edit.setText("王校长")
    dialog.notification_combo.setCurrentIndex(
        dialog.notification_combo.findData(Notification.PA.value))
    dialog.weather_edit.setText("晴")
    dialog.text_edits["conditions"].setPlainText("二楼东楼梯封闭")
    dialog.text_edits["observers"].setPlainText("东昌府区消防救援大队")
    dialog.text_edits["problems"].setPlainText("三楼学生下楼拥挤")
    assert dialog.save_details()
    details = drills.get_run(ctx.db, held.id).details
    assert (details.conducted_by, details.notification, details.weather, details.conditions,
            details.observers, details.problems) == (
        "王校长", Notification.PA, "晴", "二楼东楼梯封闭", "东昌府区消防救援大队",
        "三楼学生下楼拥挤")

    dialog.action_edit.setText("三楼增设引导员")
    dialog.owner_edit.setText("李老师")
    dialog.due_check.setChecked(True)
    assert dialog.add_action()
    (action,) = drills.list_actions(ctx.db, held.id)
    assert (action.description, action.owner, action.done) == ("三楼增设引导员", "李老师",
                                                               False)
    assert action.due == date.today()
    model = dialog.actions_model
    assert model.setData(model.index(0, 0), Qt.CheckState.Checked,
                         Qt.ItemDataRole.CheckStateRole)
    assert drills.list_actions(ctx.db, held.id)[0].done

    # Three classes, a total per grade, the school's total.
    names = [dialog.rollup_model.index(r, 0).data()
             for r in range(dialog.rollup_model.rowCount())]
    assert names == ["一年级1班", "一年级2班", "一年级 total", "二年级1班", "二年级 total",
                     "School total"]
    shown: list[str] = []
    monkeypatch.setattr(ClassHistoryDialog, "exec",
                        lambda self: shown.append(self.windowTitle()) or 0)
    dialog.rollup_view.setCurrentIndex(dialog.rollup_model.index(1, 0))
    dialog.history_button.click()
    assert shown == ["History of 一年级2班"]

    posts = dialog.posts_model
    assert posts.setData(posts.index(0, 1), "赵老师")
    assert drills.list_posts(ctx.db, held.id)[0].staff_name == "赵老师"
    dialog.post_edit.setText("东楼梯二楼")
    dialog.post_staff_edit.setText("钱老师")
    assert dialog.add_post()
    added = drills.list_posts(ctx.db, held.id)[-1]
    assert (added.post, added.staff_name) == ("东楼梯二楼", "钱老师")
    assert posts.rowCount() == 4
    assert unnamed_controls(dialog) == []


def test_tick_steps_keep_the_axis_readable() -> None:
    assert tick_step(180) == 30
    assert tick_step(200) == 60
    assert tick_step(3000) == 600


def test_empty_chart_says_so(qtbot: QtBot) -> None:
    chart = EvacuationChart()
    qtbot.addWidget(chart)
    chart.set_points([], None)
    assert chart.summary() == "No drill with a time to full accountability yet."
    chart.resize(400, 200)
    assert not chart.grab().toImage().isNull()


# Item models ---------------------------------------------------------------------------


def test_drill_models_pass_the_model_tester(qtmodeltester: ModelTester, ctx: AppContext,
                                            held: DrillRun, sample: Sample) -> None:
    drills.add_action(ctx.db, held.id, "更换应急灯", "后勤处")
    rollup = headcounts.rollup(ctx.db, held.id)
    tiles = TileModel()
    tiles.set_rollup(rollup)
    assert tiles.rowCount() == 5  # two grade headers, three classes
    qtmodeltester.check(tiles)
    tiles.set_rollup(rollup)  # same classes: rows change in place
    qtmodeltester.check(tiles)
    table = RollupTableModel()
    table.set_rollup(rollup)
    qtmodeltester.check(table)
    history_model = HistoryModel()
    history_model.set_rows(headcounts.history(ctx.db, held.id, sample.class_1.id))
    assert history_model.rowCount() == 1
    qtmodeltester.check(history_model)
    runs = RunsModel()
    runs.set_rows([RunSummary(held, rollup.time_to_accountability, rollup.target)])
    qtmodeltester.check(runs)
    posts = PostsModel(None, ctx)
    posts.set_rows(drills.list_posts(ctx.db, held.id))
    assert posts.rowCount() == 3
    qtmodeltester.check(posts)
    actions = ActionsModel(ctx)
    actions.set_rows(drills.list_actions(ctx.db, held.id))
    qtmodeltester.check(actions)


def test_empty_drill_models_pass_the_model_tester(qtmodeltester: ModelTester,
                                                  ctx: AppContext) -> None:
    for model in (TileModel(), RollupTableModel(), HistoryModel(), RunsModel(), PostsModel(),
                  ActionsModel(ctx)):
        assert model.rowCount(QModelIndex()) == 0
        qtmodeltester.check(model)


def test_history_page_reads_only_when_shown(ctx: AppContext, held: DrillRun, qtbot: QtBot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = drill_history.headcounts.rollup
    monkeypatch.setattr(drill_history.headcounts, "rollup",
                        lambda db, run_id: calls.append(run_id) or real(db, run_id))
    page = DrillHistoryPage(ctx)
    qtbot.addWidget(page)
    assert calls == [] and page.model.rowCount() == 0
    page.show()
    assert calls == [held.id] and page.model.rowCount() == 1


def test_classes_are_shown_in_counting_order() -> None:
    assert sorted(["10班", "2班", "1班", "12班"], key=natural_key) == [
        "1班", "2班", "10班", "12班"]
