"""``drillplanner headcount``, in this process: corrections and their history, verification,
found students, the list's CSV and JSON, times on the drill's day, and Chinese output."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from drill_school import CLASSES, SCHOOL, full_name
from in_process import ok, run

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = "2026-10-14"
COUNTS = ("enrolled", "absent", "expected", "present", "missing", "still_missing", "injured",
          "with_us")


def start(capsys: pytest.CaptureFixture[str], db: Path, when: str = f"{DAY} 09:30") -> str:
    return ok(capsys, "drill", "start", "--adhoc", "--kind", "fire", "--db", db, "--school",
              SCHOOL, "--at", when, "-q").strip()


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_corrections_verification_and_history(capsys: pytest.CaptureFixture[str],
                                              drill_db: Path) -> None:
    run_id = start(capsys, drill_db)
    grade, name, enrolled = CLASSES[1]
    # "1-1": grade and class digits (一年级 is the first grade).
    first = ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", "1-1",
               "--present", CLASSES[0][2], "--at", "09:31:00", "--by", "班主任")
    assert first.startswith(full_name(*CLASSES[0][:2]) + ":")

    ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", grade + name,
       "--present", enrolled, "--at", "09:31:30", "--by", "班主任")
    ok(capsys, "headcount", "verify", run_id, "--db", drill_db, "--class", grade + name,
       "--by", "年级组长", "--at", "09:32")
    corrected = ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class",
                   grade + name, "--present", enrolled - 3, "--absent", 2, "--missing", 1,
                   "--absent-names", "李四，王五", "--with-us", 1, "--note", "一名三班学生",
                   "--at", "09:33", "--by", "年级组长")
    assert "(1 correction)" in corrected
    assert "!!!" in corrected  # a missing student raises the alert at once

    code, out, _err = run(capsys, "headcount", "history", run_id, "--db", drill_db,
                          "--class", grade + name, "--format", "json")
    assert code == 0
    entries = json.loads(out)["entries"]
    assert [e["kind"] for e in entries] == ["report", "verification", "correction"]
    assert [e["by"] for e in entries] == ["班主任", "年级组长", "年级组长"]
    assert [local(e["reported_at"][:19]) for e in entries] == [
        local(f"{DAY} {t}") for t in ("09:31:30", "09:32:00", "09:33:00")]
    assert entries[2]["old"] == entries[0]["new"]
    assert entries[2]["new"]["absent_names"] == ["李四", "王五"]
    assert (entries[2]["new"]["present"], entries[2]["new"]["expected"]) == (
        enrolled - 3, enrolled - 2)
    table = ok(capsys, "headcount", "history", run_id, "--db", drill_db, "--class",
               grade + name)
    assert f"Present {enrolled} → {enrolled - 3}" in table and "Absent 0 → 2" in table

    # The correction after the check needs a new check: the class is back to "reported".
    listed = json.loads(ok(capsys, "headcount", "list", run_id, "--db", drill_db, "--format",
                           "json"))
    state = {c["class"]: (c["state"], c["corrections"]) for c in listed["classes"]}
    assert state[grade + name] == ("reported", 1)
    assert state[full_name(*CLASSES[2][:2])] == ("not_reported", 0)


def test_list_as_csv_and_json(capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = start(capsys, drill_db)
    figures = {full_name(g, c): (e - 1, 1, 0) for g, c, e in CLASSES[:2]}  # present, missing
    for name, (present, missing, absent) in figures.items():
        ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", name, "--present",
           present, "--missing", missing, "--absent", absent, "--injured", 1,
           "--at", "09:31")
    code, out, err = run(capsys, "headcount", "list", run_id, "--db", drill_db, "--format",
                         "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # The CSV stays machine-readable; the alert goes to the terminal on stderr.
    assert out.startswith("level,") and "!!!" in err
    by_level: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_level.setdefault(row["level"], []).append(row)
    assert [r["class"] for r in by_level["class"]] == [full_name(g, c) for g, c, _e in CLASSES]
    assert [r["grade"] for r in by_level["grade"]] == list(dict.fromkeys(
        g for g, _c, _e in CLASSES))
    [school] = by_level["school"]
    for key in ("enrolled", "present", "missing", "injured"):
        assert int(school[key]) == sum(int(r[key] or 0) for r in by_level["class"])
        assert int(school[key]) == sum(int(r[key]) for r in by_level["grade"])
    assert int(school["still_out"]) == len(CLASSES) - len(figures)

    listed = json.loads(ok(capsys, "headcount", "list", run_id, "--db", drill_db,
                           "--format", "json"))
    assert [a["class"] for a in listed["alerts"]] == list(figures)
    assert listed["time_to_accountability_seconds"] is None
    assert listed["school"]["still_missing"] == sum(m for _p, m, _a in figures.values())
    waiting = [c for c in listed["classes"] if c["state"] == "not_reported"]
    assert [c["present"] for c in waiting] == [None]

    # Finding one of two missing students closes one alert; the other stays on top.
    first = next(iter(figures))
    ok(capsys, "headcount", "found", run_id, "--db", drill_db, "--class", first, "--where",
       "医务室", "--at", "09:34")
    table = ok(capsys, "headcount", "list", run_id, "--db", drill_db).splitlines()
    assert table[0].startswith("!!! 1 STUDENT MISSING")
    assert list(figures)[1] in table[1] and first not in table[1]


def test_found_needs_someone_missing_and_counts(capsys: pytest.CaptureFixture[str],
                                                drill_db: Path) -> None:
    run_id = start(capsys, drill_db)
    grade, name, enrolled = CLASSES[0]
    code, _out, err = run(capsys, "headcount", "verify", run_id, "--db", drill_db, "--class",
                          grade + name, "--by", "年级组长")
    assert code == 1 and "not reported" in err
    ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", grade + name,
       "--present", enrolled - 2, "--missing", 2, "--missing-names", "张三、李四")
    out = ok(capsys, "headcount", "found", run_id, "--db", drill_db, "--class", grade + name,
             "--where", "教室", "--count", 1)
    assert "1 student found at 教室" in out and "1 still missing" in out
    out = ok(capsys, "headcount", "found", run_id, "--db", drill_db, "--class", grade + name,
             "--where", "操场")
    assert "1 student found at 操场" in out and "Nobody is missing any more." in out
    code, _out, err = run(capsys, "headcount", "found", run_id, "--db", drill_db, "--class",
                          grade + name, "--where", "操场")
    assert code == 1 and grade + name in err


def test_bare_times_fall_on_the_drills_day(capsys: pytest.CaptureFixture[str],
                                           drill_db: Path) -> None:
    run_id = start(capsys, drill_db, f"{DAY} 23:59:00")
    grade, name, enrolled = CLASSES[0]
    ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", grade + name,
       "--present", enrolled, "--at", "23:59:40")
    ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", full_name(
        *CLASSES[1][:2]), "--present", CLASSES[1][2], "--at", "2026-10-15 00:00:10")
    listed = json.loads(ok(capsys, "headcount", "list", run_id, "--db", drill_db, "--format",
                           "json"))
    seconds = {c["class"]: c["reported_after_seconds"] for c in listed["classes"]}
    alarm = local(f"{DAY} 23:59:00")
    assert seconds[grade + name] == (local(f"{DAY} 23:59:40") - alarm).total_seconds()
    assert seconds[full_name(*CLASSES[1][:2])] == (
        local("2026-10-15 00:00:10") - alarm).total_seconds()
    for wrong in ("25:00", "noon", "2026-10-14"):
        code, _out, err = run(capsys, "headcount", "set", run_id, "--db", drill_db, "--class",
                              grade + name, "--present", enrolled, "--at", wrong)
        assert code == 1 and err.count("--at") == 1 and wrong in err


def test_classes_by_short_names(capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = start(capsys, drill_db)
    code, _out, err = run(capsys, "headcount", "set", run_id, "--db", drill_db, "--class",
                          "1班", "--present", 1)
    # Both grades have a 1班: the command names them instead of guessing.
    assert code == 1
    assert all(full_name(g, c) in err for g, c, _e in CLASSES if c == "1班")
    grade, name, enrolled = CLASSES[1]
    out = ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", name,
             "--present", enrolled)
    assert out.startswith(grade + name + ":")


def test_chinese_output(capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = start(capsys, drill_db)
    grade, name, enrolled = CLASSES[0]
    out = ok(capsys, "--lang", "zh_CN", "headcount", "set", run_id, "--db", drill_db,
             "--class", grade + name, "--present", enrolled - 1, "--missing", 1,
             "--missing-names", "张三")
    assert out.startswith(f"{grade + name}：实到 {enrolled - 1}")
    table = ok(capsys, "--lang", "zh_CN", "headcount", "list", run_id, "--db", drill_db)
    assert table.splitlines()[0] == "!!! 1 名学生失踪 !!!"
    assert "仍失踪" in table and "未上报" in table
    code, _out, err = run(capsys, "--lang", "zh_CN", "headcount", "set", run_id, "--db",
                          drill_db, "--class", grade + name, "--present", enrolled,
                          "--missing", 1)
    assert code == 1
    assert f"实到 {enrolled} + 失踪 1 = {enrolled + 1}" in err
