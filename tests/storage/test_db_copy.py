"""Copying a database, or one school, into another (``services.db_copy``, ``storage/copy*``):
into a SQLite file and into PostgreSQL (the ``backend`` of ``db_target``), every row, the
audit chain whole, nothing written when refused or failing half way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from copy_source import (
    OTHER,
    PASSWORD,
    PROFILE,
    SCHOOL,
    SMALL,
    fill_source,
    raw_dump,
    school_dump,
    source_file,
)
from pg_cluster import PostgresCluster
from sqlalchemy import Integer, text

from drillplanner.domain.db_copy import CopyRefused
from drillplanner.domain.errors import NotFoundError
from drillplanner.domain.events import Event
from drillplanner.domain.permissions import PermissionDenied, Role
from drillplanner.services import (
    audit,
    authorization,
    classes,
    db_copy,
    drills,
    headcounts,
    schedule,
    schools,
    users,
)
from drillplanner.storage import copy as storage_copy
from drillplanner.storage import copy_school
from drillplanner.storage.copy_scope import SOFT_REFERENCES, copy_order, references
from drillplanner.storage.database import Database, open_database


@pytest.fixture(scope="module")
def source_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("copy-source") / "source.sqlite3"
    fill_source(str(path))
    return path


@pytest.fixture
def source(source_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_database(source_file(source_template, tmp_path))
    yield database
    database.close()


@pytest.fixture
def target(db_target: Path | str) -> Iterator[Database]:
    """An empty database of this test's engine (a new SQLite file or PostgreSQL)."""
    database = open_database(db_target)
    yield database
    database.close()


def _run_of(db: Database, school_id: int) -> int:
    """The drill of the source's extra fire drill (the one with corrections)."""
    return max(r.id for r in drills.list_runs(db, school_id))


# Everything --------------------------------------------------------------------------------


def test_everything_is_copied_with_its_ids_and_audit_chain(source: Database,
                                                          target: Database) -> None:
    school = schools.find_school(source, SCHOOL)
    signed_hash = audit.latest_hash(source, _run_of(source, school.id))

    report = db_copy.copy_database(target, source).value

    assert report.ok and report.log_whole and not report.notes
    counts = {c.table: (c.source, c.target) for c in report.counts}
    assert counts["schools"] == (4, 4) and counts["users"] == (5, 5)
    assert counts["compliance_profiles"] == (1, 1) and counts["audit_log"][0] > 800
    assert set(counts) == {t.name for t in copy_order()}
    assert raw_dump(target) == raw_dump(source)  # row for row, ids and hashes included
    assert audit.verify(target) is None
    assert signed_hash is not None and audit.find_hash(target, signed_hash) is not None
    # The copy's accounts sign in there.
    assert users.authenticate(target, "principal", PASSWORD).value.login == "principal"


def test_after_a_copy_the_target_numbers_new_rows_after_the_copied_ones(
        source: Database, target: Database) -> None:
    db_copy.copy_database(target, source)
    with authorization.acting_as(users.actor_of(target, "admin")):
        added = schools.add_school(target, "新学校").value
        grade = classes.add_grade(target, added.id, "一年级").value
        new_class = classes.add_class(target, added.id, grade.id, "1班", 30).value
    assert added.id == 5
    highest = max(c.id for s in schools.list_schools(source)
                  for c in classes.list_classes(source, s.id))
    assert new_class.id > highest
    assert audit.verify(target) is None


def test_a_whole_copy_goes_only_into_an_empty_database(source: Database,
                                                       target: Database) -> None:
    schools.add_school(target, "Lincoln Elementary", timezone="America/New_York")
    before = raw_dump(target)
    with pytest.raises(CopyRefused, match=r"is not empty .* --school"):
        db_copy.copy_database(target, source)
    assert raw_dump(target) == before


def test_a_school_already_there_is_refused_by_name(source: Database,
                                                   target: Database) -> None:
    db_copy.copy_database(target, source, school=SMALL)
    before = raw_dump(target)
    for school in (SMALL, None):
        with pytest.raises(CopyRefused, match=f"“{SMALL}” is already in"):
            db_copy.copy_database(target, source, school=school)
    assert raw_dump(target) == before


@pytest.mark.parametrize(("school", "module", "failing_table"), [
    (None, storage_copy, "headcounts"), (SCHOOL, copy_school, "audit_log")])
def test_a_failure_half_way_leaves_the_target_as_it_was(
        source: Database, target: Database, monkeypatch: pytest.MonkeyPatch,
        school: str | None, module: Any, failing_table: str) -> None:
    if school is not None:  # one school goes into a target that holds others
        schools.add_school(target, "Lincoln Elementary")
    insert_chunk = module.insert_chunk

    def failing(connection: Any, table: Any, rows: Any) -> None:
        if table.name == failing_table:
            raise RuntimeError("the server went away")
        insert_chunk(connection, table, rows)

    monkeypatch.setattr(module, "insert_chunk", failing)
    before = raw_dump(target)
    with pytest.raises(RuntimeError, match="went away"):
        db_copy.copy_database(target, source, school=school)
    assert raw_dump(target) == before


