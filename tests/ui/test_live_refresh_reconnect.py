"""Live refresh when the PostgreSQL server goes away: the status bar says the connection
is lost, it is tried again, and once it is back the window reads everything again, says
so, and hears new changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pg_cluster import PostgresCluster
from pytestqt.qtbot import QtBot
from restartable_pg import crash_and_restart, own_cluster, start_server, stop_server

from drillplanner.domain.changes import EVERYTHING, Changes, Kind
from drillplanner.services import schools
from drillplanner.services.database import Database, open_database
from drillplanner.ui.context import AppContext
from drillplanner.ui.live_refresh import LiveRefresh, lost_text, restored_text
from drillplanner.ui.mainwindow import MainWindow


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    with own_cluster() as started:
        yield started


class Computer:
    """This computer's window with live refresh, and another computer's handle."""

    def __init__(self, cluster: PostgresCluster, qtbot: QtBot) -> None:
        url = cluster.url(cluster.new_database())
        self.db = open_database(url)
        self.other: Database = open_database(url)
        self.ctx = AppContext(self.db, "/tmp/drillplanner-test.log")
        self.window = MainWindow(self.ctx)
        self.ctx.window = self.window
        qtbot.addWidget(self.window)
        self.statuses: list[str] = []
        self.ctx.status.connect(self.statuses.append)
        self.live = LiveRefresh(self.ctx)
        self.heard: list[Changes] = []
        self.ctx.changed.connect(self._on_changed)
        assert self.live.start()

    def _on_changed(self, changes: Changes, source: object) -> None:
        if source is self.live:
            self.heard.append(changes)

    def close(self) -> None:
        self.live.stop()
        self.window.dispose()
        self.db.close()
        self.other.close()


@pytest.fixture
def computer(cluster: PostgresCluster, qtbot: QtBot, qapp: object) -> Iterator[Computer]:
    made = Computer(cluster, qtbot)
    yield made
    made.close()


def sees_new_writes(computer: Computer, qtbot: QtBot, name: str) -> None:
    school = schools.add_school(computer.other, name).value
    qtbot.waitUntil(lambda: any(c.touches_record(Kind.SCHOOL, school.id)
                                for c in computer.heard), timeout=1000)


def test_a_server_restart_is_survived(computer: Computer, cluster: PostgresCluster,
                                      qtbot: QtBot) -> None:
    sees_new_writes(computer, qtbot, "实验小学")
    with qtbot.waitSignals([computer.live.lost, computer.live.restored], timeout=20_000):
        crash_and_restart(cluster)
    assert computer.statuses[:1] == [lost_text()]
    assert computer.statuses[-1] == restored_text()
    assert computer.window.statusBar().currentMessage() == restored_text()
    assert computer.live.connected
    # What was said while the connection was down is lost: everything is read again.
    assert computer.heard[-1] == EVERYTHING
    sees_new_writes(computer, qtbot, "东城小学")


def test_a_longer_outage_is_retried_until_the_server_is_back(
        computer: Computer, cluster: PostgresCluster, qtbot: QtBot) -> None:
    with qtbot.waitSignal(computer.live.lost, timeout=10_000):
        stop_server(cluster)
    try:
        qtbot.wait(1500)  # attempts after 0.25, 0.5 and 1 s fail
        assert not computer.live.connected
        assert computer.statuses.count(lost_text()) >= 3
        assert computer.window.statusBar().currentMessage() == lost_text()
    finally:
        with qtbot.waitSignal(computer.live.restored, timeout=20_000):
            start_server(cluster)
    assert computer.window.statusBar().currentMessage() == restored_text()
    sees_new_writes(computer, qtbot, "西城小学")
