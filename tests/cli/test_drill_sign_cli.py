"""``drillplanner drill sign`` and the record after the all clear: corrections and amendments
need --reason, the notification is blank until recorded, and an all clear with students
still missing is kept with the record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from drill_school import CLASSES, SCHOOL, full_name
from in_process import ok, run

DAY = "2026-10-14"


def shown(capsys: pytest.CaptureFixture[str], db: Path, run_id: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(ok(capsys, "drill", "show", run_id, "--db", db,
                                              "--format", "json"))
    return record


def held(capsys: pytest.CaptureFixture[str], db: Path, *, missing: int = 0) -> str:
    """A fire drill in which every class reported (the first with ``missing`` students
    missing), all clear at 10:08."""
    run_id = ok(capsys, "drill", "start", "--adhoc", "--kind", "fire", "--school", SCHOOL,
                "--at", f"{DAY} 10:00", "--db", db, "-q").strip()
    for number, (grade, name, enrolled) in enumerate(CLASSES):
        lost = missing if number == 0 else 0
        ok(capsys, "headcount", "set", run_id, "--db", db, "--class", full_name(grade, name),
           "--present", enrolled - lost, "--missing", lost, "--at", "10:02")
    code, _out, err = run(capsys, "drill", "finish", run_id, "--db", db, "--at", "10:08")
    assert code == 0, err
    return run_id


def test_an_all_clear_with_a_student_missing_is_kept_with_the_record(
        capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = ok(capsys, "drill", "start", "--adhoc", "--kind", "fire", "--school", SCHOOL,
                "--at", f"{DAY} 10:00", "--db", drill_db, "-q").strip()
    grade, name, enrolled = CLASSES[0]
    ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", full_name(grade, name),
       "--present", enrolled - 1, "--missing", 1, "--at", "10:02")
    code, _out, err = run(capsys, "drill", "finish", run_id, "--db", drill_db, "--at", "10:08")
    assert code == 0
    assert "2 classes have not reported" in err and "1 student is still missing" in err
    assert "printed on its report" in err
    record = shown(capsys, drill_db, run_id)
    assert (record["unreported_at_all_clear"], record["missing_at_all_clear"]) == (2, 1)
    table = ok(capsys, "drill", "show", run_id, "--db", drill_db)
    assert ("All clear given before everyone was accounted for: 2 classes had not reported, "
            "1 student was still missing.") in table


def test_the_notification_is_blank_until_recorded(capsys: pytest.CaptureFixture[str],
                                                  drill_db: Path) -> None:
    run_id = held(capsys, drill_db)
    record = shown(capsys, drill_db, run_id)
    assert record["details"]["notification"] is None
    assert record["stage"] == "completed" and record["signed_by"] is None
    table = ok(capsys, "drill", "show", run_id, "--db", drill_db)
    assert "Notification" not in table and "Bell" not in table
    out = ok(capsys, "drill", "record", run_id, "--db", drill_db, "--conducted-by", "李主任")
    assert "Notification: -" in out


def test_after_the_all_clear_a_change_needs_a_reason(capsys: pytest.CaptureFixture[str],
                                                     drill_db: Path) -> None:
    run_id = held(capsys, drill_db)
    # Writing up the blank record after the all clear is the write-up.
    ok(capsys, "drill", "record", run_id, "--db", drill_db, "--conducted-by", "李主任",
       "--notification", "bell")
    # Changing it is a correction: refused without --reason, and the error says so.
    code, _out, err = run(capsys, "drill", "record", run_id, "--db", drill_db,
                          "--notification", "pa")
    assert code == 1
    assert "correction that needs a reason" in err and "--reason TEXT" in err
    assert shown(capsys, drill_db, run_id)["details"]["notification"] == "bell"
    out = ok(capsys, "drill", "record", run_id, "--db", drill_db, "--notification", "pa",
             "--reason", "记错了")
    assert "Notification: Public address" in out and "Reason for the change: 记错了" in out
    assert shown(capsys, drill_db, run_id)["details"]["notification"] == "pa"
    # The audit log has the correction with its reason.
    listed = json.loads(ok(capsys, "audit", "list", "--drill", run_id, "--db", drill_db,
                           "--format", "json"))
    assert any(entry["reason"] == "记错了" for entry in listed)


def test_sign_locks_the_record_and_amendments_need_a_reason(
        capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    running = ok(capsys, "drill", "start", "--adhoc", "--kind", "fire", "--school", SCHOOL,
                 "--db", drill_db, "-q").strip()
    code, _out, err = run(capsys, "drill", "sign", running, "--db", drill_db, "--by", "陆秀兰")
    assert code == 1 and "Only a completed drill can be signed off" in err
    ok(capsys, "drill", "cancel", running, "--db", drill_db, "--reason", "演练取消")
    code, _out, err = run(capsys, "drill", "sign", running, "--db", drill_db)
    assert code == 2 and "--by" in err

    run_id = held(capsys, drill_db)
    out = ok(capsys, "drill", "sign", run_id, "--db", drill_db, "--by", "陆秀兰")
    assert "Signed off by 陆秀兰 at 2" in out and "amendment" in out
    record = shown(capsys, drill_db, run_id)
    assert record["stage"] == "signed" and record["signed_by"] == "陆秀兰"
    assert record["signed_at"] is not None
    assert "Sign-off: Signed off by 陆秀兰" in ok(capsys, "drill", "show", run_id, "--db",
                                                  drill_db)
    code, _out, err = run(capsys, "drill", "sign", run_id, "--db", drill_db, "--by", "李主任")
    assert code == 1 and "already signed off by 陆秀兰" in err

    # Locked: even a blank filled in is an amendment.
    for command in (("record", run_id, "--weather", "晴"),
                    ("action", run_id, "--add", "增派引导教师"),
                    ("post", run_id, "--assign", str(record["posts"][0]["id"]), "--staff",
                     "赵老师")):
        code, _out, err = run(capsys, "drill", *command, "--db", drill_db)
        assert code == 1, command
        assert "signed off by 陆秀兰" in err and "--reason TEXT" in err
    assert shown(capsys, drill_db, run_id)["details"]["weather"] == ""
    ok(capsys, "drill", "record", run_id, "--db", drill_db, "--weather", "晴", "--reason",
       "补记天气")
    ok(capsys, "drill", "action", run_id, "--db", drill_db, "--add", "增派引导教师",
       "--reason", "校务会决定")
    after = shown(capsys, drill_db, run_id)
    assert after["details"]["weather"] == "晴" and after["signed_by"] == "陆秀兰"
    # Marking an action done is follow-up: no reason asked.
    action = str(after["actions"][0]["id"])
    ok(capsys, "drill", "action", run_id, "--db", drill_db, "--done", action)
    code, _out, err = run(capsys, "drill", "action", run_id, "--db", drill_db, "--done",
                          action, "--reason", "x")
    assert code == 2
