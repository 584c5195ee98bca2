"""Exporting events as .ics: what another calendar app expands equals our own expansion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import DAILY, rrule
from ical_expand import expand_file, window
from ical_samples import (
    CALENDAR,
    FIRST,
    LAST,
    STAMP,
    TODAY,
    EventList,
    event,
    sample_events,
)

from drillplanner.domain import recurrence as rec
from drillplanner.domain.events import OccurrenceChange
from drillplanner.domain.recurrence import Preset, build_recurrence
from drillplanner.domain.school_calendar import (
    SchoolCalendar,
)
from drillplanner.io.ical_export import export_events
from drillplanner.io.ical_model import (
    REASON_CANCELLED,
    REASON_NOT_SCHOOL_DAY,
    X_KIND,
    X_REASON,
    X_SCHOOL_DAYS_ONLY,
    X_START,
)


def ours(events: EventList, calendar: SchoolCalendar, zone: ZoneInfo
         ) -> dict[str, list[datetime]]:
    low, high = window(FIRST, LAST, zone)
    return {e.uid: [o.start for o in rec.expand(e, changes, calendar, zone, low, high)]
            for e, changes in events}


@pytest.mark.parametrize("zone_name", ["Asia/Shanghai", "America/New_York"])
def test_another_app_expands_the_file_to_our_occurrences(zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    events = sample_events()
    data = export_events(events, zone_name, "测试小学", calendar=CALENDAR, today=TODAY,
                         stamp=STAMP)

    theirs = expand_file(data, *window(FIRST, LAST, zone))

    expected = ours(events, SchoolCalendar(), zone)
    assert theirs == expected
    # The shapes really are there: not every list is empty or a single date.
    assert [len(expected[f"event-{n}@test"]) for n in (2, 3, 4, 5)] == [8, 37, 1, 6]
    # 10:00 stays 10:00 local across New York's DST end on 1 November 2026.
    assert {d.astimezone(zone).hour for d in theirs["event-1@test"]} == {10, 11}


def test_school_days_only_is_spelled_out_for_other_apps() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 9, 1, 10)
    daily = event(7, start, build_recurrence(Preset.SCHOOL_DAYS, start))
    events = [(daily, [OccurrenceChange(7, datetime(2026, 9, 2, 10), cancelled=True)])]
    data = export_events(events, "Asia/Shanghai", "测试小学", calendar=CALENDAR,
                         today=TODAY, stamp=STAMP)

    theirs = expand_file(data, *window(FIRST, LAST, zone))["event-7@test"]

    assert theirs == ours(events, CALENDAR, zone)["event-7@test"]
    days = [d.date() for d in theirs]
    # Listed from the calendar by hand: weekdays in term, minus the holiday week, the
    # closure and the cancelled day, plus the make-up Saturday.
    in_term = [d.date() for d in rrule(DAILY, dtstart=datetime(2026, 9, 1),
                                       until=datetime(2027, 7, 9))
               if d.weekday() < 5 and not date(2027, 1, 22) < d.date() < date(2027, 2, 22)]
    expected = sorted({*in_term, date(2026, 10, 10)} - {
        date(2026, 9, 2), date(2026, 11, 20),
        *(date(2026, 10, d) for d in range(1, 8))})
    assert days == expected


def _component(data: bytes, uid: str, moved: bool = False) -> icalendar.Component:
    calendar = icalendar.Calendar.from_ical(data)
    return next(c for c in calendar.walk("VEVENT")
                if str(c["UID"]) == uid and ("RECURRENCE-ID" in c) == moved)


def test_calendar_and_event_properties() -> None:
    events = sample_events()
    data = export_events(events, "Asia/Shanghai", "测试小学", calendar=CALENDAR, today=TODAY,
                         stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert "drillplanner" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "测试小学"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert b"\r\n" in data

    weekly = _component(data, "event-1@test")
    assert weekly["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert weekly["DTSTART"].dt == datetime(2026, 9, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert weekly["DTEND"].dt - weekly["DTSTART"].dt == timedelta(minutes=20)
    assert weekly["DTSTAMP"].dt == STAMP
    assert str(weekly["SUMMARY"]) == "演练 1"
    assert str(weekly["LOCATION"]) == "操场"
    assert [str(c) for c in weekly["CATEGORIES"].cats] == ["Fire drill"]
    assert str(weekly[X_KIND]) == "fire"
    assert str(weekly[X_SCHOOL_DAYS_ONLY]) == "FALSE"
    # The last day of the series, 30 June 2027 23:59:59 in Beijing, in UTC as RFC 5545 asks.
    assert weekly["RRULE"]["UNTIL"] == [datetime(2027, 6, 30, 15, 59, 59, tzinfo=UTC)]
    assert weekly["RRULE"]["BYDAY"] == ["MO", "WE"]
    assert str(_component(data, "event-4@test")["DESCRIPTION"]) == "拔河\n100米"
    # A start its rule does not make (a Sunday, for Mondays): RFC 5545 apps would count it,
    # so the series starts on its first Monday, the start as entered kept aside.
    off_rule = _component(data, "event-5@test")
    zone = ZoneInfo("Asia/Shanghai")
    assert off_rule["DTSTART"].dt == datetime(2026, 9, 14, 14, tzinfo=zone)
    assert off_rule[X_START].dt == datetime(2026, 9, 13, 14)
    assert X_START not in weekly


def test_moved_occurrence_is_its_own_vevent_and_cancelled_one_an_exdate() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    data = export_events(sample_events(), "Asia/Shanghai", "测试小学", stamp=STAMP)

    moved = _component(data, "event-1@test", moved=True)
    assert moved["RECURRENCE-ID"].dt == datetime(2026, 9, 14, 10, tzinfo=zone)
    assert moved["DTSTART"].dt == datetime(2026, 9, 15, 11, tzinfo=zone)
    assert moved["DTEND"].dt == datetime(2026, 9, 15, 11, 45, tzinfo=zone)
    assert str(moved["SUMMARY"]) == "演练 1"
    master = _component(data, "event-1@test")
    exdates = master["EXDATE"] if isinstance(master["EXDATE"], list) else [master["EXDATE"]]
    assert [(line.params.get(X_REASON), [d.dt for d in line.dts]) for line in exdates] == [
        (REASON_CANCELLED, [datetime(2026, 9, 9, 10, tzinfo=zone)])]


def test_uids_are_stable_across_exports() -> None:
    first = export_events(sample_events(), "Asia/Shanghai", "测试小学", stamp=STAMP)
    later = export_events(sample_events(), "Asia/Shanghai", "测试小学",
                          stamp=STAMP + timedelta(days=30))

    def uids(data: bytes) -> list[str]:
        return [str(c["UID"]) for c in icalendar.Calendar.from_ical(data).walk("VEVENT")]

    assert uids(first) == uids(later)
    assert sorted(set(uids(first))) == [f"event-{n}@test" for n in range(1, 6)]
    assert first.replace(b"DTSTAMP:20260820T080000Z", b"DTSTAMP:20260919T080000Z") == later


@pytest.mark.parametrize("zone_name", ["Asia/Shanghai", "America/New_York"])
def test_vtimezone_matches_the_zone(zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    data = export_events(sample_events(), zone_name, "测试小学", stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(data)

    [vtimezone] = calendar.timezones
    assert vtimezone.tz_name == zone_name
    assert calendar.get_missing_tzids() == set()
    from_file = vtimezone.to_tz(lookup_tzid=False)
    moments = [datetime(2026, 1, 1, 12) + timedelta(days=n) for n in range(0, 5 * 365, 5)]
    offsets = {m.replace(tzinfo=from_file).utcoffset() for m in moments}
    for moment in moments:
        assert moment.replace(tzinfo=from_file).utcoffset() == moment.replace(
            tzinfo=zone).utcoffset(), moment
    expected_offsets = ({timedelta(hours=8)} if zone_name == "Asia/Shanghai"
                        else {timedelta(hours=-5), timedelta(hours=-4)})
    assert offsets == expected_offsets


def test_school_day_exdates_are_marked_for_our_import() -> None:
    start = datetime(2026, 9, 1, 10)
    daily = event(7, start, build_recurrence(Preset.SCHOOL_DAYS, start))
    data = export_events([(daily, [])], "Asia/Shanghai", "测试小学", calendar=CALENDAR,
                         today=TODAY, stamp=STAMP)
    master = _component(data, "event-7@test")
    assert str(master[X_SCHOOL_DAYS_ONLY]) == "TRUE"
    lines = master["EXDATE"] if isinstance(master["EXDATE"], list) else [master["EXDATE"]]
    assert {line.params.get(X_REASON) for line in lines} == {REASON_NOT_SCHOOL_DAY}
    dropped = {d.dt.date() for line in lines for d in line.dts}
    assert date(2026, 10, 1) in dropped
    assert date(2026, 9, 5) in dropped  # a Saturday
    assert date(2026, 10, 10) not in dropped  # the make-up Saturday
    assert max(dropped) < TODAY + timedelta(days=731)
