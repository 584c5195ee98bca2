"""Past drills for the demo schools: completed runs with headcounts, so that history,
compliance and reports have something real to show.

Runs are made through the drill services for the demo's scheduled drills in September and
October 2026; report times and the one student missing per run come from a seeded random
generator, so every demo database is the same.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from drillplanner.domain.changes import NOTHING, Changes, Done, Kind
from drillplanner.domain.drill_runs import Notification, RunDetails
from drillplanner.domain.events import EventKind
from drillplanner.domain.structure import School
from drillplanner.services import calendar, drills, headcounts, schedule
from drillplanner.storage.database import Database

HISTORY_FROM = date(2026, 9, 1)
HISTORY_TO = date(2026, 10, 31)
# The daily drill of a large school is recorded in full on the first school Friday of a month;
# drills scheduled on a holiday did not take place.
SAMPLE_WEEKDAY = 4


def add_demo_history(db: Database, schools: Sequence[School]) -> Done[int]:
    """Completed runs for the demo drills of September and October.

    Each step of a run is its own transaction, as when a drill is recorded live.

    Returns:
        How many runs were added, and what changed (drill runs and their headcounts;
        nothing when no run was added).
    """
    made = 0
    for school in schools:
        generator = random.Random(f"drillplanner-demo-{school.name}")
        drill_kinds = [k for k in EventKind if k.is_drill]
        school_days = calendar.load_calendar(db, school.id)
        sampled: set[tuple[int, int]] = set()
        for occurrence in schedule.occurrences(db, school.id, HISTORY_FROM, HISTORY_TO,
                                               kinds=drill_kinds):
            day = occurrence.day
            if not school_days.is_school_day(day):
                continue
            if occurrence.title.startswith("大课间"):
                if day.weekday() != SAMPLE_WEEKDAY or (day.year, day.month) in sampled:
                    continue
                sampled.add((day.year, day.month))
            _run_drill(db, school, occurrence.event_id, occurrence.original_start,
                       occurrence.start.replace(tzinfo=None), generator)
            made += 1
    return Done(made, Changes.of_kinds([Kind.DRILL, Kind.HEADCOUNT]) if made else NOTHING)


def _run_drill(db: Database, school: School, event_id: int, original: datetime,
               alarm: datetime, generator: random.Random) -> None:
    run = drills.start_drill(db, school.id, event_id=event_id, occurrence_start=original,
                             at=alarm).value
    taking_part = headcounts.classes_in_run(db, run.id)
    missing_class = generator.randrange(len(taking_part)) if taking_part else -1
    last = alarm
    for index, info in enumerate(taking_part):
        absent = generator.choice((0, 0, 0, 1, 1, 2))
        missing = 1 if index == missing_class else 0
        reported = alarm + timedelta(seconds=generator.randint(55, 165))
        headcounts.record_headcount(
            db, run.id, info.class_id, info.enrolled - absent - missing, absent=absent,
            missing=missing, at=reported, by="班主任")
        last = max(last, reported)
    if missing_class >= 0:
        found = last + timedelta(seconds=generator.randint(10, 40))
        headcounts.resolve_missing(db, run.id, taking_part[missing_class].class_id,
                                   "教学楼卫生间", found_by="值周教师", at=found)
    drills.update_details(db, run.id, RunDetails(
        conducted_by="总指挥", notification=Notification.BELL, weather="晴",
        staff_on_duty="各班班主任、楼层引导教师", notes="演练有序，学生按路线撤离。"))
    drills.finish_drill(db, run.id, at=alarm + timedelta(minutes=8))