def test_a_school_overseen_by_one_added_after_it_keeps_the_link(
        target: Database, tmp_path: Path) -> None:
    small = open_database(tmp_path / "small.sqlite3")
    try:
        first = schools.add_school(small, "村小").value
        central = schools.add_school(small, "中心校").value
        schools.update_school(small, first.id, {"parent_id": central.id})
        assert db_copy.copy_database(target, small).value.ok
    finally:
        small.close()
    assert schools.find_school(target, "村小").parent_id == central.id
    assert audit.verify(target) is None


# One school ----------------------------------------------------------------------------------


@pytest.fixture
def busy_target(target: Database) -> Database:
    """A target that already holds schools with records, so the copy's ids collide."""
    schools.add_school(target, "Washington Middle School", timezone="America/New_York",
                       country="US")
    school = schools.add_school(target, "Lincoln Elementary", timezone="America/New_York",
                                country="US").value
    for number in range(1, 4):
        grade = classes.add_grade(target, school.id, f"Grade {number}").value
        classes.add_class(target, school.id, grade.id, f"{number}A", 25)
    return target


def test_one_school_is_renumbered_next_to_the_others(source: Database,
                                                     busy_target: Database) -> None:
    school = schools.find_school(source, SCHOOL)
    log_before = audit.check(busy_target).rows

    report = db_copy.copy_database(busy_target, source, school=SCHOOL).value

    assert report.ok and report.log_whole and report.school == SCHOOL
    copied = schools.find_school(busy_target, SCHOOL)
    assert copied.compliance_profile == PROFILE
    assert copied.id != school.id
    assert [s.name for s in schools.list_schools(busy_target)] == sorted(
        ["Lincoln Elementary", "Washington Middle School", SCHOOL])
    assert school_dump(busy_target, copied.id) == school_dump(source, school.id)
    counts = {c.table: c.target for c in report.counts}
    assert counts["users"] == 3 and counts["user_roles"] == 4
    assert counts["audit_log"] == audit.check(busy_target).rows - log_before
    assert audit.verify(busy_target) is None
    # The drill reads the same: its figures, corrections and amendments.
    ours, theirs = _run_of(source, school.id), _run_of(busy_target, copied.id)
    assert headcounts.rollup(busy_target, theirs).totals == headcounts.rollup(
        source, ours).totals
    assert len(headcounts.corrections(busy_target, theirs)) == len(
        headcounts.corrections(source, ours)) == 1
    assert (_changes(busy_target, theirs) == _changes(source, ours)) and _changes(source, ours)
    # Accounts of the school, not of others or of every school.
    logins = {u.login for u in users.list_users(busy_target)}
    assert logins == {"principal", "teacher", "leader"}


def _changes(db: Database, run_id: int) -> list[tuple[object, ...]]:
    """The drill's audit entries as the Changes view shows them, without their numbers."""
    return [(e.at, e.actor, e.entity, e.action, e.reason, e.school,
             [(f.name, f.old, f.new) for f in e.fields if not f.name.endswith("id")])
            for e in audit.list_entries(db, run_id=run_id, limit=None)]


def test_a_school_overseen_by_another_is_linked_when_that_one_is_there(
        source: Database, target: Database, tmp_path: Path) -> None:
    names = [s.name for s in schools.list_schools(source)]
    child = next(n for n in names if n.endswith("高马小学"))
    parent = child.removesuffix("高马小学")
    alone = db_copy.copy_database(target, source, school=child).value
    assert len(alone.notes) == 1 and f"“{parent}”" in alone.notes[0]
    assert schools.find_school(target, child).parent_id is None
    both = open_database(tmp_path / "both.sqlite3")
    try:
        db_copy.copy_database(both, source, school=parent)
        after_parent = db_copy.copy_database(both, source, school=child).value
        assert not after_parent.notes
        assert schools.find_school(both, child).parent_id == schools.find_school(
            both, parent).id
    finally:
        both.close()


def test_a_login_or_event_already_there_is_refused(source: Database,
                                                   target: Database) -> None:
    users.add_user(target, "teacher", PASSWORD, [Role.ADMIN])
    before = raw_dump(target)
    with (authorization.acting_as(users.actor_of(target, "teacher")),
          pytest.raises(CopyRefused, match="login “teacher” is already taken")):
        db_copy.copy_database(target, source, school=SCHOOL)
    assert raw_dump(target) == before
    event = next(e for e in schedule.list_events(source, schools.find_school(
        source, OTHER).id))
    with authorization.acting_as(users.actor_of(target, "teacher")):
        school = schools.add_school(target, "Another school").value
        schedule.add_event(target, Event(id=0, school_id=school.id, kind=event.kind,
                                         title="Same uid", start=event.start,
                                         duration=event.duration, uid=event.uid))
        before = raw_dump(target)
        with pytest.raises(CopyRefused, match=r"calendar id \(UID\)"):
            db_copy.copy_database(target, source, school=OTHER)
    assert raw_dump(target) == before


