"""A small database for the scheduling commands: a Chinese and an American school, each
with a school year and terms; the Chinese one with grades, classes, staff and an area."""

from __future__ import annotations

from datetime import date

from drillplanner.domain.school_calendar import DayKind
from drillplanner.services import calendar, classes, facilities, schools, staff
from drillplanner.storage.database import open_database

CN = "测试小学"
US = "Lincoln Elementary"
NO_CALENDAR = "新建学校"  # no school year yet: events may lie on any date


def fill(target: str) -> None:
    database = open_database(target)
    try:
        school = schools.add_school(database, CN).value
        calendar.add_school_year(database, school.id, "2026-2027", date(2026, 9, 1),
                                 date(2027, 7, 15),
                                 [("第一学期", date(2026, 9, 1), date(2027, 1, 22)),
                                  ("第二学期", date(2027, 2, 22), date(2027, 7, 9))])
        calendar.add_calendar_day(database, school.id, DayKind.HOLIDAY, date(2026, 10, 1),
                                  date(2026, 10, 7), "国庆节")
        for grade_name in ("一年级", "二年级"):
            grade = classes.add_grade(database, school.id, grade_name).value
            for number in (1, 2):
                classes.add_class(database, school.id, grade.id, f"{number}班", 40)
        staff.add_staff(database, school.id, "王老师")
        facilities.add_area(database, school.id, "操场")
        us = schools.add_school(database, US, timezone="America/New_York", country="US").value
        calendar.add_school_year(database, us.id, "2026-27", date(2026, 8, 26),
                                 date(2027, 6, 18),
                                 [("Fall", date(2026, 8, 26), date(2026, 12, 18)),
                                  ("Spring", date(2027, 1, 4), date(2027, 6, 18))])
        schools.add_school(database, NO_CALENDAR)
    finally:
        database.close()
