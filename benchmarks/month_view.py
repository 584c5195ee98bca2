"""Opening the Calendar page's month view with 10 years of events in the database.

The database holds the 4 demo schools with 10 school years each, a daily drill, a monthly
fire drill and a one-off event every school week for 10 years (about 2,100 stored events).
Timed: building and showing the Calendar page on a month in the sixth year, and moving to the
next month, offscreen, medians of several runs.

    .venv/bin/python benchmarks/month_view.py [--runs 7] [--write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))
from results import record
from schedule import FIRST, YEARS, build

from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.services import schedule, schools
from drillplanner.storage.database import open_database


def add_history(db_path: Path) -> int:
    db = open_database(db_path)
    ids = build(db)
    for school_id in ids:
        schedule.add_event(db, Event(
            id=0, school_id=school_id, kind=EventKind.FIRE, title="月度消防演练",
            start=datetime(FIRST.year, 9, 8, 10), duration=timedelta(minutes=30),
            recurrence=Recurrence("FREQ=MONTHLY;BYDAY=+2TU")))
        for week in range(YEARS * 52):
            day = FIRST + timedelta(days=7 * week + 2)
            schedule.add_event(db, Event(
                id=0, school_id=school_id, kind=EventKind.TRAINING, title=f"安全教育第{week + 1}周",
                start=datetime.combine(day, datetime.min.time()).replace(hour=15),
                duration=timedelta(minutes=40), place="各班教室"))
    count = sum(len(schedule.list_events(db, s.id)) for s in schools.list_schools(db))
    db.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    options = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from drillplanner.ui.context import AppContext
    from drillplanner.ui.views.calendar_page import CalendarPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        stored = add_history(path)
        db = open_database(path)
        ctx = AppContext(db)
        ctx.set_school(schools.find_school(db, "聊城市实验小学").id)
        today = date(FIRST.year + 5, 11, 16)
        opening, paging = [], []
        for _ in range(options.runs):
            began = time.perf_counter()
            page = CalendarPage(ctx, today=today)
            page.resize(1280, 800)
            page.show()
            app.processEvents()
            opening.append(time.perf_counter() - began)
            began = time.perf_counter()
            page.go(1)
            app.processEvents()
            paging.append(time.perf_counter() - began)
            page.close()
            page.deleteLater()
            app.processEvents()
        db.close()
    lines = [
        f"- database: {stored} stored events over 10 school years, 4 schools",
        f"- Calendar page built and shown on November of the sixth year (month view, with the "
        f"compliance panel): median {statistics.median(opening) * 1000:.0f} ms "
        f"(target < 100 ms)",
        f"- next month: median {statistics.median(paging) * 1000:.0f} ms; "
        f"{options.runs} runs, offscreen Qt",
    ]
    print("\n".join(lines))
    if options.write:
        record("Month view", lines)


if __name__ == "__main__":
    main()
