"""Drill runs and headcounts through the services, on a real SQLite file."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from drillplanner.domain.drill_runs import Notification, RunDetails, RunStatus
from drillplanner.domain.errors import ConflictError, NotFoundError, ValidationError
from drillplanner.domain.events import Event, EventKind, Participants, Scope
from drillplanner.domain.headcount import ReportState
from drillplanner.services import (
    calendar,
    classes,
    compliance,
    drills,
    facilities,
    headcounts,
    schedule,
    schools,
)
from drillplanner.storage.database import Database


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "高马小学", evacuation_target_seconds=150).value
    facilities.add_building(db, school.id, "教学楼", 2)
    for grade_name, sizes in (("一年级", (30, 32)), ("二年级", (28,))):
        grade = classes.add_grade(db, school.id, grade_name).value
        for number, size in enumerate(sizes, start=1):
            classes.add_class(db, school.id, grade.id, f"{number}班", size)
    return school.id


def clock(minutes: int, seconds: int = 0) -> datetime:
    return datetime(2026, 11, 9, 10, 0) + timedelta(minutes=minutes, seconds=seconds)


def test_a_whole_drill_from_alarm_to_all_clear(db: Database, school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE, at=clock(0)).value
    assert run.status is RunStatus.IN_PROGRESS and not run.announced
    assert run.alarm_at.utcoffset() == timedelta(hours=8)  # type: ignore[union-attr]
    taking_part = headcounts.classes_in_run(db, run.id)
    assert [c.name for c in taking_part] == ["一年级1班", "一年级2班", "二年级1班"]
    assert [p.post for p in drills.list_posts(db, run.id)] == ["教学楼 1F", "教学楼 2F"]
    one, two, three = taking_part
    headcounts.record_headcount(db, run.id, one.class_id, 29, missing=1, missing_names="张小明",
                                at=clock(1, 10), by="刘老师")
    headcounts.record_headcount(db, run.id, two.class_id, 31, absent=1, at=clock(1, 30))
    rollup = headcounts.rollup(db, run.id)
    assert [(a.class_name, a.still_missing, a.names) for a in rollup.open_alerts] == [
        ("一年级1班", 1, ("张小明",))]
    assert rollup.totals.still_out == 1 and rollup.accounted_at is None
    headcounts.record_headcount(db, run.id, three.class_id, 28, at=clock(2, 0))
    headcounts.resolve_missing(db, run.id, one.class_id, "卫生间", found_by="王老师",
                               at=clock(2, 20))
    headcounts.verify_headcount(db, run.id, two.class_id, "年级组长", at=clock(2, 30))
    rollup = headcounts.rollup(db, run.id)
    assert rollup.open_alerts == ()
    assert rollup.time_to_accountability == timedelta(minutes=2, seconds=20)
    assert rollup.met_target is True  # target 150 s
    assert [s.state for s in rollup.classes] == [ReportState.REPORTED, ReportState.VERIFIED,
                                                 ReportState.REPORTED]
    post = drills.list_posts(db, run.id)[1]
    cleared = drills.clear_floor(db, post.id, by="赵老师", at=clock(1, 0)).value
    assert cleared.cleared_by == "赵老师" and cleared.cleared_at.minute == 1  # type: ignore[union-attr]
    done = drills.finish_drill(db, run.id, at=clock(6)).value
    assert done.status is RunStatus.COMPLETED and done.duration == timedelta(minutes=6)
    with pytest.raises(ConflictError):
        drills.cancel_drill(db, run.id, "too late")


def test_corrections_are_history_and_the_figures_derive_from_the_latest(
        db: Database, school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.EARTHQUAKE, at=clock(0)).value
    cls = headcounts.find_class(db, run.id, "1-2")
    assert cls.name == "一年级2班"
    headcounts.record_headcount(db, run.id, cls.class_id, 30, missing=2, at=clock(1), by="甲")
    headcounts.record_headcount(db, run.id, cls.class_id, 32, at=clock(2), by="乙")
    items = headcounts.history(db, run.id, cls.class_id)
    assert [(i.recorded_by, i.old and i.old.present, i.new and i.new.present) for i in items] == [
        ("甲", None, 30), ("乙", 30, 32)]
    status = headcounts.rollup(db, run.id).classes[1]
    assert status.figures is not None and status.figures.present == 32
    assert status.corrections == 1 and status.still_missing == 0


def test_refused_entries_store_nothing(db: Database, school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE).value
    cls = headcounts.classes_in_run(db, run.id)[0]
    with pytest.raises(ValidationError, match="expected 30, but present 31"):
        headcounts.record_headcount(db, run.id, cls.class_id, 31)
    with pytest.raises(NotFoundError):
        headcounts.record_headcount(db, run.id, 9999, 3)
    with pytest.raises(ConflictError, match="nothing to verify"):
        headcounts.verify_headcount(db, run.id, cls.class_id, "组长")
    with pytest.raises(ConflictError, match="Nobody"):
        headcounts.resolve_missing(db, run.id, cls.class_id, "教室")
    assert headcounts.history(db, run.id, cls.class_id) == []
    with pytest.raises(ValidationError):
        headcounts.find_class(db, run.id, "1班")  # 一年级1班 or 二年级1班


def test_one_run_at_a_time_and_status_rules(db: Database, school_id: int) -> None:
    first = drills.start_drill(db, school_id, kind=EventKind.FIRE, at=clock(0)).value
    with pytest.raises(ConflictError, match="still in progress"):
        drills.start_drill(db, school_id, kind=EventKind.FIRE)
    with pytest.raises(ValidationError, match="before the alarm"):
        drills.finish_drill(db, first.id, at=clock(-5))
    cancelled = drills.cancel_drill(db, first.id, "暴雨").value
    assert cancelled.status is RunStatus.CANCELLED and cancelled.status_reason == "暴雨"
    with pytest.raises(ConflictError):
        headcounts.record_headcount(db, first.id, headcounts.classes_in_run(db, first.id)[0]
                                    .class_id, 30)
    with pytest.raises(ValidationError, match="not a drill"):
        drills.start_drill(db, school_id, kind=EventKind.SPORTS)
    with pytest.raises(ValidationError):
        drills.cancel_drill(
            db, drills.start_drill(db, school_id, kind=EventKind.FIRE).value.id, " ")


def test_a_scheduled_occurrence_becomes_a_run_with_its_participants(
        db: Database, school_id: int) -> None:
    grade = classes.list_grades(db, school_id)[1]
    event = schedule.add_event(db, Event(
        id=0, school_id=school_id, kind=EventKind.LOCKDOWN, title="二年级封闭演练",
        start=datetime(2026, 11, 9, 10), duration=timedelta(minutes=15),
        participants=Participants(Scope.GRADES, grade_ids=frozenset({grade.id})))).value
    planned = drills.plan_drill(db, school_id, event_id=event.id,
                                occurrence_start=datetime(2026, 11, 9, 10)).value
    assert planned.status is RunStatus.PLANNED and planned.announced
    assert [c.name for c in headcounts.classes_in_run(db, planned.id)] == ["二年级1班"]
    postponed = drills.postpone_drill(db, planned.id, "雨天").value
    assert postponed.status is RunStatus.POSTPONED
    started = drills.sound_alarm(db, planned.id, at=clock(0)).value
    assert started.status is RunStatus.IN_PROGRESS and started.kind is EventKind.LOCKDOWN


def test_record_details_actions_listing_and_compliance(db: Database, school_id: int) -> None:
    calendar.add_school_year(db, school_id, "2026-2027", date(2026, 9, 1), date(2027, 7, 31),
                             [("第一学期", date(2026, 9, 1), date(2027, 1, 22))])
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE, at=clock(0)).value
    details = RunDetails(conducted_by="王校长", notification=Notification.WHISTLE,
                         weather="晴", observers="消防救援站", problems="东楼梯拥挤",
                         conditions="西楼梯封闭")
    assert drills.update_details(db, run.id, details).value.details == details
    action = drills.add_action(db, run.id, "东楼梯加派引导教师", owner="李主任",
                               due=date(2026, 11, 20)).value
    assert drills.set_action_done(db, action.id).value.done
    before = compliance.evaluate_school(db, school_id, date(2026, 11, 10))
    november = next(p for p in before.periods if p.label == "2026-11")
    assert november.held == ()  # still in progress: not held yet
    drills.finish_drill(db, run.id, at=clock(5))
    after = compliance.evaluate_school(db, school_id, date(2026, 11, 10))
    november = next(p for p in after.periods if p.label == "2026-11")
    assert [h.day for h in november.held] == [date(2026, 11, 9)]
    assert [r.id for r in drills.list_runs(db, school_id, start=date(2026, 11, 9),
                                           end=date(2026, 11, 9))] == [run.id]
    assert drills.list_runs(db, school_id, kinds=[EventKind.LOCKDOWN]) == []
    assert drills.list_runs(db, school_id, start=date(2026, 11, 10)) == []


def test_change_marker_moves_with_every_change(db: Database, school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE, at=clock(0)).value
    seen = {headcounts.change_marker(db, run.id)}
    cls = headcounts.classes_in_run(db, run.id)[0]
    headcounts.record_headcount(db, run.id, cls.class_id, 29, missing=1)
    seen.add(headcounts.change_marker(db, run.id))
    headcounts.resolve_missing(db, run.id, cls.class_id, "操场")
    seen.add(headcounts.change_marker(db, run.id))
    drills.clear_floor(db, drills.list_posts(db, run.id)[0].id)
    seen.add(headcounts.change_marker(db, run.id))
    drills.finish_drill(db, run.id)
    seen.add(headcounts.change_marker(db, run.id))
    assert len(seen) == 5
