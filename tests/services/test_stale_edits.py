"""Two people edit the same record: the second save, made from the version before the
first, is told (with the record as it is now) instead of silently overwriting."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from drillplanner.domain.drill_runs import RunDetails
from drillplanner.domain.errors import StaleEditError
from drillplanner.domain.events import Event, EventKind
from drillplanner.services import audit, classes, drills, schedule, schools
from drillplanner.storage.database import Database


@pytest.fixture
def school(db: Database) -> int:
    return schools.add_school(db, "聊城市实验小学").value.id


def _event(db: Database, school_id: int) -> Event:
    return schedule.add_event(db, Event(
        id=0, school_id=school_id, kind=EventKind.FIRE, title="消防疏散演练",
        start=datetime(2026, 12, 8, 10, 0), duration=timedelta(minutes=20))).value


def test_an_event_saved_from_an_older_version_is_refused(db: Database, school: int) -> None:
    event = _event(db, school)
    assert event.version == 1
    mine = replace(event, place="操场")  # opened by me…
    theirs = schedule.update_event(db, replace(event, title="冬季消防演练")).value
    assert theirs.version == 2  # …while they saved first
    with pytest.raises(StaleEditError) as stale:
        schedule.update_event(db, mine)
    current = stale.value.current
    assert isinstance(current, Event)
    assert current.title == "冬季消防演练"
    assert schedule.get_event(db, event.id).place == ""
    # "Use mine": the same edit made again from their version goes through.
    done = schedule.update_event(db, replace(mine, version=current.version))
    assert (done.value.title, done.value.place, done.value.version) == ("消防疏散演练", "操场", 3)


def test_a_class_edit_from_an_older_version_is_refused(db: Database, school: int) -> None:
    grade = classes.add_grade(db, school, "一年级").value
    school_class = classes.add_class(db, school, grade.id, "1班", 40).value
    classes.update_class(db, school_class.id, {"enrolled": 41},
                         expected_version=school_class.version)
    with pytest.raises(StaleEditError) as stale:
        classes.update_class(db, school_class.id, {"room": "101"},
                             expected_version=school_class.version)
    assert stale.value.current.enrolled == 41  # type: ignore[attr-defined]
    assert classes.get_class(db, school_class.id).room == ""
    # Without a version (a command that reads and writes at once) nothing is compared.
    assert classes.update_class(db, school_class.id, {"room": "101"}).value.version == 3


def test_the_drill_record_edit_from_an_older_version_is_refused(db: Database,
                                                                school: int) -> None:
    run = drills.start_drill(db, school, kind=EventKind.FIRE).value
    drills.update_details(db, run.id, RunDetails(weather="晴"), expected_version=run.version)
    with pytest.raises(StaleEditError):
        drills.update_details(db, run.id, RunDetails(problems="楼梯拥挤"),
                              expected_version=run.version)
    assert drills.get_run(db, run.id).details.weather == "晴"


def test_two_computers_editing_one_event(db_target: object, db: Database, school: int) -> None:
    from drillplanner.storage.database import open_database

    event = _event(db, school)
    other = open_database(str(db_target))
    try:
        theirs = schedule.get_event(other, event.id)
        schedule.update_event(other, replace(theirs, title="改期的演练"))
    finally:
        other.close()
    with pytest.raises(StaleEditError):
        schedule.update_event(db, replace(event, title="我的标题"))
    assert schedule.get_event(db, event.id).title == "改期的演练"


def test_versions_stay_out_of_the_audit_log(db: Database, school: int) -> None:
    event = _event(db, school)
    schedule.update_event(db, replace(event, title="冬季消防演练"))
    entries = audit.list_entries(db)
    assert any(e.entity == "events" and e.action.value == "update" for e in entries)
    for entry in entries:
        assert "version" not in {change.name for change in entry.fields}
