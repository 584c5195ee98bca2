"""``drillplanner calendar``: school years, terms, holidays, make-up days, .ics import."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from in_process import run
from schedule_school import CN, NO_CALENDAR

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def entries(capsys: pytest.CaptureFixture[str], db: Path, school: str, *args: object
            ) -> list[dict[str, object]]:
    code, out, err = run(capsys, "calendar", "list", "--db", db, "--school", school,
                         "--format", "json", *args)
    assert code == 0, err
    records: list[dict[str, object]] = json.loads(out)
    return records


def test_add_a_year_with_terms_and_list_it(cli: RunCli, school_db: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    result = cli("calendar", "add-year", "2026-2027", "--db", school_db, "--school",
                 NO_CALENDAR, "--start", "2026-09-01", "--end", "2027-07-15",
                 "--term", "第一学期:2026-09-01:2027-01-20",
                 "--term", "第二学期:2027-02-22:2027-07-09", check_rc=0)
    assert "2026-2027" in result.stdout and "第二学期" in result.stdout

    records = entries(capsys, school_db, NO_CALENDAR)

    assert [(r["kind"], r["name"], r["start"], r["end"], r["days"]) for r in records] == [
        ("school_year", "2026-2027", "2026-09-01", "2027-07-15",
         (date(2027, 7, 15) - date(2026, 9, 1)).days + 1),
        ("term", "第一学期", "2026-09-01", "2027-01-20",
         (date(2027, 1, 20) - date(2026, 9, 1)).days + 1),
        ("term", "第二学期", "2027-02-22", "2027-07-09",
         (date(2027, 7, 9) - date(2027, 2, 22)).days + 1)]


@pytest.mark.parametrize(("args", "words"), [
    (("--term", "第一学期:2026-09-01"), "--term"),
    (("--term", "第一学期:2026-09-01:2026-13-01"), "--term"),
    (("--term", "长:2026-08-01:2026-12-01"), "outside"),
    (("--end", "2026-08-01"), "before"),
])
def test_bad_years_exit_1(school_db: Path, capsys: pytest.CaptureFixture[str],
                          args: tuple[str, ...], words: str) -> None:
    base = {"--start": "2026-09-01", "--end": "2027-07-15"}
    extra: list[str] = []
    for option, value in zip(args[::2], args[1::2], strict=True):
        if option in base:
            base[option] = value
        else:
            extra += [option, value]
    argv = [part for pair in base.items() for part in pair] + extra

    code, _out, err = run(capsys, "calendar", "add-year", "Y", "--db", school_db,
                          "--school", NO_CALENDAR, *argv)

    assert code == 1 and words in err
    assert entries(capsys, school_db, NO_CALENDAR) == []


def test_holidays_closures_exams_and_make_up_days(school_db: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    base = ("--db", school_db, "--school", CN)
    assert run(capsys, "calendar", "add-holiday", "2027-02-10", "--to", "2027-02-17",
               "--name", "春节", *base)[0] == 0
    assert run(capsys, "calendar", "add-holiday", "2026-11-20", "--closure", "--name",
               "停电", *base)[0] == 0
    assert run(capsys, "calendar", "add-holiday", "2027-01-18", "--to", "2027-01-19",
               "--exam", *base)[0] == 0
    assert run(capsys, "calendar", "add-holiday", "2026-11-09", "--sports-day", *base)[0] == 0
    code, out, _err = run(capsys, "calendar", "add-makeup-day", "2027-02-20", "--name",
                          "春节调休", *base)
    assert code == 0 and "2027-02-20" in out

    found = entries(capsys, school_db, CN, "--from", "2026-11-01", "--to", "2027-02-28")

    assert [(r["kind"], r["start"], r["end"], r["name"]) for r in found
            if r["kind"] not in ("school_year", "term")] == [
        ("sports_day", "2026-11-09", "2026-11-09", ""),
        ("closure", "2026-11-20", "2026-11-20", "停电"),
        ("exam", "2027-01-18", "2027-01-19", ""),
        ("holiday", "2027-02-10", "2027-02-17", "春节"),
        ("makeup", "2027-02-20", "2027-02-20", "春节调休")]
    code, out, _err = run(capsys, "calendar", "list", *base, "--from", "2027-02-01",
                          "--to", "2027-02-28")
    assert code == 0 and "Make-up school day" in out and "Holiday" in out
    code, _out, err = run(capsys, "calendar", "add-holiday", "2027-02-17", "--to",
                          "2027-02-10", *base)
    assert code == 1 and "before" in err
    code, _out, err = run(capsys, "calendar", "add-holiday", "2027-02-17", "--exam",
                          "--closure", *base)
    assert code == 2 and "--closure" in err


def test_prefill_public_holidays(cli: RunCli, school_db: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    result = cli("calendar", "prefill-holidays", "--year", "2026", "--db", school_db,
                 "--school", NO_CALENDAR, check_rc=0)

    records = entries(capsys, school_db, NO_CALENDAR)
    assert f"Added {len(records)} entries" in result.stdout
    days = {date.fromisoformat(str(r["start"])) for r in records if r["kind"] == "holiday"}
    assert {date(2026, 1, 1), date(2026, 10, 1)} <= days
    assert any(r["kind"] == "makeup" for r in records)
    again = cli("calendar", "prefill-holidays", "--year", "2026", "--db", school_db,
                "--school", NO_CALENDAR, check_rc=0)
    assert "Added 0 entries" in again.stdout


def _holiday_file(path: Path) -> Path:
    days = [("20261001", "20261008", "国庆节"), ("20260920", "20260921", "国庆节调休上班"),
            ("20261010", "20261011", "补班")]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN"]
    for first, after, name in days:
        lines += ["BEGIN:VEVENT", f"UID:{first}", f"DTSTART;VALUE=DATE:{first}",
                  f"DTEND;VALUE=DATE:{after}", f"SUMMARY:{name}", "END:VEVENT"]
    path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    return path


def test_import_a_holiday_calendar(school_db: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = _holiday_file(tmp_path / "cn.ics")
    base = ("--db", school_db, "--school", NO_CALENDAR)

    code, out, _err = run(capsys, "calendar", "import", path, "--dry-run", *base)
    assert code == 0 and "3 entries would be added" in out
    assert entries(capsys, school_db, NO_CALENDAR) == []

    code, out, _err = run(capsys, "calendar", "import", path, *base)
    assert code == 0 and "3 entries added" in out
    records = entries(capsys, school_db, NO_CALENDAR)
    assert [(r["kind"], r["start"], r["end"]) for r in records] == [
        ("makeup", "2026-09-20", "2026-09-20"),
        ("holiday", "2026-10-01", "2026-10-07"),  # DTEND 20261008 is the day after
        ("makeup", "2026-10-10", "2026-10-10")]

    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
                      encoding="utf-8")
    code, _out, err = run(capsys, "calendar", "import", broken, *base)
    assert code == 1 and f"{broken}:2" in err
