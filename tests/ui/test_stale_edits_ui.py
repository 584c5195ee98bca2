"""A record edited while someone else saved it: an event in its dialog (keep theirs, use
mine, or reload and edit again), a class in the table (told, and shown theirs); never a
silent overwrite."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from calendar_sample import TODAY, once
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from drillplanner.domain.drill_runs import RunDetails
from drillplanner.domain.events import Event, EventKind
from drillplanner.services import classes, drills, schedule
from drillplanner.storage.database import open_database
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import stale_edit
from drillplanner.ui.dialogs.drill_detail import DrillDetailDialog
from drillplanner.ui.dialogs.event_dialog import EventDialog
from drillplanner.ui.models.classes import ClassesModel


@pytest.fixture
def event(ctx: AppContext, sample: Sample) -> Event:
    return once(ctx.db, sample.school.id, "消防疏散演练", datetime(2026, 11, 20, 10, 0))


def _open(ctx: AppContext, event: Event, qtbot: QtBot) -> EventDialog:
    dialog = EventDialog(ctx, event.school_id, event=event, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("我的标题")
    return dialog


def _theirs_save(ctx: AppContext, event: Event) -> None:
    """Another computer saves the same event meanwhile."""
    other = open_database(ctx.db.target.path or ctx.db.target.url)
    try:
        schedule.update_event(other, replace(schedule.get_event(other, event.id),
                                             title="他们的标题"))
    finally:
        other.close()


@pytest.mark.parametrize(("choice", "stored", "result"), [
    (stale_edit.Choice.MINE, "我的标题", 1),  # saved: the dialog is accepted
    (stale_edit.Choice.THEIRS, "他们的标题", 0),  # closed without saving
    (stale_edit.Choice.RELOAD, "他们的标题", 0),  # still open, their version in the form
])
def test_the_user_chooses_what_to_keep(ctx: AppContext, event: Event, qtbot: QtBot,
                                       monkeypatch: pytest.MonkeyPatch,
                                       choice: stale_edit.Choice, stored: str,
                                       result: int) -> None:
    asked: list[str] = []
    monkeypatch.setattr(stale_edit, "ask",
                        lambda _parent, message, theirs: asked.append(theirs) or choice)
    dialog = _open(ctx, event, qtbot)
    _theirs_save(ctx, event)
    dialog.accept()
    assert asked and "他们的标题" in asked[0]
    assert schedule.get_event(ctx.db, event.id).title == stored
    assert dialog.result() == result
    assert (dialog.saved is not None) == (choice is stale_edit.Choice.MINE)
    if choice is stale_edit.Choice.RELOAD:
        # Their version is in the form now; saving it again goes through.
        assert dialog.title_edit.text() == "他们的标题"
        dialog.title_edit.setText("再改一次")
        dialog.accept()
        assert schedule.get_event(ctx.db, event.id).title == "再改一次"


def test_a_class_cell_edited_after_someone_else_changed_the_class(
        ctx: AppContext, sample: Sample) -> None:
    model = ClassesModel(ctx)
    model.reload()
    row = model.row_of(sample.class_1.id)
    refused: list[str] = []
    model.edit_refused.connect(lambda _field, message: refused.append(message))
    other = open_database(ctx.db.target.path or ctx.db.target.url)
    try:
        classes.update_class(other, sample.class_1.id, {"room": "201"})
    finally:
        other.close()
    index = model.index(row, model.column_of("enrolled"))
    assert model.setData(index, 44) is False
    assert refused and "someone else" in refused[0]
    # Their change is what the table shows now; the class kept it.
    assert model.record(model.row_of(sample.class_1.id)).room == "201"
    assert classes.get_class(ctx.db, sample.class_1.id).enrolled == sample.class_1.enrolled
    # Edited again from what is shown, it goes through.
    assert model.setData(model.index(model.row_of(sample.class_1.id),
                                     model.column_of("enrolled")), 44) is True
    assert classes.get_class(ctx.db, sample.class_1.id).enrolled == 44


@pytest.mark.parametrize("choice", [stale_edit.Choice.MINE, stale_edit.Choice.RELOAD])
def test_the_drill_record_edited_after_someone_else_saved_it(
        ctx: AppContext, sample: Sample, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        choice: stale_edit.Choice) -> None:
    run = drills.start_drill(ctx.db, sample.school.id, kind=EventKind.FIRE).value
    monkeypatch.setattr(stale_edit, "ask", lambda _parent, _message, theirs: choice)
    dialog = DrillDetailDialog(ctx, run.id)
    qtbot.addWidget(dialog)
    dialog.weather_edit.setText("小雨")
    other = open_database(ctx.db.target.path or ctx.db.target.url)
    try:
        drills.update_details(other, run.id, RunDetails(conducted_by="王校长"))
    finally:
        other.close()
    saved = dialog.save_details()
    stored = drills.get_run(ctx.db, run.id).details
    if choice is stale_edit.Choice.MINE:
        assert saved and stored.weather == "小雨"
    else:
        assert not saved
        assert (stored.conducted_by, stored.weather) == ("王校长", "")
        assert dialog.conducted_edit.text() == "王校长"
        assert dialog.weather_edit.text() == ""
