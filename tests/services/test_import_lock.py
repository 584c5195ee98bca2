"""Imports check outside the write lock (a roster also writes in a few bulk statements), so a
drill's headcounts never wait while a large file is checked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from raw_sql import another_writer
from sqlalchemy import event

from drillplanner.domain.audit import Action
from drillplanner.domain.events import EventKind
from drillplanner.domain.roster import RosterError, RosterRow, RosterTable
from drillplanner.io.ical_model import IcsError
from drillplanner.services import (
    audit,
    classes,
    drills,
    facilities,
    headcounts,
    ical,
    schedule,
    schools,
)
from drillplanner.services import roster as roster_service
from drillplanner.services.roster import import_roster
from drillplanner.storage.database import Database, open_database


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "聊城市实验小学").value
    facilities.add_building(db, school.id, "教学楼", 3)
    facilities.add_area(db, school.id, "操场")
    grade = classes.add_grade(db, school.id, "一年级").value
    classes.add_class(db, school.id, grade.id, "1班", 40)
    return school.id


def roster(count: int, *, grade: str = "二年级", enrolled: int = 40) -> RosterTable:
    rows = tuple(RosterRow(grade, f"{n}班", enrolled, f"老师{n}", f"{n}室", 1 + n % 3, "教学楼",
                           "操场", line=n + 1) for n in range(1, count + 1))
    return RosterTable(rows=rows, source="roster.csv")


@pytest.fixture
def other_computer(db_target: Path | str) -> Iterator[Database]:
    """The same database opened a second time, as a teacher's computer would."""
    database = open_database(db_target)
    yield database
    database.close()


def test_checking_a_roster_takes_no_write_lock(db: Database, school_id: int) -> None:
    with another_writer(db):
        preview = import_roster(db, school_id, roster(30), dry_run=True).value
        assert len(preview.added) == 30
        bad = roster(3)
        bad = RosterTable(rows=(*bad.rows, RosterRow("二年级", "9班", 40, building="科学楼",
                                                     line=9)), source="roster.csv")
        with pytest.raises(RosterError, match="科学楼"):
            import_roster(db, school_id, bad)


