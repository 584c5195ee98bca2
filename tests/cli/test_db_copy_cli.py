"""``drillplanner db copy FROM TO``: the demo's SQLite file copied into a new SQLite file and
into PostgreSQL (``db_target`` of either engine), counts printed, ``audit verify`` passing on
the copy, refusals leaving the target alone, the source's revision dealt with first."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from in_process import ok, run
from read_only_places import ReadOnlyPlaces, files_beside
from sqlalchemy import create_engine

from drillplanner.domain.permissions import Role
from drillplanner.services import classes, schools, users
from drillplanner.storage import migrate
from drillplanner.storage.copy_scope import count_rows
from drillplanner.storage.database import open_database
from drillplanner.storage.schema import KNOWN_REVISIONS

SCHOOL = "郑家镇东小学"
PASSWORD = "correct horse battery"


@pytest.fixture
def demo_file(demo_template: Path, tmp_path: Path) -> Path:
    """The demo as a SQLite file, whatever engine the test's target is: the move up."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


def _counts(where: Path | str) -> dict[str, int]:
    database = open_database(where)
    try:
        with database.read() as session:
            return count_rows(session.connection(), None)
    finally:
        database.close()


def test_everything_is_copied_counted_and_the_copy_verifies(
        capsys: pytest.CaptureFixture[str], demo_file: Path, db_target: Path | str) -> None:
    out = ok(capsys, "db", "copy", demo_file, db_target)
    assert "Copied every school from" in out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines()
             if line and line.split()[0] in ("schools", "classes", "headcounts", "audit_log")}
    assert lines["schools"] == ["4", "4", "same"] and lines["classes"] == ["63", "63", "same"]
    assert lines["audit_log"][2] == "same" and "DIFFERENT" not in out
    assert "is whole" in out
    assert _counts(db_target) == _counts(demo_file)
    before = ok(capsys, "audit", "verify", "--db", demo_file)
    assert ok(capsys, "audit", "verify", "--db", db_target) == before  # the same chain
    assert before.startswith("chain whole: ")
    listed = ok(capsys, "school", "list", "--db", db_target)
    assert SCHOOL in listed and "聊城市实验小学" in listed


def test_one_school_is_copied_alone(capsys: pytest.CaptureFixture[str], demo_file: Path,
                                    db_target: Path | str) -> None:
    out = ok(capsys, "db", "copy", demo_file, db_target, "--school", SCHOOL)
    assert f"Copied the school “{SCHOOL}”" in out
    listed = ok(capsys, "school", "list", "--db", db_target)
    assert SCHOOL in listed and "聊城市实验小学" not in listed
    assert run(capsys, "audit", "verify", "--db", db_target)[0] == 0


def test_a_refused_copy_leaves_the_target_as_it_was(
        capsys: pytest.CaptureFixture[str], demo_file: Path, db_target: Path | str) -> None:
    ok(capsys, "db", "copy", demo_file, db_target, "--school", SCHOOL)
    before = _counts(db_target)
    for extra in (["--school", SCHOOL], []):
        code, out, err = run(capsys, "db", "copy", demo_file, db_target, *extra)
        assert code == 1 and not out
        assert f"The school “{SCHOOL}” is already in" in err and "nothing was copied" in err
    assert _counts(db_target) == before


def test_a_dry_run_shows_the_rows_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path) -> None:
    new = tmp_path / "server-to-be.sqlite3"
    out = ok(capsys, "db", "copy", demo_file, new, "--dry-run", "--school", SCHOOL)
    assert f"Would copy the school “{SCHOOL}”" in out
    assert "does not exist yet" in out and "Nothing was written" in out
    assert not new.exists()
    report = json.loads(ok(capsys, "db", "copy", demo_file, new, "--dry-run", "--format",
                           "json"))
    assert report["dry_run"] and report["school"] is None and report["audit_log"] is None
    rows = {c["table"]: c["source"] for c in report["counts"]}
    assert rows["schools"] == 4 and report["rows"] == sum(rows.values())
    assert not new.exists()


