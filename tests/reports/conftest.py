"""Databases made once for the report tests: a 120-class school with one recorded drill,
and the demo schools."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from school_builder import (
    BIG_ALARM,
    GRADE_NAMES,
    BigSchool,
    Report,
    SchoolIds,
    make_school,
    run_drill,
)

from drillplanner.domain.drill_runs import RunDetails
from drillplanner.services.demo import load_demo
from drillplanner.storage.database import Database, open_database


def big_reports(ids: SchoolIds) -> dict[str, Report]:
    """Every class reports; one has a missing student (found later), one an injured one."""
    reports = {}
    for number, name in enumerate(ids.classes):
        enrolled = ids.enrolled[name]
        absent = number % 3
        missing = 1 if number == 45 else 0
        injured = 1 if number == 27 else 0
        reports[name] = Report(present=enrolled - absent - missing, absent=absent,
                               missing=missing, injured=injured,
                               after=timedelta(seconds=60 + (number * 37) % 150),
                               missing_names=("王小红",) if missing else ())
    return reports


@pytest.fixture(scope="session")
def big_school(tmp_path_factory: pytest.TempPathFactory) -> BigSchool:
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    db = open_database(path)
    try:
        grades = {grade: [(f"{n}班", 40 + (g * 20 + n) * 7 % 11) for n in range(1, 21)]
                  for g, grade in enumerate(GRADE_NAMES)}
        ids = make_school(db, "聊城市实验小学", grades, target_seconds=180, floors=4,
                          principal="陆秀兰")
        reports = big_reports(ids)
        run_id = run_drill(db, ids, BIG_ALARM, reports, title="大课间应急疏散演练",
                           found_after=timedelta(minutes=4),
                           details=RunDetails(conducted_by="总指挥", weather="晴"))
    finally:
        db.close()
    return BigSchool(path, ids, run_id, reports)


@pytest.fixture
def big_db(big_school: BigSchool) -> Iterator[Database]:
    database = open_database(big_school.path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo schools with their September and October drills, made once."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_database(path)
    try:
        load_demo(db)
    finally:
        db.close()
    return path


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = open_database(demo_path)
    yield database
    database.close()
