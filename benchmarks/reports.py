"""PDF reports: the drill report of a 120-class school and the term summary over ten years
of daily drills for 60 classes, each against a bare reportlab table of the same rows built
in the same run.

The 120-class drill is recorded through the services (one entry per commit, as on a drill
day). The ten years (about 1,900 school-day drills, 115,000 headcounts) are written with
bulk inserts through the storage models. Each side is timed several times, interleaved,
after a warm-up (fonts registered, modules imported); medians are compared. Peak memory of
the term summary (reading the data and building the PDF) is measured with tracemalloc in a
separate pass, and the process's maximum resident size is reported too.

    .venv/bin/python benchmarks/reports.py [--runs 5] [--write]
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).parent))
from results import record

from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.report_data import ReportOptions
from drillplanner.reports.drill import build_drill_report
from drillplanner.reports.fonts import report_font
from drillplanner.reports.term import month_rows, run_rows
from drillplanner.services import calendar, classes, drills, headcounts, report_data, schedule
from drillplanner.services import schools as school_service
from drillplanner.storage.database import Database, open_database
from drillplanner.storage.models_drills import (
    CorrectiveActionRow,
    DrillRunRow,
    HeadcountRow,
    ResolutionRow,
    RunClassRow,
)

GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
FIRST_YEAR = 2016
YEARS = 10
TZ = ZoneInfo("Asia/Shanghai")


# Data --------------------------------------------------------------------------------------


def add_classes(db: Database, school_id: int, per_grade: int) -> list[tuple[int, str, int]]:
    """(class id, full name, enrolled) of ``per_grade`` classes in each of six grades."""
    made = []
    for g, grade_name in enumerate(GRADES):
        grade = classes.add_grade(db, school_id, grade_name).value
        for n in range(1, per_grade + 1):
            cls = classes.add_class(db, school_id, grade.id, f"{n}班", 40 + (g * 7 + n) % 11).value
            made.append((cls.id, cls.full_name, cls.enrolled))
    return made


def drill_school(db: Database) -> int:
    """A 120-class school and one drill recorded class by class; returns the run id."""
    school = school_service.add_school(db, "聊城市实验小学（基准）",
                                       evacuation_target_seconds=180).value
    add_classes(db, school.id, 20)
    alarm = datetime(2026, 11, 9, 10, 0)
    run = drills.start_drill(db, school.id, kind=EventKind.FIRE, at=alarm).value
    for n, info in enumerate(headcounts.classes_in_run(db, run.id)):
        missing = 1 if n == 45 else 0
        absent = n % 3
        headcounts.record_headcount(db, run.id, info.class_id, info.enrolled - absent - missing,
                                    absent=absent, missing=missing, injured=int(n == 27),
                                    at=alarm + timedelta(seconds=60 + n * 37 % 150))
    drills.finish_drill(db, run.id, at=alarm + timedelta(minutes=8))
    return run.id


def history_school(db: Database) -> tuple[int, int]:
    """A 60-class school with a drill every school day for ten years; (school id, runs)."""
    school = school_service.add_school(db, "十年演练学校", evacuation_target_seconds=180).value
    made = add_classes(db, school.id, 10)
    grade_of = {cls.id: cls for cls in classes.list_classes(db, school.id)}
    for offset in range(YEARS):
        year = FIRST_YEAR + offset
        calendar.add_school_year(db, school.id, f"{year}-{year + 1}", date(year, 9, 1),
                                 date(year + 1, 8, 31),
                                 [("第一学期", date(year, 9, 1), date(year + 1, 1, 20)),
                                  ("第二学期", date(year + 1, 2, 20), date(year + 1, 7, 10))])
    calendar.prefill_public_holidays(db, school.id, range(FIRST_YEAR, FIRST_YEAR + YEARS + 1))
    schedule.add_event(db, Event(
        id=0, school_id=school.id, kind=EventKind.FIRE, title="大课间疏散演练",
        start=datetime(FIRST_YEAR, 9, 1, 10), duration=timedelta(minutes=15),
        recurrence=Recurrence(rule="FREQ=DAILY", school_days_only=True)))
    school_days = calendar.load_calendar(db, school.id)
    day, last = date(FIRST_YEAR, 9, 1), date(FIRST_YEAR + YEARS, 8, 31)
    days = []
    while day <= last:
        if school_days.is_school_day(day):
            days.append(day)
        day += timedelta(days=1)
    runs, run_classes, entries, found, actions = [], [], [], [], []
    # Ids after the 120-class drill's run.
    for number, day in enumerate(days, start=1000):
        alarm = datetime(day.year, day.month, day.day, 10, tzinfo=TZ).astimezone(UTC)
        alarm = alarm.replace(tzinfo=None)
        runs.append({"id": number, "school_id": school.id, "kind": "fire",
                     "title": "大课间疏散演练", "status": "completed", "alarm_at": alarm,
                     "all_clear_at": alarm + timedelta(minutes=6 + number % 4),
                     "announced": True, "notification": "bell"})
        lost = number % 20 == 0
        for n, (class_id, name, enrolled) in enumerate(made):
            cls = grade_of[class_id]
            run_classes.append({"run_id": number, "class_id": class_id, "class_name": name,
                                "grade_id": cls.grade_id, "grade_name": cls.grade_name,
                                "grade_order": GRADES.index(cls.grade_name) + 1,
                                "enrolled": enrolled})
            missing = 1 if lost and n == number % 60 else 0
            reported = alarm + timedelta(seconds=50 + (number * 7 + n * 13) % 140)
            entries.append({"run_id": number, "class_id": class_id, "verified": False,
                            "enrolled": enrolled, "absent": 0, "present": enrolled - missing,
                            "missing": missing, "injured": 0, "with_us": 0,
                            "reported_at": reported, "recorded_at": reported,
                            "recorded_by": "班主任"})
            if missing:
                found.append({"run_id": number, "class_id": class_id, "count": 1,
                              "found_where": "卫生间",
                              "found_at": alarm + timedelta(seconds=200)})
        if number % 50 == 0:
            actions.append({"run_id": number, "description": f"第{number}次演练的整改措施",
                            "owner": "总务处", "done": number % 100 == 0})
    with db.write() as session:
        for model, rows in ((DrillRunRow, runs), (RunClassRow, run_classes),
                            (HeadcountRow, entries), (ResolutionRow, found),
                            (CorrectiveActionRow, actions)):
            session.execute(insert(model), rows)
    return school.id, len(runs)


# Timing ------------------------------------------------------------------------------------


def median_of(functions: Sequence[Callable[[], object]], runs: int) -> list[float]:
    """Median seconds of each function, calling them in turn ``runs`` times."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for index, function in enumerate(functions):
            began = time.perf_counter()
            function()
            times[index].append(time.perf_counter() - began)
    return [statistics.median(t) for t in times]


