"""Simple bad input ends with status 1 and one clear line, never an internal error (exit 3),
and CSV output cannot run as a spreadsheet formula (issue 10, items 5-7)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from drill_school import SCHOOL
from in_process import ok, run
from schedule_school import CN

DAY = "2026-10-14"


def one_line_error(code: int, out: str, err: str) -> str:
    assert (code, out) == (1, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("number", ["99999999999999999999", str(2**63), "#" + str(2**64)])
def test_ids_beyond_64_bits(capsys: pytest.CaptureFixture[str], drill_db: Path, tmp_path: Path,
                            number: str) -> None:
    for args in (("drill", "show", number), ("schedule", "show", number),
                 ("report", "drill", number, "-o", tmp_path / "r.pdf"),
                 ("audit", "list", "--drill", number)):
        err = one_line_error(*run(capsys, *args, "--db", drill_db))
        assert number in err


@pytest.mark.parametrize("start", ["0001-01-01 10:00", "9999-12-31 23:00", "1899-12-31 10:00"])
def test_dates_out_of_range(capsys: pytest.CaptureFixture[str], school_db: Path,
                            start: str) -> None:
    err = one_line_error(*run(capsys, "schedule", "add", "--db", school_db, "--school", CN,
                              "--kind", "fire", "--title", "T", "--start", start))
    assert "--start" in err and "1900" in err and "2200" in err
    err = one_line_error(*run(capsys, "schedule", "list", "--db", school_db, "--school", CN,
                              "--from", start.split(maxsplit=1)[0], "--to", "2026-12-31"))
    assert "--from" in err


def test_a_huge_interval(capsys: pytest.CaptureFixture[str], school_db: Path) -> None:
    err = one_line_error(*run(capsys, "schedule", "add", "--db", school_db, "--school", CN,
                              "--kind", "fire", "--title", "T", "--start", "2026-09-14 10:00",
                              "--rrule", "FREQ=DAILY;INTERVAL=2147483647"))
    assert "INTERVAL=2147483647" in err and "999" in err


def test_a_device_as_the_database(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (("school", "list"), ("init",)):
        err = one_line_error(*run(capsys, *args, "--db", "/dev/null"))
        assert "/dev/null" in err and "not a regular file" in err


def test_an_ics_starting_in_year_1_is_refused_and_export_keeps_working(
        capsys: pytest.CaptureFixture[str], school_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "old.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:year-one@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:00010101T100000\r\n"
        "DURATION:PT30M\r\nSUMMARY:Fire drill\r\nRRULE:FREQ=YEARLY\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    code, _out, err = run(capsys, "schedule", "import", source, "--db", school_db,
                          "--school", CN)
    assert code == 1 and "Traceback" not in err and "1900" in err
    ok(capsys, "schedule", "export", tmp_path / "out.ics", "--db", school_db, "--school", CN)


def test_csv_output_cannot_run_as_a_formula(capsys: pytest.CaptureFixture[str],
                                            school_db: Path) -> None:
    titles = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "=1+1", "@SUM(A1)",
              "-2+3", "-5", "+86 138 0000 0000"]
    for number, title in enumerate(titles):
        ok(capsys, "schedule", "add", "--db", school_db, "--school", CN, "--kind", "fire",
           f"--title={title}", "--start", f"2026-09-{14 + number} 10:00")
    out = ok(capsys, "schedule", "list", "--db", school_db, "--school", CN, "--from",
             "2026-09-01", "--to", "2026-09-30", "--format", "csv")
    cells = {cell for row in csv.reader(io.StringIO(out)) for cell in row}
    for title in titles[:5]:
        assert title not in cells and "'" + title in cells
    assert {"-5", "+86 138 0000 0000"} <= cells


def test_headcount_before_the_alarm_shows_the_drills_times(
        capsys: pytest.CaptureFixture[str], drill_db: Path) -> None:
    run_id = ok(capsys, "drill", "start", "--adhoc", "--kind", "fire", "--db", drill_db,
                "--school", SCHOOL, "--at", f"{DAY} 09:30", "-q").strip()
    err = one_line_error(*run(capsys, "headcount", "set", run_id, "--db", drill_db,
                              "--class", "一年级1班", "--present", 40, "--at", "08:30"))
    assert "08:30:00" in err and "09:30:00" in err
    listed = ok(capsys, "headcount", "list", run_id, "--db", drill_db, "--format", "csv")
    assert "-60:00" not in listed and "−60:00" not in listed
