"""Importing .ics files into a school: all or nothing, updates by UID, calendar entries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from drillplanner.domain.events import Event, EventKind, Participants, Recurrence, Scope
from drillplanner.domain.school_calendar import DayKind
from drillplanner.io.ical_model import IcsError
from drillplanner.services import calendar, classes, facilities, ical, schedule, schools, staff
from drillplanner.storage.database import Database


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "测试小学").value
    calendar.add_school_year(db, school.id, "2026-2027", date(2026, 9, 1), date(2027, 7, 31),
                             [("第一学期", date(2026, 9, 1), date(2027, 1, 22)),
                              ("第二学期", date(2027, 2, 22), date(2027, 7, 9))])
    return school.id


def ics(*events: tuple[str, ...]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for props in events:
        lines += ["BEGIN:VEVENT", *props, "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


GOOD = ("UID:good", "DTSTART:20261109T100000", "DTEND:20261109T102000", "SUMMARY:消防演练",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3")


def _line(data: bytes, index: int) -> int:
    """The line of the ``index``-th BEGIN:VEVENT (0-based), found in the text."""
    lines = data.decode().splitlines()
    return [i for i, text in enumerate(lines, start=1) if text == "BEGIN:VEVENT"][index]


def test_import_adds_events_in_the_school(db: Database, school_id: int) -> None:
    result = ical.import_events(db, school_id, ics(GOOD), "good.ics").value

    [event] = schedule.list_events(db, school_id)
    assert result.added == (event,) and not result.updated and not result.dry_run
    assert (event.uid, event.kind, event.recurrence.rule) == (
        "good", EventKind.FIRE, "FREQ=WEEKLY;BYDAY=MO;COUNT=3")
    days = [o.day for o in schedule.occurrences(db, school_id, date(2026, 11, 1),
                                                date(2026, 12, 31))]
    assert days == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]


@pytest.mark.parametrize(("bad", "words"), [
    (("UID:bad", "DTSTART:20261110T100000", "DTEND:20261110T102000", "SUMMARY:"),
     "Title"),
    (("UID:bad", "DTSTART:20261110T100000", "DTEND:20261120T100000", "SUMMARY:长"),
     "7 days"),
    # Repeats only in the summer holidays: no occurrence inside a term.
    (("UID:bad", "DTSTART:20270801T100000", "DTEND:20270801T102000", "SUMMARY:暑假",
      "RRULE:FREQ=DAILY;COUNT=5"), "term"),
])
def test_one_bad_event_imports_nothing(db: Database, school_id: int, bad: tuple[str, ...],
                                       words: str) -> None:
    data = ics(GOOD, bad)

    with pytest.raises(IcsError) as caught:
        ical.import_events(db, school_id, data, "mixed.ics")

    [problem] = caught.value.problems
    assert (problem.source, problem.line) == ("mixed.ics", _line(data, 1))
    assert words in problem.message
    assert schedule.list_events(db, school_id) == []


def test_dry_run_reports_and_writes_nothing(db: Database, school_id: int) -> None:
    result = ical.import_events(db, school_id, ics(GOOD), "good.ics", dry_run=True).value

    assert result.dry_run and [e.title for e in result.added] == ["消防演练"]
    assert schedule.list_events(db, school_id) == []


def test_reimport_updates_by_uid(db: Database, school_id: int) -> None:
    grade = classes.add_grade(db, school_id, "一年级").value
    people = Participants(Scope.GRADES, grade_ids=frozenset({grade.id}))
    first = schedule.add_event(db, Event(
        0, school_id, EventKind.FIRE, "消防演练", datetime(2026, 11, 9, 10),
        timedelta(minutes=20), Recurrence(rule="FREQ=WEEKLY;BYDAY=MO;COUNT=4"),
        participants=people)).value
    schedule.move_occurrence(db, first.id, datetime(2026, 11, 16, 10),
                             datetime(2026, 11, 17, 10))
    data = ical.export_school_events(db, school_id, today=date(2026, 9, 1))
    # Meanwhile the event was edited and another occurrence cancelled.
    schedule.update_event(db, Event(first.id, school_id, EventKind.EARTHQUAKE, "改了",
                                    first.start, timedelta(minutes=45), first.recurrence))
    schedule.cancel_occurrence(db, first.id, datetime(2026, 11, 23, 10))

    result = ical.import_events(db, school_id, data, "back.ics").value

    [event] = schedule.list_events(db, school_id)
    assert result.updated == (event,) and not result.added
    assert replace(event, version=first.version) == first
    assert event.version > first.version  # changed twice, restored by the import
    changes = schedule.list_changes(db, event.id)
    assert [(c.original_start, c.cancelled, c.new_start) for c in changes] == [
        (datetime(2026, 11, 16, 10), False, datetime(2026, 11, 17, 10))]


def test_another_apps_file_keeps_the_participants(db: Database, school_id: int) -> None:
    grade = classes.add_grade(db, school_id, "一年级").value
    ical.import_events(db, school_id, ics(GOOD), "good.ics")
    [event] = schedule.list_events(db, school_id)
    people = Participants(Scope.GRADES, grade_ids=frozenset({grade.id}))
    schedule.update_event(db, replace(event, participants=people))

    ical.import_events(db, school_id, ics(GOOD), "good.ics")

    assert schedule.get_event(db, event.id).participants == people


def _school_with_people(db: Database, name: str, class_names: tuple[str, ...]
                        ) -> tuple[int, dict[str, int], int, int]:
    school = schools.add_school(db, name).value
    grade = classes.add_grade(db, school.id, "一年级").value
    class_ids = {n: classes.add_class(db, school.id, grade.id, n, 40).value.id for n in class_names}
    teacher = staff.add_staff(db, school.id, "王老师").value
    area = facilities.add_area(db, school.id, "操场").value
    return school.id, class_ids, teacher.id, area.id


def test_participants_organizer_and_area_travel_by_name(db: Database) -> None:
    source, source_classes, source_teacher, source_area = _school_with_people(
        db, "甲校", ("1班", "2班"))
    target, target_classes, target_teacher, target_area = _school_with_people(
        db, "乙校", ("2班", "1班"))
    schedule.add_event(db, Event(
        0, source, EventKind.EARTHQUAKE, "地震演练", datetime(2026, 11, 9, 10),
        timedelta(minutes=20), place="操场", assembly_area_id=source_area,
        participants=Participants(Scope.CLASSES, class_ids=frozenset(
            {source_classes["2班"]})), organizer_id=source_teacher))
    data = ical.export_school_events(db, source)
    assert "X-DRILLPLANNER-CLASS:一年级2班".encode() in data

    [copy] = ical.import_events(db, target, data, "甲校.ics").value.added

    assert copy.participants == Participants(Scope.CLASSES, class_ids=frozenset(
        {target_classes["2班"]}))
    assert (copy.organizer_id, copy.assembly_area_id) == (target_teacher, target_area)


def test_a_class_the_school_lacks_is_a_problem(db: Database) -> None:
    source, source_classes, _teacher, _area = _school_with_people(db, "甲校", ("3班",))
    target, _classes, _teacher, _area = _school_with_people(db, "乙校", ("1班",))
    schedule.add_event(db, Event(
        0, source, EventKind.FIRE, "演练", datetime(2026, 11, 9, 10), timedelta(minutes=20),
        participants=Participants(Scope.CLASSES, class_ids=frozenset(source_classes.values()))))
    data = ical.export_school_events(db, source)

    with pytest.raises(IcsError) as caught:
        ical.import_events(db, target, data, "甲校.ics")

    [problem] = caught.value.problems
    assert (problem.line, problem.prop) == (_line(data, 0), "X-DRILLPLANNER-CLASS")
    assert "一年级3班" in problem.message
    assert schedule.list_events(db, target) == []


def test_a_uid_of_another_school_becomes_a_copy(db: Database, school_id: int) -> None:
    other = schools.add_school(db, "分校").value
    ical.import_events(db, school_id, ics(GOOD), "good.ics")

    result = ical.import_events(db, other.id, ics(GOOD), "good.ics").value

    [copy] = result.added
    assert copy.uid != "good" and copy.school_id == other.id
    assert [e.uid for e in schedule.list_events(db, school_id)] == ["good"]


def test_export_holds_only_the_schools_events(db: Database, school_id: int) -> None:
    other = schools.add_school(db, "分校").value
    ical.import_events(db, school_id, ics(GOOD), "good.ics")
    ical.import_events(db, other.id, ics(("UID:theirs", "DTSTART:20261110T100000",
                                          "DTEND:20261110T110000", "SUMMARY:别校")), "o.ics")

    data = ical.export_school_events(db, school_id)

    assert b"UID:good" in data and b"UID:theirs" not in data
    assert "X-WR-CALNAME:测试小学".encode() in data


CN_HOLIDAYS = ics(
    ("UID:nd", "DTSTART;VALUE=DATE:20261001", "DTEND;VALUE=DATE:20261008", "SUMMARY:国庆节"),
    ("UID:m1", "DTSTART;VALUE=DATE:20260920", "DTEND;VALUE=DATE:20260921",
     "SUMMARY:国庆节调休上班"),
    ("UID:m2", "DTSTART;VALUE=DATE:20261010", "SUMMARY:补班"),
)


def test_calendar_entries_import_follows_the_school_days(db: Database, school_id: int
                                                         ) -> None:
    dry = ical.import_calendar_entries(db, school_id, CN_HOLIDAYS, "cn.ics", dry_run=True).value
    assert len(dry) == 3 and calendar.list_calendar_days(db, school_id) == []

    added = ical.import_calendar_entries(db, school_id, CN_HOLIDAYS, "cn.ics").value

    assert [(e.kind, e.start, e.end) for e in added] == [
        (DayKind.MAKEUP, date(2026, 9, 20), date(2026, 9, 20)),
        (DayKind.HOLIDAY, date(2026, 10, 1), date(2026, 10, 7)),
        (DayKind.MAKEUP, date(2026, 10, 10), date(2026, 10, 10))]
    school_calendar = calendar.load_calendar(db, school_id)
    assert school_calendar.is_school_day(date(2026, 9, 20))  # a Sunday worked
    assert school_calendar.is_school_day(date(2026, 10, 10))  # a Saturday worked
    assert not school_calendar.is_school_day(date(2026, 10, 5))  # a Monday off
    assert ical.import_calendar_entries(db, school_id, CN_HOLIDAYS, "cn.ics").value == []
    assert ical.import_calendar_entries(db, school_id, CN_HOLIDAYS, "cn.ics",
                                        dry_run=True).value == []
