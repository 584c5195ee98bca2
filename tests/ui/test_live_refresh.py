"""Live refresh: a write on another computer (a second database handle) shows on this
one's pages within a second, on SQLite (data_version) and on PostgreSQL (notices)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from drill_sample import start_fire_drill
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.roles import StaffRole
from drillplanner.services import classes, headcounts, staff
from drillplanner.services.database import Database, open_database
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.drill_style import TileState
from drillplanner.ui.live_refresh import LiveRefresh
from drillplanner.ui.models.headcount import STATE_ROLE
from drillplanner.ui.views.drill_console import DrillConsole
from drillplanner.ui.views.school_page import SchoolPage

BOTH = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
#: The promise: another computer's change shows within a second.
WITHIN_MS = 1000

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def other(db_target: Path | str) -> Iterator[Database]:
    """Another computer on the same database."""
    handle = open_database(db_target)
    yield handle
    handle.close()


@pytest.fixture
def live(ctx: AppContext) -> Iterator[LiveRefresh]:
    refresh = LiveRefresh(ctx)
    assert refresh.start()
    yield refresh
    refresh.stop()


@pytest.fixture
def page(ctx: AppContext, qtbot: QtBot) -> SchoolPage:
    widget = SchoolPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rows(page: SchoolPage, key: str) -> list[str]:
    model = page.panes[key].model
    column = model.column_of("name")
    return [model.index(row, column).data() for row in range(model.rowCount())]


@BOTH
def test_a_class_added_elsewhere_shows_within_a_second(
        page: SchoolPage, live: LiveRefresh, other: Database, sample: Sample,
        qtbot: QtBot) -> None:
    page.show_tab("classes")
    classes.add_class(other, sample.school.id, sample.grade_id, "3班", 42)
    qtbot.waitUntil(lambda: "3班" in rows(page, "classes"), timeout=WITHIN_MS)


@BOTH
def test_a_hidden_tab_reads_the_change_when_shown(
        page: SchoolPage, live: LiveRefresh, other: Database, sample: Sample,
        qtbot: QtBot) -> None:
    page.show_tab("classes")
    staff_model = page.panes["staff"].model
    with qtbot.waitSignal(page.ctx.changed, timeout=WITHIN_MS):
        staff.add_staff(other, sample.school.id, "李老师", [StaffRole.HOMEROOM_TEACHER])
    # Out of sight the table waits (a broad change would otherwise read every tab) …
    assert staff_model.pending_reload and "李老师" not in rows(page, "staff")
    page.show_tab("staff")
    # … and reads it as it shows.
    assert "李老师" in rows(page, "staff") and not staff_model.pending_reload


@BOTH
def test_a_headcount_from_another_computer_shows_on_the_console(
        ctx: AppContext, live: LiveRefresh, other: Database, sample: Sample,
        qtbot: QtBot) -> None:
    run = start_fire_drill(ctx.db, sample.school.id)
    console = DrillConsole(ctx, run.id)
    qtbot.addWidget(console)
    console.resize(1100, 760)
    console.show()
    qtbot.waitExposed(console)
    console.poll_timer.stop()  # the notice must bring it, not the console's own poll

    def tile_state() -> TileState:
        model = console.model
        return model.index(model.row_of_class(sample.class_2.id), 0).data(STATE_ROLE)

    headcounts.record_headcount(other, run.id, sample.class_2.id, 43, missing=1,
                                missing_names="张小明", by="二楼")
    qtbot.waitUntil(lambda: tile_state() is TileState.MISSING, timeout=WITHIN_MS)
    assert "张小明" in console.alert_bar.texts()[0]
    console.stop()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_own_writes_are_not_heard_again_on_postgresql(
        ctx: AppContext, live: LiveRefresh, other: Database, sample: Sample,
        qtbot: QtBot) -> None:
    heard: list[Changes] = []
    ctx.changed.connect(lambda changes, source: heard.append(changes)
                        if source is live else None)
    ops.write(ctx, None, lambda db: classes.update_class(db, sample.class_1.id,
                                                         {"enrolled": 46}))
    classes.update_class(other, sample.class_2.id, {"enrolled": 43})
    qtbot.waitUntil(lambda: bool(heard), timeout=WITHIN_MS)
    qtbot.wait(200)  # time for a notice of the own write to come in, if one were heard
    assert heard == [Changes.of(Kind.CLASS, sample.class_2.id)]
