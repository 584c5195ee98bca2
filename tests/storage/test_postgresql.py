"""The PostgreSQL session behaves as the SQLite file does (UTC times, one writer at a time,
"busy" after the same wait), and real server errors become the same known errors."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from pg_cluster import PostgresCluster
from raw_sql import another_writer
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from drillplanner.domain.errors import ConflictError
from drillplanner.services import schools
from drillplanner.storage import database as database_module
from drillplanner.storage.database import Database, open_database
from drillplanner.storage.errors import (
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    translate_error,
)
from drillplanner.storage.models import SchoolRow

pytestmark = pytest.mark.postgresql_only


def _alter(cluster: PostgresCluster, url: str, setting: str) -> None:
    """A setting of the database that every new session starts with (a server's choice)."""
    cluster.admin(f'ALTER DATABASE "{make_url(url).database}" SET {setting}')


def test_a_session_is_set_up_whatever_the_server_defaults_are(
        pg_cluster: PostgresCluster, db_target: str) -> None:
    # A server in the school's zone, serialisable by default, with no lock timeout.
    for setting in ("timezone = 'Asia/Shanghai'",
                    "default_transaction_isolation = 'serializable'", "lock_timeout = 0"):
        _alter(pg_cluster, db_target, setting)
    db = open_database(db_target)
    try:
        with db.read() as session:
            shown = {name: session.execute(text(f"SHOW {name}")).scalar_one()
                     for name in ("timezone", "transaction_isolation", "lock_timeout")}
        assert shown == {"timezone": "UTC", "transaction_isolation": "read committed",
                         "lock_timeout": "10s"}
        # created_at is filled in by the server (now()): in UTC, as SQLite stores it.
        school = schools.add_school(db, "聊城市实验小学").value
        with db.read() as session:
            created = session.get_one(SchoolRow, school.id).created_at
        assert abs(created - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=1)
    finally:
        db.close()


def test_a_writer_waits_for_another_then_says_busy_and_reads_go_on(
        db: Database, monkeypatch: pytest.MonkeyPatch, db_target: str) -> None:
    schools.add_school(db, "高马小学")
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 300)
    waiting = open_database(db_target)  # its sessions start with the shorter timeout
    try:
        with another_writer(db):
            with pytest.raises(DatabaseLockedError, match="busy"):
                schools.add_school(waiting, "郑家镇东小学")
            assert [s.name for s in schools.list_schools(waiting)] == ["高马小学"]
        schools.add_school(waiting, "郑家镇东小学")
    finally:
        waiting.close()
    assert len(schools.list_schools(db)) == 2


def test_writers_take_turns_from_their_first_statement(db: Database, db_target: str) -> None:
    """A second writer waits at its first statement until the first writer commits, as at
    SQLite's BEGIN IMMEDIATE, even when the first has only read so far."""
    order: list[str] = []
    first_in = threading.Event()
    release = threading.Event()
    other = open_database(db_target)

    def first() -> None:
        with db.write() as session:
            session.execute(select(SchoolRow)).all()
            order.append("first reads")
            first_in.set()
            release.wait(10)
            session.add(SchoolRow(name="一小"))
            session.flush()
            order.append("first commits")

    def second() -> None:
        first_in.wait(10)
        with other.write() as session:
            session.execute(select(SchoolRow)).all()
            order.append("second reads")
            session.add(SchoolRow(name="二小"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    try:
        for thread in threads:
            thread.start()
        first_in.wait(10)
        threading.Event().wait(0.3)  # time for the second writer to reach the lock
        release.set()
        for thread in threads:
            thread.join(20)
    finally:
        other.close()
    assert order == ["first reads", "first commits", "second reads"]
    assert len(schools.list_schools(db)) == 2


def test_a_unique_violation_is_a_conflict(db: Database) -> None:
    with pytest.raises(ConflictError), db.write() as session:
        session.add_all([SchoolRow(name="同名小学"), SchoolRow(name="同名小学")])
    assert schools.list_schools(db) == []


def test_a_read_only_server_is_read_only(pg_cluster: PostgresCluster, db_target: str) -> None:
    _alter(pg_cluster, db_target, "default_transaction_read_only = on")  # e.g. a standby
    db = open_database(db_target)
    try:
        assert schools.list_schools(db) == []
        with pytest.raises(DatabaseReadOnlyError):
            schools.add_school(db, "高马小学")
    finally:
        db.close()


def test_a_serialization_failure_is_busy(pg_cluster: PostgresCluster, db_target: str) -> None:
    """40001 from two serialisable transactions (another program's, say): try again."""
    url = make_url(db_target).set(drivername="postgresql").render_as_string(False)
    first, second = psycopg.connect(url), psycopg.connect(url)
    try:
        for connection in (first, second):
            connection.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
            connection.execute("SELECT count(*) FROM schools").fetchone()
        first.execute("INSERT INTO schools (name, timezone, evacuation_target_seconds, "
                      "country, address, compliance_profile, link_secret) VALUES "
                      "('一小', 'UTC', 60, 'CN', '', '', '')")
        second.execute("INSERT INTO schools (name, timezone, evacuation_target_seconds, "
                       "country, address, compliance_profile, link_secret) VALUES "
                       "('二小', 'UTC', 60, 'CN', '', '', '')")
        first.commit()
        with pytest.raises(psycopg.Error) as caught:
            second.commit()
    finally:
        first.close()
        second.close()
    assert caught.value.sqlstate == "40001"
    assert isinstance(translate_error(caught.value, "db"), DatabaseLockedError)


def test_an_unreachable_server_is_named_without_its_password(
        pg_cluster: PostgresCluster) -> None:
    with pytest.raises(DatabaseUnavailableError) as caught:
        open_database("postgresql+psycopg://admin:s3cret@127.0.0.1:1/district")
    assert "127.0.0.1" in str(caught.value) and "s3cret" not in str(caught.value)


def test_a_connection_lost_in_a_unit_of_work_is_unavailable_then_comes_back(
        pg_cluster: PostgresCluster, db: Database) -> None:
    with pytest.raises(DatabaseUnavailableError), db.write() as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        pg_cluster.admin(f"SELECT pg_terminate_backend({int(pid)})")
        session.add(SchoolRow(name="高马小学"))
        session.flush()
    # The pool tests its connections before use: the next unit of work reconnects.
    schools.add_school(db, "高马小学")
    assert [s.name for s in schools.list_schools(db)] == ["高马小学"]
