"""The audit log's writer: one row per record a write unit of work changes, chained by
hashes, written by the session hook (ORM), for bulk statements and by ``append`` (Core)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import raw_sql
from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError

from drillplanner.domain.audit import BreakKind, chain_hash, check_chain, content_of
from drillplanner.services import audit as audit_service
from drillplanner.storage import audit, audit_core
from drillplanner.storage.database import Database, open_database
from drillplanner.storage.models import BuildingRow, FloorRow, SchoolRow, StaffRoleRow, StaffRow
from drillplanner.storage.models_audit import AuditRow
from drillplanner.storage.models_drills import DrillRunRow, HeadcountRow
from drillplanner.storage.models_schedule import CalendarDayRow


@pytest.fixture(autouse=True)
def _actor() -> Iterator[None]:
    token = audit.set_actor("测试员")
    yield
    audit.reset_actor(token)


def rows(db: Database) -> list[dict[str, Any]]:
    with db.read() as session:
        return [dict(r) for r in session.execute(
            select(AuditRow.__table__).order_by(AuditRow.id)).mappings()]


def add_school(db: Database, name: str = "实验小学") -> int:
    with db.write() as session:
        school = SchoolRow(name=name)
        session.add(school)
        session.flush()
        return school.id


def test_an_insert_records_every_column(db: Database) -> None:
    school_id = add_school(db)
    [row] = rows(db)
    assert (row["id"], row["entity"], row["entity_id"], row["action"]) == (
        1, "schools", str(school_id), "insert")
    assert (row["school_id"], row["run_id"], row["actor"], row["old"]) == (
        school_id, None, "测试员", "")
    new = json.loads(row["new"])
    assert new["name"] == "实验小学" and new["timezone"] == "Asia/Shanghai"
    assert new["parent_id"] is None and "created_at" in new  # a server default, read back
    # Canonical JSON: sorted keys, no whitespace, Chinese as it is.
    assert row["new"] == json.dumps(new, sort_keys=True, separators=(",", ":"),
                                    ensure_ascii=False)
    assert row["prev_hash"] == "" and row["hash"] == chain_hash("", content_of(
        id=1, at=row["at"], actor="测试员", school_id=school_id, run_id=None,
        entity="schools", entity_id=str(school_id), action="insert", old="", new=row["new"],
        reason=""))
    now = datetime.now(UTC).replace(tzinfo=None)
    assert row["at"].tzinfo is None and abs((now - row["at"]).total_seconds()) < 60


def test_an_update_records_only_the_changed_columns_old_and_new(db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        school = session.get(SchoolRow, school_id)
        assert school is not None
        school.name = "实验二小"
        school.address = "人民路 1 号"
        school.timezone = "Asia/Shanghai"  # the same value: no change
    last = rows(db)[-1]
    assert (last["action"], last["entity_id"], last["school_id"]) == (
        "update", str(school_id), school_id)
    assert json.loads(last["old"]) == {"address": "", "name": "实验小学"}
    assert json.loads(last["new"]) == {"address": "人民路 1 号", "name": "实验二小"}
    assert last["prev_hash"] == rows(db)[-2]["hash"]


def test_an_update_of_a_column_never_loaded_reads_its_old_value(db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        school = session.get(SchoolRow, school_id)
        assert school is not None
        session.expire(school, ["address"])
        school.address = "新地址"
    assert json.loads(rows(db)[-1]["old"]) == {"address": ""}


def test_nothing_changed_writes_nothing(db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        school = session.get(SchoolRow, school_id)
        assert school is not None
        school.name = "实验小学"
    assert len(rows(db)) == 1


def test_children_find_their_school_and_composite_keys_join_with_colons(db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        building = BuildingRow(school_id=school_id, name="教学楼",
                               floors=[FloorRow(level=1), FloorRow(level=2)])
        staff = StaffRow(school_id=school_id, name="田凤英",
                         roles=[StaffRoleRow(role="principal")])
        session.add_all([building, staff])
    found = {(r["entity"], r["entity_id"]): r for r in rows(db)}
    assert found[("floors", "1")]["school_id"] == school_id
    assert found[("staff_roles", "1:principal")]["school_id"] == school_id
    # A parent that is not in the session is looked up.
    with db.write() as session:
        session.add(FloorRow(building_id=1, level=3))
    assert rows(db)[-1]["school_id"] == school_id


def test_a_delete_records_the_old_row_and_orm_cascades_record_each_child(db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        session.add(BuildingRow(school_id=school_id, name="教学楼",
                                floors=[FloorRow(level=1), FloorRow(level=2)]))
    with db.write() as session:
        building = session.scalars(select(BuildingRow)).one()
        session.delete(building)
    deleted = [r for r in rows(db) if r["action"] == "delete"]
    assert [(r["entity"], r["entity_id"]) for r in deleted] == [
        ("floors", "1"), ("floors", "2"), ("buildings", "1")]
    assert all(r["school_id"] == school_id and r["new"] == "" for r in deleted)
    assert json.loads(deleted[-1]["old"]) == {"id": 1, "name": "教学楼", "school_id": school_id}


def test_a_database_cascade_records_the_parent_only(db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        session.add(BuildingRow(school_id=school_id, name="教学楼"))
    with db.write() as session:
        session.execute(delete(SchoolRow).where(SchoolRow.id == school_id))
    last = rows(db)[-1]
    assert (last["entity"], last["action"]) == ("schools", "delete")
    with db.read() as session:
        assert session.scalars(select(BuildingRow)).all() == []  # went with its school


def test_bulk_update_and_delete_through_the_session_are_recorded_row_by_row(
        db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        session.add_all([CalendarDayRow(school_id=school_id, kind="holiday",
                                        start=date(2026, 10, d), end=date(2026, 10, d),
                                        name=f"假{d}") for d in (1, 2)])
    with db.write() as session:
        session.execute(update(CalendarDayRow).where(CalendarDayRow.start == date(2026, 10, 2))
                        .values(name="国庆"))
    with db.write() as session:
        session.execute(delete(CalendarDayRow).where(CalendarDayRow.school_id == school_id))
    log = rows(db)
    updated = log[-3]
    assert (updated["action"], updated["entity_id"], updated["school_id"]) == (
        "update", "2", school_id)
    assert (json.loads(updated["old"]), json.loads(updated["new"])) == (
        {"name": "假2"}, {"name": "国庆"})
    assert [(r["action"], r["entity_id"]) for r in log[-2:]] == [
        ("delete", "1"), ("delete", "2")]
    assert json.loads(log[-1]["old"])["start"] == "2026-10-02"


def test_append_records_a_core_insert_with_its_run_and_school(db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        run = DrillRunRow(school_id=school_id, kind="fire", title="消防演练",
                          status="in_progress")
        session.add(run)
        session.flush()
        run_id = run.id
    values = {"run_id": run_id, "class_id": 3, "verified": False, "present": 40,
              "reported_at": datetime(2026, 11, 9, 2, 1), "recorded_at": datetime(2026, 11, 9),
              "recorded_by": "刘老师", "reason": "补录"}
    with db.write() as session:
        connection = session.connection()
        key = connection.execute(insert(HeadcountRow), values).inserted_primary_key
        assert key is not None
        digest = audit_core.append(connection, "headcounts", key[0], new=values)
    last = rows(db)[-1]
    assert (last["entity"], last["entity_id"], last["run_id"], last["school_id"]) == (
        "headcounts", str(key[0]), run_id, school_id)
    assert (last["reason"], last["hash"], last["actor"]) == ("补录", digest, "测试员")
    assert json.loads(last["new"])["reported_at"] == "2026-11-09T02:01:00.000000"
    assert audit_service.verify(db) is None


def test_set_reason_goes_with_the_rest_of_the_unit_of_work(db: Database) -> None:
    school_id = add_school(db)
    with db.write() as session:
        audit.set_reason(session, "校长批准")
        school = session.get(SchoolRow, school_id)
        assert school is not None
        school.address = "新地址"
    assert rows(db)[-1]["reason"] == "校长批准"
    with db.write() as session:
        school = session.get(SchoolRow, school_id)
        assert school is not None
        school.address = "又一个地址"
    assert rows(db)[-1]["reason"] == ""  # a new unit of work starts without one


def test_the_actor_is_the_os_login_unless_set(db: Database) -> None:
    token = audit.set_actor(None)
    try:
        add_school(db, "一小")
    finally:
        audit.reset_actor(token)
    assert rows(db)[-1]["actor"] == audit.os_login()
    add_school(db, "二小")
    assert rows(db)[-1]["actor"] == "测试员"


def test_a_rolled_back_write_leaves_no_audit_row_and_reads_write_none(db: Database) -> None:
    add_school(db)
    with pytest.raises(RuntimeError), db.write() as session:
        session.add(SchoolRow(name="二小"))
        session.flush()
        raise RuntimeError("changed my mind")
    with db.read() as session:
        session.add(SchoolRow(name="三小"))
        session.flush()  # rolled back at the end of the read
    assert len(rows(db)) == 1
    add_school(db, "四小")
    assert [r["id"] for r in rows(db)] == [1, 2]
    assert audit_service.verify(db) is None


def test_one_flush_reads_the_last_hash_once(db: Database) -> None:
    school_id = add_school(db)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.write() as session:
            session.add_all([BuildingRow(school_id=school_id, name=f"楼{n}") for n in range(20)])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert sum("FROM audit_log" in s for s in statements) == 1
    assert sum(s.startswith("INSERT INTO audit_log") for s in statements) == 1
    assert len(rows(db)) == 21


# The chain against raw SQL --------------------------------------------------------------------


def tamper(db: Database, sql: str, **params: object) -> None:
    """Change the database behind the app's back, as a database shell would."""
    raw_sql.execute(db, sql, **params)


