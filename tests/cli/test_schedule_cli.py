"""``drillplanner schedule``: adding, listing, changing one occurrence, .ics files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import raw_sql
from dateutil.rrule import MO, WE, WEEKLY, rrule
from in_process import run
from schedule_school import CN, NO_CALENDAR, US

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def add(capsys: pytest.CaptureFixture[str], db: Path, *args: object,
        school: str = CN) -> int:
    """Add an event; returns its number."""
    code, out, err = run(capsys, "schedule", "add", "--db", db, "--school", school, *args)
    assert code == 0, err
    return int(out.split("#", 1)[1].split(" ", 1)[0])


def listed(capsys: pytest.CaptureFixture[str], db: Path, first: str, last: str,
           *args: object, school: str = CN) -> list[dict[str, object]]:
    code, out, err = run(capsys, "schedule", "list", "--db", db, "--school", school,
                         "--from", first, "--to", last, "--format", "json", *args)
    assert code == 0, err
    records: list[dict[str, object]] = json.loads(out)
    return records


def _count(db: Path | str, table: str) -> int:
    return raw_sql.table_counts(db)[table]


def test_add_a_repeating_drill_for_some_grades(cli: RunCli, school_db: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    result = cli("schedule", "add", "--db", school_db, "--school", CN, "--kind", "fire",
                 "--title", "消防疏散演练", "--start", "2026-09-07 10:00", "--duration", "20m",
                 "--preset", "weekly", "--weekdays", "mo,we", "--until", "2026-10-31",
                 "--place", "操场", "--grades", "一年级,二年级", "--organizer", "王老师",
                 "--unannounced", "--description", "从东楼梯撤离", check_rc=0)

    assert result.stdout.startswith(f"Added event #1 “消防疏散演练” (Fire drill) to {CN}.")
    assert "Monday" in result.stdout and "Wednesday" in result.stdout
    expected = list(rrule(WEEKLY, byweekday=(MO, WE), dtstart=datetime(2026, 9, 7, 10),
                          until=datetime(2026, 10, 31)))
    # Without --school-days-only the holiday week keeps its drills, with a warning each.
    in_holiday = [d for d in expected if date(2026, 10, 1) <= d.date() <= date(2026, 10, 7)]
    warnings = result.stderr.splitlines()
    assert len(warnings) == len(in_holiday) == 2
    assert all(w.startswith("drillplanner: warning: ") and "国庆节" in w for w in warnings)
    records = listed(capsys, school_db, "2026-09-01", "2026-10-31")
    assert [r["date"] for r in records] == [d.date().isoformat() for d in expected]
    assert {(r["start"], r["end"], r["kind"], r["place"], r["announced"], r["moved"],
             r["event_id"]) for r in records} == {("10:00", "10:20", "fire", "操场", False,
                                                   False, 1)}
    code, out, _err = run(capsys, "schedule", "show", "1", "--db", school_db, "--format",
                          "json")
    shown = json.loads(out)
    assert code == 0
    assert (shown["participants"], shown["organizer"], shown["description"]) == (
        "一年级, 二年级", "王老师", "从东楼梯撤离")
    assert shown["rrule"] == "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261031T235959"


def test_clashes_are_warnings_and_the_event_is_added(
        school_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, school_db, "--kind", "fire", "--title", "A", "--start", "2026-09-08 10:00",
        "--place", "操场")

    code, out, err = run(capsys, "schedule", "add", "--db", school_db, "--school", CN,
                         "--kind", "earthquake", "--title", "B", "--start",
                         "2026-09-08 10:10", "--place", "操场")

    assert code == 0 and "#2" in out
    assert err.startswith("drillplanner: warning: ")
    assert "“A”" in err or '"A"' in err


def test_an_invalid_rule_names_its_part_and_stores_nothing(cli: RunCli, school_db: Path
                                                           ) -> None:
    result = cli("schedule", "add", "--db", school_db, "--school", CN, "--kind", "fire",
                 "--title", "T", "--start", "2026-11-09 10:00",
                 "--rrule", "FREQ=WEEKLY;BYDAY=XX", check_rc=1)

    assert result.stderr.startswith("drillplanner: error: --rrule: ")
    assert "BYDAY=XX" in result.stderr
    assert _count(school_db, "events") == 0


@pytest.mark.parametrize(("args", "words"), [
    (("--rrule", "FREQ=FORTNIGHTLY"), "FREQ=FORTNIGHTLY"),
    (("--rrule", "FREQ=WEEKLY;COUNT=0"), "COUNT=0"),
    (("--duration", "soon"), "--duration"),
    (("--end", "2026-11-09 09:00"), "end"),
    (("--start", "2026-11-09"), "--start"),
    (("--grades", "九年级"), "九年级"),
    (("--organizer", "李老师"), "--organizer"),
    (("--until", "2026-12-01"), "--until"),
    (("--preset", "once-per-term", "--start", "2027-08-01 10:00"), "--preset"),
    (("--preset", "weekly", "--weekdays", "xx"), "--weekdays"),
])
def test_bad_values_exit_1_naming_the_option(school_db: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            args: tuple[str, ...], words: str) -> None:
    base = {"--kind": "fire", "--title": "T", "--start": "2026-11-09 10:00"}
    for option, value in zip(args[::2], args[1::2], strict=True):
        base[option] = value
    argv = [part for pair in base.items() for part in pair]

    code, out, err = run(capsys, "schedule", "add", "--db", school_db, "--school", CN, *argv)

    assert (code, out) == (1, "")
    assert words in err
    assert _count(school_db, "events") == 0


def test_list_filters_kinds_and_writes_csv(school_db: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, school_db, "--kind", "fire", "--title", "F", "--start", "2026-09-14 10:00",
        "--rrule", "FREQ=WEEKLY;COUNT=3")
    add(capsys, school_db, "--kind", "sports", "--title", "运动会", "--start",
        "2026-09-16 08:00", "--duration", "4h")

    fires = listed(capsys, school_db, "2026-09-01", "2026-09-30", "--kind", "fire")
    both = listed(capsys, school_db, "2026-09-15", "2026-09-30", "--kind", "fire",
                  "--kind", "sports")

    assert [r["date"] for r in fires] == ["2026-09-14", "2026-09-21", "2026-09-28"]
    assert [(r["date"], r["kind"]) for r in both] == [
        ("2026-09-16", "sports"), ("2026-09-21", "fire"), ("2026-09-28", "fire")]
    assert both[0]["end"] == "12:00"
    code, out, _err = run(capsys, "schedule", "list", "--db", school_db, "--school", CN,
                          "--from", "2026-09-16", "--to", "2026-09-16", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["date"], r["weekday"], r["title"]) for r in rows] == [
        ("2026-09-16", "Wed", "运动会")]


def test_list_defaults_to_the_next_30_days(school_db: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    before = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    code, out, _err = run(capsys, "schedule", "list", "--db", school_db, "--school", CN)
    after = datetime.now(ZoneInfo("Asia/Shanghai")).date()

    assert code == 0
    heading = out.splitlines()[0]
    assert heading in {f"{CN}: {d.isoformat()} – {(d + timedelta(days=29)).isoformat()}"
                       for d in (before, after)}
    assert "Nothing is planned" in out


def test_cancel_and_move_one_occurrence(school_db: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    number = add(capsys, school_db, "--kind", "fire", "--title", "F", "--start",
                 "2026-09-14 10:00", "--rrule", "FREQ=WEEKLY;COUNT=4")
    base = ("--db", school_db, str(number))

    assert run(capsys, "schedule", "cancel", *base, "--on", "2026-09-15")[0] == 1
    assert run(capsys, "schedule", "cancel", *base, "--on", "2026-09-21")[0] == 0
    code, _out, _err = run(capsys, "schedule", "move", *base, "--on", "2026-09-28",
                           "--to", "2026-09-29T14:30", "--duration", "1h")
    assert code == 0

    records = listed(capsys, school_db, "2026-09-01", "2026-10-31")
    assert [(r["date"], r["start"], r["end"], r["moved"]) for r in records] == [
        ("2026-09-14", "10:00", "10:30", False),  # 30 minutes when no length is given
        ("2026-09-29", "14:30", "15:30", True),
        ("2026-10-05", "10:00", "10:30", False)]
    # A moved occurrence is found on its new day.
    assert run(capsys, "schedule", "cancel", *base, "--on", "2026-09-29")[0] == 0
    assert [r["date"] for r in listed(capsys, school_db, "2026-09-01", "2026-10-31")] == [
        "2026-09-14", "2026-10-05"]


def test_twice_a_day_needs_at(school_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = add(capsys, school_db, "--kind", "drill_other", "--title", "两次",
                 "--start", "2026-09-14 10:00", "--rrule", "FREQ=DAILY;BYHOUR=10,14;COUNT=4")

    code, _out, err = run(capsys, "schedule", "cancel", number, "--db", school_db,
                          "--on", "2026-09-14")
    assert code == 1 and "--at" in err and "10:00, 14:00" in err

    assert run(capsys, "schedule", "cancel", number, "--db", school_db, "--on",
               "2026-09-14", "--at", "14:00")[0] == 0
    assert [(r["date"], r["start"]) for r in listed(
        capsys, school_db, "2026-09-14", "2026-09-15")] == [
        ("2026-09-14", "10:00"), ("2026-09-15", "10:00"), ("2026-09-15", "14:00")]


def test_show_lists_the_next_ten_and_delete_removes(school_db: Path,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    first = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=2)
    number = add(capsys, school_db, "--kind", "lockdown", "--title", "封闭演练",
                 "--start", f"{first.isoformat()} 09:00", "--preset", "weekly",
                 school=NO_CALENDAR)

    code, out, _err = run(capsys, "schedule", "show", number, "--db", school_db,
                          "--format", "json")
    shown = json.loads(out)
    assert code == 0
    assert [n["date"] for n in shown["next"]] == [
        (first + timedelta(weeks=n)).isoformat() for n in range(10)]
    code, out, _err = run(capsys, "schedule", "show", f"#{number}", "--db", school_db)
    assert code == 0 and out.startswith(f"Event #{number}: 封闭演练")
    assert "Lockdown drill" in out

    assert run(capsys, "schedule", "delete", number, "--db", school_db)[0] == 0
    code, _out, err = run(capsys, "schedule", "show", number, "--db", school_db)
    assert code == 1 and "does not exist" in err
    code, _out, err = run(capsys, "schedule", "show", "twelve", "--db", school_db)
    assert code == 1 and "twelve" in err


def test_export_and_import_between_schools(cli: RunCli, school_db: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, school_db, "--kind", "fire", "--title", "每周演练", "--start",
        "2026-09-07 10:00", "--preset", "weekly", "--count", "6")
    target = tmp_path / "out.ics"

    exported = cli("schedule", "export", target, "--db", school_db, "--school", CN,
                   check_rc=0)
    assert "Wrote 1 event" in exported.stdout
    assert b"BEGIN:VTIMEZONE" in target.read_bytes()

    dry = cli("schedule", "import", target, "--db", school_db, "--school", US, "--dry-run",
              check_rc=0)
    assert "nothing was written" in dry.stdout and _count(school_db, "events") == 1
    cli("schedule", "import", target, "--db", school_db, "--school", US, check_rc=0)

    # 10:00 in Beijing is 22:00 (EDT) or 21:00 (EST) the day before in New York.
    records = listed(capsys, school_db, "2026-09-01", "2026-10-31", school=US)
    assert [(r["date"], r["start"]) for r in records] == [
        ("2026-09-06", "22:00"), ("2026-09-13", "22:00"), ("2026-09-20", "22:00"),
        ("2026-09-27", "22:00"), ("2026-10-04", "22:00"), ("2026-10-11", "22:00")]


def test_a_broken_file_lists_its_problems_and_imports_nothing(
        school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:no start\r\nEND:VEVENT\r\n"
                   "BEGIN:VEVENT\r\nDTSTART:20261109T100000\r\nDTEND:20261109T090000\r\n"
                   "END:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")

    code, out, err = run(capsys, "schedule", "import", bad, "--db", school_db,
                         "--school", CN)

    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0].startswith(f"drillplanner: error: {bad}:2 [DTSTART]")
    assert lines[1].startswith(f"drillplanner: error: {bad}:7 [DTEND]")
    assert lines[2] == "drillplanner: error: 2 problems; nothing was imported."
    assert _count(school_db, "events") == 0
    assert run(capsys, "schedule", "import", tmp_path / "none.ics", "--db", school_db,
               "--school", CN)[0] == 1
    assert run(capsys, "schedule", "export", tmp_path / "x.txt", "--db", school_db,
               "--school", CN)[0] == 1


def test_chinese_messages(cli: RunCli, school_db: Path) -> None:
    result = cli("--lang", "zh_CN", "schedule", "add", "--db", school_db, "--school", CN,
                 "--kind", "fire", "--title", "演练", "--start", "2026-09-07 10:00",
                 "--preset", "school-days", check_rc=0)
    assert result.stdout.startswith(f"已为{CN}添加活动 #1“演练”（消防疏散演练）")
    assert "每个上学日" in result.stdout

    failed = cli("--lang", "zh_CN", "schedule", "add", "--db", school_db, "--school", CN,
                 "--kind", "fire", "--title", "演练", "--start", "2026-09-07 10:00",
                 "--duration", "很久", check_rc=1)
    assert "--duration" in failed.stderr and "错误" in failed.stderr
