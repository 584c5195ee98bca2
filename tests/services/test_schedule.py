"""Events through the schedule service on a real database: expansion, changes, splits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import DAILY, MO, MONTHLY, WE, WEEKLY, rrule

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.conflicts import ConflictKind
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.events import Event, EventKind, Participants, Recurrence, Scope
from drillplanner.domain.school_calendar import DayKind
from drillplanner.services import calendar, classes, facilities, schedule, schools
from drillplanner.storage.database import Database


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "道口铺街道中心学校").value
    calendar.add_school_year(db, school.id, "2026-2027", date(2026, 9, 1), date(2027, 7, 31),
                             [("第一学期", date(2026, 9, 1), date(2027, 1, 22)),
                              ("第二学期", date(2027, 2, 22), date(2027, 7, 9))])
    calendar.add_calendar_day(db, school.id, DayKind.HOLIDAY, date(2026, 10, 1),
                              date(2026, 10, 7), "国庆节")
    calendar.add_calendar_day(db, school.id, DayKind.MAKEUP, date(2026, 10, 10), name="调休")
    return school.id


def drill(school_id: int, start: datetime, rule: str = "", **changes: object) -> Event:
    base = Event(id=0, school_id=school_id, kind=EventKind.FIRE, title="疏散演练", start=start,
                 duration=timedelta(minutes=20), recurrence=Recurrence(rule=rule),
                 place="操场")
    return replace(base, **changes)  # type: ignore[arg-type]


def starts(db: Database, school_id: int, first: date, last: date) -> list[datetime]:
    return [o.start.replace(tzinfo=None) for o in schedule.occurrences(db, school_id, first,
                                                                      last)]


def test_weekly_event_round_trips_and_expands_like_dateutil(db: Database, school_id: int
                                                             ) -> None:
    added = schedule.add_event(db, drill(school_id, datetime(2026, 9, 7, 10),
                                         "rrule:freq=weekly;byday=mo,we")).value
    assert added.id and added.uid.endswith("@drillplanner")
    assert added.recurrence.rule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert schedule.get_event(db, added.id) == added
    expected = list(rrule(WEEKLY, byweekday=(MO, WE), dtstart=datetime(2026, 9, 7, 10),
                          until=datetime(2026, 11, 30, 23, 59)))
    assert starts(db, school_id, date(2026, 9, 1), date(2026, 11, 30)) == expected
    occurrence = schedule.occurrences(db, school_id, date(2026, 9, 7), date(2026, 9, 7))[0]
    assert occurrence.start.utcoffset() == timedelta(hours=8)
    assert occurrence.end - occurrence.start == timedelta(minutes=20)


def test_every_school_day_follows_holidays_and_make_up_days(db: Database, school_id: int
                                                             ) -> None:
    event = drill(school_id, datetime(2026, 9, 28, 10), "FREQ=DAILY",
                  recurrence=Recurrence(rule="FREQ=DAILY", school_days_only=True))
    schedule.add_event(db, event)
    days = [d.date() for d in starts(db, school_id, date(2026, 9, 28), date(2026, 10, 16))]
    weekdays = [d.date() for d in rrule(DAILY, dtstart=datetime(2026, 9, 28),
                                        until=datetime(2026, 10, 16))
                if d.weekday() < 5 and not date(2026, 10, 1) <= d.date() <= date(2026, 10, 7)]
    assert days == sorted([*weekdays, date(2026, 10, 10)])


def test_moving_and_cancelling_one_occurrence_leaves_the_rest(db: Database, school_id: int
                                                               ) -> None:
    event = schedule.add_event(db, drill(school_id, datetime(2026, 9, 8, 10),
                                         "FREQ=MONTHLY;BYDAY=+2TU;COUNT=4")).value
    originals = starts(db, school_id, date(2026, 9, 1), date(2026, 12, 31))
    assert originals == list(rrule(MONTHLY, dtstart=datetime(2026, 9, 8, 10), count=4,
                                   byweekday=1, bysetpos=2))
    schedule.move_occurrence(db, event.id, originals[1], datetime(2026, 10, 15, 14, 30))
    schedule.cancel_occurrence(db, event.id, originals[2])
    after = schedule.occurrences(db, school_id, date(2026, 9, 1), date(2026, 12, 31))
    assert [o.start.replace(tzinfo=None) for o in after] == [
        originals[0], datetime(2026, 10, 15, 14, 30), originals[3]]
    assert [o.moved for o in after] == [False, True, False]
    assert after[1].original_start == originals[1]
    schedule.restore_occurrence(db, event.id, originals[2])
    assert len(schedule.occurrences(db, school_id, date(2026, 9, 1), date(2026, 12, 31))) == 4
    assert len(schedule.list_changes(db, event.id)) == 1


def test_this_and_following_splits_the_series(db: Database, school_id: int) -> None:
    event = schedule.add_event(db, drill(school_id, datetime(2026, 9, 2, 10),
                                         "FREQ=WEEKLY;BYDAY=WE;COUNT=10")).value
    before = starts(db, school_id, date(2026, 9, 1), date(2027, 1, 1))
    schedule.cancel_occurrence(db, event.id, before[7])
    head, tail = schedule.split_series(db, event.id, before[5]).value
    assert tail.id != head.id and tail.uid != head.uid and tail.start == before[5]
    after = starts(db, school_id, date(2026, 9, 1), date(2027, 1, 1))
    assert after == [s for i, s in enumerate(before) if i != 7]
    assert schedule.list_changes(db, head.id) == []
    assert [c.original_start for c in schedule.list_changes(db, tail.id)] == [before[7]]
    with pytest.raises(ValidationError, match="split"):
        schedule.split_series(db, head.id, head.start)


def test_every_event_write_names_the_events_it_changed(db: Database, school_id: int
                                                       ) -> None:
    schedule.add_event(db, drill(school_id, datetime(2026, 9, 1, 9)))  # not touched below
    added = schedule.add_event(db, drill(school_id, datetime(2026, 9, 2, 10),
                                         "FREQ=WEEKLY;BYDAY=WE;COUNT=10"))
    event = added.value
    named = Changes.of(Kind.EVENT, event.id)
    assert added.changes == named and named.ids(Kind.EVENT) == {event.id}
    renamed = replace(event, title="每周疏散演练")
    assert schedule.update_event(db, renamed).changes == named
    assert schedule.move_occurrence(db, event.id, datetime(2026, 9, 9, 10),
                                    datetime(2026, 9, 10, 10)).changes == named
    assert schedule.cancel_occurrence(db, event.id, datetime(2026, 9, 16, 10)).changes == named
    assert schedule.restore_occurrence(db, event.id,
                                       datetime(2026, 9, 16, 10)).changes == named
    split = schedule.split_series(db, event.id, datetime(2026, 10, 14, 10))
    head, tail = split.value
    assert head.id == event.id and tail.id != event.id
    assert split.changes == Changes.of(Kind.EVENT, head.id, tail.id)
    assert split.changes.kinds() == {Kind.EVENT}
    assert schedule.delete_event(db, tail.id).changes == Changes.of(Kind.EVENT, tail.id)


def test_invalid_input_names_the_field_and_saves_nothing(db: Database, school_id: int) -> None:
    cases = [
        (drill(school_id, datetime(2026, 9, 7, 10), "FREQ=FORTNIGHTLY"), "rrule"),
        (drill(school_id, datetime(2026, 9, 7, 10), title="  "), "title"),
        (drill(school_id, datetime(2026, 9, 7, 10), duration=timedelta(0)), "duration"),
        (drill(school_id, datetime(2026, 9, 7, 10),
               participants=Participants(Scope.GRADES)), "participants"),
        # Every occurrence falls in the summer after the last term.
        (drill(school_id, datetime(2027, 7, 19, 10), "FREQ=DAILY;COUNT=5",
               recurrence=Recurrence("FREQ=DAILY;COUNT=5", school_days_only=True)), "rrule"),
    ]
    for event, field in cases:
        with pytest.raises(ValidationError) as caught:
            schedule.add_event(db, event)
        assert caught.value.field == field, event
    with pytest.raises(ValidationError) as caught:
        schedule.duration_between(datetime(2026, 9, 7, 10), datetime(2026, 9, 7, 9))
    assert caught.value.field == "end"
    assert schedule.list_events(db, school_id) == []


def test_participants_must_belong_to_the_school(db: Database, school_id: int) -> None:
    other = schools.add_school(db, "高马小学").value
    grade = classes.add_grade(db, other.id, "一年级").value
    with pytest.raises(ValidationError, match="another school"):
        schedule.add_event(db, drill(school_id, datetime(2026, 9, 7, 10), participants=
                                     Participants(Scope.GRADES, grade_ids=frozenset({grade.id}))))
    mine = classes.add_grade(db, school_id, "二年级").value
    added = schedule.add_event(db, drill(school_id, datetime(2026, 9, 7, 10), participants=
                                         Participants(Scope.GRADES,
                                                      grade_ids=frozenset({mine.id})))).value
    assert added.participants.grade_ids == {mine.id}


def test_conflicts_are_warnings_for_place_people_and_days(db: Database, school_id: int) -> None:
    area = facilities.add_area(db, school_id, "操场").value
    meet = schedule.add_event(db, Event(
        id=0, school_id=school_id, kind=EventKind.SPORTS, title="秋季运动会",
        start=datetime(2026, 11, 9, 8), duration=timedelta(hours=8), place="操场",
        assembly_area_id=area.id)).value
    clash = drill(school_id, datetime(2026, 11, 9, 10))
    kinds = {c.kind for c in schedule.event_conflicts(db, clash)}
    assert {ConflictKind.SAME_PLACE, ConflictKind.DRILL_ON_SPORTS_OR_EXAM_DAY} <= kinds
    weekend = drill(school_id, datetime(2026, 11, 14, 10))
    assert ConflictKind.NON_SCHOOL_DAY in {c.kind for c in schedule.event_conflicts(db, weekend)}
    quiet = drill(school_id, datetime(2026, 11, 10, 10))
    assert schedule.event_conflicts(db, quiet) == []
    # Editing the meet itself does not conflict with its own stored version.
    assert schedule.event_conflicts(db, meet) == []


def test_new_york_time_stays_at_ten_across_daylight_saving(db: Database) -> None:
    school = schools.add_school(db, "PS 1", timezone="America/New_York", country="US").value
    schedule.add_event(db, drill(school.id, datetime(2026, 10, 26, 10), "FREQ=WEEKLY;COUNT=3"))
    found = schedule.occurrences(db, school.id, date(2026, 10, 1), date(2026, 11, 30))
    assert [o.start.hour for o in found] == [10, 10, 10]
    assert [o.start.utcoffset() for o in found] == [timedelta(hours=-4), timedelta(hours=-5),
                                                    timedelta(hours=-5)]


def test_delete_and_missing_events(db: Database, school_id: int) -> None:
    event = schedule.add_event(db, drill(school_id, datetime(2026, 9, 7, 10))).value
    schedule.delete_event(db, event.id)
    with pytest.raises(NotFoundError):
        schedule.get_event(db, event.id)
    assert schedule.occurrences(db, school_id, date(2026, 9, 1), date(2026, 9, 30)) == []


def test_window_reads_find_moved_occurrences_from_outside_the_window(db: Database,
                                                                     school_id: int) -> None:
    once = schedule.add_event(db, drill(school_id, datetime(2026, 12, 1, 10))).value
    later = schedule.add_event(db, drill(school_id, datetime(2026, 12, 2, 10), "FREQ=DAILY;COUNT=3",
                                         title="晚开始的系列")).value
    schedule.add_event(db, drill(school_id, datetime(2026, 8, 3, 10), title="九月前的一次"))
    assert starts(db, school_id, date(2026, 11, 2), date(2026, 11, 30)) == []
    schedule.move_occurrence(db, once.id, datetime(2026, 12, 1, 10), datetime(2026, 11, 20, 9))
    schedule.move_occurrence(db, later.id, datetime(2026, 12, 3, 10), datetime(2026, 11, 23, 9))
    assert starts(db, school_id, date(2026, 11, 2), date(2026, 11, 30)) == [
        datetime(2026, 11, 20, 9), datetime(2026, 11, 23, 9)]
    assert [e.title for e in schedule.list_events(db, school_id, ids=[later.id])] == [
        "晚开始的系列"]
