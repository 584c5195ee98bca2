"""The database server goes away mid-drill: the console keeps what is typed, says how many
entries wait, and sends them, once each, when it is back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from drill_sample import start_fire_drill, type_text
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from drillplanner.domain.drill_runs import DrillRun
from drillplanner.services import headcounts
from drillplanner.storage.database import Database
from drillplanner.storage.errors import DatabaseUnavailableError
from drillplanner.ui.context import AppContext
from drillplanner.ui.drill_style import TileState
from drillplanner.ui.models.headcount import STATE_ROLE
from drillplanner.ui.views.drill_console import DrillConsole
from drillplanner.ui.widgets import outbox_status

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def server_away(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """While the flag is set, every unit of work fails as an unreachable server does."""
    away = [False]

    def failing(real: Callable[[Database], Any]) -> Callable[[Database], Any]:
        def unit(self: Database) -> Any:
            if away[0]:
                raise DatabaseUnavailableError("The database server cannot be reached.")
            return real(self)
        return unit

    monkeypatch.setattr(Database, "write", failing(Database.write))
    monkeypatch.setattr(Database, "read", failing(Database.read))
    monkeypatch.setattr(outbox_status, "RETRY_MS", 100)
    yield away


@pytest.fixture
def run(ctx: AppContext, sample: Sample) -> DrillRun:
    return start_fire_drill(ctx.db, sample.school.id)


@pytest.fixture
def console(ctx: AppContext, run: DrillRun, qtbot: QtBot,
            server_away: list[bool]) -> DrillConsole:
    widget = DrillConsole(ctx, run.id)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.entry.class_edit.setFocus()
    return widget


def test_entries_typed_while_the_server_is_away_are_kept_and_sent(
        console: DrillConsole, ctx: AppContext, run: DrillRun, qtbot: QtBot,
        server_away: list[bool]) -> None:
    server_away[0] = True
    type_text(qtbot, "11\t45\n")
    type_text(qtbot, "1-2\t43\t1\n")
    assert "Kept 一年级2班 on this computer" in console.entry.message_text()
    waiting = console.entry.waiting
    assert waiting.isVisible()
    assert "2 entries waiting to send" in waiting.text()
    assert ctx.outbox.count(ctx.db) == 2
    # The class field is free for the next class at once.
    assert console.entry.class_edit.text() == ""

    server_away[0] = False
    qtbot.waitUntil(lambda: not waiting.isVisible(), timeout=5000)
    assert ctx.outbox.count(ctx.db) == 0
    rollup = headcounts.rollup(ctx.db, run.id)
    assert rollup.totals.reported == 2
    assert rollup.totals.missing == 1
    for status in rollup.classes:
        if status.figures is not None:
            assert len(headcounts.history(ctx.db, run.id, status.info.class_id)) == 1
    # The console shows them: the tiles were reloaded by the change notification.
    reported = {s.info.class_id for s in rollup.classes if s.figures is not None}

    def tiles_show_them() -> bool:
        model = console.model
        return all(model.index(model.row_of_class(c), 0).data(STATE_ROLE)
                   is not TileState.NOT_REPORTED for c in reported)

    qtbot.waitUntil(tiles_show_them, timeout=3000)
