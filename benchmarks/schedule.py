"""Expansion of 10 years of a daily drill for the 4 demo schools with their calendars.

Against raw dateutil: an rruleset of the same daily rule expanded over the same 10 years,
timed in the same run. Each side is timed several times; medians are compared.

    .venv/bin/python benchmarks/schedule.py [--runs 5] [--write]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from dateutil.rrule import DAILY, rrule, rruleset

sys.path.insert(0, str(Path(__file__).parent))
from results import record

from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.services import calendar, schedule, schools
from drillplanner.services.demo import load_demo
from drillplanner.storage.database import Database, open_database

FIRST = date(2026, 9, 1)
YEARS = 10


def build(db: Database) -> list[int]:
    """Demo schools, 10 school years with two terms and public holidays, a daily drill each."""
    load_demo(db)
    ids = [s.id for s in schools.list_schools(db)]
    for school_id in ids:
        for offset in range(YEARS):
            year = FIRST.year + offset
            if any(y.start.year == year for y in calendar.list_school_years(db, school_id)):
                continue
            calendar.add_school_year(
                db, school_id, f"{year}-{year + 1}", date(year, 9, 1), date(year + 1, 8, 31),
                [("第一学期", date(year, 9, 1), date(year + 1, 1, 20)),
                 ("第二学期", date(year + 1, 2, 20), date(year + 1, 7, 10))])
        calendar.prefill_public_holidays(db, school_id, range(FIRST.year, FIRST.year + YEARS + 1))
        schedule.add_event(db, Event(
            id=0, school_id=school_id, kind=EventKind.FIRE, title="大课间疏散演练",
            start=datetime.combine(FIRST, datetime.min.time()).replace(hour=10),
            duration=timedelta(minutes=15),
            recurrence=Recurrence(rule="FREQ=DAILY", school_days_only=True)))
    return ids


def ours(db: Database, ids: list[int]) -> int:
    end = FIRST.replace(year=FIRST.year + YEARS) - timedelta(days=1)
    return sum(len(schedule.occurrences(db, school_id, FIRST, end)) for school_id in ids)


def raw(count: int) -> int:
    total = 0
    start = datetime(FIRST.year, FIRST.month, FIRST.day, 10)
    until = datetime(FIRST.year + YEARS, FIRST.month, FIRST.day) - timedelta(seconds=1)
    for _ in range(count):
        rules = rruleset()
        rules.rrule(rrule(DAILY, dtstart=start, until=until))
        total += len(list(rules))
    return total


def _median(fn, runs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times, result = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.sqlite3")
        ids = build(db)
        ours_time, occurrences = _median(lambda: ours(db, ids), options.runs)
        raw_time, generated = _median(lambda: raw(len(ids)), options.runs)
        db.close()
    lines = [
        f"- drillplanner: {occurrences} school-day occurrences of a daily drill, 4 schools x "
        f"10 years, expanded with calendars: median {ours_time * 1000:.0f} ms",
        f"- raw dateutil rruleset, same daily rule, 4 x 10 years ({generated} datetimes): "
        f"median {raw_time * 1000:.0f} ms",
        f"- ratio {ours_time / raw_time:.2f} (target ≤ 1.5), {options.runs} runs each",
    ]
    print("\n".join(lines))
    if options.write:
        record("Schedule expansion", lines)


if __name__ == "__main__":
    main()
