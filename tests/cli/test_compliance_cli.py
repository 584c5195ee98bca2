"""``drillplanner compliance``: the report per requirement period, and the profiles."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from in_process import run
from schedule_school import CN, US

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def _plan_monthly_drill(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    # The 22nd of every month lies in a term from September to June (the second term
    # starts on 22 February; 22 January is the first term's last day).
    code, _out, err = run(capsys, "schedule", "add", "--db", db, "--school", CN, "--kind",
                          "fire", "--title", "每月演练", "--start", "2026-11-22 10:00",
                          "--preset", "monthly-date")
    assert code == 0, err


def test_report_as_json(cli: RunCli, school_db: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    _plan_monthly_drill(capsys, school_db)

    result = cli("compliance", "--db", school_db, "--school", CN, "--as-of", "2026-11-15",
                 "--held", "2026-09-10:fire", "--held", "2026-09-25:earthquake",
                 "--format", "json", check_rc=0)

    rows = json.loads(result.stdout)
    by_start = {r["start"]: r for r in rows}
    months = [date(2026, m, 1) for m in range(9, 13)] + [date(2027, m, 1) for m in range(1, 8)]
    assert sorted(by_start) == [m.isoformat() for m in months]
    assert {r["requirement"] for r in rows} == {"monthly_evacuation"}
    september = by_start["2026-09-01"]
    assert (september["status"], september["held"], september["still_needed"]) == (
        "met", ["2026-09-10", "2026-09-25"], 0)
    assert by_start["2026-10-01"]["status"] == "missed"
    november = by_start["2026-11-01"]
    assert (november["status"], november["planned"], november["days_left"]) == (
        "planned", ["2026-11-22"], (date(2026, 11, 30) - date(2026, 11, 15)).days + 1)
    assert by_start["2027-02-01"]["planned"] == ["2027-02-22"]
    # In July the term ends on the 9th, before the 22nd: nothing planned.
    assert (by_start["2027-07-01"]["status"], by_start["2027-07-01"]["planned"]) == (
        "open", [])
    assert set(september) == {"requirement", "requirement_label", "period", "start", "end",
                              "required", "held", "planned", "status", "status_label",
                              "still_needed", "days_left"}


def test_report_as_table_and_csv(school_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _plan_monthly_drill(capsys, school_db)
    base = ("--db", school_db, "--school", CN, "--as-of", "2026-11-15")

    code, out, _err = run(capsys, "compliance", *base)
    assert code == 0
    heading, header = out.splitlines()[:2]
    assert heading.startswith(f"{CN}: ") and heading.endswith(": Missed")
    assert "Still needed" in header and "Days left" in header
    assert "Planned" in out and "Missed" in out

    code, out, _err = run(capsys, "compliance", *base, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows[0]["requirement"] == "monthly_evacuation"
    assert [r["status"] for r in rows][:3] == ["missed", "missed", "planned"]


def test_another_profile_and_bad_input(school_db: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "compliance", "--db", school_db, "--school", US,
                          "--profile", "nfpa_101_educational", "--as-of", "2026-09-30",
                          "--held", "2026-08-28:fire", "--format", "json")
    rows = {(r["requirement"], r["start"]): r for r in json.loads(out)}
    assert code == 0
    # The school year starts on 26 August: its first 30 days end on 24 September, before
    # the report's day, with one of the two drills held.
    first_days = rows["first_30_days", "2026-08-26"]
    assert (first_days["end"], first_days["held"], first_days["status"],
            first_days["still_needed"]) == (
        (date(2026, 8, 26) + timedelta(days=29)).isoformat(), ["2026-08-28"], "missed", 1)
    assert rows["monthly_egress", "2026-08-26"]["status"] == "met"
    assert rows["monthly_egress", "2026-09-01"]["days_left"] == 1

    code, _out, err = run(capsys, "compliance", "--db", school_db, "--school", CN,
                          "--as-of", "2026-08-15")
    assert code == 1 and "2026-08-15" in err
    code, _out, err = run(capsys, "compliance", "--db", school_db, "--school", CN,
                          "--as-of", "2026-11-15", "--held", "yesterday")
    assert code == 1 and "yesterday" in err
    code, _out, err = run(capsys, "compliance", "--db", school_db, "--school", CN,
                          "--as-of", "2026-11-15", "--profile", "nope")
    assert code == 1 and "nope" in err


def test_profiles(cli: RunCli, school_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = cli("compliance", "profiles", "--db", school_db, "--format", "json", check_rc=0)

    profiles = {p["code"]: p for p in json.loads(result.stdout)}
    assert {"cn_moe_2014", "nfpa_101_educational", "us_ca_elementary", "us_ny"} <= set(
        profiles)
    assert len(profiles["us_ny"]["requirements"]) == 3
    code, out, _err = run(capsys, "compliance", "profiles", "--db", school_db)
    assert code == 0 and "cn_moe_2014" in out.splitlines()[2]
