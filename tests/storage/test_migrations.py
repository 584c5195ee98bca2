"""Migrations: scripts match the models, every old revision upgrades with its data, on SQLite
and on PostgreSQL."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text

from drillplanner.services import audit, authorization, classes, drills, schools, staff, users
from drillplanner.services.demo import load_demo
from drillplanner.storage import migrate
from drillplanner.storage.database import Database, open_database
from drillplanner.storage.schema import HEAD, KNOWN_REVISIONS
from drillplanner.storage.tables import Base

Target = Path | str


@contextmanager
def engine_of(target: Target) -> Iterator[Engine]:
    """A plain engine on the database, without the app's settings (an older build's view)."""
    text_form = str(target)
    engine = create_engine(text_form if "://" in text_form else f"sqlite:///{text_form}")
    try:
        yield engine
    finally:
        engine.dispose()


def at_revision(target: Target, revision: str) -> None:
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    with engine_of(target) as engine:
        migrate.upgrade(engine, revision)


def test_known_revisions_match_the_scripts() -> None:
    engine = create_engine("sqlite://")
    scripts = ScriptDirectory.from_config(migrate.alembic_config(engine))
    chain = [rev.revision for rev in scripts.walk_revisions()]
    assert tuple(reversed(chain)) == KNOWN_REVISIONS
    assert scripts.get_current_head() == HEAD


def test_migrated_schema_equals_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


# The first revision, with rows written as its build wrote them -------------------------------


def _insert(connection: Connection, sql: str, **values: Any) -> int:
    # RETURNING (SQLite 3.35+ too): ids come from the database, as the old build's did, so
    # that PostgreSQL's sequences stay ahead of the rows.
    return int(connection.execute(text(sql + " RETURNING id"), values).scalar_one())


def _database_at_first_revision(target: Target) -> None:
    at_revision(target, "0001_initial")
    with engine_of(target) as engine, engine.begin() as connection:
        school = _insert(connection, "INSERT INTO schools (name, timezone, "
                         "evacuation_target_seconds, country, address) VALUES "
                         "('聊城市实验小学', 'Asia/Shanghai', 180, 'CN', '')")
        grade = _insert(connection, "INSERT INTO grades (school_id, name, ordinal) "
                        "VALUES (:s, '一年级', 1)", s=school)
        for name, teacher in (("1班", "张丽"), ("2班", " 张丽 "), ("3班", "王芳"), ("4班", "")):
            _insert(connection, "INSERT INTO classes (grade_id, name, enrolled, room, "
                    "homeroom_teacher) VALUES (:g, :n, 45, '101', :t)", g=grade, n=name,
                    t=teacher)


def test_first_revision_with_rows_upgrades_and_sqlite_is_backed_up(
        empty_target: Target) -> None:
    _database_at_first_revision(empty_target)
    db = open_database(empty_target)
    try:
        [school] = schools.list_schools(db)
        by_name = {c.name: c for c in classes.list_classes(db, school.id)}
        assert set(by_name) == {"1班", "2班", "3班", "4班"}
        assert by_name["1班"].homeroom_teacher_name == "张丽"
        assert by_name["1班"].homeroom_teacher_id == by_name["2班"].homeroom_teacher_id
        assert by_name["3班"].homeroom_teacher_name == "王芳"
        assert by_name["4班"].homeroom_teacher_id is None
        assert all(c.enrolled == 45 and c.room == "101" for c in by_name.values())
        teachers = staff.list_staff(db, school.id)
        assert [t.name for t in teachers] == sorted(["张丽", "王芳"])
        assert all(t.roles == {"homeroom_teacher"} for t in teachers)
        # New rows follow the old ones (PostgreSQL: the sequences were not left behind).
        added = schools.add_school(db, "郑家镇东小学").value
        assert added.id > school.id
        staff.add_staff(db, school.id, "李老师")
    finally:
        db.close()
    if isinstance(empty_target, Path):
        # A SQLite file is copied before it is migrated (a server database is not: pg_dump).
        backups = list(empty_target.parent.glob("school.before-0001_initial-*.sqlite3"))
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as old:
            assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (
                "0001_initial",)
            assert old.execute("SELECT homeroom_teacher FROM classes WHERE name = '3班'"
                               ).fetchone() == ("王芳",)
        old.close()


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_every_revision_upgrades_to_head(empty_target: Target, revision: str) -> None:
    at_revision(empty_target, revision)
    open_database(empty_target).close()
    with engine_of(empty_target) as engine, engine.connect() as connection:
        assert migrate.connection_revision(connection) == HEAD
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_schools_of_a_second_revision_database_get_the_default_profile(
        empty_target: Target) -> None:
    at_revision(empty_target, "0002_staff_routes")
    with engine_of(empty_target) as engine, engine.begin() as connection:
        school_id = _insert(connection, "INSERT INTO schools (name, timezone, "
                            "evacuation_target_seconds, country, address) VALUES "
                            "('郑家镇东小学', 'Asia/Shanghai', 180, 'CN', '')")
    db = open_database(empty_target)
    try:
        from drillplanner.services import calendar

        assert schools.get_school(db, school_id).compliance_profile == "cn_moe_2014"
        assert calendar.list_school_years(db, school_id) == []
    finally:
        db.close()


# Every earlier revision, holding what the app writes ------------------------------------------


def _fill(target: str) -> None:
    """The demo schools (with their drills and headcounts) and an account."""
    database = open_database(target)
    try:
        load_demo(database)
        users.add_user(database, "admin", "correct horse 1", roles={"admin"})
    finally:
        database.close()


Rows = dict[str, list[dict[str, Any]]]


def _columns(connection: Connection) -> dict[str, list[str]]:
    inspector = inspect(connection)
    return {table: sorted(c["name"] for c in inspector.get_columns(table))
            for table in inspector.get_table_names() if table != "alembic_version"}


def _rows(connection: Connection, columns: dict[str, list[str]]) -> Rows:
    return {table: [dict(row) for row in connection.execute(
                text(f'SELECT * FROM "{table}"')).mappings()] for table in columns}


def _only(rows: Rows, columns: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted((tuple(row[n] for n in columns[table]) for row in table_rows),
                          key=repr) for table, table_rows in rows.items()}


@pytest.mark.parametrize("revision", KNOWN_REVISIONS[:-1])
def test_each_earlier_revision_with_the_apps_rows_upgrades_keeping_them(
        copy_of: Any, revision: str) -> None:
    """The demo database taken back to ``revision`` (Alembic's downgrade) is what that
    build held; opening it upgrades it, and every row and column it had is still there,
    the chain of its audit log whole, and new rows follow the old ones."""
    target = copy_of("demo_account", _fill, "school.sqlite3")
    with engine_of(target) as engine:
        command.downgrade(migrate.alembic_config(engine), revision)
        with engine.connect() as connection:
            old_columns = _columns(connection)
            before = _rows(connection, old_columns)
    db = open_database(target)
    try:
        with db.engine.connect() as connection:
            now = _columns(connection)
            kept = {table: [n for n in names if n in now[table]]
                    for table, names in old_columns.items()}
            assert _only(_rows(connection, kept), kept) == _only(before, kept)
        assert audit.verify(db) is None
        # The account came with revision 0006; before it, nobody needs to sign in.
        with (authorization.acting_as(users.actor_of(db, "admin")) if "users" in old_columns
              else contextlib.nullcontext()):
            school = schools.add_school(db, "新学校").value
            grade = classes.add_grade(db, school.id, "一年级").value
            classes.add_class(db, school.id, grade.id, "1班", 30)
            if "drill_runs" in old_columns:
                assert drills.list_runs(db, schools.find_school(db, "郑家镇东小学").id)
    finally:
        db.close()
