"""``drillplanner drill`` and ``headcount`` run as a user runs them: a whole drill, the exit
statuses, and a drill started from the demo schools' schedule."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from drill_school import CLASSES, SCHOOL, TARGET_SECONDS, TEACHER

RunCli = Callable[..., subprocess.CompletedProcess[str]]

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = "2026-11-09"


def at(clock: str) -> datetime:
    return datetime.fromisoformat(f"{DAY} {clock}").replace(tzinfo=SHANGHAI)


def test_a_whole_unannounced_drill(cli: RunCli, drill_db: Path) -> None:
    started = cli("drill", "start", "--adhoc", "--kind", "fire", "--db", drill_db,
                  "--school", SCHOOL, "--at", f"{DAY} 10:00:00", "--quiet", check_rc=0)
    run = started.stdout.strip()
    assert run.isdigit()

    # (class, present, missing, absent, names of the missing, reported at)
    (g1, c1, e1), (g2, c2, e2), (g3, c3, e3) = CLASSES
    reports = [(g1 + c1, e1, 0, 0, "", "10:01:10"),
               (g2 + c2, e2 - 1, 1, 0, "张三", "10:01:40"),
               (g3 + c3, e3 - 2, 0, 2, "", "10:02:05")]
    for name, present, missing, absent, names, when in reports:
        result = cli("headcount", "set", run, "--db", drill_db, "--class", name,
                     "--present", str(present), "--missing", str(missing), "--absent",
                     str(absent), "--missing-names", names, "--at", when, "--by", TEACHER,
                     check_rc=0)
        assert result.stdout.startswith(f"{name}: present {present}, missing {missing}")

    listing = cli("headcount", "list", run, "--db", drill_db, check_rc=0).stdout.splitlines()
    # The alert comes before everything else, and names the class and the student.
    assert listing[0].startswith("!!!") and "1 STUDENT MISSING" in listing[0]
    assert listing[1].startswith("!!!") and g2 + c2 in listing[1] and "张三" in listing[1]
    table_start = next(i for i, line in enumerate(listing) if line.startswith("Grade "))
    assert table_start > 1
    assert all(name in "\n".join(listing[table_start:]) for name, *_rest in reports)

    found = cli("headcount", "found", run, "--db", drill_db, "--class", g2 + c2, "--where",
                "厕所", "--by", TEACHER, "--at", "10:03:20", check_rc=0)
    assert "Nobody is missing any more." in found.stdout
    assert "!!!" not in cli("headcount", "list", run, "--db", drill_db, check_rc=0).stdout

    finished = cli("drill", "finish", run, "--db", drill_db, "--at", "10:10:00", check_rc=0)
    assert finished.stderr == ""
    shown = json.loads(cli("drill", "show", run, "--db", drill_db, "--format", "json",
                           check_rc=0).stdout)

    # Everyone is accounted for when the missing student is found.
    accountability = at("10:03:20") - at("10:00:00")
    assert shown["time_to_accountability_seconds"] == accountability.total_seconds()
    assert shown["target_seconds"] == TARGET_SECONDS
    assert shown["met_target"] is (accountability <= timedelta(seconds=TARGET_SECONDS))
    assert datetime.fromisoformat(shown["alarm_at"]) == at("10:00:00")
    assert datetime.fromisoformat(shown["all_clear_at"]) == at("10:10:00")
    assert datetime.fromisoformat(shown["accounted_at"]) == at("10:03:20")
    assert (shown["status"], shown["kind"], shown["announced"]) == ("completed", "fire", False)
    totals = shown["totals"]
    assert totals == {
        "classes": len(reports), "reported": len(reports), "still_out": 0,
        "enrolled": sum(e for _g, _c, e in CLASSES),
        "absent": sum(r[3] for r in reports),
        "expected": sum(e for _g, _c, e in CLASSES) - sum(r[3] for r in reports),
        "present": sum(r[1] for r in reports), "missing": sum(r[2] for r in reports),
        "still_missing": 0, "injured": 0, "with_us": 0}
    [alert] = shown["alerts"]
    assert (alert["class"], alert["names"], alert["still_missing"]) == (g2 + c2, ["张三"], 0)
    assert alert["found"][0]["where"] == "厕所"

    runs = json.loads(cli("drill", "list", "--db", drill_db, "--format", "json",
                          check_rc=0).stdout)
    assert [(r["id"], r["status"], r["date"], r["time_to_accountability_seconds"])
            for r in runs] == [(int(run), "completed", DAY, accountability.total_seconds())]


def test_exit_statuses(cli: RunCli, drill_db: Path) -> None:
    run = cli("drill", "start", "--adhoc", "--kind", "earthquake", "--db", drill_db,
              "--school", SCHOOL, "-q", check_rc=0).stdout.strip()
    grade, name, enrolled = CLASSES[0]
    present, missing = enrolled - 2, 1

    bad = cli("headcount", "set", run, "--db", drill_db, "--class", grade + name,
              "--present", str(present), "--missing", str(missing), check_rc=1)
    assert f"present {present} + missing {missing} = {present + missing}" in bad.stderr
    assert f"expected {enrolled}" in bad.stderr and bad.stdout == ""
    listed = json.loads(cli("headcount", "list", run, "--db", drill_db, "--format", "json",
                            check_rc=0).stdout)
    assert listed["school"]["reported"] == 0  # the refused report was not stored

    unknown = cli("headcount", "set", run, "--db", drill_db, "--class", "九年级9班",
                  "--present", "1", check_rc=1)
    assert "九年级9班" in unknown.stderr

    cli("headcount", "set", run, "--db", drill_db, "--class", grade + name, check_rc=2)
    cli("drill", "start", "--db", drill_db, "--school", SCHOOL, check_rc=2)
    cli("drill", "start", "--adhoc", "--db", drill_db, "--school", SCHOOL, check_rc=2)
    cli("drill", "frobnicate", "--db", drill_db, check_rc=2)
    # A second drill while one is in progress at the same school is refused.
    second = cli("drill", "start", "--adhoc", "--kind", "fire", "--db", drill_db,
                 "--school", SCHOOL, check_rc=1)
    assert "in progress" in second.stderr
    cli("drill", "show", "999", "--db", drill_db, check_rc=1)


def test_start_from_the_demo_schedule(cli: RunCli, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    cli("demo", "--db", db, check_rc=0)
    school = "郑家镇东小学"
    day = "2026-11-09"
    planned = json.loads(cli("schedule", "list", "--db", db, "--school", school, "--from", day,
                             "--to", day, "--kind", "fire", "--format", "json",
                             check_rc=0).stdout)
    [occurrence] = planned
    classes = json.loads(cli("classes", "list", "--db", db, "--school", school, "--format",
                             "json", check_rc=0).stdout)
    before = json.loads(cli("drill", "list", "--db", db, "--school", school, "--format",
                            "json", check_rc=0).stdout)

    none_that_day = cli("drill", "start", f"{occurrence['event_id']}@2026-11-10", "--db", db,
                        check_rc=1)
    assert "2026-11-10" in none_that_day.stderr

    started = cli("drill", "start", f"{occurrence['event_id']}@{day}", "--db", db,
                  "--at", "10:01:30", check_rc=0)
    assert f"“{occurrence['title']}”" in started.stdout and school in started.stdout
    run = started.stdout.split("#", 1)[1].split(" ", 1)[0]
    shown = json.loads(cli("drill", "show", run, "--db", db, "--format", "json",
                           check_rc=0).stdout)
    assert shown["event_id"] == occurrence["event_id"]
    assert shown["occurrence_start"] == f"{day}T{occurrence['start']}"
    assert (shown["title"], shown["kind"], shown["school"]) == (
        occurrence["title"], "fire", school)
    assert shown["announced"] is occurrence["announced"]
    assert datetime.fromisoformat(shown["alarm_at"]) == datetime.fromisoformat(
        f"{day} 10:01:30").replace(tzinfo=SHANGHAI)
    assert shown["totals"]["classes"] == len(classes)
    assert shown["totals"]["enrolled"] == sum(c["enrolled"] for c in classes)
    after = json.loads(cli("drill", "list", "--db", db, "--school", school, "--format", "json",
                           check_rc=0).stdout)
    assert [r["id"] for r in after] == [int(run)] + [r["id"] for r in before]
