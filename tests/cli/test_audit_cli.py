"""``drillplanner audit list|verify``: the log of a command's writes, its JSON, and exit
statuses of the chain check after raw SQL changed the database."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import raw_sql
from drill_school import OTHER, SCHOOL
from in_process import ok, run

from drillplanner.cli.audit import set_command_line_actor
from drillplanner.services import audit
from drillplanner.storage.audit import os_login

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(autouse=True)
def _no_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRILLPLANNER_USER", raising=False)


def listed(capsys: pytest.CaptureFixture[str], db: Path, *args: object) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(ok(capsys, "audit", "list", "--db", db,
                                                "--format", "json", *args))
    return found


def tamper(db: Path | str, sql: str, **params: object) -> None:
    """Change the database behind the app's back, as a database shell would."""
    raw_sql.execute(db, sql, **params)


def test_a_commands_write_is_listed_with_who_and_old_new(
        capsys: pytest.CaptureFixture[str], drill_db: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run_id = ok(capsys, "drill", "start", "--adhoc", "--kind", "fire", "--db", drill_db,
                "--school", SCHOOL, "-q").strip()
    monkeypatch.setenv("DRILLPLANNER_USER", "张主任")
    ok(capsys, "drill", "record", run_id, "--weather", "晴", "--db", drill_db)
    entries = listed(capsys, drill_db, "--drill", run_id)
    newest = entries[0]
    assert set(newest) == {"id", "at", "actor", "school_id", "school", "run_id", "entity",
                           "entity_id", "action", "old", "new", "reason", "hash"}
    assert (newest["entity"], newest["entity_id"], newest["action"], newest["actor"]) == (
        "drill_runs", run_id, "update", "张主任")
    assert (newest["old"], newest["new"]) == ({"weather": ""}, {"weather": "晴"})
    assert newest["at"].endswith("+08:00") and newest["school"] == SCHOOL
    started = [e for e in entries if e["entity"] == "drill_runs" and e["action"] == "insert"]
    assert started and started[0]["actor"] == os_login() and started[0]["old"] is None
    assert all(e["run_id"] == int(run_id) for e in entries)

    table = ok(capsys, "audit", "list", "--db", drill_db, "--drill", f"#{run_id}")
    assert table.splitlines()[0].split()[:5] == ["#", "When", "Changed", "by", "School"]
    assert "weather: “” → “晴”" in table and "张主任" in table


def test_filters_by_school_entity_and_day(capsys: pytest.CaptureFixture[str],
                                          drill_db: Path) -> None:
    everything = listed(capsys, drill_db, "--limit", "0")
    assert {e["school"] for e in everything} == {SCHOOL, OTHER}
    other = listed(capsys, drill_db, "--school", OTHER)
    assert other and {e["school"] for e in other} == {OTHER}
    classes = listed(capsys, drill_db, "--entity", "classes")
    assert len(classes) == 4 and {e["entity"] for e in classes} == {"classes"}
    assert listed(capsys, drill_db, "--since", "2100-01-01") == []
    assert len(listed(capsys, drill_db, "--limit", "2")) == 2
    assert ok(capsys, "audit", "list", "--db", drill_db, "--since", "2100-01-01") == (
        "No changes match.\n")
    code, _out, err = run(capsys, "audit", "list", "--db", drill_db, "--since", "yesterday")
    assert code == 1 and "--since" in err


def test_verify_whole_altered_and_removed(capsys: pytest.CaptureFixture[str],
                                          drill_db: Path) -> None:
    rows = len(listed(capsys, drill_db, "--limit", "0"))
    code, out, _err = run(capsys, "audit", "verify", "--db", drill_db)
    assert code == 0
    assert out.splitlines()[0] == f"chain whole: {rows} rows"
    latest = out.splitlines()[1].removeprefix("latest hash: ")
    code, out, _err = run(capsys, "audit", "verify", "--db", drill_db, "--hash", latest)
    assert code == 0 and f"is row {rows} of the audit log" in out

    # The first class's enrolment, 40, made 41 in a database shell.
    first_class = min(e["id"] for e in listed(capsys, drill_db, "--entity", "classes"))
    tamper(drill_db, f"UPDATE audit_log SET new = replace(new, :old, :new) WHERE id = "
                     f"{first_class}", old='"enrolled":40', new='"enrolled":41')
    code, out, _err = run(capsys, "audit", "verify", "--db", drill_db)
    assert code == 1
    assert out == (f"chain broken: row {first_class} was altered: its content no longer "
                   "matches its hash.\n")
    result = json.loads(ok_or(capsys, 1, "audit", "verify", "--db", drill_db,
                              "--format", "json"))
    assert result["whole"] is False
    assert result["problem"]["row"] == first_class and result["problem"]["kind"] == "altered"

    tamper(drill_db, "DELETE FROM audit_log WHERE id = 2")
    code, out, _err = run(capsys, "audit", "verify", "--db", drill_db)
    assert code == 1 and out.startswith("chain broken: row 2 was removed")


def test_a_printed_hash_that_is_gone_fails(capsys: pytest.CaptureFixture[str],
                                           drill_db: Path) -> None:
    newest = listed(capsys, drill_db, "--limit", "1")[0]
    tamper(drill_db, f"DELETE FROM audit_log WHERE id = {newest['id']}")
    code, out, _err = run(capsys, "audit", "verify", "--db", drill_db, "--hash",
                          newest["hash"])
    assert code == 1
    assert out.splitlines()[0].startswith("chain whole:")  # the chain alone cannot tell
    assert "No row of the audit log has the hash" in out
    result = json.loads(ok_or(capsys, 1, "audit", "verify", "--db", drill_db, "--hash",
                              newest["hash"], "--format", "json"))
    assert result["whole"] is True and result["hash"] == {"hash": newest["hash"], "row": None}


def ok_or(capsys: pytest.CaptureFixture[str], expected: int, *args: object) -> str:
    code, out, err = run(capsys, *args)
    assert code == expected, err
    return out


def test_the_actor_comes_from_the_environment_else_the_login() -> None:
    set_command_line_actor({"DRILLPLANNER_USER": " 李老师 "})
    assert audit.current_actor() == "李老师"
    set_command_line_actor({})
    assert audit.current_actor() == os_login()


def test_the_real_command_names_its_user(cli: RunCli, drill_db: Path) -> None:
    cli("school", "add", "新学校", "--db", drill_db, env={"DRILLPLANNER_USER": "赵老师"},
        check_rc=0)
    result = cli("audit", "list", "--db", drill_db, "--entity", "schools", "--format", "json",
                 "--limit", "1", check_rc=0)
    assert json.loads(result.stdout)[0]["actor"] == "赵老师"
    assert cli("audit", "verify", "--db", drill_db, check_rc=0).stdout.startswith(
        "chain whole:")


def test_the_demo_database_has_a_whole_chain(cli: RunCli, demo_db: Path) -> None:
    result = cli("audit", "verify", "--db", demo_db, "--format", "json", check_rc=0)
    found = json.loads(result.stdout)
    assert found["whole"] is True and found["rows"] > 100
