"""``drillplanner headcount`` after the all clear: closed for normal entry, corrected with
--reason (keeping the drill's times), findings with --at, accounted-for totals, and the
reporter beside the verifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drill_school import CLASSES, SCHOOL, full_name
from in_process import ok, run

DAY = "2026-10-14"


def completed(capsys: pytest.CaptureFixture[str], db: Path) -> str:
    """A drill from 10:00 to 10:08: every class reported at 10:02, the first with one student
    missing, found at 10:04 on the playground; the second verified at 10:03."""
    run_id = ok(capsys, "drill", "start", "--adhoc", "--kind", "fire", "--school", SCHOOL,
                "--at", f"{DAY} 10:00", "--db", db, "-q").strip()
    for number, (grade, name, enrolled) in enumerate(CLASSES):
        lost = 1 if number == 0 else 0
        ok(capsys, "headcount", "set", run_id, "--db", db, "--class", full_name(grade, name),
           "--present", enrolled - lost, "--missing", lost, "--at", "10:02", "--by", "班主任")
    ok(capsys, "headcount", "found", run_id, "--db", db, "--class", full_name(*CLASSES[0][:2]),
       "--where", "操场", "--at", "10:04")
    ok(capsys, "headcount", "verify", run_id, "--db", db, "--class",
       full_name(*CLASSES[1][:2]), "--by", "年级组长", "--at", "10:03")
    ok(capsys, "drill", "finish", run_id, "--db", db, "--at", "10:08")
    return run_id


def listed(capsys: pytest.CaptureFixture[str], db: Path, run_id: str) -> dict[str, object]:
    return json.loads(ok(capsys, "headcount", "list", run_id, "--db", db, "--format", "json"))


def test_a_completed_drill_needs_a_reason(capsys: pytest.CaptureFixture[str],
                                          drill_db: Path) -> None:
    run_id = completed(capsys, drill_db)
    grade, name, enrolled = CLASSES[2]
    code, out, err = run(capsys, "headcount", "set", run_id, "--db", drill_db, "--class",
                         grade + name, "--present", enrolled - 1, "--absent", 1)
    assert code == 1 and out == ""
    assert "completed" in err and "--reason" in err and grade + name in err
    code, _out, err = run(capsys, "headcount", "verify", run_id, "--db", drill_db, "--class",
                          grade + name, "--by", "年级组长")
    assert code == 1 and "--reason" in err

    out = ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", grade + name,
             "--present", enrolled - 1, "--absent", 1, "--absent-names", "王五", "--by", "校长",
             "--reason", "王五当天请病假")
    assert "Correction recorded by 校长: 王五当天请病假." in out
    assert "It keeps the drill's time 10:02:00 (2:00 after the alarm)." in out
    record = listed(capsys, drill_db, run_id)
    # Corrections do not move the time to full accountability (the finding at 10:04).
    assert record["time_to_accountability_seconds"] == 240
    assert record["alerts"] == []
    [row] = [c for c in record["classes"] if c["class"] == grade + name]  # type: ignore[attr-defined]
    assert (row["reported_by"], row["corrected_by"], row["correction_reason"],
            row["corrected_stage"]) == ("班主任", "校长", "王五当天请病假", "correction")

    history = json.loads(ok(capsys, "headcount", "history", run_id, "--db", drill_db,
                            "--class", grade + name, "--format", "json"))["entries"]
    assert [(e["kind"], e["stage"], e["reason"]) for e in history] == [
        ("report", "drill", None), ("correction", "correction", "王五当天请病假")]
    assert history[1]["reported_at"][:19] == f"{DAY}T10:02:00"
    table = ok(capsys, "headcount", "history", run_id, "--db", drill_db, "--class",
               grade + name)
    assert "correction, after the all clear" in table and "王五当天请病假" in table


def test_findings_after_the_all_clear_need_a_time_and_a_reason(
        capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = completed(capsys, drill_db)
    grade, name, enrolled = CLASSES[2]
    ok(capsys, "headcount", "set", run_id, "--db", drill_db, "--class", grade + name,
       "--present", enrolled - 1, "--missing", 1, "--reason", "漏报一人")
    code, _out, err = run(capsys, "headcount", "found", run_id, "--db", drill_db, "--class",
                          grade + name, "--where", "医务室", "--reason", "补录")
    assert code == 1 and "--at" in err
    code, _out, err = run(capsys, "headcount", "found", run_id, "--db", drill_db, "--class",
                          grade + name, "--where", "医务室", "--at", "10:05")
    assert code == 1 and "--reason" in err
    out = ok(capsys, "headcount", "found", run_id, "--db", drill_db, "--class", grade + name,
             "--where", "医务室", "--at", "10:05", "--by", "校医", "--reason", "补录")
    assert "Correction recorded by 校医: 补录." in out
    record = listed(capsys, drill_db, run_id)
    assert record["time_to_accountability_seconds"] == 300
    school = record["school"]
    assert isinstance(school, dict)
    assert (school["found"], school["still_missing"]) == (2, 0)
    assert school["enrolled"] == (school["absent"] + school["accounted"]
                                  + school["still_missing"] + school["unreported"])


def test_found_students_count_as_accounted_and_the_verifier_stands_beside_the_reporter(
        capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = completed(capsys, drill_db)
    record = listed(capsys, drill_db, run_id)
    classes = {c["class"]: c for c in record["classes"]}  # type: ignore[attr-defined]
    first = classes[full_name(*CLASSES[0][:2])]
    assert (first["present"], first["found"], first["accounted"], first["still_missing"]) == (
        CLASSES[0][2] - 1, 1, CLASSES[0][2], 0)
    second = classes[full_name(*CLASSES[1][:2])]
    assert (second["reported_by"], second["verified_by"]) == ("班主任", "年级组长")
    assert second["verified_at"][:19] == f"{DAY}T10:03:00"
    enrolled = sum(e for _g, _c, e in CLASSES)
    school = record["school"]
    assert isinstance(school, dict)
    assert (school["enrolled"], school["accounted"], school["still_missing"]) == (
        enrolled, enrolled, 0)
    table = ok(capsys, "headcount", "list", run_id, "--db", drill_db)
    assert "Accounted" in table