@pytest.fixture
def logged(db: Database) -> Database:
    """Five audit rows: a school, two buildings, a renamed school, a deleted building."""
    school_id = add_school(db)
    with db.write() as session:
        session.add_all([BuildingRow(school_id=school_id, name="东楼"),
                         BuildingRow(school_id=school_id, name="西楼")])
    with db.write() as session:
        school = session.get(SchoolRow, school_id)
        assert school is not None
        school.name = "实验二小"
    with db.write() as session:
        session.execute(delete(BuildingRow).where(BuildingRow.name == "西楼"))
    assert len(rows(db)) == 5
    return db


def test_the_chain_of_the_app_is_whole(logged: Database) -> None:
    result = audit_service.check(logged)
    assert (result.rows, result.problem) == (5, None)
    assert result.latest_hash == rows(logged)[-1]["hash"]


def test_an_edited_new_value_is_found_and_named(logged: Database) -> None:
    tamper(logged, "UPDATE audit_log SET new = :v WHERE id = 4", v='{"name":"别的学校"}')
    problem = audit_service.verify(logged)
    assert problem is not None and (problem.row_id, problem.kind) == (4, BreakKind.ALTERED)
    assert problem.describe() == "row 4 was altered: its content no longer matches its hash."


@pytest.mark.parametrize(("column", "value"), [
    ("actor", "someone else"), ("at", "2020-01-01 00:00:00.000000"),
    # Only SQLite lets a time column hold text.
    pytest.param("at", "not a time", marks=pytest.mark.sqlite_only),
    ("school_id", 99), ("old", "{}"), ("reason", "改了"), ("entity_id", "7"), ("hash", "0" * 64),
])
def test_any_altered_column_is_found(logged: Database, column: str, value: object) -> None:
    tamper(logged, f"UPDATE audit_log SET {column} = :v WHERE id = 3", v=value)
    problem = audit_service.verify(logged)
    assert problem is not None and (problem.row_id, problem.kind) == (3, BreakKind.ALTERED)


