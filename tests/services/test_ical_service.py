"""Importing .ics files into a school: all or nothing, updates by UID, calendar entries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from drillplanner.domain.events import Event, EventKind, Participants, Recurrence, Scope
from drillplanner.domain.school_calendar import DayKind
from drillplanner.io.ical_model import IcsError
from drillplanner.services import calendar, classes, ical, schedule, schools
from drillplanner.storage.database import Database


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "测试小学")
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
    result = ical.import_events(db, school_id, ics(GOOD), "good.ics")

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
    result = ical.import_events(db, school_id, ics(GOOD), "good.ics", dry_run=True)

    assert result.dry_run and [e.title for e in result.added] == ["消防演练"]
    assert schedule.list_events(db, school_id) == []


def test_reimport_updates_by_uid_and_keeps_what_files_cannot_say(db: Database,
                                                                 school_id: int) -> None:
    grade = classes.add_grade(db, school_id, "一年级")
    people = Participants(Scope.GRADES, grade_ids=frozenset({grade.id}))
    first = schedule.add_event(db, Event(
        0, school_id, EventKind.FIRE, "消防演练", datetime(2026, 11, 9, 10),
        timedelta(minutes=20), Recurrence(rule="FREQ=WEEKLY;BYDAY=MO;COUNT=4"),
        participants=people))
    schedule.move_occurrence(db, first.id, datetime(2026, 11, 16, 10),
                             datetime(2026, 11, 17, 10))
    data = ical.export_school_events(db, school_id, today=date(2026, 9, 1))
    # Meanwhile the event was edited and another occurrence cancelled.
    schedule.update_event(db, Event(first.id, school_id, EventKind.EARTHQUAKE, "改了",
                                    first.start, timedelta(minutes=45), first.recurrence,
                                    participants=people))
    schedule.cancel_occurrence(db, first.id, datetime(2026, 11, 23, 10))

    result = ical.import_events(db, school_id, data, "back.ics")

    [event] = schedule.list_events(db, school_id)
    assert result.updated == (event,) and not result.added
    assert (event.id, event.uid, event.title, event.kind, event.duration) == (
        first.id, first.uid, "消防演练", EventKind.FIRE, timedelta(minutes=20))
    assert event.participants == people
    changes = schedule.list_changes(db, event.id)
    assert [(c.original_start, c.cancelled, c.new_start) for c in changes] == [
        (datetime(2026, 11, 16, 10), False, datetime(2026, 11, 17, 10))]


def test_a_uid_of_another_school_becomes_a_copy(db: Database, school_id: int) -> None:
    other = schools.add_school(db, "分校")
    ical.import_events(db, school_id, ics(GOOD), "good.ics")

    result = ical.import_events(db, other.id, ics(GOOD), "good.ics")

    [copy] = result.added
    assert copy.uid != "good" and copy.school_id == other.id
    assert [e.uid for e in schedule.list_events(db, school_id)] == ["good"]


def test_export_holds_only_the_schools_events(db: Database, school_id: int) -> None:
    other = schools.add_school(db, "分校")
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
    dry = ical.import_calendar_entries(db, school_id, CN_HOLIDAYS, "cn.ics", dry_run=True)
    assert len(dry) == 3 and calendar.list_calendar_days(db, school_id) == []

    added = ical.import_calendar_entries(db, school_id, CN_HOLIDAYS, "cn.ics")

    assert [(e.kind, e.start, e.end) for e in added] == [
        (DayKind.MAKEUP, date(2026, 9, 20), date(2026, 9, 20)),
        (DayKind.HOLIDAY, date(2026, 10, 1), date(2026, 10, 7)),
        (DayKind.MAKEUP, date(2026, 10, 10), date(2026, 10, 10))]
    school_calendar = calendar.load_calendar(db, school_id)
    assert school_calendar.is_school_day(date(2026, 9, 20))  # a Sunday worked
    assert school_calendar.is_school_day(date(2026, 10, 10))  # a Saturday worked
    assert not school_calendar.is_school_day(date(2026, 10, 5))  # a Monday off
    assert ical.import_calendar_entries(db, school_id, CN_HOLIDAYS, "cn.ics") == []
    assert ical.import_calendar_entries(db, school_id, CN_HOLIDAYS, "cn.ics",
                                        dry_run=True) == []
