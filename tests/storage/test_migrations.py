"""Migrations: scripts match the models, every old revision upgrades with its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from drillplanner.services import classes, staff
from drillplanner.storage import migrate
from drillplanner.storage.database import Database, open_database
from drillplanner.storage.schema import HEAD, KNOWN_REVISIONS
from drillplanner.storage.tables import Base


def test_known_revisions_match_the_scripts() -> None:
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    scripts = ScriptDirectory.from_config(migrate.alembic_config(engine))
    chain = [rev.revision for rev in scripts.walk_revisions()]
    assert tuple(reversed(chain)) == KNOWN_REVISIONS
    assert scripts.get_current_head() == HEAD


def test_migrated_schema_equals_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def _database_at_first_revision(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001_initial")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO schools (id, name, timezone, evacuation_target_seconds, country, address)"
            " VALUES (1, '聊城市实验小学', 'Asia/Shanghai', 180, 'CN', '')"))
        connection.execute(text("INSERT INTO grades (id, school_id, name, ordinal) "
                                "VALUES (1, 1, '一年级', 1)"))
        rows = [(1, "1班", "张丽"), (2, "2班", " 张丽 "), (3, "3班", "王芳"), (4, "4班", "")]
        for class_id, name, teacher in rows:
            connection.execute(text(
                "INSERT INTO classes (id, grade_id, name, enrolled, room, homeroom_teacher) "
                "VALUES (:i, 1, :n, 45, '101', :t)"), {"i": class_id, "n": name, "t": teacher})
    engine.dispose()


def test_first_revision_with_rows_upgrades_and_is_backed_up(db_path: Path) -> None:
    _database_at_first_revision(db_path)
    db = open_database(db_path)
    try:
        by_name = {c.name: c for c in classes.list_classes(db, 1)}
        assert set(by_name) == {"1班", "2班", "3班", "4班"}
        assert by_name["1班"].homeroom_teacher_name == "张丽"
        assert by_name["1班"].homeroom_teacher_id == by_name["2班"].homeroom_teacher_id
        assert by_name["3班"].homeroom_teacher_name == "王芳"
        assert by_name["4班"].homeroom_teacher_id is None
        assert all(c.enrolled == 45 and c.room == "101" for c in by_name.values())
        teachers = staff.list_staff(db, 1)
        assert [t.name for t in teachers] == sorted(["张丽", "王芳"])
        assert all(t.roles == {"homeroom_teacher"} for t in teachers)
    finally:
        db.close()
    backups = list(db_path.parent.glob("school.before-0001_initial-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0001_initial",)
        assert old.execute("SELECT homeroom_teacher FROM classes WHERE id = 3").fetchone() == (
            "王芳",)
    old.close()


def test_every_revision_upgrades_to_head(tmp_path: Path) -> None:
    for revision in KNOWN_REVISIONS:
        path = tmp_path / f"{revision}.sqlite3"
        engine = create_engine(f"sqlite:///{path}")
        migrate.upgrade(engine, revision)
        engine.dispose()
        open_database(path).close()
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
                HEAD,)
        connection.close()


def test_schools_of_a_second_revision_database_get_the_default_profile(db_path: Path) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    migrate.upgrade(engine, "0002_staff_routes")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO schools (id, name, timezone, evacuation_target_seconds, country, address)"
            " VALUES (7, '郑家镇东小学', 'Asia/Shanghai', 180, 'CN', '')"))
    engine.dispose()
    db = open_database(db_path)
    try:
        from drillplanner.services import calendar, schools

        assert schools.get_school(db, 7).compliance_profile == "cn_moe_2014"
        assert calendar.list_school_years(db, 7) == []
    finally:
        db.close()