def test_one_school_is_copied_only_from_a_whole_audit_chain(source: Database,
                                                            target: Database) -> None:
    """Its entries are chained anew in the target: an altered one would pass for whole."""
    with source.write() as session:  # behind the app's back
        session.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE id = 5"))
    before = raw_dump(target)
    with pytest.raises(CopyRefused, match=r"row 5 was altered.*nothing was copied"):
        db_copy.copy_database(target, source, school=SMALL)
    assert raw_dump(target) == before
    report = db_copy.copy_database(target, source).value  # kept as it is, break and all
    assert report.ok and report.log_whole is False
    assert audit.verify(target) == audit.verify(source)


def test_copying_schools_in_is_for_an_admin_of_every_school(source: Database,
                                                            target: Database) -> None:
    school = schools.add_school(target, "Another school").value
    users.add_user(target, "boss", PASSWORD, [Role.ADMIN])
    with authorization.acting_as(users.actor_of(target, "boss")):
        users.add_user(target, "local", PASSWORD, [Role.ADMIN], school_id=school.id)
        users.add_user(target, "viewer", PASSWORD, [Role.VIEWER])
    for login in ("local", "viewer"):
        with (authorization.acting_as(users.actor_of(target, login)),
              pytest.raises(PermissionDenied)):
            db_copy.copy_database(target, source, school=SCHOOL)
    with pytest.raises(PermissionDenied, match="sign in"):
        db_copy.copy_database(target, source, school=SCHOOL)
    with authorization.acting_as(users.actor_of(target, "boss")):
        assert db_copy.copy_database(target, source, school=SCHOOL).value.ok


def test_an_unknown_school_and_the_same_database_are_refused(source: Database) -> None:
    with pytest.raises(NotFoundError):
        db_copy.plan_copy(source, None, school="no such school", target_name="x")
    again = open_database(source.target.path)  # type: ignore[arg-type]
    try:
        with (authorization.acting_as(users.actor_of(source, "admin")),
              pytest.raises(CopyRefused, match="the same database")):
            db_copy.copy_database(again, source, school=SCHOOL)
    finally:
        again.close()


def test_a_dry_run_counts_and_checks_but_writes_nothing(source: Database,
                                                        target: Database) -> None:
    before = raw_dump(target)
    plan = db_copy.plan_copy(source, target, school=SCHOOL)
    assert plan.dry_run and plan.ok and plan.school == SCHOOL
    counts = {c.table: c.source for c in plan.counts}
    assert counts["schools"] == 1 and counts["users"] == 3 and counts["classes"] == 35
    assert raw_dump(target) == before
    whole = db_copy.plan_copy(source, target)
    assert whole.rows == sum(len(rows) for rows in raw_dump(source).values())


# The rules the copy relies on -------------------------------------------------------------------


def test_every_id_column_is_a_foreign_key_or_a_known_soft_reference() -> None:
    """A new ``…_id`` column without a foreign key would be copied unchanged into a school
    whose ids were renumbered: name it in copy_scope.SOFT_REFERENCES."""
    for table in copy_order():
        known = references(table)
        for column in table.columns:
            if column.name.endswith("_id") and isinstance(column.type, Integer):
                assert column.name in known, f"{table.name}.{column.name}"
    assert all(target in {t.name for t in copy_order()} for target in SOFT_REFERENCES.values())


def _server(cluster: PostgresCluster) -> Database:
    """A fresh, empty PostgreSQL database with the schema (a copy of the session's
    template)."""
    def migrated(url: str) -> None:
        open_database(url).close()

    return open_database(cluster.url(cluster.new_database(cluster.template("schema",
                                                                           migrated))))


def test_text_too_long_for_postgresql_is_refused_naming_the_row(
        source: Database, pg_cluster: PostgresCluster) -> None:
    with source.write() as session:  # SQLite keeps any length in a VARCHAR(n)
        session.execute(text("UPDATE staff SET name = :name WHERE id = 3"),
                        {"name": "很" * 120})
    server = _server(pg_cluster)
    try:
        with pytest.raises(CopyRefused, match=r"staff 3: the name “很+…” has 120 characters"):
            db_copy.copy_database(server, source)
        assert all(not rows for rows in raw_dump(server).values())
    finally:
        server.close()


def test_postgresql_to_sqlite_and_back_changes_nothing(
        source: Database, pg_cluster: PostgresCluster, tmp_path: Path) -> None:
    server = _server(pg_cluster)
    back = open_database(tmp_path / "back.sqlite3")
    try:
        assert db_copy.copy_database(server, source).value.ok
        report = db_copy.copy_database(back, server).value
        assert report.ok and report.log_whole
        assert raw_dump(back) == raw_dump(source)
    finally:
        server.close()
        back.close()
