"""What a face hears of other computers' writes: merged, its own left out, unreadable
notices taken for everything."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drillplanner.domain.changes import EVERYTHING, NOTHING, Changes, Kind
from drillplanner.services import classes, live_changes, schools
from drillplanner.storage import notify
from drillplanner.storage.database import Database, open_database


def taken(live: live_changes.LiveChanges, timeout: float = 2.0) -> Changes:
    deadline = time.monotonic() + timeout
    found = live.take()
    while not found.any and time.monotonic() < deadline:
        time.sleep(0.02)
        found = live.take()
    return found


@pytest.fixture
def other(db_target: Path | str) -> Iterator[Database]:
    handle = open_database(db_target)
    yield handle
    handle.close()


@pytest.fixture
def live(db: Database) -> Iterator[live_changes.LiveChanges]:
    found = live_changes.watch(db)
    yield found
    found.close()


def test_other_writes_arrive_merged(db: Database, other: Database,
                                    live: live_changes.LiveChanges, backend: str) -> None:
    school = schools.add_school(other, "实验小学").value
    grade = classes.add_grade(other, school.id, "一年级").value
    time.sleep(0.2)  # both notices in
    found = taken(live)
    if backend == "postgresql":
        assert live.notices and live.socket is not None and live.poll_ms is None
        assert found.touches_record(Kind.SCHOOL, school.id)
        assert found.touches_record(Kind.GRADE, grade.id)
        assert not found.touches(Kind.DRILL)
    else:
        assert not live.notices and live.socket is None and live.poll_ms
        assert found == EVERYTHING
    assert live.take() == NOTHING


def test_own_writes_are_left_out_on_postgresql(db: Database, other: Database,
                                               live: live_changes.LiveChanges,
                                               backend: str) -> None:
    schools.add_school(db, "实验小学")
    theirs = schools.add_school(other, "东城小学").value
    time.sleep(0.2)
    found = taken(live)
    if backend == "postgresql":
        assert found == Changes.of(Kind.SCHOOL, theirs.id)  # not the school added here
    else:
        assert found == EVERYTHING  # SQLite cannot tell whose commit it was


class _Watcher(notify.Watcher):
    def __init__(self, payloads: list[str]) -> None:
        self.payloads = payloads

    def drain(self) -> list[str]:
        found, self.payloads = self.payloads, []
        return found

    def reconnect(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_an_unreadable_notice_stands_for_everything(db: Database) -> None:
    own = notify.origin_of(db)
    live = live_changes.LiveChanges(db, _Watcher([
        Changes.of(Kind.DRILL, 7).to_payload("elsewhere"),
        Changes.of(Kind.CLASS, 3).to_payload(own),
        "{not json",
    ]))
    assert live.take() == EVERYTHING
    live = live_changes.LiveChanges(db, _Watcher([
        Changes.of(Kind.DRILL, 7).to_payload("elsewhere"),
        Changes.of(Kind.CLASS, 3).to_payload(own),
    ]))
    assert live.take() == Changes.of(Kind.DRILL, 7)
