"""The drill detail after the all clear: the notification left blank until recorded, changes
that need a reason, signing off (the principal proposed) and amendments after it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from drillplanner.domain.drill_runs import DrillRun, Notification, RecordStage
from drillplanner.domain.events import EventKind
from drillplanner.services import drills, headcounts
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.drill_detail import DrillDetailDialog
from drillplanner.ui.dialogs.sign_off import SignOffDialog

ALARM = datetime(2026, 10, 9, 10, 0)


def run_until(ctx: AppContext, sample: Sample, *, finish: bool) -> DrillRun:
    """A fire drill in which every class reported but one student is still missing."""
    run = drills.start_drill(ctx.db, sample.school.id, kind=EventKind.FIRE, at=ALARM).value
    for number, info in enumerate(headcounts.classes_in_run(ctx.db, run.id)):
        headcounts.record_headcount(ctx.db, run.id, info.class_id,
                                    info.enrolled - (number == 0), missing=int(number == 0),
                                    at=ALARM + timedelta(minutes=2))
    if finish:
        run = drills.finish_drill(ctx.db, run.id, at=ALARM + timedelta(minutes=8)).value
    return run


@pytest.fixture
def dialog(ctx: AppContext, sample: Sample, qtbot: QtBot) -> DrillDetailDialog:
    run = run_until(ctx, sample, finish=True)
    shown = DrillDetailDialog(ctx, run.id)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_while_the_drill_runs_no_reason_and_no_sign_off(ctx: AppContext, sample: Sample,
                                                         qtbot: QtBot) -> None:
    run = run_until(ctx, sample, finish=False)
    dialog = DrillDetailDialog(ctx, run.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.reason_edit.isVisible() and not dialog.sign_button.isVisible()
    # Nobody recorded how occupants were told: the method is blank, not "Bell".
    assert dialog.notification_combo.currentText() == "(not recorded)"
    assert dialog.details().notification is None
    dialog.conducted_edit.setText("李主任")
    assert dialog.save_details()
    assert drills.get_run(ctx.db, run.id).details.notification is None
    # The all clear elsewhere shows here: the reason field and Sign Off appear.
    drills_done = drills.finish_drill(ctx.db, run.id, at=ALARM + timedelta(minutes=8))
    ctx.notify(drills_done.changes, None)
    assert dialog.reason_edit.isVisible() and dialog.sign_button.isVisible()
    assert "1 student was still missing" in dialog.summary.text()


def test_a_correction_needs_a_reason(dialog: DrillDetailDialog, ctx: AppContext) -> None:
    assert dialog.reason_edit.isVisible()
    assert "Not signed off yet" in dialog.summary.text()
    dialog.conducted_edit.setText("李主任")  # the write-up: a blank filled in
    assert dialog.save_details()
    dialog.conducted_edit.setText("王主任")
    assert not dialog.save_details()
    assert "correction that needs a reason" in dialog.message.text()
    assert dialog.reason_edit.hasFocus() or not dialog.isActiveWindow()
    dialog.reason_edit.setText("记错了组织人")
    assert dialog.save_details()
    assert drills.get_run(ctx.db, dialog.run_id).details.conducted_by == "王主任"
    assert dialog.reason_edit.text() == ""  # a reason goes with one change


def test_sign_off_proposes_the_principal_and_locks_the_record(
        dialog: DrillDetailDialog, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def answer(parent: object = None, default: str = "") -> str | None:
        asked.append(default)
        return None if len(asked) == 1 else default

    monkeypatch.setattr(SignOffDialog, "ask", answer)
    assert not dialog.sign_off()  # cancelled
    assert drills.get_run(ctx.db, dialog.run_id).signed_at is None
    assert dialog.sign_off()
    assert asked == ["王校长", "王校长"]
    run = drills.get_run(ctx.db, dialog.run_id)
    assert (run.stage, run.signed_by) == (RecordStage.SIGNED, "王校长")
    assert not dialog.sign_button.isVisible()
    assert "Signed off by 王校长" in dialog.summary.text()
    assert dialog.reason_label.text() == "R&eason for the amendment:"

    # Locked: even a blank filled in is an amendment with a reason.
    dialog.notification_combo.setCurrentIndex(
        dialog.notification_combo.findData(Notification.BELL.value))
    assert not dialog.save_details()
    assert "signed off by 王校长" in dialog.message.text()
    dialog.action_edit.setText("增派引导教师")
    assert not dialog.add_action()
    dialog.reason_edit.setText("补记通知方式")
    assert dialog.save_details()
    assert drills.get_run(ctx.db, dialog.run_id).details.notification is Notification.BELL
    dialog.reason_edit.setText("校务会决定")
    assert dialog.add_action()
    # A post's staff edited in the table takes the reason field's text too.
    posts = dialog.posts_model
    assert not posts.setData(posts.index(0, 1), "赵老师")
    dialog.reason_edit.setText("补记岗位")
    assert posts.setData(posts.index(0, 1), "赵老师")
    assert drills.list_posts(ctx.db, dialog.run_id)[0].staff_name == "赵老师"
    assert unnamed_controls(dialog) == []
