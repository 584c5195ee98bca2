"""A PostgreSQL watcher whose server restarts: it says the connection is lost, reconnects
when the server is back, and hears the writes made after that."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from notice_wait import heard
from pg_cluster import PostgresCluster
from restartable_pg import crash_and_restart, own_cluster
from sqlalchemy import create_engine

from drillplanner.domain.changes import Changes, Kind
from drillplanner.services import schools
from drillplanner.storage import notify
from drillplanner.storage.database import Database, open_database, resolve_target


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    with own_cluster() as started:
        yield started


def test_a_restart_is_noticed_and_survived(cluster: PostgresCluster) -> None:
    url = cluster.url(cluster.new_database())
    here, there = open_database(url), open_database(url)
    watcher = notify.open_watcher(here)
    try:
        crash_and_restart(cluster)
        with pytest.raises(notify.ConnectionLostError):
            heard(watcher, 10)  # the socket turns readable at the disconnection
        with pytest.raises(notify.ConnectionLostError):
            watcher.drain()  # and stays lost until reconnected
        watcher.reconnect()
        school = schools.add_school(there, "实验小学").value  # its pool reconnects too
        assert [Changes.from_payload(p) for p in heard(watcher)] == [
            Changes.of(Kind.SCHOOL, school.id)]
    finally:
        watcher.close()
        here.close()
        there.close()


def test_a_server_that_cannot_be_reached_is_a_lost_connection() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens there
    unreachable = Database(create_engine(url), resolve_target(url))
    watcher = notify.PostgresWatcher(unreachable)
    with pytest.raises(notify.ConnectionLostError):
        watcher.reconnect()
    assert watcher.socket is None
    with pytest.raises(notify.ConnectionLostError):
        watcher.drain()
