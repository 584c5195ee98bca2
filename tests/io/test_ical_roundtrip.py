"""A school's events exported from the database and expanded by icalendar + dateutil give
the occurrences the schedule service lists; imported into another school, the same again."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from ical_expand import expand_file, window

from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.recurrence import Preset, build_recurrence
from drillplanner.domain.school_calendar import DayKind
from drillplanner.services import calendar, ical, schedule, schools
from drillplanner.storage.database import Database

FIRST, LAST = date(2026, 9, 1), date(2027, 7, 31)
TODAY = date(2026, 9, 1)


def _school(db: Database, name: str, zone: str) -> int:
    school = schools.add_school(db, name, timezone=zone).value
    calendar.add_school_year(db, school.id, "2026-2027", date(2026, 9, 1), date(2027, 7, 31),
                             [("Fall", date(2026, 9, 1), date(2027, 1, 22)),
                              ("Spring", date(2027, 2, 22), date(2027, 7, 9))])
    calendar.add_calendar_day(db, school.id, DayKind.HOLIDAY, date(2026, 10, 1),
                              date(2026, 10, 7), "国庆节")
    calendar.add_calendar_day(db, school.id, DayKind.MAKEUP, date(2026, 10, 10), name="调休")
    return school.id


def _fill(db: Database, school_id: int) -> None:
    def add(kind: EventKind, start: datetime, recurrence: Recurrence, title: str) -> Event:
        return schedule.add_event(db, Event(0, school_id, kind, title, start,
                                            timedelta(minutes=20), recurrence, place="操场")).value

    weekly_start = datetime(2026, 9, 7, 10)
    weekly = add(EventKind.FIRE, weekly_start, build_recurrence(
        Preset.WEEKLY, weekly_start, weekdays=(0, 3)), "每周消防演练")
    monthly_start = datetime(2026, 9, 8, 10)
    add(EventKind.EARTHQUAKE, monthly_start, build_recurrence(
        Preset.MONTHLY_NTH_WEEKDAY, monthly_start, until=date(2027, 6, 30)), "地震演练")
    daily_start = datetime(2026, 9, 1, 7, 50)
    add(EventKind.DRILL_OTHER, daily_start, build_recurrence(Preset.SCHOOL_DAYS, daily_start),
        "大课间疏散")
    add(EventKind.SPORTS, datetime(2026, 11, 9, 8), Recurrence(), "运动会")
    schedule.cancel_occurrence(db, weekly.id, datetime(2026, 9, 10, 10))
    schedule.move_occurrence(db, weekly.id, datetime(2026, 9, 14, 10),
                             datetime(2026, 9, 15, 14, 0), timedelta(minutes=40))


def _listed(db: Database, school_id: int) -> dict[str, list[datetime]]:
    titles = {e.id: e.uid for e in schedule.list_events(db, school_id)}
    found: dict[str, list[datetime]] = {uid: [] for uid in titles.values()}
    for occurrence in schedule.occurrences(db, school_id, FIRST, LAST):
        found[titles[occurrence.event_id]].append(occurrence.start)
    return found


@pytest.mark.parametrize("zone_name", ["Asia/Shanghai", "America/New_York"])
def test_exported_file_expands_to_the_listed_occurrences(db: Database, zone_name: str
                                                         ) -> None:
    school_id = _school(db, "测试小学", zone_name)
    _fill(db, school_id)

    data = ical.export_school_events(db, school_id, today=TODAY)
    theirs = expand_file(data, *window(FIRST, LAST, ZoneInfo(zone_name)))

    listed = _listed(db, school_id)
    assert theirs == listed
    assert sum(len(starts) for starts in listed.values()) > 250


def test_import_into_another_school_gives_the_same_occurrences(db: Database) -> None:
    source = _school(db, "测试小学", "America/New_York")
    copy = _school(db, "分校", "America/New_York")
    _fill(db, source)
    data = ical.export_school_events(db, source, today=TODAY)

    result = ical.import_events(db, copy, data, "out.ics").value

    assert len(result.added) == 4 and not result.updated
    assert {e.uid for e in result.added}.isdisjoint(
        {e.uid for e in schedule.list_events(db, source)})

    def shape(school_id: int) -> list[tuple[str, datetime, datetime, bool]]:
        return [(o.title, o.start, o.end, o.moved)
                for o in schedule.occurrences(db, school_id, FIRST, LAST)]

    assert shape(copy) == shape(source)
