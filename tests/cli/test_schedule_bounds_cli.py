"""Issue 10, item 2: a rule may not produce more than a school schedule needs, warnings are
summarised, and an .ics file cannot flood the schedule or the school calendar."""

from __future__ import annotations

from pathlib import Path

import pytest
import raw_sql
from in_process import run
from schedule_school import CN, NO_CALENDAR

from drillplanner.domain.conflicts import MAX_LISTED_WARNINGS
from drillplanner.domain.rrule_parts import MAX_COUNT, MAX_PER_DAY
from drillplanner.io.ical_calendar import MAX_REPEATS

MESSAGE_LIMIT = 300
HOSTILE_RULES = (
    "FREQ=HOURLY;BYMINUTE=" + ",".join(map(str, range(60))) + ";BYSECOND="
    + ",".join(map(str, range(60))),
    "FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE="
    + ",".join(map(str, range(60))),
    "FREQ=WEEKLY;BYDAY=MO;BYHOUR=8,9;BYMINUTE=" + ",".join(map(str, range(0, 60, 2))),
    "FREQ=HOURLY;BYMINUTE=0,30",
)


def _count(db: Path | str, table: str) -> int:
    return raw_sql.table_counts(db)[table]


@pytest.mark.parametrize("rule", HOSTILE_RULES)
def test_a_rule_repeating_too_often_a_day_is_refused(
        rule: str, school_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schedule", "add", "--db", school_db, "--school", CN,
                         "--kind", "fire", "--title", "演练", "--start", "2026-09-07 10:00",
                         "--rrule", rule)

    assert (code, out) == (1, "")
    assert f"at most {MAX_PER_DAY} times a day" in err
    assert len(err) < MESSAGE_LIMIT
    assert _count(school_db, "events") == 0


def test_hourly_is_still_allowed(school_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "schedule", "add", "--db", school_db, "--school", CN,
                          "--kind", "other", "--title", "巡查", "--start", "2026-09-07 08:00",
                          "--rrule", "FREQ=HOURLY;COUNT=8")
    assert code == 0, err


def test_a_huge_count_is_refused(school_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "schedule", "add", "--db", school_db, "--school", CN,
                          "--kind", "fire", "--title", "演练", "--start", "2026-09-07 10:00",
                          "--rrule", "FREQ=DAILY;COUNT=1000000000")
    assert code == 1 and f"at most {MAX_COUNT}" in err and len(err) < MESSAGE_LIMIT


def test_warnings_are_capped_and_counted(school_db: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    # Every day for 300 days: each weekend, holiday and vacation day is a warning.
    code, _out, err = run(capsys, "schedule", "add", "--db", school_db, "--school", CN,
                          "--kind", "other", "--title", "晨会", "--start", "2026-09-01 08:00",
                          "--rrule", "FREQ=DAILY;COUNT=300")

    assert code == 0, err
    lines = err.splitlines()
    assert len(lines) == MAX_LISTED_WARNINGS + 1
    assert "… and " in lines[-1] and "more warnings" in lines[-1]
    more = int(lines[-1].split("and ", 1)[1].split()[0])
    assert more > 50


def _ics(path: Path, rule: str, *, all_day: bool = False) -> Path:
    start = ("DTSTART;VALUE=DATE:20260907" if all_day
             else "DTSTART;TZID=Asia/Shanghai:20260907T100000")
    end = "DTEND;VALUE=DATE:20260908" if all_day else "DURATION:PT20M"
    path.write_text("\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN", "BEGIN:VEVENT", "UID:x@t",
        start, end, "SUMMARY:演练", f"RRULE:{rule}", "END:VEVENT", "END:VCALENDAR", ""]),
        encoding="utf-8")
    return path


@pytest.mark.parametrize("rule", HOSTILE_RULES[:2])
def test_an_ics_event_repeating_too_often_is_refused(
        rule: str, school_db: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = _ics(tmp_path / "bomb.ics", rule)
    code, out, err = run(capsys, "schedule", "import", path, "--db", school_db,
                         "--school", CN)

    assert (code, out) == (1, "")
    assert f"at most {MAX_PER_DAY} times a day" in err
    assert all(len(line) < MESSAGE_LIMIT for line in err.splitlines())
    assert _count(school_db, "events") == 0


def test_a_calendar_entry_repeating_a_billion_times_is_refused(
        school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _ics(tmp_path / "holidays.ics", "FREQ=DAILY;COUNT=1000000000", all_day=True)
    before = _count(school_db, "calendar_days")
    code, _out, err = run(capsys, "calendar", "import", path, "--db", school_db,
                          "--school", NO_CALENDAR)

    assert code == 1
    assert f"at most {MAX_REPEATS} days" in err and "1825 days" in err
    assert len(err) < MESSAGE_LIMIT
    assert _count(school_db, "calendar_days") == before


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=HOURLY;COUNT=1000"])
def test_a_calendar_entry_repeating_within_a_day_is_refused(
        rule: str, school_db: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = _ics(tmp_path / "holidays.ics", rule, all_day=True)
    code, _out, err = run(capsys, "calendar", "import", path, "--db", school_db,
                          "--school", NO_CALENDAR)
    assert code == 1 and "at most daily" in err


def test_a_calendar_entry_with_times_counts_days(
        school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule = "FREQ=DAILY;COUNT=3;BYHOUR=" + ",".join(map(str, range(24)))
    path = _ics(tmp_path / "holidays.ics", rule, all_day=True)
    code, out, err = run(capsys, "calendar", "import", path, "--db", school_db,
                         "--school", NO_CALENDAR)
    assert code == 0, err
    assert "3 entries added" in out


def test_a_long_summary_is_not_echoed(school_db: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.ics"
    path.write_text("\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN", "BEGIN:VEVENT", "UID:x@t",
        "DTSTART;TZID=Asia/Shanghai:20260907T100000", "DURATION:PT20M",
        "SUMMARY:" + "火" * 100_000, "X-DRILLPLANNER-KIND:" + "z" * 100_000,
        "END:VEVENT", "END:VCALENDAR", ""]), encoding="utf-8")
    code, _out, err = run(capsys, "schedule", "import", path, "--db", school_db,
                          "--school", CN)
    assert code == 1
    assert err and all(len(line) < MESSAGE_LIMIT for line in err.splitlines())
