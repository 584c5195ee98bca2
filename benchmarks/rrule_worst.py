"""The costliest recurrence rules the app accepts, through the services.

A rule may produce at most MAX_PER_DAY (24) occurrences a day and at most MAX_COUNT
(10,000) in all, with INTERVAL at most 999 (domain/rrule_parts.py); anything beyond is
refused before it is expanded. Within those limits three rules cost the most:

- ``FREQ=DAILY;BYHOUR=0..23;COUNT=10000``: the largest series at the densest rate;
- ``FREQ=HOURLY``: no end, so every window holds 24 occurrences a day (8,760 a year);
- ``FREQ=HOURLY;COUNT=10000;BYMONTH=2;BYMONTHDAY=29`` from 1 January 1900: a COUNT rule
  counts from its start, so expansion cannot restart at a later period and walks every day
  since 1900 (24 occurrences each 29 February, so the 10,000 last past the year 2200).

For each: ``schedule.add_event`` (validation, the check that it falls in a term, the
write), listing the occurrences of one school year, the compliance evaluation of that
year, and ``ical.import_events`` of an .ics file holding the same event. Times are medians
of ``--runs`` runs, each on a fresh copy of the same database; peak memory is tracemalloc's
peak in one more run of each step.

    .venv/bin/python benchmarks/rrule_worst.py [--runs 5] [--write]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from results import record

from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.rrule_parts import MAX_COUNT, MAX_INTERVAL, MAX_PER_DAY
from drillplanner.services import calendar, compliance, ical, schedule, schools
from drillplanner.storage.database import Database, open_database

HOURS = ",".join(str(hour) for hour in range(24))


@dataclass(frozen=True)
class Case:
    shown: str  # the rule as the table shows it
    rule: str
    start: datetime
    year: tuple[date, date]  # the school year listed and evaluated


CASES = (
    Case(f"FREQ=DAILY;BYHOUR=0,1,…,23;COUNT={MAX_COUNT}",
         f"FREQ=DAILY;BYHOUR={HOURS};COUNT={MAX_COUNT}", datetime(2026, 9, 1),
         (date(2026, 9, 1), date(2027, 8, 31))),
    Case("FREQ=HOURLY", "FREQ=HOURLY", datetime(2026, 9, 1, 8),
         (date(2026, 9, 1), date(2027, 8, 31))),
    Case(f"FREQ=HOURLY;COUNT={MAX_COUNT};BYMONTH=2;BYMONTHDAY=29",
         f"FREQ=HOURLY;COUNT={MAX_COUNT};BYMONTH=2;BYMONTHDAY=29", datetime(1900, 1, 1),
         (date(2027, 9, 1), date(2028, 8, 31))),
)
# The last year the app plans with (domain/validation.py LAST_YEAR): the farthest window.
LAST_YEAR = (date(2199, 9, 1), date(2200, 8, 31))


def build(path: Path) -> None:
    """Two schools (one to add to, one to import into) with two school years of terms."""
    db = open_database(path)
    try:
        for name in ("基准测试小学", "导入测试小学"):
            school = schools.add_school(db, name).value
            for year in (2026, 2027):
                calendar.add_school_year(
                    db, school.id, f"{year}-{year + 1}", date(year, 9, 1),
                    date(year + 1, 8, 31),
                    [("第一学期", date(year, 9, 1), date(year + 1, 1, 20)),
                     ("第二学期", date(year + 1, 2, 20), date(year + 1, 7, 10))])
    finally:
        db.close()


def ics(case: Case) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//drillplanner//benchmark//EN",
             "BEGIN:VEVENT", "UID:worst-rule@benchmark", f"DTSTART:{case.start:%Y%m%dT%H%M%S}",
             "DURATION:PT20M", "SUMMARY:消防疏散演练", "X-DRILLPLANNER-KIND:fire",
             f"RRULE:{case.rule}", "END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines).encode()


def steps(db: Database, case: Case) -> dict[str, Callable[[], object]]:
    """The measured steps, in order (listing and compliance need the added event)."""
    adding, importing = (s.id for s in schools.list_schools(db))
    event = Event(id=0, school_id=adding, kind=EventKind.FIRE, title="消防疏散演练",
                  start=case.start, duration=timedelta(minutes=20),
                  recurrence=Recurrence(rule=case.rule))
    first, last = case.year
    return {
        "schedule add": lambda: schedule.add_event(db, event),
        "list the school year": lambda: schedule.occurrences(db, adding, first, last),
        "compliance of the year": lambda: compliance.evaluate_school(db, adding, first),
        "list 2199-2200": lambda: schedule.occurrences(db, adding, *LAST_YEAR),
        "ICS import": lambda: ical.import_events(db, importing, ics(case), "worst.ics"),
    }


def run(template: Path, case: Case, folder: Path, traced: bool) -> dict[str, float]:
    """One run on a fresh copy: seconds (or, traced, peak bytes) of each step."""
    path = folder / f"run-{time.monotonic_ns()}.sqlite3"
    shutil.copyfile(template, path)
    db = open_database(path)
    found: dict[str, float] = {}
    try:
        for name, step in steps(db, case).items():
            if traced:
                tracemalloc.start()
            began = time.perf_counter()
            result = step()
            elapsed = time.perf_counter() - began
            if traced:
                found[name] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            else:
                found[name] = elapsed
            if name == "list the school year":
                found["occurrences"] = len(result)  # type: ignore[arg-type]
    finally:
        db.close()
        path.unlink()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    options = parser.parse_args()
    names = ["schedule add", "list the school year", "compliance of the year",
             "list 2199-2200", "ICS import"]
    lines = [
        f"Limits: at most {MAX_PER_DAY} occurrences a day, COUNT at most {MAX_COUNT}, INTERVAL"
        f" at most {MAX_INTERVAL}; `benchmarks/rrule_worst.py` times the rules that reach "
        f"them through the services (median of {options.runs} runs on fresh copies of one "
        "database; peak traced: tracemalloc's peak in one more run of each step).",
        "",
        "| rule | occurrences listed | " + " | ".join(names) + " | peak traced |",
        "| --- | ---: | " + " | ".join("---:" for _ in names) + " | ---: |",
    ]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        template = folder / "template.sqlite3"
        build(template)
        for case in CASES:
            timed = [run(template, case, folder, traced=False) for _ in range(options.runs)]
            peaks = run(template, case, folder, traced=True)
            medians = {step: statistics.median(r[step] for r in timed) for step in names}
            cells = " | ".join(f"{medians[step] * 1000:.0f} ms" for step in names)
            lines.append(
                f"| `{case.shown}` "
                f"(from {case.start:%Y-%m-%d}; school year {case.year[0].year}-"
                f"{case.year[1].year}) | {timed[0]['occurrences']:.0f} | {cells} | "
                f"{max(peaks[step] for step in names) / 2**20:.1f} MB |")
            print(lines[-1], flush=True)
    lines += [
        "",
        "A window holds at most 24 occurrences a day per event, whatever the rule. A rule "
        "without COUNT is restarted at the period (hour, day, week, month or year) that "
        "begins the window, so its cost does not depend on how long ago it started; a COUNT "
        "rule counts from its start and is walked from there, so the third rule costs the "
        "most where windows are far from 1900 (\"list 2199-2200\") and when it is added or "
        "imported (its check that some occurrence falls in a term expands each term from "
        "1900 until one does).",
    ]
    print("\n".join(lines))
    if options.write:
        record("Worst accepted recurrence rule", lines)


if __name__ == "__main__":
    main()