def test_a_deleted_middle_row_is_found_and_named(logged: Database) -> None:
    tamper(logged, "DELETE FROM audit_log WHERE id = 3")
    problem = audit_service.verify(logged)
    assert problem is not None
    assert (problem.row_id, problem.kind, problem.found_at) == (3, BreakKind.REMOVED, 4)
    assert problem.describe() == "row 3 was removed (the chain resumes at row 4)."


def test_deleted_first_rows_are_found(logged: Database) -> None:
    tamper(logged, "DELETE FROM audit_log WHERE id <= 2")
    problem = audit_service.verify(logged)
    assert problem is not None and (problem.row_id, problem.last_id, problem.kind) == (
        1, 2, BreakKind.REMOVED)
    assert "rows 1–2 were removed" in problem.describe()


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link(logged: Database) -> None:
    row = rows(logged)[1]
    new = '{"id":2,"name":"南楼","school_id":1}'
    digest = chain_hash(row["prev_hash"], content_of(
        id=2, at=row["at"], actor=row["actor"], school_id=row["school_id"], run_id=None,
        entity=row["entity"], entity_id=row["entity_id"], action=row["action"], old="",
        new=new, reason=""))
    tamper(logged, "UPDATE audit_log SET new = :new, hash = :hash WHERE id = 2", new=new,
           hash=digest)
    problem = audit_service.verify(logged)
    assert problem is not None and (problem.row_id, problem.found_at) == (2, 3)
    assert problem.kind is BreakKind.ALTERED


