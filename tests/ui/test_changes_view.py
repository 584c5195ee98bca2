"""The Changes view: the audit log newest first, its filters, the chain check (whole and
broken by raw SQL), the drill's own changes, and the main window's menu action."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from drillplanner.domain.drill_runs import RunDetails
from drillplanner.domain.events import EventKind
from drillplanner.services import audit, drills, schools
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.changes import ChangesDialog
from drillplanner.ui.mainwindow import MainWindow
from drillplanner.ui.models.audit import CHANGES, DRILL, RECORD, WHO, AuditModel
from drillplanner.ui.views.audit_page import ChangesView, drill_changes_view


@pytest.fixture(autouse=True)
def _actor() -> Iterator[None]:
    token = audit.set_actor("教务处")
    yield
    audit.reset_actor(token)


@pytest.fixture
def view(ctx: AppContext, qtbot: QtBot) -> ChangesView:
    widget = ChangesView(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def texts(view: ChangesView, column: int) -> list[str]:
    model = view.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_audit_model_passes_the_model_tester(qtmodeltester: ModelTester, ctx: AppContext,
                                                 sample: Sample) -> None:
    model = AuditModel()
    qtmodeltester.check(model)
    model.set_rows(audit.list_entries(ctx.db))
    assert model.rowCount() > 10
    qtmodeltester.check(model)
    assert model.index(0, RECORD).data() == "Class #3"


def test_the_whole_log_newest_first_follows_changes(view: ChangesView, ctx: AppContext,
                                                    sample: Sample) -> None:
    total = len(audit.list_entries(ctx.db, limit=None))
    assert view.model.rowCount() == total
    assert view.count_label.text() == f"{total} changes"
    done = ops.write(ctx, view, lambda db: schools.update_school(
        db, sample.school.id, {"address": "人民路 1 号"}))
    assert done is not None
    assert view.model.rowCount() == total + 1  # every write appends, whatever its kind
    assert texts(view, RECORD)[0] == f"School #{sample.school.id}"
    assert texts(view, CHANGES)[0] == "address: “” → “人民路 1 号”"
    assert texts(view, WHO)[0] == "教务处"
    assert unnamed_controls(view) == []


def test_filters_by_drill_and_kind(view: ChangesView, ctx: AppContext, sample: Sample) -> None:
    run = drills.start_drill(ctx.db, sample.school.id, kind=EventKind.FIRE,
                             at=datetime(2026, 10, 9, 10, 0), title="消防演练").value
    ops.write(ctx, None, lambda db: drills.update_details(db, run.id, RunDetails(weather="晴")))
    view.set_drill(run.id)
    assert view.drill_combo.currentText() == "#1 消防演练 (2026-10-09)"
    assert set(texts(view, DRILL)) == {f"#{run.id}"}
    assert texts(view, CHANGES)[0] == "weather: “” → “晴”"
    view.set_entity("run_classes")
    assert view.entity_combo.currentText() == "Class in a drill"
    assert view.model.rowCount() == 3 and set(texts(view, RECORD)) == {
        f"Class in a drill #{run.id}:{sample.class_1.id}",
        f"Class in a drill #{run.id}:{sample.class_2.id}",
        f"Class in a drill #{run.id}:{sample.class_2.id + 1}"}
    view.set_drill(None)
    view.set_entity("classes")
    assert view.model.rowCount() == 3


def test_verify_shows_a_whole_chain_and_a_broken_one(view: ChangesView, qtbot: QtBot,
                                                     ctx: AppContext, db_path: Path,
                                                     sample: Sample) -> None:
    view.verify_button.click()
    qtbot.waitUntil(view.verify_button.isEnabled, timeout=10_000)
    rows = audit.check(ctx.db).rows
    assert view.result_label.text().startswith(f"Chain whole: {rows} rows; latest hash ")

    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE audit_log SET actor = 'someone' WHERE id = 2")
    connection.commit()
    connection.close()
    view.verify_button.click()
    qtbot.waitUntil(view.verify_button.isEnabled, timeout=10_000)
    assert view.result_label.text() == (
        "Chain broken: row 2 was altered: its content no longer matches its hash.")


def test_a_drills_changes_with_its_latest_hash(ctx: AppContext, qtbot: QtBot,
                                               sample: Sample) -> None:
    run = drills.start_drill(ctx.db, sample.school.id, kind=EventKind.FIRE,
                             at=datetime(2026, 10, 9, 10, 0)).value
    drills.finish_drill(ctx.db, run.id, at=datetime(2026, 10, 9, 10, 8))
    drills.start_drill(ctx.db, sample.school.id, kind=EventKind.EARTHQUAKE,
                       at=datetime(2026, 10, 9, 11, 0))  # another drill: not shown
    widget = drill_changes_view(ctx, run.id)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.drill_combo.isHidden() and widget.verify_button.isHidden()
    assert set(texts(widget, DRILL)) == {f"#{run.id}"}
    latest = audit.latest_hash(ctx.db, run.id)
    assert widget.result_label.text() == f"Latest hash of this drill: {latest}"
    ops.write(ctx, None, lambda db: drills.update_details(db, run.id, RunDetails(notes="好")))
    assert texts(widget, CHANGES)[0] == "notes: “” → “好”"
    assert audit.latest_hash(ctx.db, run.id) != latest
    assert widget.result_label.text().endswith(str(audit.latest_hash(ctx.db, run.id)))
    widget.detach()


def test_the_main_window_opens_the_changes(window: MainWindow,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[ChangesDialog] = []

    def exec_at_once(dialog: ChangesDialog) -> int:
        shown.append(dialog)
        dialog.show()  # as exec does: the view reads the log when it shows
        assert dialog.view.model.rowCount() > 0
        dialog.reject()
        return 0

    monkeypatch.setattr(ChangesDialog, "exec", exec_at_once)
    assert window.changes_action.shortcut().toString() == "Ctrl+Shift+H"
    assert window.changes_action in window._view_menu.actions()
    window.changes_action.trigger()
    assert len(shown) == 1 and shown[0].windowTitle() == "Changes"
