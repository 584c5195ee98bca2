"""Schools and drills for the report tests, made through the services like a user would."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from drillplanner.domain.drill_runs import RunDetails
from drillplanner.domain.events import EventKind
from drillplanner.domain.roles import StaffRole
from drillplanner.services import calendar, classes, drills, facilities, headcounts, schools, staff
from drillplanner.storage.database import Database

GRADE_NAMES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
BIG_ALARM = datetime(2026, 11, 9, 10, 0)


@dataclass(frozen=True)
class Report:
    """What one class reports, as the test decides it (enrolled comes from the class)."""

    present: int
    absent: int = 0
    missing: int = 0
    injured: int = 0
    after: timedelta = timedelta(minutes=1)
    missing_names: tuple[str, ...] = ()


@dataclass
class SchoolIds:
    school_id: int
    classes: dict[str, int] = field(default_factory=dict)  # full name -> id
    enrolled: dict[str, int] = field(default_factory=dict)
    grade_of: dict[str, str] = field(default_factory=dict)  # full name -> grade name


@dataclass(frozen=True)
class BigSchool:
    """The 120-class school of the ``big_school`` fixture and its recorded drill."""

    path: Path
    ids: SchoolIds
    run_id: int
    reports: dict[str, Report]


def make_school(db: Database, name: str, grades: Mapping[str, Sequence[tuple[str, int]]], *,
                target_seconds: int = 150, floors: int = 2,
                principal: str = "") -> SchoolIds:
    """A school with a building, a homeroom teacher per class and the given classes."""
    school = schools.add_school(db, name, evacuation_target_seconds=target_seconds).value
    facilities.add_building(db, school.id, "教学楼", floors)
    if principal:
        staff.add_staff(db, school.id, principal, [StaffRole.PRINCIPAL])
    ids = SchoolIds(school.id)
    for grade_name, members in grades.items():
        grade = classes.add_grade(db, school.id, grade_name).value
        for class_name, size in members:
            teacher = staff.add_staff(db, school.id, f"{grade_name}{class_name}老师",
                                      [StaffRole.HOMEROOM_TEACHER]).value
            made = classes.add_class(db, school.id, grade.id, class_name, size,
                                     homeroom_teacher_id=teacher.id).value
            ids.classes[made.full_name] = made.id
            ids.enrolled[made.full_name] = size
            ids.grade_of[made.full_name] = grade_name
    return ids


def add_year(db: Database, school_id: int, first: int) -> None:
    """School year ``first``-``first+1`` with two terms (September-January, March-July)."""
    calendar.add_school_year(db, school_id, f"{first}-{first + 1}", date(first, 9, 1),
                             date(first + 1, 8, 31),
                             [("第一学期", date(first, 9, 1), date(first + 1, 1, 20)),
                              ("第二学期", date(first + 1, 3, 1), date(first + 1, 7, 10))])


def run_drill(db: Database, ids: SchoolIds, alarm: datetime,
              reports: Mapping[str, Report], *, kind: EventKind = EventKind.FIRE,
              title: str = "", found_after: timedelta | None = None,
              all_clear_after: timedelta | None = timedelta(minutes=8),
              details: RunDetails | None = None) -> int:
    """A drill with the given reports; missing students found ``found_after`` the alarm."""
    run = drills.start_drill(db, ids.school_id, kind=kind, at=alarm, title=title,
                             announced=True).value
    for class_name, report in reports.items():
        headcounts.record_headcount(
            db, run.id, ids.classes[class_name], report.present, absent=report.absent,
            missing=report.missing, injured=report.injured,
            missing_names=report.missing_names, at=alarm + report.after, by="班主任")
        if report.missing and found_after is not None:
            headcounts.resolve_missing(db, run.id, ids.classes[class_name], "卫生间",
                                       found_by="值周教师", at=alarm + found_after)
    if details is not None:
        drills.update_details(db, run.id, details)
    if all_clear_after is not None:
        drills.finish_drill(db, run.id, at=alarm + all_clear_after)
    return run.id


def full_reports(ids: SchoolIds, seconds: Mapping[str, int]) -> dict[str, Report]:
    """Everyone present, each class reporting after its ``seconds``."""
    return {name: Report(present=ids.enrolled[name], after=timedelta(seconds=s))
            for name, s in seconds.items()}