def plain(value: object) -> str:
    """A cell of the bare table: the text a Paragraph cell of the report would hold."""
    text = getattr(value, "text", value)
    return "" if text is None else str(text)


def bare_table(rows: Sequence[Sequence[object]]) -> bytes:
    """The same rows as one plain reportlab table: the font, a grid, a repeated header."""
    font = report_font().name
    out = io.BytesIO()
    table = Table([[plain(cell) for cell in row] for row in rows], repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 8),
                               ("GRID", (0, 0), (-1, -1), 0.4, "grey")]))
    SimpleDocTemplate(out, pagesize=A4).build([table])
    return out.getvalue()


def drill_rows(data: Any) -> list[list[object]]:
    rows: list[list[object]] = [["Class", "On roll", "Absent", "Expected", "Present",
                                 "Missing", "Injured", "Reported", "By", "Notes"]]
    alarm = data.run.alarm_at
    for grade in data.rollup.grades:
        for s in grade.classes:
            f = s.figures
            rows.append([s.info.name, f.enrolled, f.absent, f.expected, f.present, f.missing,
                         f.injured, str(s.reported_at - alarm), s.reported_by, ""])
        t = grade.totals
        rows.append([grade.grade_name, t.enrolled, t.absent, t.expected, t.present, t.missing,
                     t.injured, "", "", ""])
    t = data.rollup.totals
    rows.append(["School", t.enrolled, t.absent, t.expected, t.present, t.missing, t.injured,
                 "", "", ""])
    return rows


def summary_rows(data: Any) -> list[list[object]]:
    """Every table row the summary prints: compliance, drills (or months), slowest, actions."""
    rows: list[list[object]] = [["Period", "Requirement", "Required", "Held", "Planned",
                                 "Status", "Missing"]]
    rows += [[line.start, line.requirement.code, line.required, line.held, line.planned,
              line.status.value, line.still_needed] for line in data.compliance]
    listing = month_rows if len(data.runs) > 150 else run_rows
    rows += listing(data.runs)
    rows += [[d.class_name, d.grade_name, d.runs, d.average, d.worst] for d in data.slowest]
    rows += [[a.action.description, a.action.owner, a.action.due, a.run_title]
             for a in data.open_actions]
    return rows


