"""A small school for the drill-day commands: two grades, three classes, a two-floor building
and a second school, so that commands must be told which school they mean."""

from __future__ import annotations

from drillplanner.services import classes, facilities, schools, staff
from drillplanner.storage.database import open_database

SCHOOL = "测试小学"
OTHER = "Lincoln Elementary"
TARGET_SECONDS = 180
BUILDING = "教学楼"
FLOORS = 2
# (grade, class, enrolled)
CLASSES = (("一年级", "1班", 40), ("一年级", "2班", 38), ("二年级", "1班", 42))
TEACHER = "王老师"


def full_name(grade: str, name: str) -> str:
    return grade + name


def fill(target: str) -> None:
    database = open_database(target)
    try:
        school = schools.add_school(database, SCHOOL, timezone="Asia/Shanghai",
                                    evacuation_target_seconds=TARGET_SECONDS).value
        grades: dict[str, int] = {}
        for grade, name, enrolled in CLASSES:
            if grade not in grades:
                grades[grade] = classes.add_grade(database, school.id, grade).value.id
            classes.add_class(database, school.id, grades[grade], name, enrolled)
        facilities.add_building(database, school.id, BUILDING, FLOORS)
        staff.add_staff(database, school.id, TEACHER)
        other = schools.add_school(database, OTHER, timezone="America/New_York", country="US").value
        grade_id = classes.add_grade(database, other.id, "Grade 1").value.id
        classes.add_class(database, other.id, grade_id, "1A", 25)
    finally:
        database.close()