def test_json_after_a_copy(capsys: pytest.CaptureFixture[str], demo_file: Path,
                           tmp_path: Path) -> None:
    report = json.loads(ok(capsys, "db", "copy", demo_file, tmp_path / "copy.sqlite3",
                           "--format", "json"))
    assert report["ok"] and report["audit_log"]["whole"]
    assert all(c["source"] == c["target"] for c in report["counts"])


def test_a_missing_source_is_said(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "db", "copy", tmp_path / "nowhere.sqlite3",
                       tmp_path / "copy.sqlite3")
    assert code == 1 and "does not exist: nothing to copy" in err
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_target_with_accounts_asks_who_adds_the_school(
        capsys: pytest.CaptureFixture[str], demo_file: Path, db_target: Path | str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    database = open_database(db_target)
    try:
        school = schools.add_school(database, "Lincoln Elementary").value
        grade = classes.add_grade(database, school.id, "Grade 1").value
        classes.add_class(database, school.id, grade.id, "1A", 25)
        users.add_user(database, "admin", PASSWORD, [Role.ADMIN])
    finally:
        database.close()
    code, _, err = run(capsys, "db", "copy", demo_file, db_target, "--school", SCHOOL)
    assert code == 1 and "has user accounts" in err
    monkeypatch.setenv("DRILLPLANNER_PASSWORD", PASSWORD)
    ok(capsys, "db", "copy", demo_file, db_target, "--school", SCHOOL, "--user", "admin")
    assert run(capsys, "audit", "verify", "--db", db_target, "--user", "admin")[0] == 0


def test_the_installed_command_copies_into_postgresql(cli: object, demo_file: Path,
                                                      pg_cluster: object) -> None:
    """Into a database just made on the server, as the README says: no tables yet."""
    url = pg_cluster.url(pg_cluster.new_database())  # type: ignore[attr-defined]
    done = cli("db", "copy", demo_file, url, check_rc=0)  # type: ignore[operator]
    assert "audit_log" in done.stdout and "DIFFERENT" not in done.stdout
    assert "postgresql+psycopg://postgres@127.0.0.1" in done.stdout
    cli("audit", "verify", "--db", url, check_rc=0)  # type: ignore[operator]


# The source's revision ---------------------------------------------------------------------------


@pytest.fixture
def read_only_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                    ) -> Iterator[ReadOnlyPlaces]:
    places = ReadOnlyPlaces(tmp_path, monkeypatch)
    yield places
    places.close()


def _old_database(path: Path) -> Path:
    """An empty database of the first schema revision."""
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, KNOWN_REVISIONS[0])
    engine.dispose()
    return path


def test_an_older_source_is_upgraded_first_with_a_copy_kept(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = _old_database(tmp_path / "old.sqlite3")
    ok(capsys, "db", "copy", old, tmp_path / "copy.sqlite3")
    assert any(name.startswith(f"old.before-{KNOWN_REVISIONS[0]}-")
               for name in files_beside(old))
    assert migrate.sqlite_revision(old) == migrate.sqlite_revision(
        tmp_path / "copy.sqlite3") == KNOWN_REVISIONS[-1]


def test_an_older_read_only_source_is_refused_and_nothing_made(
        capsys: pytest.CaptureFixture[str], read_only_place: ReadOnlyPlaces,
        tmp_path: Path) -> None:
    old = read_only_place.folder(_old_database(tmp_path / "old.sqlite3"))
    code, _, err = run(capsys, "db", "copy", old, tmp_path / "copy.sqlite3")
    assert code == 1 and "where it can be written to upgrade it" in err
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_read_only_source_is_copied_untouched(
        capsys: pytest.CaptureFixture[str], read_only_place: ReadOnlyPlaces, demo_file: Path,
        db_target: Path | str) -> None:
    source = read_only_place.folder(demo_file)
    before = files_beside(source)
    ok(capsys, "db", "copy", source, db_target, "--school", SCHOOL)
    assert files_beside(source) == before
    assert run(capsys, "audit", "verify", "--db", db_target)[0] == 0


def test_the_databases_are_from_and_to_not_db(capsys: pytest.CaptureFixture[str],
                                               demo_file: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", demo_file, "db", "copy", demo_file,
                       tmp_path / "copy.sqlite3")
    assert code == 2 and "FROM and TO, not --db" in err
    assert "--db" not in run(capsys, "db", "copy", "--help")[1]