def test_removing_the_newest_rows_cannot_be_seen_by_the_chain_alone(logged: Database) -> None:
    latest = rows(logged)[-1]["hash"]
    assert audit_service.find_hash(logged, latest) == 5
    tamper(logged, "DELETE FROM audit_log WHERE id = 5")
    assert audit_service.verify(logged) is None  # documented: a shorter chain is whole
    assert audit_service.find_hash(logged, latest) is None  # the printed hash says it


def test_check_chain_of_nothing_is_whole() -> None:
    result = check_chain([])
    assert (result.rows, result.latest_hash, result.whole) == (0, "", True)


def test_a_flush_that_failed_in_a_savepoint_leaves_no_notes_behind(db: Database) -> None:
    school_id = add_school(db)
    add_school(db, "二小")
    with db.write() as session:
        savepoint = session.begin_nested()
        school = session.get(SchoolRow, school_id)
        assert school is not None
        school.address = "回滚的地址"  # noted before the failing INSERT runs
        session.add(SchoolRow(name="二小"))
        with pytest.raises(IntegrityError):
            session.flush()
        savepoint.rollback()
        session.add(BuildingRow(school_id=school_id, name="教学楼"))
    log = rows(db)
    assert [(r["entity"], r["action"]) for r in log] == [
        ("schools", "insert"), ("schools", "insert"), ("buildings", "insert")]
    assert audit_service.verify(db) is None


def test_writers_on_several_connections_extend_one_chain(db: Database,
                                                        db_target: Path | str) -> None:
    """Each writer reads the last hash and appends after it; writers on other connections
    (other computers) must queue for that, or two would follow the same row."""
    school_id = add_school(db)
    rounds, writers = 8, 4
    errors: list[BaseException] = []

    def write_buildings(number: int) -> None:
        own = open_database(db_target)
        try:
            for index in range(rounds):
                with own.write() as session:
                    # Two flushes: the second reads the hash the first wrote.
                    session.add(BuildingRow(school_id=school_id, name=f"楼{number}-{index}"))
                    session.flush()
                    session.add(BuildingRow(school_id=school_id, name=f"楼{number}-{index}b"))
        except BaseException as error:  # reported below, with the others
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=write_buildings, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    log = rows(db)
    assert [r["id"] for r in log] == list(range(1, 2 + 2 * rounds * writers))
    assert audit_service.check(db).problem is None
