"""``drillplanner drill``, in this process: scheduled starts, the written record, posts,
corrective actions, cancelling and postponing, and listing with filters."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from drill_school import BUILDING, CLASSES, FLOORS, OTHER, SCHOOL, TEACHER
from in_process import ok, run

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = "2026-10-14"


def show(capsys: pytest.CaptureFixture[str], db: Path, run_id: str) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(ok(capsys, "drill", "show", run_id, "--db", db,
                                             "--format", "json"))
    return shown


def adhoc(capsys: pytest.CaptureFixture[str], db: Path, *args: object) -> str:
    return ok(capsys, "drill", "start", "--adhoc", "--db", db, "-q", *args).strip()


def add_event(capsys: pytest.CaptureFixture[str], db: Path, start: str, *args: str) -> int:
    out = ok(capsys, "schedule", "add", "--db", db, "--school", SCHOOL, "--kind", "earthquake",
             "--title", "地震疏散演练", "--start", start, *args)
    return int(out.split("#", 1)[1].split(" ", 1)[0])


def test_start_a_scheduled_occurrence(capsys: pytest.CaptureFixture[str],
                                      drill_db: Path) -> None:
    event = add_event(capsys, drill_db, f"{DAY} 10:00", "--grades", CLASSES[0][0])
    # EVENT alone: the occurrence on the day of --at.
    run_id = ok(capsys, "drill", "start", event, "--db", drill_db, "--at", f"{DAY} 10:02",
                "-q").strip()
    shown = show(capsys, drill_db, run_id)
    assert shown["occurrence_start"] == f"{DAY}T10:00"
    assert shown["alarm_at"] == datetime.fromisoformat(f"{DAY} 10:02").replace(
        tzinfo=SHANGHAI).isoformat()
    # Only the event's grade takes part.
    in_grade = [c for c in CLASSES if c[0] == CLASSES[0][0]]
    assert (shown["totals"]["classes"], shown["totals"]["enrolled"]) == (
        len(in_grade), sum(e for _g, _c, e in in_grade))
    ok(capsys, "drill", "cancel", run_id, "--db", drill_db, "--reason", "下雨")

    # Written up on another day without --at: the alarm is the scheduled start.
    run_id = ok(capsys, "drill", "start", f"{event}@{DAY}", "--db", drill_db, "-q").strip()
    assert show(capsys, drill_db, run_id)["alarm_at"] == datetime.fromisoformat(
        f"{DAY} 10:00").replace(tzinfo=SHANGHAI).isoformat()

    code, _out, err = run(capsys, "drill", "start", f"{event}@{DAY}", "--db", drill_db,
                          "--school", OTHER)
    assert code == 1 and SCHOOL in err
    code, _out, err = run(capsys, "drill", "start", f"{event}@{DAY}", "--kind", "fire",
                          "--db", drill_db)
    assert code == 2 and "--kind" in err
    code, _out, err = run(capsys, "drill", "start", "soon", "--db", drill_db)
    assert code == 1 and "EVENT@YYYY-MM-DD" in err


def test_start_today_without_a_date(capsys: pytest.CaptureFixture[str],
                                    drill_db: Path) -> None:
    today = datetime.now(SHANGHAI).date()
    event = add_event(capsys, drill_db, f"{today.isoformat()} 00:00")
    run_id = ok(capsys, "drill", "start", event, "--db", drill_db, "-q").strip()
    shown = show(capsys, drill_db, run_id)
    assert shown["occurrence_start"] == f"{today.isoformat()}T00:00"
    assert shown["status"] == "in_progress"


def test_the_written_record(capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = adhoc(capsys, drill_db, "--kind", "fire", "--school", SCHOOL, "--at",
                   f"{DAY} 10:00", "--title", "突击疏散演练", "--announced")
    ok(capsys, "drill", "record", run_id, "--db", drill_db, "--conducted-by", "李校长",
       "--notification", "pa", "--weather", "晴", "--conditions", "东楼梯封闭")
    ok(capsys, "drill", "record", run_id, "--db", drill_db, "--problems", "西楼梯拥堵",
       "--observers", "消防大队", "--notes", "第二次", "--staff-on-duty", "王老师、李老师")
    shown = show(capsys, drill_db, run_id)
    # The second write-up changes only its own fields.
    assert shown["details"] == {
        "conducted_by": "李校长", "notification": "pa", "staff_on_duty": "王老师、李老师",
        "conditions": "东楼梯封闭", "weather": "晴", "observers": "消防大队",
        "problems": "西楼梯拥堵", "notes": "第二次"}
    assert (shown["title"], shown["announced"]) == ("突击疏散演练", True)
    table = ok(capsys, "drill", "show", run_id, "--db", drill_db)
    assert "Notification: Public address" in table and "Conditions simulated: 东楼梯封闭" in table
    code, _out, _err = run(capsys, "drill", "record", run_id, "--db", drill_db,
                           "--notification", "pigeon")
    assert code == 2


def test_posts_and_actions(capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = adhoc(capsys, drill_db, "--kind", "fire", "--school", SCHOOL, "--at",
                   f"{DAY} 10:00")
    posts = show(capsys, drill_db, run_id)["posts"]
    assert len(posts) == FLOORS
    assert all(BUILDING in p["post"] for p in posts)
    first, second = (str(p["id"]) for p in posts)
    listing = ok(capsys, "drill", "post", run_id, "--db", drill_db)
    assert first in listing and second in listing

    ok(capsys, "drill", "post", run_id, "--db", drill_db, "--assign", first, "--staff",
       TEACHER)
    out = ok(capsys, "drill", "post", run_id, "--db", drill_db, "--clear", first, "--at",
             "10:01:05")
    assert "1:05 after the alarm" in out and TEACHER in out  # the post's staff confirms
    code, _out, err = run(capsys, "drill", "post", run_id, "--db", drill_db, "--clear", "999")
    assert code == 1 and "999" in err
    code, _out, _err = run(capsys, "drill", "post", run_id, "--db", drill_db, "--assign", first)
    assert code == 2

    added = ok(capsys, "drill", "action", run_id, "--db", drill_db, "--add", "更换东楼梯指示牌",
               "--owner", "总务处", "--due", "2026-10-31")
    action = added.split("#", 1)[1].split(":", 1)[0]
    ok(capsys, "drill", "action", run_id, "--db", drill_db, "--add", "再练一次")
    ok(capsys, "drill", "action", run_id, "--db", drill_db, "--done", action)
    code, _out, _err = run(capsys, "drill", "action", run_id, "--db", drill_db, "--done",
                           "999")
    assert code == 1

    shown = show(capsys, drill_db, run_id)
    cleared = {p["id"]: (p["staff"], p["cleared_at"], p["cleared_by"])
               for p in shown["posts"]}
    assert cleared == {
        int(first): (TEACHER, datetime.fromisoformat(f"{DAY} 10:01:05").replace(
            tzinfo=SHANGHAI).isoformat(), TEACHER),
        int(second): (None, None, None)}
    assert [(a["description"], a["owner"], a["due"], a["done"])
            for a in shown["actions"]] == [
        ("更换东楼梯指示牌", "总务处", "2026-10-31", True), ("再练一次", None, None, False)]


def test_cancel_postpone_and_list(capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    runs = {}
    runs["fire"] = adhoc(capsys, drill_db, "--kind", "fire", "--school", SCHOOL, "--at",
                         "2026-10-14 10:00")
    ok(capsys, "drill", "finish", runs["fire"], "--db", drill_db, "--at", "10:08")
    runs["quake"] = adhoc(capsys, drill_db, "--kind", "earthquake", "--school", SCHOOL,
                          "--at", "2026-11-03 10:00")
    out = ok(capsys, "drill", "cancel", runs["quake"], "--db", drill_db, "--reason", "暴雨")
    assert "Cancelled (暴雨)" in out
    runs["us"] = adhoc(capsys, drill_db, "--kind", "lockdown", "--school", OTHER, "--at",
                       "2026-11-05 09:00")
    # Nobody reported before the all clear: the command says so on stderr.
    code, _out, err = run(capsys, "drill", "finish", runs["us"], "--db", drill_db)
    assert code == 0 and "1 class has not reported" in err
    code, _out, err = run(capsys, "drill", "postpone", runs["fire"], "--db", drill_db,
                          "--reason", "x")
    assert code == 1 and "completed" in err

    def ids(*args: str) -> list[int]:
        listed = json.loads(ok(capsys, "drill", "list", "--db", drill_db, "--format", "json",
                               *args))
        return [r["id"] for r in listed]

    number = {k: int(v) for k, v in runs.items()}
    assert ids() == [number["us"], number["quake"], number["fire"]]
    assert ids("--school", SCHOOL) == [number["quake"], number["fire"]]
    assert ids("--kind", "fire", "--kind", "lockdown") == [number["us"], number["fire"]]
    assert ids("--status", "cancelled") == [number["quake"]]
    assert ids("--from", "2026-11-01", "--to", "2026-11-04") == [number["quake"]]
    code, _out, err = run(capsys, "drill", "list", "--db", drill_db, "--from", "2026-11-04",
                          "--to", "2026-11-01")
    assert code == 1 and "--to" in err
    table = ok(capsys, "drill", "list", "--db", drill_db, "--school", SCHOOL)
    assert "Cancelled" in table and OTHER not in table
    assert ok(capsys, "drill", "list", "--db", drill_db, "--status", "planned") == (
        "No drills match.\n")
