"""The console of a completed drill is read-only: the entry bar is off with a line saying how
to correct; "Correct…" asks why; verifying and finding ask why too; a correction raises no
live alert; tiles and the detail keep the reporter beside the verifier."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from drill_sample import start_fire_drill
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from PySide6.QtCore import Qt

from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.headcount import ClassStatus, HeadcountEntry, Stage
from drillplanner.services import drills, headcounts
from drillplanner.storage.models_drills import DrillRunRow
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.headcount_dialog import ClassHistoryDialog, HeadcountDialog
from drillplanner.ui.dialogs.missing_found import FoundAnswer, MissingFoundDialog
from drillplanner.ui.models.headcount import count_text
from drillplanner.ui.views import drill_console
from drillplanner.ui.views.drill_console import DrillConsole

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def run(ctx: AppContext, sample: Sample) -> DrillRun:
    """一年级1班 reported one missing (found at 2:00), 一年级2班 everyone (verified),
    二年级1班 everyone; all clear at 6:00."""
    run = start_fire_drill(ctx.db, sample.school.id, minutes_ago=10)
    assert run.alarm_at is not None
    alarm = run.alarm_at
    headcounts.record_headcount(ctx.db, run.id, sample.class_1.id, 44, missing=1,
                                at=alarm + timedelta(minutes=1), by="田老师")
    headcounts.resolve_missing(ctx.db, run.id, sample.class_1.id, "厕所",
                               at=alarm + timedelta(minutes=2))
    headcounts.record_headcount(ctx.db, run.id, sample.class_2.id, 44,
                                at=alarm + timedelta(minutes=1, seconds=30), by="刘老师")
    headcounts.verify_headcount(ctx.db, run.id, sample.class_2.id, "李主任",
                                at=alarm + timedelta(minutes=3))
    third = headcounts.classes_in_run(ctx.db, run.id)[2]
    headcounts.record_headcount(ctx.db, run.id, third.class_id, 40,
                                at=alarm + timedelta(minutes=1, seconds=50))
    return drills.finish_drill(ctx.db, run.id, at=alarm + timedelta(minutes=6)).value


@pytest.fixture
def console(ctx: AppContext, run: DrillRun, qtbot: QtBot) -> DrillConsole:
    widget = DrillConsole(ctx, run.id)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def select(console: DrillConsole, class_id: int) -> None:
    console.tiles.setFocus()
    console.tiles.setCurrentIndex(console.model.index(console.model.row_of_class(class_id), 0))


def test_the_console_is_read_only_with_a_line_on_how_to_correct(
        console: DrillConsole) -> None:
    assert not console.entry.isEnabled()
    assert console.closed_label.isVisible()
    text = console.closed_label.text()
    assert "completed" in text and "Correct…" in text and "reason" in text
    assert console.correct_action.isEnabled()


def test_the_running_console_has_no_closed_line(ctx: AppContext, sample: Sample,
                                                qtbot: QtBot) -> None:
    run = start_fire_drill(ctx.db, sample.school.id)
    widget = DrillConsole(ctx, run.id)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.entry.isEnabled() and not widget.closed_label.isVisible()
    assert not widget.correct_action.isEnabled()


def test_a_found_student_shows_as_accounted_for(console: DrillConsole, sample: Sample) -> None:
    assert console.rollup is not None
    status = next(s for s in console.rollup.classes if s.info.class_id == sample.class_1.id)
    assert count_text(status) == "45/45"
    assert console.total_labels["accounted"].text() == "129"
    assert console.total_labels["found"].text() == "1"
    assert console.total_labels["still_missing"].text() == "0"


def test_tooltip_and_detail_keep_the_reporter_beside_the_verifier(
        console: DrillConsole, sample: Sample) -> None:
    row = console.model.row_of_class(sample.class_2.id)
    tooltip = console.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Reported by 刘老师 at" in tooltip and "Verified by 李主任 at" in tooltip
    select(console, sample.class_2.id)
    detail = console.detail.text()
    assert "一年级2班" in detail and "Reported by 刘老师" in detail
    assert "Verified by 李主任" in detail


def test_correct_asks_why_and_keeps_the_report_time(
        console: DrillConsole, ctx: AppContext, run: DrillRun, sample: Sample, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialogs: list[HeadcountDialog] = []

    def fill(cls: type, ctx_: AppContext, run_id: int, classes: list[object],
             class_id: int | None = None, current: ClassStatus | None = None,
             recorded_by: str = "", parent: object = None, *,
             correction: bool = False) -> HeadcountEntry | None:
        dialog = cls(ctx_, run_id, classes, class_id, current, recorded_by,
                     correction=correction)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
        assert dialog.correction and dialog.present_spin.value() == 44  # the current report
        dialog.present_spin.setValue(43)
        dialog.absent_spin.setValue(1)
        dialog.by_edit.setText("王校长")
        dialog.save()  # no reason: refused in the dialog, nothing stored
        assert dialog.saved is None and "why" in dialog.error.text()
        dialog.reason_edit.setText("一人当天请假")
        dialog.save()
        return dialog.saved

    monkeypatch.setattr(HeadcountDialog, "ask", classmethod(fill))
    select(console, sample.class_2.id)
    with qtbot.waitSignal(ctx.changed, timeout=1000):
        qtbot.keyClick(console.tiles, Qt.Key.Key_C)
    assert len(dialogs) == 1
    saved = dialogs[0].saved
    assert saved is not None and saved.stage is Stage.CORRECTION
    assert saved.reason == "一人当天请假"
    assert run.alarm_at is not None
    assert saved.reported_at == run.alarm_at + timedelta(minutes=1, seconds=30)
    assert console.rollup is not None
    status = next(s for s in console.rollup.classes if s.info.class_id == sample.class_2.id)
    assert status.figures is not None and status.figures.absent == 1
    assert status.reported_by == "刘老师"
    assert "王校长" in console.detail.text() and "一人当天请假" in console.detail.text()
    assert console.rollup.time_to_accountability == timedelta(minutes=2)


def test_a_correction_raises_no_live_alert(console: DrillConsole, ctx: AppContext,
                                           run: DrillRun, sample: Sample) -> None:
    headcounts.record_headcount(ctx.db, run.id, sample.class_2.id, 43, missing=1,
                                reason="漏报一人")
    console.reload()
    assert console.rollup is not None and console.rollup.totals.still_missing == 1
    assert not console.alert_bar.isVisible()


def test_verifying_a_completed_drill_asks_why(console: DrillConsole, ctx: AppContext,
                                              run: DrillRun, sample: Sample,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def reason(cls: type, title: str, question: str, parent: object = None) -> str:
        asked.append(question)
        return "演练后复核"

    monkeypatch.setattr(drill_console.ReasonDialog, "ask", classmethod(reason))
    monkeypatch.setitem(drill_console._verifiers, ctx, "李主任")
    select(console, sample.class_1.id)
    console.verify_current()
    assert len(asked) == 1 and "一年级1班" in asked[0]
    [item] = headcounts.corrections(ctx.db, run.id)
    assert (item.kind, item.recorded_by, item.reason) == ("verification", "李主任", "演练后复核")


def test_finding_after_the_all_clear_asks_when_and_why(
        console: DrillConsole, ctx: AppContext, run: DrillRun, sample: Sample, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    headcounts.record_headcount(ctx.db, run.id, sample.class_2.id, 43, missing=1,
                                reason="漏报一人")
    console.reload()
    assert not console.alert_bar.isVisible()  # not a live alert: found through its tile
    assert run.alarm_at is not None
    when = (run.alarm_at + timedelta(minutes=5)).replace(tzinfo=None)
    seen: list[datetime | None] = []

    def answer(cls: type, alert: object, by: str = "", parent: object = None, *,
               correction_from: datetime | None = None) -> FoundAnswer:
        seen.append(correction_from)
        return FoundAnswer("医务室", "校医", 1, "补录", when)

    monkeypatch.setattr(MissingFoundDialog, "ask", classmethod(answer))
    select(console, sample.class_2.id)
    with qtbot.waitSignal(ctx.changed, timeout=1000):
        qtbot.keyClick(console.tiles, Qt.Key.Key_F)
    assert run.all_clear_at is not None
    assert seen == [run.all_clear_at.replace(tzinfo=None)]
    rollup = headcounts.rollup(ctx.db, run.id)
    assert rollup.totals.still_missing == 0
    assert rollup.time_to_accountability == timedelta(minutes=5)


def test_the_found_dialog_of_a_completed_drill_needs_a_reason(qtbot: QtBot, ctx: AppContext,
                                                              run: DrillRun) -> None:
    headcounts.record_headcount(ctx.db, run.id, headcounts.classes_in_run(ctx.db, run.id)[2]
                                .class_id, 39, missing=1, reason="漏报一人")
    alert = next(a for a in headcounts.rollup(ctx.db, run.id).alerts if not a.resolved)
    start = datetime(2026, 11, 9, 10, 6)
    dialog = MissingFoundDialog(alert, "王老师", correction_from=start)
    qtbot.addWidget(dialog)
    dialog.where_edit.setText("操场")
    dialog._accept_if_complete()
    assert dialog.result() == 0 and "Say why" in dialog.error.text()
    dialog.reason_edit.setText("补录")
    found = dialog.answer()
    assert (found.where, found.reason, found.at) == ("操场", "补录", start)


def test_the_history_of_a_completed_drill_offers_correct(ctx: AppContext, run: DrillRun,
                                                         sample: Sample, qtbot: QtBot,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    info = headcounts.classes_in_run(ctx.db, run.id)[0]
    dialog = ClassHistoryDialog(ctx, run.id, info)
    qtbot.addWidget(dialog)
    assert not dialog.correct_button.isHidden()
    kinds = [dialog.model.index(row, 3).data() for row in range(dialog.model.rowCount())]
    assert kinds[-1] == "1 found at 厕所; still missing 1 → 0"

    def fill(cls: type, ctx_: AppContext, run_id: int, classes: list[object],
             class_id: int | None = None, current: ClassStatus | None = None,
             recorded_by: str = "", parent: object = None, *,
             correction: bool = False) -> HeadcountEntry | None:
        assert correction and class_id == info.class_id
        return headcounts.record_headcount(ctx_.db, run_id, info.class_id, 45,
                                           reason="其实全员在场").value

    monkeypatch.setattr(HeadcountDialog, "ask", classmethod(fill))
    dialog.correct_button.click()
    last = dialog.model.rowCount() - 1
    assert dialog.model.index(last, 4).data() == "Correction"
    assert dialog.model.index(last, 5).data() == "其实全员在场"

    running = start_fire_drill(ctx.db, sample.school.id, minutes_ago=1)
    other = ClassHistoryDialog(ctx, running.id, info)
    qtbot.addWidget(other)
    assert other.correct_button.isHidden()


def test_a_signed_drill_says_changes_are_amendments(ctx: AppContext, run: DrillRun,
                                                     qtbot: QtBot) -> None:
    with ctx.db.write() as session:
        row = session.get(DrillRunRow, run.id)
        assert row is not None
        row.signed_by, row.signed_at = "王校长", datetime(2026, 1, 1)
    widget = DrillConsole(ctx, run.id)
    qtbot.addWidget(widget)
    assert "signed off" in widget.closed_label.text()
    assert "amendment needs a reason" in widget.closed_label.text()
    assert not widget.entry.isEnabled()