def ics_file(*titles: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for n, title in enumerate(titles):
        lines += ["BEGIN:VEVENT", f"UID:e{n}", "DTSTART:20261109T100000",
                  "DTEND:20261109T102000", f"SUMMARY:{title}",
                  "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3", "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


def test_checking_a_calendar_file_takes_no_write_lock(db: Database, school_id: int) -> None:
    with another_writer(db):
        preview = ical.import_events(db, school_id, ics_file("消防演练", "地震演练"), "a.ics",
                                     dry_run=True).value
        assert [e.title for e in preview.added] == ["消防演练", "地震演练"]
        with pytest.raises(IcsError, match="Title"):
            ical.import_events(db, school_id, ics_file("消防演练", ""), "b.ics")
    assert schedule.list_events(db, school_id) == []


def test_events_changed_while_a_calendar_file_is_checked_are_checked_again(
        db: Database, other_computer: Database, school_id: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ical.import_events(db, school_id, ics_file("消防演练"), "a.ics")
    original = ical._Import.check
    checks = 0

    def check_while_an_admin_deletes(self: Any, events: Any) -> Any:
        nonlocal checks
        checks += 1
        if checks == 1:
            [event] = schedule.list_events(other_computer, school_id)
            schedule.delete_event(other_computer, event.id)
        return original(self, events)

    monkeypatch.setattr(ical._Import, "check", check_while_an_admin_deletes)
    result = ical.import_events(db, school_id, ics_file("消防演练（改）"), "a.ics").value
    assert checks == 2
    # The event it would have replaced is gone: the file's event is added again.
    assert [e.title for e in result.added] == ["消防演练（改）"]
    assert [e.title for e in schedule.list_events(db, school_id)] == ["消防演练（改）"]


def test_a_headcount_entered_while_a_roster_is_checked_is_saved_at_once(
        db: Database, other_computer: Database, school_id: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE).value
    class_id = classes.list_classes(db, school_id)[0].id
    plans = 0
    original = roster_service.plan_import

    def plan_while_a_teacher_reports(*args: Any, **kwargs: Any) -> Any:
        nonlocal plans
        plans += 1
        # The teacher's entry commits while the roster is being checked, without waiting.
        headcounts.record_headcount(other_computer, run.id, class_id, 38, absent=2)
        return original(*args, **kwargs)

    monkeypatch.setattr(roster_service, "plan_import", plan_while_a_teacher_reports)
    summary = import_roster(db, school_id, roster(20)).value
    assert len(summary.added) == 20
    assert plans == 1  # a headcount is not a change to the school's structure
    assert len(headcounts.history(db, run.id, class_id)) == 1
    assert headcounts.rollup(db, run.id).totals.present == 38


def test_a_school_changed_while_its_roster_is_checked_is_checked_again(
        db: Database, other_computer: Database, school_id: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    plans = 0
    original = roster_service.plan_import

    def plan_while_an_admin_edits(*args: Any, **kwargs: Any) -> Any:
        nonlocal plans
        plans += 1
        if plans == 1:
            grade = classes.add_grade(other_computer, school_id, "二年级").value
            classes.add_class(other_computer, school_id, grade.id, "1班", 12)
        return original(*args, **kwargs)

    monkeypatch.setattr(roster_service, "plan_import", plan_while_an_admin_edits)
    summary = import_roster(db, school_id, roster(3)).value
    assert plans == 2
    # Checked again against what was stored meanwhile: 二年级1班 is now updated, not added
    # a second time (which the database would have refused).
    assert summary.added == ("二年级2班", "二年级3班")
    assert summary.updated == ("二年级1班",)
    assert summary.grades_added == ()
    enrolled = {c.full_name: c.enrolled for c in classes.list_classes(db, school_id)}
    assert enrolled["二年级1班"] == 40


def count_statements(db: Database, work: Any) -> int:
    count = 0

    def counted(*_args: Any) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


def test_an_import_writes_with_as_many_statements_for_500_classes_as_for_5(
        db: Database, school_id: int) -> None:
    small = count_statements(db, lambda: import_roster(db, school_id, roster(5)))
    large = count_statements(db, lambda: import_roster(
        db, school_id, roster(500, grade="三年级")))
    assert large == small
    assert small < 40
    updated = count_statements(db, lambda: import_roster(
        db, school_id, roster(500, grade="三年级", enrolled=41)))
    assert updated <= small
    assert len(classes.list_classes(db, school_id)) == 1 + 5 + 500


def test_bulk_rows_are_audited_as_the_orm_audits_them(db: Database, school_id: int) -> None:
    import_roster(db, school_id, roster(2))
    other = schools.add_school(db, "高马小学").value
    facilities.add_building(db, other.id, "教学楼", 3)
    area = facilities.add_area(db, other.id, "操场").value
    grade = classes.add_grade(db, other.id, "二年级").value
    classes.add_class(db, other.id, grade.id, "1班", 40, room="1室",
                      assembly_area_id=area.id)

    def keys(school: int, entity: str) -> set[str]:
        entries = audit.list_entries(db, school_id=school, entity=entity)
        inserted = [e for e in entries if e.action is Action.INSERT]
        assert inserted
        return set(inserted[-1].new_values())

    for entity in ("classes", "grades"):
        assert keys(school_id, entity) == keys(other.id, entity)
    assert audit.verify(db) is None
    staff_rows = audit.list_entries(db, school_id=school_id, entity="staff")
    assert sorted(e.entity_id for e in staff_rows if e.action is Action.INSERT) == sorted(
        str(s.id) for s in schools_staff(db, school_id))


def schools_staff(db: Database, school_id: int) -> list[Any]:
    from drillplanner.services import staff

    return staff.list_staff(db, school_id)
