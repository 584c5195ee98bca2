"""Hearing other computers' commits: PostgreSQL notices (LISTEN/NOTIFY) and SQLite's
``data_version``, on a second handle playing the other computer."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from notice_wait import heard
from sqlalchemy import text

from drillplanner.domain.changes import EVERYTHING, Changes, Kind, Notice
from drillplanner.domain.errors import ConflictError
from drillplanner.services import schools
from drillplanner.storage import notify
from drillplanner.storage.database import Database, open_database
from drillplanner.storage.models import SchoolRow


@pytest.fixture
def other(db_target: Path | str) -> Iterator[Database]:
    """Another computer on the same database."""
    handle = open_database(db_target)
    yield handle
    handle.close()


@pytest.fixture
def watcher(db: Database) -> Iterator[notify.Watcher]:
    found = notify.open_watcher(db)
    yield found
    found.close()


def test_another_handles_write_is_heard_once(db: Database, other: Database,
                                             watcher: notify.Watcher, backend: str) -> None:
    school = schools.add_school(other, "实验小学").value
    notices = [Notice.from_payload(p) for p in heard(watcher)]
    if backend == "postgresql":
        # What changed, and who: the receiving handle skips its own by that name.
        assert notices == [Notice(Changes.of(Kind.SCHOOL, school.id), notify.origin_of(other))]
        assert notify.origin_of(other) != notify.origin_of(db)
    else:
        assert notices == [Notice(EVERYTHING)]  # SQLite knows only that someone committed
    assert watcher.drain() == []


def test_reads_are_not_heard(db: Database, other: Database, watcher: notify.Watcher) -> None:
    schools.list_schools(other)
    schools.list_schools(db)
    assert heard(watcher, 0.3) == []


def test_a_rolled_back_write_is_not_heard(db: Database, other: Database,
                                          watcher: notify.Watcher, backend: str) -> None:
    schools.add_school(other, "实验小学")
    assert heard(watcher)
    # A write that fails in its transaction: the operation announces nothing.
    with pytest.raises(ConflictError):
        schools.add_school(other, "实验小学")
    # Nor does a NOTIFY inside a transaction that rolls back (PostgreSQL delivers
    # notices at commit), and on SQLite a rollback changes no data_version.
    with pytest.raises(RuntimeError), other.write() as session:
        session.add(SchoolRow(name="回滚小学"))
        session.flush()
        if backend == "postgresql":
            session.execute(text("SELECT pg_notify(:c, :p)"),
                            {"c": notify.CHANNEL, "p": Changes.of(Kind.SCHOOL).to_payload()})
        raise RuntimeError("rolled back")
    assert heard(watcher, 0.3) == []
    later = schools.add_school(other, "东城小学").value
    # Only the later write: nothing of the rolled-back ones waited in the queue.
    if backend == "postgresql":
        assert [Changes.from_payload(p) for p in heard(watcher)] == [
            Changes.of(Kind.SCHOOL, later.id)]
    else:
        assert len(heard(watcher)) == 1


def test_the_notice_is_sent_when_the_write_can_be_read(
        db: Database, other: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    announce = notify.announce

    def checking(database: Database, changes: Changes) -> None:
        seen.append([s.name for s in schools.list_schools(db)])  # as the other computer
        announce(database, changes)

    monkeypatch.setattr(notify, "announce", checking)
    schools.add_school(other, "实验小学")
    assert seen == [["实验小学"]]


def test_a_notice_that_cannot_be_sent_does_not_undo_the_write(
        db: Database, other: Database, backend: str, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(notify, "_NOTIFY", text("SELECT no_such_function(:channel, :payload)"))
    with caplog.at_level(logging.WARNING, "drillplanner.storage"):
        school = schools.add_school(other, "实验小学").value
    assert [s.id for s in schools.list_schools(db)] == [school.id]
    if backend == "postgresql":
        assert "cannot tell other computers" in caplog.text


@pytest.mark.sqlite_only
def test_data_version_moves_for_other_connections_commits_only(db_path: Path) -> None:
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")  # as Database sets it
    writer.execute("CREATE TABLE notes (text TEXT)")
    reader = sqlite3.connect(db_path, isolation_level=None)

    def version(connection: sqlite3.Connection) -> int:
        return int(connection.execute("PRAGMA data_version").fetchone()[0])

    try:
        own, others = version(writer), version(reader)
        writer.execute("INSERT INTO notes VALUES ('演练')")
        assert version(writer) == own  # its own commit
        assert version(reader) != others
        steady = version(reader)
        writer.execute("SELECT count(*) FROM notes").fetchone()
        assert version(reader) == steady  # a read commits nothing
    finally:
        writer.close()
        reader.close()


@pytest.mark.sqlite_only
def test_on_sqlite_the_watched_handles_own_writes_are_heard_too(
        db: Database, watcher: notify.Watcher) -> None:
    # Its connection is not the writer's: data_version cannot tell whose commit it was.
    schools.add_school(db, "实验小学")
    assert heard(watcher) == [EVERYTHING.to_payload()]
