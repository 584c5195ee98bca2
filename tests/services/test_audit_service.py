"""The audit log through the services: writes leave old → new rows, listings show them in the
school's time zone, and the chain check names rows changed with raw SQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import raw_sql

from drillplanner.domain.audit import ABSENT, Action, BreakKind, change_text
from drillplanner.domain.drill_runs import Notification, RunDetails
from drillplanner.domain.events import Event, EventKind
from drillplanner.services import audit, classes, drills, schedule, schools
from drillplanner.storage.database import Database


@pytest.fixture(autouse=True)
def _actor() -> Iterator[None]:
    token = audit.set_actor("王校长")
    yield
    audit.reset_actor(token)


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "高马小学").value
    grade = classes.add_grade(db, school.id, "一年级").value
    classes.add_class(db, school.id, grade.id, "1班", 30)
    return school.id


def test_update_school_appends_old_and_new(db: Database, school_id: int) -> None:
    schools.update_school(db, school_id, {"address": "人民路 1 号",
                                          "evacuation_target_seconds": 150})
    entry = audit.list_entries(db, limit=1)[0]
    assert (entry.entity, entry.entity_id, entry.action, entry.school_id, entry.actor) == (
        "schools", str(school_id), Action.UPDATE, school_id, "王校长")
    assert entry.old_values() == {"address": "", "evacuation_target_seconds": 180}
    assert entry.new_values() == {"address": "人民路 1 号", "evacuation_target_seconds": 150}
    assert change_text(entry) == ("address: “” → “人民路 1 号”; "
                                  "evacuation_target_seconds: 180 → 150")
    assert audit.verify(db) is None


def test_add_event_appends_an_insert_with_its_school(db: Database, school_id: int) -> None:
    event = schedule.add_event(db, Event(
        id=0, school_id=school_id, kind=EventKind.FIRE, title="消防疏散演练",
        start=datetime(2026, 11, 9, 10, 0), duration=timedelta(minutes=20))).value
    [entry] = audit.list_entries(db, entity="events")
    assert (entry.entity_id, entry.action, entry.school_id, entry.run_id) == (
        str(event.id), Action.INSERT, school_id, None)
    assert entry.new_values()["title"] == "消防疏散演练"
    assert entry.new_values()["start"] == "2026-11-09T10:00:00.000000"
    assert all(f.old is ABSENT for f in entry.fields)


def test_update_details_of_a_drill_is_listed_for_that_drill(db: Database,
                                                            school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE,
                             at=datetime(2026, 11, 9, 10, 0)).value
    drills.update_details(db, run.id, RunDetails(weather="晴", notification=Notification.BELL))
    entries = audit.list_entries(db, run_id=run.id)
    assert entries[0].entity == "drill_runs" and entries[0].action is Action.UPDATE
    assert entries[0].old_values() == {"notification": "", "weather": ""}
    assert entries[0].new_values() == {"notification": "bell", "weather": "晴"}
    # The run's own insert and its class snapshot belong to the drill too, newest first.
    assert {e.entity for e in entries} >= {"drill_runs", "run_classes"}
    assert [e.id for e in entries] == sorted((e.id for e in entries), reverse=True)
    assert all(e.run_id == run.id and e.school_id == school_id for e in entries)
    assert audit.latest_hash(db, run.id) == entries[0].hash
    assert audit.latest_hash(db, run.id + 1) is None
    assert audit.find_hash(db, entries[0].hash.upper()) == entries[0].id


def test_times_show_in_the_schools_zone_and_since_is_a_local_day(
        db: Database, school_id: int) -> None:
    entry = audit.list_entries(db, limit=1)[0]
    assert entry.at.utcoffset() == timedelta(hours=8)
    assert entry.school == "高马小学"
    now = datetime.now(UTC)
    shanghai_today = entry.at.date()
    assert len(audit.list_entries(db, school_id=school_id, since=shanghai_today)) == len(
        audit.list_entries(db))
    assert audit.list_entries(db, school_id=school_id,
                              since=shanghai_today + timedelta(days=1)) == []
    assert audit.list_entries(db, since=now + timedelta(minutes=5)) == []
    assert len(audit.list_entries(db, since=now - timedelta(minutes=5))) == 3
    assert audit.list_entries(db, school_id=school_id + 1) == []


def test_limit_and_entities(db: Database, school_id: int) -> None:
    assert [e.id for e in audit.list_entries(db, limit=2)] == [3, 2]
    assert len(audit.list_entries(db, limit=None)) == 3
    assert audit.entities(db) == ["classes", "grades", "schools"]


def test_a_deleted_schools_entries_stay(db: Database, school_id: int) -> None:
    schools.delete_school(db, school_id)
    entries = audit.list_entries(db)
    assert (entries[0].entity, entries[0].action) == ("schools", Action.DELETE)
    assert entries[0].school == ""  # its name went with it; the number stays
    assert entries[0].school_id == school_id
    assert audit.verify(db) is None


def test_raw_sql_edits_and_deletions_are_named(db: Database, school_id: int) -> None:
    schools.update_school(db, school_id, {"address": "人民路 1 号"})
    assert audit.check(db).rows == 4
    raw_sql.execute(db, "UPDATE audit_log SET new = replace(new, '人民路', '解放路') WHERE id = 4")
    problem = audit.verify(db)
    assert problem is not None and (problem.row_id, problem.kind) == (4, BreakKind.ALTERED)
    raw_sql.execute(db, "DELETE FROM audit_log WHERE id = 2")
    problem = audit.verify(db)
    assert problem is not None and (problem.row_id, problem.kind) == (2, BreakKind.REMOVED)
    # The listing still shows what is there, altered or not.
    assert [e.id for e in audit.list_entries(db)] == [4, 3, 1]


def test_a_day_without_a_school_is_read_in_the_computers_zone(db: Database,
                                                               school_id: int) -> None:
    local_today = datetime.now().astimezone().date()
    assert len(audit.list_entries(db, since=local_today - timedelta(days=1))) == 3
    assert audit.list_entries(db, since=date(2100, 1, 1)) == []
