"""Roster import of large files: reading (``read_roster``) and importing (``import_roster``)
timed apart, with peak memory, for CSV and XLSX files of N classes.

Each roster has ``--rows`` classes: grades "1年级", "2年级", … of 100 classes "1班" … "100班",
each class with its own homeroom teacher (教师1, 教师2, …), enrolment, building, floor and
assembly area; the school has two buildings and two assembly areas. For each size and format
a fresh process on a fresh SQLite database measures:

- read: ``read_roster`` of the file;
- import, all added: ``import_roster`` of those rows into the empty school;
- again, all unchanged: the same rows once more;
- all updated: reading and importing a second file with every enrolment changed
  (import time only; reading costs what the first read did).

Peak resident memory is the process's maximum resident set size (``ru_maxrss``) after
each step, from which the size after setting up (interpreter, SQLAlchemy, an open database)
is subtracted; "peak" is the largest. Only the public API is used (``read_roster``,
``import_roster(db, school_id, table, dry_run=False, remove_absent=False)`` returning
``Done`` with an ``ImportSummary``), so the same script measures any version of the import:
put another checkout first on PYTHONPATH to measure it.

    .venv/bin/python benchmarks/roster_import.py [--rows 10000 100000] [--formats csv xlsx]
        [--runs 1] [--label "current code"] [--write]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLASSES_PER_GRADE = 100
HEADER = ["年级", "班级", "班主任", "人数", "楼层", "楼栋", "集合区域"]
BUILDINGS = (("教学楼", 5), ("实验楼", 4))
AREAS = ("操场", "篮球场")
STEPS = ("read", "import, all added", "again, all unchanged", "all updated")


def roster_rows(count: int, changed: bool = False) -> list[list[object]]:
    """``count`` classes; with ``changed`` every enrolment differs by one."""
    rows: list[list[object]] = []
    for index in range(count):
        grade, number = divmod(index, CLASSES_PER_GRADE)
        building, floors = BUILDINGS[index % len(BUILDINGS)]
        rows.append([f"{grade + 1}年级", f"{number + 1}班", f"教师{index + 1}",
                     30 + index % 20 + (1 if changed else 0), 1 + index % floors, building,
                     AREAS[index % len(AREAS)]])
    return rows


def write_file(path: Path, rows: list[list[object]]) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def _resident() -> int:
    """The process's peak resident size so far, in bytes (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def child(rows: int, first: Path, changed: Path, folder: Path) -> dict[str, float]:
    """One measurement in this (fresh) process; returns seconds and peak bytes by step."""
    from drillplanner.io.roster_files import read_roster
    from drillplanner.services import facilities, schools
    from drillplanner.services.roster import import_roster
    from drillplanner.storage.database import open_database

    db = open_database(folder / f"roster-{first.suffix[1:]}-{time.monotonic_ns()}.sqlite3")
    school_id = schools.add_school(db, "基准测试中学").value.id
    for name, floors in BUILDINGS:
        facilities.add_building(db, school_id, name, floors)
    for name in AREAS:
        facilities.add_area(db, school_id, name)
    found: dict[str, float] = {"baseline": _resident()}

    def timed(step: str, action):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        result = action()
        found[step] = time.perf_counter() - began
        found[f"{step} resident"] = _resident()
        return result

    table = timed("read", lambda: read_roster(first))
    added = timed("import, all added", lambda: import_roster(
        db, school_id, table, dry_run=False, remove_absent=False).value)
    same = timed("again, all unchanged", lambda: import_roster(
        db, school_id, table, dry_run=False, remove_absent=False).value)
    table = read_roster(changed)
    updated = timed("all updated", lambda: import_roster(
        db, school_id, table, dry_run=False, remove_absent=False).value)
    db.close()
    assert len(table.rows) == rows, (len(table.rows), rows)
    assert (len(added.added), len(same.unchanged), len(updated.updated)) == (rows,) * 3, (
        len(added.added), len(same.unchanged), len(updated.updated))
    return found


def measure(rows: int, path: Path, changed: Path, folder: Path, runs: int) -> dict[str, float]:
    """Medians over ``runs`` fresh processes; peak is the largest growth over the baseline."""
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--child", str(rows), str(path),
                              str(changed), str(folder)], check=True, capture_output=True,
                             text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    merged = {step: statistics.median(r[step] for r in results) for step in STEPS}
    merged["peak"] = max(r[f"{step} resident"] - r["baseline"] for r in results
                         for step in STEPS)
    merged["baseline"] = statistics.median(r["baseline"] for r in results)
    return merged


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", choices=["csv", "xlsx"],
                        default=["csv", "xlsx"])
    parser.add_argument("--runs", type=int, default=1, help="processes per case (median)")
    parser.add_argument("--label", default="current code",
                        help="what was measured (the section's name in docs/benchmarks.md)")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    parser.add_argument("--child", nargs=4, metavar=("ROWS", "FILE", "CHANGED", "DIR"),
                        help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        rows, first, changed, folder = options.child
        print(json.dumps(child(int(rows), Path(first), Path(changed), Path(folder))))
        return
    lines = [
        "| classes | file | size | " + " | ".join(STEPS) + " | peak resident |",
        "| ---: | --- | ---: | " + " | ".join("---:" for _ in STEPS) + " | ---: |",
    ]
    baselines = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for rows in options.rows:
            for suffix in options.formats:
                path = folder / f"roster-{rows}.{suffix}"
                changed = folder / f"roster-{rows}-changed.{suffix}"
                write_file(path, roster_rows(rows))
                write_file(changed, roster_rows(rows, changed=True))
                found = measure(rows, path, changed, folder, options.runs)
                baselines.append(found["baseline"])
                cells = " | ".join(_seconds(found[step]) for step in STEPS)
                lines.append(f"| {rows:,} | {suffix.upper()} | "
                             f"{path.stat().st_size / 2**20:.1f} MB | {cells} | "
                             f"{found['peak'] / 2**20:.0f} MB |")
                print(lines[-1], flush=True)
                path.unlink()
                changed.unlink()
    lines += [
        "",
        f"`benchmarks/roster_import.py --rows {' '.join(map(str, options.rows))}`, "
        f"{options.runs} fresh process(es) per case, each on a fresh SQLite database: "
        f"{CLASSES_PER_GRADE} classes per grade, a homeroom teacher per class (so as many "
        "staff are created as classes), two buildings and two assembly areas. \"all "
        "updated\" imports a second file with every enrolment changed (reading it not "
        "included). Peak resident: the process's maximum resident size over the steps, less "
        f"its size once set up ({statistics.median(baselines) / 2**20:.0f} MB: interpreter, "
        "SQLAlchemy, an open database).",
    ]
    print("\n".join(lines))
    if options.write:
        from results import record

        record(f"Roster import: {options.label}", lines)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
