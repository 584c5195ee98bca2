"""The live drill console, driven by the keyboard: record classes, the missing-student alert,
found students, arithmetic refused, entries from another computer, verification, all clear."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from drill_sample import focused, start_fire_drill, tile_fill, type_text
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.drill_runs import DrillRun, RunStatus
from drillplanner.domain.structure import DEFAULT_EVACUATION_TARGET_SECONDS
from drillplanner.services import drills, headcounts
from drillplanner.ui import drill_style
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.headcount_dialog import (
    ClassHistoryDialog,
    HeadcountDialog,
    LeaderNameDialog,
)
from drillplanner.ui.dialogs.missing_found import FoundAnswer, MissingFoundDialog
from drillplanner.ui.drill_style import TileState
from drillplanner.ui.models.headcount import STATE_ROLE
from drillplanner.ui.views import drill_console
from drillplanner.ui.views.drill_console import DrillConsole

# Typing a class shows the completion list; offscreen Qt cannot raise it or grab keys.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def run(ctx: AppContext, sample: Sample) -> DrillRun:
    return start_fire_drill(ctx.db, sample.school.id)


@pytest.fixture
def console(ctx: AppContext, run: DrillRun, qtbot: QtBot) -> DrillConsole:
    widget = DrillConsole(ctx, run.id)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.entry.class_edit.setFocus()
    return widget


def state_of(console: DrillConsole, class_id: int) -> TileState:
    model = console.model
    return model.index(model.row_of_class(class_id), 0).data(STATE_ROLE)


def colour(state: TileState) -> QColor:
    return QColor(drill_style.TILE_COLOURS[state][0])


def test_three_classes_by_keyboard_raise_and_resolve_the_alert(
        console: DrillConsole, ctx: AppContext, run: DrillRun, sample: Sample, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    class_3 = next(c for c in headcounts.classes_in_run(ctx.db, run.id)
                   if c.name == "二年级1班")
    assert focused() is console.entry.class_edit
    type_text(qtbot, "11\t45\n")
    # After Enter the class field has the cursor again, empty, and the tile shows the count.
    assert focused() is console.entry.class_edit
    assert console.entry.class_edit.text() == ""
    assert "Saved 一年级1班" in console.entry.message_text()
    type_text(qtbot, "1-2\t43\t1\n")
    type_text(qtbot, "21\t40\n")

    assert console.alert_bar.isVisible()
    assert len(console.alert_bar.texts()) == 1
    assert "一年级2班: 1 missing" in console.alert_bar.texts()[0]
    assert "1 student not accounted for" in console.alert_bar.heading.text()
    assert state_of(console, sample.class_1.id) is TileState.AWAITING_CHECK
    assert state_of(console, sample.class_2.id) is TileState.MISSING
    assert state_of(console, class_3.class_id) is TileState.AWAITING_CHECK
    assert console.total_labels["still_missing"].text() == "1"
    assert console.total_labels["present"].text() == str(45 + 43 + 40)
    assert "Everyone accounted for" not in console.accountability.text()

    asked: list[int] = []

    def found(cls: type, alert: object, by: str = "", parent: object = None) -> FoundAnswer:
        asked.append(alert.class_id)  # type: ignore[attr-defined]
        return FoundAnswer("二楼卫生间", "王老师", 1)

    monkeypatch.setattr(MissingFoundDialog, "ask", classmethod(found))
    button = console.alert_bar.buttons[sample.class_2.id]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert asked == [sample.class_2.id]
    assert not console.alert_bar.isVisible()
    assert state_of(console, sample.class_2.id) is TileState.AWAITING_CHECK
    rollup = headcounts.rollup(ctx.db, run.id)
    assert rollup.alerts[0].found[0].found_where == "二楼卫生间"
    # The alarm sounded two minutes before the entries: accounted for after 2:xx, in target.
    elapsed = rollup.time_to_accountability
    assert elapsed is not None and timedelta(minutes=2) <= elapsed < timedelta(minutes=3)
    assert DEFAULT_EVACUATION_TARGET_SECONDS == 180
    text = console.accountability.text()
    assert "Everyone accounted for" in text
    assert drill_style.mmss(elapsed) in text and "met" in text and "not met" not in text


def test_tiles_are_coloured_by_state(console: DrillConsole, ctx: AppContext, run: DrillRun,
                                     sample: Sample, qtbot: QtBot,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert tile_fill(console.tiles, sample.class_1.id) == colour(TileState.NOT_REPORTED)
    type_text(qtbot, "11\t45\n12\t43\t1\n")
    assert tile_fill(console.tiles, sample.class_1.id) == colour(TileState.AWAITING_CHECK)
    assert tile_fill(console.tiles, sample.class_2.id) == colour(TileState.MISSING)

    # V on a selected tile: the grade leader's name is asked once, then remembered.
    names: list[str] = []

    def leader(cls: type, parent: object = None, current: str = "") -> str:
        names.append("asked")
        return "李组长"

    monkeypatch.setattr(LeaderNameDialog, "ask", classmethod(leader))
    console.tiles.setFocus()
    console.tiles.setCurrentIndex(console.model.index(
        console.model.row_of_class(sample.class_1.id), 0))
    qtbot.keyClick(console.tiles, Qt.Key.Key_V)
    assert state_of(console, sample.class_1.id) is TileState.ALL_PRESENT
    assert tile_fill(console.tiles, sample.class_1.id) == colour(TileState.ALL_PRESENT)
    console.tiles.setCurrentIndex(console.model.index(
        console.model.row_of_class(sample.class_2.id), 0))
    qtbot.keyClick(console.tiles, Qt.Key.Key_V)
    assert names == ["asked"]
    # Checked, but a student is still missing: red stays.
    assert state_of(console, sample.class_2.id) is TileState.MISSING
    status = next(s for s in headcounts.rollup(ctx.db, run.id).classes
                  if s.info.class_id == sample.class_1.id)
    assert status.verified_by == "李组长"


def test_arithmetic_that_does_not_add_up_is_shown_and_nothing_is_stored(
        console: DrillConsole, ctx: AppContext, run: DrillRun, sample: Sample,
        qtbot: QtBot) -> None:
    type_text(qtbot, "12\t40\n")
    message = console.entry.message_text()
    assert "do not add up" in message
    assert "expected 44" in message and "present 40 + missing 0 = 40" in message
    assert headcounts.history(ctx.db, run.id, sample.class_2.id) == []
    assert state_of(console, sample.class_2.id) is TileState.NOT_REPORTED
    # The cursor stays on the count to fix it; the class is kept.
    assert focused() is console.entry.present_edit
    assert console.entry.class_edit.text() == "12"


def test_a_refused_headcount_shows_in_the_entry_and_announces_nothing(
        console: DrillConsole, ctx: AppContext, run: DrillRun, sample: Sample, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    announced: list[Changes] = []
    ctx.changed.connect(lambda changes, _source: announced.append(changes))
    dialogs: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda *args: dialogs.append(str(args)))

    # The arithmetic (a ValidationError): in the entry's label, cursor on the count.
    type_text(qtbot, "12\t40\n")
    assert "do not add up" in console.entry.message_text()
    assert focused() is console.entry.present_edit

    # Refused by the run's state (a ConflictError): in the label, cursor on the class.
    console.poll_timer.stop()  # the console has not seen the cancellation yet
    drills.cancel_drill(ctx.db, run.id, "停电")  # on another computer
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    type_text(qtbot, "11\t45\n")
    assert "can only be entered for a drill in progress" in console.entry.message_text()
    assert focused() is console.entry.class_edit
    assert console.entry.class_edit.text() == "11"
    assert headcounts.history(ctx.db, run.id, sample.class_1.id) == []

    # A bug: the label says so and where the log is; nothing was stored or announced.
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(headcounts, "record_headcount", broken)
    console.entry.record(None)
    assert "Something went wrong: disk on fire" in console.entry.message_text()
    assert "/tmp/drillplanner-test.log" in console.entry.message_text()
    assert announced == [] and dialogs == []
    assert console.entry.message.palette().windowText().color() == QColor(
        drill_style.ERROR_COLOUR)


def test_a_refused_full_report_stays_in_its_dialog(ctx: AppContext, run: DrillRun,
                                                  sample: Sample, qtbot: QtBot) -> None:
    announced: list[Changes] = []
    ctx.changed.connect(lambda changes, _source: announced.append(changes))
    classes = headcounts.classes_in_run(ctx.db, run.id)
    dialog = HeadcountDialog(ctx, run.id, classes, sample.class_2.id)
    qtbot.addWidget(dialog)
    dialog.present_spin.setValue(40)
    dialog.save()
    assert dialog.error.isVisibleTo(dialog) and "do not add up" in dialog.error.text()
    assert dialog.saved is None and announced == []
    dialog.present_spin.setValue(44)
    with qtbot.waitSignal(ctx.changed, timeout=1000) as blocker:
        dialog.save()
    assert blocker.args == [Changes.of(Kind.HEADCOUNT, run.id), dialog]
    assert dialog.saved is not None and dialog.result() == dialog.DialogCode.Accepted


def test_unknown_class_and_missing_count_are_refused(console: DrillConsole,
                                                     qtbot: QtBot) -> None:
    type_text(qtbot, "99\t45\n")
    assert "No class called “99”" in console.entry.message_text()
    assert focused() is console.entry.class_edit
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # clears every field
    assert console.entry.present_edit.text() == ""
    # Enter straight after the class moves on to the count instead of complaining.
    type_text(qtbot, "11\n")
    assert focused() is console.entry.present_edit
    assert console.entry.message_text() == ""


def test_entry_from_another_computer_appears_after_the_poll(
        console: DrillConsole, ctx: AppContext, run: DrillRun, sample: Sample,
        qtbot: QtBot) -> None:
    assert console.poll_timer.isActive()
    headcounts.record_headcount(ctx.db, run.id, sample.class_2.id, 43, missing=1,
                                missing_names="张小明", by="二楼")
    qtbot.waitUntil(lambda: state_of(console, sample.class_2.id) is TileState.MISSING,
                    timeout=3000)
    assert "张小明" in console.alert_bar.texts()[0]


def test_full_report_by_ctrl_enter(console: DrillConsole, ctx: AppContext, run: DrillRun,
                                   sample: Sample, qtbot: QtBot,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(cls: type, ctx_: AppContext, run_id: int, classes: list[object],
             class_id: int | None = None, current: object = None, recorded_by: str = "",
             parent: object = None) -> object:
        dialog = cls(ctx_, run_id, classes, class_id, current, recorded_by)
        qtbot.addWidget(dialog)
        assert dialog.enrolled_spin.value() == 44
        dialog.absent_spin.setValue(2)
        dialog.absent_names.setText("赵一，钱二")
        dialog.present_spin.setValue(41)
        dialog.missing_spin.setValue(1)
        dialog.injured_spin.setValue(1)
        dialog.with_us_spin.setValue(3)
        dialog.note_edit.setPlainText("一名学生扭伤")
        dialog.save()
        return dialog.saved

    monkeypatch.setattr(HeadcountDialog, "ask", classmethod(fill))
    type_text(qtbot, "12")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    figures = headcounts.rollup(ctx.db, run.id).classes[1].figures
    assert figures is not None
    assert (figures.absent, figures.present, figures.missing, figures.injured,
            figures.with_us) == (2, 41, 1, 1, 3)
    assert figures.absent_names == ("赵一", "钱二")
    assert state_of(console, sample.class_2.id) is TileState.MISSING


def test_history_of_a_class_with_h(console: DrillConsole, ctx: AppContext, run: DrillRun,
                                   sample: Sample, qtbot: QtBot,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    type_text(qtbot, "11\t44\t1\n11\t45\n")
    shown: list[ClassHistoryDialog] = []
    monkeypatch.setattr(ClassHistoryDialog, "exec", lambda self: shown.append(self) or 0)
    console.tiles.setFocus()
    console.tiles.setCurrentIndex(console.model.index(
        console.model.row_of_class(sample.class_1.id), 0))
    qtbot.keyClick(console.tiles, Qt.Key.Key_H)
    assert len(shown) == 1
    model = shown[0].model
    changes = [model.index(row, 3).data() for row in range(model.rowCount())]
    assert changes == ["— → present 44 of 45, missing 1",
                       "present 44 of 45, missing 1 → present 45 of 45, missing 0"]


def test_floor_cleared(console: DrillConsole, ctx: AppContext, run: DrillRun,
                       qtbot: QtBot) -> None:
    posts = drills.list_posts(ctx.db, run.id)
    assert [p.post for p in posts] == ["教学楼 1F", "教学楼 2F", "教学楼 3F"]
    console.posts.buttons[posts[1].id].click()
    cleared = drills.list_posts(ctx.db, run.id)[1]
    assert cleared.cleared_at is not None
    assert posts[1].id not in console.posts.buttons
    assert len(console.posts.buttons) == 2


def test_all_clear_completes_the_run(console: DrillConsole, ctx: AppContext, run: DrillRun,
                                     qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    questions: list[str] = []

    def confirm(parent: object, title: str, question: str, action: str) -> bool:
        questions.append(question)
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    assert console.timer.is_ticking()
    with qtbot.waitSignal(ctx.changed, timeout=1000) as blocker:
        console.all_clear_button.click()
    assert blocker.args == [Changes.of(Kind.DRILL, run.id), console]
    finished = drills.get_run(ctx.db, run.id)
    assert finished.status is RunStatus.COMPLETED
    assert questions == ["3 classes have not reported. Give the all clear anyway?"]
    assert not console.timer.is_ticking()
    assert not console.all_clear_button.isEnabled()
    assert console.close_button.isVisible()
    assert "Completed" in console.title_label.text()


def test_cancel_asks_for_a_reason(console: DrillConsole, ctx: AppContext, run: DrillRun,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drill_console.ReasonDialog, "ask",
                        classmethod(lambda cls, title, question, parent=None: "大雨"))
    console.cancel_button.click()
    cancelled = drills.get_run(ctx.db, run.id)
    assert (cancelled.status, cancelled.status_reason) == (RunStatus.CANCELLED, "大雨")
    assert not console.entry.isEnabled()


def test_timer_turns_amber_then_red(ctx: AppContext, sample: Sample, qtbot: QtBot) -> None:
    run = start_fire_drill(ctx.db, sample.school.id, minutes_ago=0)
    assert run.alarm_at is not None
    alarm = run.alarm_at
    moments = [alarm + timedelta(seconds=s) for s in (170, 190, 370)]

    def clock() -> datetime:
        return moments.pop(0) if len(moments) > 1 else moments[0]

    widget = DrillConsole(ctx, run.id, clock=clock)
    qtbot.addWidget(widget)
    assert (widget.timer.text(), widget.timer.level) == ("2:50", drill_style.TimerLevel.NORMAL)
    widget.timer.tick()
    assert (widget.timer.text(), widget.timer.level) == ("3:10", drill_style.TimerLevel.AMBER)
    widget.timer.tick()
    assert (widget.timer.text(), widget.timer.level) == ("6:10", drill_style.TimerLevel.RED)


def test_projector_mode_makes_the_type_larger(console: DrillConsole) -> None:
    normal = console.font().pointSizeF()
    timer = console.timer.font().pointSizeF()
    height = console.tiles.visualRect(console.model.index(1, 0)).height()
    console.set_projector(True)
    assert console.font().pointSizeF() == pytest.approx(normal * drill_style.PROJECTOR_SCALE)
    assert console.timer.font().pointSizeF() > timer
    console.tiles.doItemsLayout()
    assert console.tiles.visualRect(console.model.index(1, 0)).height() > height
    console.set_projector(False)
    assert console.font().pointSizeF() == pytest.approx(normal)


def test_every_console_control_is_named(console: DrillConsole, run: DrillRun,
                                        ctx: AppContext, sample: Sample) -> None:
    headcounts.record_headcount(ctx.db, run.id, sample.class_2.id, 43, missing=1)
    console.reload()
    assert unnamed_controls(console) == []


def test_each_grade_starts_its_own_line(console: DrillConsole, qtbot: QtBot) -> None:
    view = console.tiles
    # Rows: 一年级, its two classes, 二年级, its class.
    tops = [view.visualRect(console.model.index(row, 0)).top() for row in range(5)]
    assert tops[0] == tops[1] == tops[2] < tops[3] == tops[4]
    # Too narrow for a header beside the tiles: headers become rows above them.
    console.splitter.setSizes([260, 840])
    view.doItemsLayout()
    header = view.visualRect(console.model.index(0, 0))
    tile = view.visualRect(console.model.index(1, 0))
    assert header.height() < tile.height() and header.bottom() < tile.top()
    assert header.width() > 2 * tile.width()
