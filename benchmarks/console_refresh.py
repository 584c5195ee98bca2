"""Drill console refresh with 120 classes reporting.

A school of 6 grades x 20 classes (two buildings of five floors) starts a drill; every class
reports (a few with missing students, a third verified, a tenth corrected once). Timed,
offscreen, on a 1920x1080 console:

- poll: ``change_marker`` when nothing changed (what the console does every second);
- reload: reading the roll-up and posts and updating the tiles, totals, alert and posts;
- reload + paint: the same, then repainting the whole console (what the screen needs);
- another computer's entry: a headcount recorded through the service, then the poll that
  notices it and reloads (the poll itself; the entry's own commit is not counted).

    .venv/bin/python benchmarks/console_refresh.py [--runs 15] [--write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))
from results import record

from drillplanner.domain.events import EventKind
from drillplanner.services import classes, drills, facilities, headcounts, schools
from drillplanner.storage.database import Database, open_database

GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
CLASSES_PER_GRADE = 20


def build(db: Database) -> int:
    """The school, a drill in progress and every class's report; returns the run id."""
    school = schools.add_school(db, "基准测试实验小学").value
    for building in ("教学楼", "综合楼"):
        facilities.add_building(db, school.id, building, 5)
    for grade_name in GRADES:
        grade = classes.add_grade(db, school.id, grade_name).value
        for number in range(1, CLASSES_PER_GRADE + 1):
            classes.add_class(db, school.id, grade.id, f"{number}班", 38 + number % 10)
    run = drills.start_drill(db, school.id, kind=EventKind.FIRE, title="基准演练").value
    for number, info in enumerate(headcounts.classes_in_run(db, run.id)):
        missing = 1 if number % 37 == 5 else 0
        if number % 10 == 0:
            headcounts.record_headcount(db, run.id, info.class_id, info.enrolled - 1,
                                        missing=1, by="班主任")
        headcounts.record_headcount(db, run.id, info.class_id, info.enrolled - missing,
                                    missing=missing, by="班主任")
        if number % 3 == 0:
            headcounts.verify_headcount(db, run.id, info.class_id, "年级组长")
    return run.id


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of ``runs`` calls of ``action`` (after one warm-up call)."""
    action()
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        found.append((time.perf_counter() - start) * 1000)
    return found


def describe(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (f"| {name} | {statistics.median(samples):.1f} | {p90:.1f} | {max(samples):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    options = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from drillplanner.ui.context import AppContext
    from drillplanner.ui.fonts import install_cjk_fallback
    from drillplanner.ui.views.drill_console import DrillConsole

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_cjk_fallback(app)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.sqlite3")
        run_id = build(db)
        ctx = AppContext(db)
        console = DrillConsole(ctx, run_id)
        console.resize(1920, 1080)
        console.show()
        app.processEvents()
        console.poll_timer.stop()  # polls are timed by hand here
        rollup = headcounts.rollup(db, run_id)
        assert rollup.totals.classes == len(GRADES) * CLASSES_PER_GRADE
        assert rollup.totals.reported == rollup.totals.classes
        missing_classes = len(rollup.open_alerts)

        def reload_and_paint() -> None:
            console.reload()
            console.repaint()

        infos = [s.info for s in rollup.classes]
        turn = iter(range(10**6))

        def entry_from_elsewhere() -> None:
            info = infos[next(turn) % len(infos)]
            headcounts.record_headcount(db, run_id, info.class_id, info.enrolled, by="二楼")
            start = time.perf_counter()
            console.poll()
            console.repaint()
            elapsed.append((time.perf_counter() - start) * 1000)

        elapsed: list[float] = []
        results = [("poll, nothing changed", timed(console.poll, options.runs)),
                   ("reload (roll-up + tiles, totals, alert, posts)",
                    timed(console.reload, options.runs)),
                   ("reload + repaint of the console", timed(reload_and_paint, options.runs))]
        for _ in range(options.runs + 1):
            entry_from_elsewhere()
        results.append(("another computer's entry: poll, reload, repaint", elapsed[1:]))
        console.stop()
        db.close()

    lines = [f"`benchmarks/console_refresh.py --runs {options.runs}`: "
             f"{len(GRADES) * CLASSES_PER_GRADE} classes in {len(GRADES)} grades, all "
             f"reporting (a tenth corrected once, a third verified, {missing_classes} with a "
             "missing student), 10 floor posts; the console offscreen at 1920x1080.", "",
             "| Step | median ms | p90 ms | max ms |", "| --- | ---: | ---: | ---: |"]
    lines += [describe(name, samples) for name, samples in results]
    lines += ["", "The console polls once a second, so an entry made on another computer "
              "shows within one poll interval plus the reload above."]
    print("\n".join(lines))
    if options.write:
        record("Console refresh", lines)


if __name__ == "__main__":
    main()
