"""GUI fixtures: an AppContext over the real SQLite ``db`` with a small school in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from drillplanner.domain.roles import StaffRole
from drillplanner.services import classes, facilities, schools, staff
from drillplanner.storage.database import Database
from drillplanner.ui.context import AppContext
from drillplanner.ui.mainwindow import MainWindow


@pytest.fixture
def sample(db: Database) -> Sample:
    """One school: a building of three floors, an area, a route, two grades, three classes."""
    school = schools.add_school(db, "实验小学").value
    building = facilities.add_building(db, school.id, "教学楼", 3).value
    area = facilities.add_area(db, school.id, "操场东侧", 400).value
    facilities.add_route(db, school.id, "东楼梯", area.id)
    teacher = staff.add_staff(db, school.id, "田凤英", [StaffRole.HOMEROOM_TEACHER]).value
    staff.add_staff(db, school.id, "王校长", [StaffRole.PRINCIPAL, StaffRole.COMMANDER])
    grade_1 = classes.add_grade(db, school.id, "一年级").value
    grade_2 = classes.add_grade(db, school.id, "二年级").value
    class_1 = classes.add_class(db, school.id, grade_1.id, "1班", 45, room="101",
                                homeroom_teacher_id=teacher.id, building_id=building.id,
                                floor_level=1, assembly_area_id=area.id).value
    class_2 = classes.add_class(db, school.id, grade_1.id, "2班", 44).value
    classes.add_class(db, school.id, grade_2.id, "1班", 40)
    return Sample(school, class_1, class_2, grade_1.id, building.id)


@pytest.fixture
def ctx(db: Database, sample: Sample, qapp: object) -> Iterator[AppContext]:
    context = AppContext(db, "/tmp/drillplanner-test.log")
    context.set_school(sample.school.id)
    yield context
    context.undo_stack.clear()


@pytest.fixture
def window(ctx: AppContext, qtbot: QtBot) -> MainWindow:
    main = MainWindow(ctx)
    ctx.window = main
    qtbot.addWidget(main)
    main.build_pages()  # as the first idle turn after showing does
    return main
