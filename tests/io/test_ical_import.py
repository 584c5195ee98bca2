"""Reading events from .ics files: our own exports, other apps' files, and broken ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from ical_expand import window
from ical_samples import CALENDAR, STAMP, TODAY, event, sample_events

from drillplanner.domain import recurrence as rec
from drillplanner.domain.events import EventKind, OccurrenceChange, Recurrence, Scope
from drillplanner.domain.recurrence import Preset, build_recurrence
from drillplanner.io.ical_export import export_events
from drillplanner.io.ical_import import parse_events
from drillplanner.io.ical_model import EventPeople, IcsError, IcsEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")


def ics(*lines: str) -> bytes:
    """A calendar file with CRLF line ends around ``lines`` (the VEVENTs)."""
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *lines,
                        "END:VCALENDAR", ""]).encode()


def vevent(*props: str) -> list[str]:
    return ["BEGIN:VEVENT", *props, "END:VEVENT"]


@pytest.mark.parametrize("zone_name", ["Asia/Shanghai", "America/New_York"])
def test_our_export_reads_back_to_the_same_events(zone_name: str) -> None:
    events = sample_events()
    data = export_events(events, zone_name, "测试小学", calendar=CALENDAR, today=TODAY,
                         stamp=STAMP)

    parsed = {e.uid: e for e in parse_events(data, "out.ics", zone_name)}

    assert sorted(parsed) == sorted(e.uid for e, _changes in events)
    for original, changes in events:
        back = parsed[original.uid]
        assert back.to_event(original.school_id, original.id) == original
        assert back.changes == tuple(sorted((replace(c, event_id=0) for c in changes),
                                            key=lambda c: c.original_start))
        assert not back.all_day


def test_school_day_exdates_are_left_to_the_calendar_on_import() -> None:
    start = datetime(2026, 9, 1, 10)
    daily = build_recurrence(Preset.SCHOOL_DAYS, start)
    original = event(7, start, daily, announced=False)
    data = export_events([(original, [])], "Asia/Shanghai", "测试小学", calendar=CALENDAR,
                         today=TODAY, stamp=STAMP)
    assert b"NOT-SCHOOL-DAY" in data

    [back] = parse_events(data, "out.ics", "Asia/Shanghai")

    assert back.recurrence == daily
    assert back.announced is False
    assert back.to_event(1, 7) == original


def test_participants_and_organizer_by_name() -> None:
    people = {1: EventPeople(Scope.CLASSES, classes=("一年级1班", "一年级, 2班"),
                             organizer="王老师"),
              2: EventPeople(Scope.GRADES, grades=("一年级",)), 3: EventPeople()}
    data = export_events(sample_events(), "Asia/Shanghai", "测试小学", stamp=STAMP,
                         people=people)

    parsed = {e.uid: e.people for e in parse_events(data, "out.ics", "Asia/Shanghai")}

    assert parsed == {"event-1@test": people[1], "event-2@test": people[2],
                      "event-3@test": people[3], "event-4@test": None, "event-5@test": None}


def test_round_trip_through_parse_gives_the_same_occurrences() -> None:
    zone = ZoneInfo("America/New_York")
    events = sample_events()
    data = export_events(events, "America/New_York", "Lincoln", stamp=STAMP)
    low, high = window(date(2026, 9, 1), date(2027, 8, 31), zone)

    for item in parse_events(data, "out.ics", "America/New_York"):
        event = item.to_event(1, 1)
        again = rec.expand(event, item.changes, CALENDAR, zone, low, high)
        original, changes = next((e, c) for e, c in events if e.uid == item.uid)
        expected = rec.expand(original, changes, CALENDAR, zone, low, high)
        assert [(o.start, o.end, o.moved) for o in again] == [
            (o.start, o.end, o.moved) for o in expected]


def test_another_apps_file_in_another_zone() -> None:
    data = ics(
        # Google-style: zoned times, UNTIL in UTC, an override and a cancelled override.
        *vevent("UID:g1@google.com", "DTSTART;TZID=America/New_York:20261102T200000",
                "DTEND;TZID=America/New_York:20261102T203000",
                "RRULE:FREQ=WEEKLY;UNTIL=20261201T010000Z", "SUMMARY:Fire drill briefing",
                "CATEGORIES:Training"),
        *vevent("UID:g1@google.com", "RECURRENCE-ID;TZID=America/New_York:20261109T200000",
                "DTSTART;TZID=America/New_York:20261110T200000",
                "DTEND;TZID=America/New_York:20261110T210000", "SUMMARY:moved"),
        *vevent("UID:g1@google.com", "RECURRENCE-ID;TZID=America/New_York:20261116T200000",
                "DTSTART;TZID=America/New_York:20261116T200000", "STATUS:CANCELLED"),
        # UTC and a DURATION.
        *vevent("UID:u2", "DTSTART:20261109T020000Z", "DURATION:PT20M",
                "SUMMARY:地震应急疏散演练"),
        # Floating time: taken as the school's own.
        *vevent("UID:f3", "DTSTART:20261110T100000", "DTEND:20261110T102000",
                "SUMMARY:消防疏散演练", "LOCATION:操场", "DESCRIPTION:第一道\\n第二道"),
        # All-day, three days; and one cancelled event that is left out.
        *vevent("UID:a4", "DTSTART;VALUE=DATE:20261111", "DTEND;VALUE=DATE:20261114",
                "SUMMARY:秋季运动会"),
        *vevent("UID:c5", "DTSTART:20261112T100000", "DTEND:20261112T110000",
                "STATUS:CANCELLED", "SUMMARY:gone"),
    )

    events = {e.uid: e for e in parse_events(data, "google.ics", "Asia/Shanghai")}

    assert sorted(events) == ["a4", "f3", "g1@google.com", "u2"]
    weekly = events["g1@google.com"]
    # 20:00 in New York on 2 November (EST, UTC-5) is 09:00 the next day in Beijing.
    assert weekly.start == datetime(2026, 11, 3, 9, 0)
    assert weekly.duration == timedelta(minutes=30)
    assert weekly.kind is EventKind.TRAINING
    # 1 December 01:00 UTC is 09:00 in Beijing.
    assert weekly.recurrence.rule == "FREQ=WEEKLY;UNTIL=20261201T090000"
    assert weekly.changes == (
        OccurrenceChange(0, datetime(2026, 11, 10, 9), new_start=datetime(2026, 11, 11, 9),
                         new_duration=timedelta(hours=1)),
        OccurrenceChange(0, datetime(2026, 11, 17, 9), cancelled=True))
    assert events["u2"].start == datetime(2026, 11, 9, 10, 0)
    assert events["u2"].duration == timedelta(minutes=20)
    assert events["u2"].kind is EventKind.EARTHQUAKE
    floating = events["f3"]
    assert (floating.start, floating.kind, floating.place, floating.description) == (
        datetime(2026, 11, 10, 10), EventKind.FIRE, "操场", "第一道\n第二道")
    all_day = events["a4"]
    assert (all_day.start, all_day.duration, all_day.all_day, all_day.kind) == (
        datetime(2026, 11, 11), timedelta(days=3), True, EventKind.SPORTS)


def test_a_moved_occurrence_without_its_series_is_an_event_of_its_own() -> None:
    data = ics(*vevent("UID:lost", "RECURRENCE-ID:20261109T100000",
                       "DTSTART:20261110T100000", "DTEND:20261110T102000", "SUMMARY:演练"))

    [event] = parse_events(data, "one.ics", "Asia/Shanghai")

    assert isinstance(event, IcsEvent)
    assert (event.uid, event.start, event.recurrence) == ("", datetime(2026, 11, 10, 10),
                                                          Recurrence())


def _line_of(data: bytes, text: str) -> int:
    """The 1-based line of ``data`` that starts with ``text`` (found, not typed)."""
    lines = data.decode().splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(text))


BAD_FILES = {
    "not iCalendar": (b"Subject: minutes of the meeting\r\n\r\nhello\r\n", "Subject",
                      "not an iCalendar file"),
    "missing DTSTART": (ics(*vevent("UID:x", "SUMMARY:no start")), "BEGIN:VEVENT",
                        "DTSTART"),
    "invalid RRULE day": (ics(*vevent("UID:x", "DTSTART:20261109T100000",
                                      "DTEND:20261109T102000",
                                      "RRULE:FREQ=WEEKLY;BYDAY=XX")), "RRULE", "XX"),
    "unknown RRULE part": (ics(*vevent("UID:x", "DTSTART:20261109T100000",
                                       "DTEND:20261109T102000",
                                       "RRULE:FREQ=WEEKLY;FOO=1")), "RRULE", "FOO=1"),
    "bad date": (ics(*vevent("UID:x", "DTSTART:2026110", "SUMMARY:x")), "DTSTART",
                 "2026110"),
    "end before start": (ics(*vevent("UID:x", "DTSTART:20261109T100000",
                                     "DTEND:20261109T090000")), "DTEND",
                         "not after the start"),
    "unknown zone": (ics(*vevent("UID:x", "DTSTART;TZID=Mars/Olympus:20261109T100000",
                                 "DTEND;TZID=Mars/Olympus:20261109T110000")),
                     "DTSTART", "Mars/Olympus"),
    "no end": (ics(*vevent("UID:x", "DTSTART:20261109T100000")), "DTSTART", "no end"),
    "unclosed": (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261109T100000\r\n"
                 b"END:VCALENDAR\r\n", "END:VCALENDAR", "does not close"),
    "twice the same UID": (ics(*vevent("UID:x", "DTSTART:20261109T100000",
                                       "DTEND:20261109T102000"),
                               *vevent("UID:x", "DTSTART:20261110T100000",
                                       "DTEND:20261110T102000")), "UID:x", "UID"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_malformed_files_name_the_source_and_line(name: str) -> None:
    data, starts_with, words = BAD_FILES[name]

    with pytest.raises(IcsError) as caught:
        parse_events(data, "bad.ics", "Asia/Shanghai")

    problem = caught.value.problems[0]
    line = _line_of(data, starts_with)
    if name == "twice the same UID":  # the second one is the problem
        line = data.decode().splitlines().index("UID:x", line) + 1
    assert (problem.source, problem.line) == ("bad.ics", line)
    assert words in problem.message
    assert str(problem).startswith(f"bad.ics:{line}")
    assert str(caught.value).startswith(f"bad.ics:{line}")


def test_every_problem_is_listed_at_once() -> None:
    data = ics(*vevent("UID:a", "SUMMARY:no start"),
               *vevent("UID:b", "DTSTART:20261109T100000", "DTEND:20261109T090000"))

    with pytest.raises(IcsError) as caught:
        parse_events(data, "two.ics", "Asia/Shanghai")

    assert [p.line for p in caught.value.problems] == [
        _line_of(data, "BEGIN:VEVENT"), _line_of(data, "DTEND")]
    assert "1 more problem" in str(caught.value)


def test_folded_lines_count_from_where_the_property_starts() -> None:
    data = ics(*vevent("UID:x", "SUMMARY:a long", " title folded", "DTSTART:20261109T100000",
                       "DTEND:20261109T102000", "RRULE:FREQ=WEEKLY;", " BYDAY=XX"))

    with pytest.raises(IcsError) as caught:
        parse_events(data, "folded.ics", "Asia/Shanghai")

    assert caught.value.problems[0].line == _line_of(data, "RRULE")


def test_weekdays_move_with_a_start_that_changes_day_in_the_school_zone() -> None:
    data = ics(*vevent("UID:x", "DTSTART;TZID=America/New_York:20261109T200000",
                       "DTEND;TZID=America/New_York:20261109T203000",
                       "RRULE:FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4"))

    [event] = parse_events(data, "ny.ics", "Asia/Shanghai")

    # Monday 20:00 in New York (EST) is Tuesday 09:00 in Beijing.
    assert event.start == datetime(2026, 11, 10, 9)
    assert event.recurrence.rule == "FREQ=WEEKLY;BYDAY=TU,SA;COUNT=4"
    [same] = parse_events(data, "ny.ics", "America/New_York")
    assert (same.start, same.recurrence.rule) == (datetime(2026, 11, 9, 20),
                                                  "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4")


def test_numbered_weekdays_that_would_change_day_are_refused() -> None:
    data = ics(*vevent("UID:x", "DTSTART;TZID=America/New_York:20261110T200000",
                       "DTEND;TZID=America/New_York:20261110T203000",
                       "RRULE:FREQ=MONTHLY;BYDAY=2TU"))

    with pytest.raises(IcsError) as caught:
        parse_events(data, "ny.ics", "Asia/Shanghai")

    assert caught.value.problems[0].prop == "DTSTART"
    assert caught.value.problems[0].line == _line_of(data, "DTSTART")


def test_gb18030_text_and_a_utf8_bom_are_read() -> None:
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *vevent(
        "UID:x", "DTSTART:20261109T100000", "DTEND:20261109T102000", "SUMMARY:消防演练"),
        "END:VCALENDAR", ""])
    for data in (body.encode("gb18030"), b"\xef\xbb\xbf" + body.encode()):
        [event] = parse_events(data, "x.ics", "Asia/Shanghai")
        assert (event.title, event.start) == ("消防演练", datetime(2026, 11, 9, 10))