def peak_memory(function: Callable[[], object]) -> float:
    """Peak traced allocation in MB while ``function`` runs."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def pdf_of(build: Callable[..., int], data: Any) -> bytes:
    out = io.BytesIO()
    build(data, out, ReportOptions())
    return out.getvalue()


def resident_peak(path: Path, school_id: int, start: date, end: date) -> float:
    """Peak resident MB of a fresh process that opens the database, reads the summary's
    data and builds its PDF (what a CLI ``report term`` costs)."""
    result = subprocess.run(
        [sys.executable, __file__, "--summary-only", str(path), str(school_id),
         start.isoformat(), end.isoformat()], capture_output=True, text=True, check=True)
    return float(result.stdout.strip())


def summary_only(path: str, school_id: str, start: str, end: str) -> None:
    from drillplanner.reports.term import build_term_summary

    db = open_database(path)
    data = report_data.term_data(db, int(school_id), date.fromisoformat(start),
                                 date.fromisoformat(end), today=date(FIRST_YEAR + YEARS, 9, 1))
    pdf_of(build_term_summary, data)
    db.close()
    # VmHWM is this process's own peak; ru_maxrss would start from the parent's at fork.
    status = Path("/proc/self/status").read_text()
    print(int(status.split("VmHWM:")[1].split()[0]) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    parser.add_argument("--summary-only", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.summary_only:
        summary_only(*options.summary_only)
        return
    from drillplanner.reports.term import build_term_summary

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.sqlite3")
        began = time.perf_counter()
        run_id = drill_school(db)
        drill_made = time.perf_counter() - began
        began = time.perf_counter()
        school_id, run_count = history_school(db)
        history_made = time.perf_counter() - began
        report_font()

        drill = report_data.drill_data(db, run_id)
        pdf_of(build_drill_report, drill)  # warm-up
        bare_table(drill_rows(drill))
        d_data, d_build, d_bare = median_of([
            lambda: report_data.drill_data(db, run_id),
            lambda: pdf_of(build_drill_report, drill),
            lambda: bare_table(drill_rows(drill))], options.runs)
        from pypdf import PdfReader
        d_pages = len(PdfReader(io.BytesIO(pdf_of(build_drill_report, drill))).pages)

        periods = {"one term (2025-26, first term)": (date(2025, 9, 1), date(2026, 1, 20)),
                   "all ten years": (date(FIRST_YEAR, 9, 1), date(FIRST_YEAR + YEARS, 8, 31))}
        summaries = {}
        for name, (start, end) in periods.items():
            def read(start: date = start, end: date = end) -> Any:
                return report_data.term_data(db, school_id, start, end,
                                             today=date(FIRST_YEAR + YEARS, 9, 1))
            data = read()
            pdf_of(build_term_summary, data)
            rows = summary_rows(data)
            bare_table(rows)
            t_data, t_build, t_bare = median_of([
                read, lambda data=data: pdf_of(build_term_summary, data),
                lambda rows=rows: bare_table(rows)], options.runs)
            memory = peak_memory(lambda read=read: pdf_of(build_term_summary, read()))
            rss = resident_peak(Path(folder) / "bench.sqlite3", school_id, start, end)
            pages = len(PdfReader(io.BytesIO(pdf_of(build_term_summary, data))).pages)
            summaries[name] = (len(data.runs), len(rows), t_data, t_build, t_bare, memory,
                               rss, pages)
        db.close()
    whole = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ms = 1000
    lines = [
        f"Data made: 120-class drill through the services in {drill_made:.1f} s; "
        f"{run_count} school-day drills x 60 classes ({run_count * 60} headcounts) over "
        f"{YEARS} years by bulk insert in {history_made:.1f} s. Medians of {options.runs} "
        "interleaved runs after a warm-up.",
        "",
        "| report | rows | read data | build PDF | total | bare table, same rows | "
        "build / bare | pages | peak traced | peak resident |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| drill report, 120 classes | {len(drill_rows(drill)) - 1} | {d_data * ms:.0f} ms | "
        f"{d_build * ms:.0f} ms | {(d_data + d_build) * ms:.0f} ms | {d_bare * ms:.0f} ms | "
        f"{d_build / d_bare:.2f} | {d_pages} | | |",
    ]
    for name, (runs, rows, t_data, t_build, t_bare, memory, rss, pages) in summaries.items():
        lines.append(
            f"| term summary, {name}: {runs} drills | {rows - 1} | {t_data * ms:.0f} ms | "
            f"{t_build * ms:.0f} ms | {(t_data + t_build) * ms:.0f} ms | {t_bare * ms:.0f} ms | "
            f"{t_build / t_bare:.2f} | {pages} | {memory:.0f} MB | {rss:.0f} MB |")
    lines += [
        "",
        "Targets: build / bare ≤ 1.5; drill report < 0.5 s; term summary < 2 s and < 300 MB. "
        "Peak traced: tracemalloc's peak of Python allocations while reading the data and "
        "building the PDF. Peak resident: the maximum resident size of a fresh process that "
        "opens the database, reads the data and builds the PDF (interpreter, SQLAlchemy and "
        "reportlab included). The benchmark process itself, holding the generated rows, "
        f"peaked at {whole:.0f} MB.",
        "",
        "Reading the figures: the ratio compares building the PDF from data already read "
        "with building the bare table from the same rows; reading the data is timed apart. "
        "The report's extra cost over the bare table is its page furniture (header, footer, "
        "page X of Y), one table per grade, the record and signature blocks and, in the "
        "summary, the chart. The ratios sit close to 1.5 and move by about ±0.1 between runs "
        "on a busy two-core machine. For ten years, reading dominates: the roll-up of "
        "116,520 headcounts is two aggregate queries in SQLite (latest report per class and "
        "run, then per run and per class); a composite index on headcounts (run_id, "
        "class_id) would be the next step if it matters.",
    ]
    print("\n".join(lines))
    if options.write:
        record("Reports", lines)


if __name__ == "__main__":
    main()
