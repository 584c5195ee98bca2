"""Times given for a drill's entries lie between its alarm and its all clear (issue 10, item 6):
an entry "before the alarm" once read "Everyone accounted for −60:00 … target met"."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.services import classes, drills, facilities, headcounts, schools
from drillplanner.storage.database import Database


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "高马小学", evacuation_target_seconds=150).value
    facilities.add_building(db, school.id, "教学楼", 2)
    grade = classes.add_grade(db, school.id, "一年级").value
    classes.add_class(db, school.id, grade.id, "1班", 30)
    classes.add_class(db, school.id, grade.id, "2班", 30)
    return school.id


def clock(minutes: int, seconds: int = 0) -> datetime:
    return datetime(2026, 11, 9, 10, 0) + timedelta(minutes=minutes, seconds=seconds)


def test_entries_before_the_alarm_are_refused_with_the_alarm_time(
        db: Database, school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE, at=clock(0)).value
    one, two = headcounts.classes_in_run(db, run.id)
    post = drills.list_posts(db, run.id)[0]

    with pytest.raises(ValidationError) as refused:
        headcounts.record_headcount(db, run.id, one.class_id, 30, at=clock(-60))
    assert refused.value.field == "at"
    assert "09:00:00" in refused.value.message and "10:00:00" in refused.value.message
    with pytest.raises(ValidationError, match="10:00:00"):
        drills.clear_floor(db, post.id, by="王老师", at=clock(-1))
    assert headcounts.rollup(db, run.id).totals.reported == 0

    headcounts.record_headcount(db, run.id, one.class_id, 29, missing=1, at=clock(1))
    headcounts.record_headcount(db, run.id, two.class_id, 30, at=clock(0))  # at the alarm
    with pytest.raises(ValidationError, match="10:00:00"):
        headcounts.verify_headcount(db, run.id, one.class_id, "年级组长", at=clock(-5))
    with pytest.raises(ValidationError, match="10:00:00"):
        headcounts.resolve_missing(db, run.id, one.class_id, "卫生间", at=clock(-5))
    headcounts.resolve_missing(db, run.id, one.class_id, "卫生间", at=clock(2))
    drills.clear_floor(db, post.id, by="王老师", at=clock(3))
    accounted = headcounts.rollup(db, run.id).accounted_at
    assert accounted is not None and accounted >= run.alarm_at  # type: ignore[operator]


def test_times_after_the_all_clear_are_refused_with_both_times(
        db: Database, school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE, at=clock(0)).value
    one, _two = headcounts.classes_in_run(db, run.id)
    post = drills.list_posts(db, run.id)[0]
    headcounts.record_headcount(db, run.id, one.class_id, 30, at=clock(1))
    drills.finish_drill(db, run.id, at=clock(5))

    with pytest.raises(ValidationError) as refused:
        drills.clear_floor(db, post.id, by="王老师", at=clock(30), reason="补记")
    assert "10:00:00" in refused.value.message and "10:05:00" in refused.value.message
    assert "10:30:00" in refused.value.message
    drills.clear_floor(db, post.id, by="王老师", at=clock(4), reason="补记")
    cleared = drills.list_posts(db, run.id)[0].cleared_at
    assert cleared is not None and cleared.replace(tzinfo=None) == clock(4)


def test_a_time_on_another_day_shows_the_dates(db: Database, school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE, at=clock(0)).value
    one, _two = headcounts.classes_in_run(db, run.id)
    with pytest.raises(ValidationError) as refused:
        headcounts.record_headcount(db, run.id, one.class_id, 30, at=clock(-24 * 60 + 30))
    assert "2026-11-08 10:30:00" in refused.value.message
    assert "2026-11-09 10:00:00" in refused.value.message
