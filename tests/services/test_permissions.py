"""Every operation as every role: allowed ones succeed and are audited under the user,
refused ones change nothing and say which rule refused them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from snapshot import dump

from drillplanner.domain.events import Event, EventKind
from drillplanner.domain.permissions import RULES, Op, PermissionDenied, Role
from drillplanner.services import (
    audit,
    authorization,
    calendar,
    classes,
    drills,
    facilities,
    headcounts,
    schedule,
    schools,
    staff,
    users,
)
from drillplanner.storage.database import Database

PASSWORD = "correct horse 1"


@dataclass
class School:
    id: int
    own_class: int  # the teacher's class, in the grade leader's grade
    other_class: int  # another grade's class
    run: int  # a drill in progress
    done_run: int  # a completed drill
    other_school: int
    post: int  # a floor post of the running drill


@pytest.fixture
def school(db: Database) -> School:
    """Set up as the local admin, then give the database its accounts."""
    s = schools.add_school(db, "聊城市实验小学").value
    one = classes.add_grade(db, s.id, "一年级").value
    two = classes.add_grade(db, s.id, "二年级").value
    own = classes.add_class(db, s.id, one.id, "1班", 40).value
    other = classes.add_class(db, s.id, two.id, "1班", 40).value
    done = drills.start_drill(db, s.id, kind=EventKind.FIRE).value
    drills.finish_drill(db, done.id)
    run = drills.start_drill(db, s.id, kind=EventKind.FIRE).value
    headcounts.record_headcount(db, run.id, own.id, 40)  # something to verify
    post = drills.add_post(db, run.id, "教学楼一层", "王芳").value
    elsewhere = schools.add_school(db, "高马小学").value
    users.add_user(db, "admin", PASSWORD, [Role.ADMIN])
    # From the first account on, the database wants to know who adds the others.
    with authorization.acting_as(users.authenticate(db, "admin", PASSWORD).value):
        users.add_user(db, "principal", PASSWORD, [Role.PRINCIPAL], school_id=s.id)
        users.add_user(db, "leader", PASSWORD, [Role.GRADE_LEADER], grade_ids=[one.id])
        users.add_user(db, "teacher", PASSWORD, [Role.TEACHER], class_ids=[own.id])
        users.add_user(db, "viewer", PASSWORD, [Role.VIEWER], school_id=s.id)
    return School(s.id, own.id, other.id, run.id, done.id, elsewhere.id, post.id)


#: (operation, what it does, the call) — every Op has at least one.
Call = Callable[[Database, School], Any]
CALLS: list[tuple[Op, str, Call]] = [
    (Op.SET_UP_SCHOOL, "add a building",
     lambda db, s: facilities.add_building(db, s.id, "科学楼", 3)),
    (Op.SET_UP_SCHOOL, "add staff", lambda db, s: staff.add_staff(db, s.id, "张丽")),
    (Op.SET_UP_SCHOOL, "rename the school",
     lambda db, s: schools.update_school(db, s.id, {"address": "东昌路1号"})),
    (Op.SET_UP_CALENDAR, "add a school year",
     lambda db, s: calendar.add_school_year(db, s.id, "2026-2027", date(2026, 9, 1),
                                            date(2027, 7, 31))),
    (Op.SCHEDULE, "schedule a drill",
     lambda db, s: schedule.add_event(db, Event(
         id=0, school_id=s.id, kind=EventKind.FIRE, title="消防演练",
         start=datetime(2026, 12, 9, 10), duration=timedelta(minutes=30)))),
    (Op.RUN_DRILL, "cancel the drill", lambda db, s: drills.cancel_drill(db, s.run, "下雨")),
    (Op.RUN_DRILL, "sound the all clear", lambda db, s: drills.finish_drill(db, s.run)),
    (Op.RECORD_HEADCOUNT, "own class, drill running",
     lambda db, s: headcounts.record_headcount(db, s.run, s.own_class, 40)),
    (Op.RECORD_HEADCOUNT, "another grade's class, drill running",
     lambda db, s: headcounts.record_headcount(db, s.run, s.other_class, 40)),
    (Op.RECORD_HEADCOUNT, "own class, drill completed (a correction)",
     lambda db, s: headcounts.record_headcount(db, s.done_run, s.own_class, 39, absent=1,
                                               reason="数错了")),
    (Op.VERIFY_HEADCOUNT, "own grade's class",
     lambda db, s: headcounts.verify_headcount(db, s.run, s.own_class, by="")),
    (Op.CLEAR_FLOOR, "report a floor cleared",
     lambda db, s: drills.clear_floor(db, s.post)),
    (Op.SIGN_DRILL, "sign the completed drill",
     lambda db, s: drills.sign_drill(db, s.done_run, by="")),
    (Op.MANAGE_USERS, "add a user",
     lambda db, s: users.add_user(db, "wangfang", PASSWORD, [Role.TEACHER])),
    (Op.MANAGE_USERS, "disable a user", lambda db, s: users.set_disabled(db, "viewer")),
    (Op.OWN_PASSWORD, "change the teacher's password",
     lambda db, s: users.change_password(db, "teacher", PASSWORD, "new password 2")),
    (Op.SET_UP_SCHOOL, "another school's building",
     lambda db, s: facilities.add_building(db, s.other_school, "教学楼", 3)),
]

#: Who may make each call (by its description): the table's answer, written out by hand.
ALLOWED: dict[str, set[str]] = {
    "add a building": {"admin"}, "add staff": {"admin"}, "rename the school": {"admin"},
    "add a school year": {"admin"}, "schedule a drill": {"admin"},
    "cancel the drill": {"admin", "principal"}, "sound the all clear": {"admin", "principal"},
    "own class, drill running": {"admin", "principal", "leader", "teacher"},
    "another grade's class, drill running": {"admin", "principal"},
    "own class, drill completed (a correction)": {"principal"},
    "own grade's class": {"admin", "principal", "leader"},
    "sign the completed drill": {"principal"},
    "report a floor cleared": {"admin", "principal", "leader", "teacher"},
    "add a user": {"admin"}, "disable a user": {"admin"},
    "change the teacher's password": {"teacher"},
    # The principal belongs to 聊城市实验小学; the admin to every school.
    "another school's building": {"admin"},
}
LOGINS = ("admin", "principal", "leader", "teacher", "viewer")


def test_every_operation_has_a_rule_and_a_call() -> None:
    assert set(RULES) == set(Op)
    assert {op for op, _what, _call in CALLS} == set(Op)
    assert set(ALLOWED) == {what for _op, what, _call in CALLS}


@pytest.mark.parametrize("login", LOGINS)
@pytest.mark.parametrize(("op", "what", "call"), CALLS, ids=[c[1] for c in CALLS])
def test_each_role_may_do_what_the_table_says(db: Database, school: School, login: str,
                                              op: Op, what: str, call: Call) -> None:
    actor = users.authenticate(db, login, PASSWORD).value
    before = dump(db)
    last = audit.check(db).rows
    with authorization.acting_as(actor):
        if login in ALLOWED[what]:
            call(db, school)
            written = [e for e in audit.list_entries(db, limit=None) if e.id > last]
            assert written, f"{what}: nothing was written"
            assert {e.actor for e in written} == {login}
        else:
            with pytest.raises(PermissionDenied) as refused:
                call(db, school)
            assert dump(db) == before
            message = str(refused.value)
            assert login in message or "another school" in message


def test_a_database_with_accounts_refuses_writes_of_nobody(db: Database,
                                                           school: School) -> None:
    before = dump(db)
    with pytest.raises(PermissionDenied, match="sign in"):
        facilities.add_building(db, school.id, "科学楼", 3)
    assert dump(db) == before


def test_the_refusal_names_the_rule(db: Database, school: School) -> None:
    teacher = users.authenticate(db, "teacher", PASSWORD).value
    with authorization.acting_as(teacher), pytest.raises(PermissionDenied) as refused:
        headcounts.record_headcount(db, school.run, school.other_class, 40)
    assert str(refused.value) == (
        "teacher cannot do this: “Record a class's headcount or missing students found” is "
        "for the class's teacher or grade leader, or an admin, while the drill runs; a "
        "principal at any time (a correction).")


def test_a_homeroom_teacher_on_the_roster_gets_their_class(db: Database,
                                                           school: School) -> None:
    admin = users.authenticate(db, "admin", PASSWORD).value
    with authorization.acting_as(admin):
        zhang = staff.add_staff(db, school.id, "张丽").value
        classes.update_class(db, school.other_class, {"homeroom_teacher_id": zhang.id})
        users.add_user(db, "zhangli", PASSWORD, [Role.TEACHER], staff_id=zhang.id)
    assert users.get_user(db, "zhangli").classes == ("二年级1班",)
    zhangli = users.authenticate(db, "zhangli", PASSWORD).value
    with authorization.acting_as(zhangli):
        entry = headcounts.record_headcount(db, school.run, school.other_class, 38,
                                            absent=2).value
    assert entry.recorded_by == "zhangli"
