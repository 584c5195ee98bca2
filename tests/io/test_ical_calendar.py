"""Reading a school calendar (holidays, make-up days, exams) from an .ics file."""

from __future__ import annotations

from datetime import date

import pytest

from drillplanner.domain.school_calendar import CalendarDay, DayKind
from drillplanner.io.ical_calendar import classify, parse_calendar_entries
from drillplanner.io.ical_model import IcsError


def ics(*events: tuple[str, ...]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//holidays//CN"]
    for props in events:
        lines += ["BEGIN:VEVENT", *props, "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


# China's 2026 National Day holiday as a holiday calendar lists it: seven days off (DTEND is
# the day after the last), two weekend days worked to make up for them.
CN_2026 = ics(
    ("UID:nd", "DTSTART;VALUE=DATE:20261001", "DTEND;VALUE=DATE:20261008",
     "SUMMARY:国庆节"),
    ("UID:m1", "DTSTART;VALUE=DATE:20260920", "DTEND;VALUE=DATE:20260921",
     "SUMMARY:国庆节调休"),
    ("UID:m2", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261011",
     "SUMMARY:补班", "CATEGORIES:上班"),
    ("UID:ex", "DTSTART;VALUE=DATE:20270118", "DTEND;VALUE=DATE:20270120",
     "SUMMARY:期末考试"),
    ("UID:sp", "DTSTART;VALUE=DATE:20261109", "SUMMARY:秋季运动会"),
    ("UID:cl", "DTSTART;VALUE=DATE:20261120", "DTEND;VALUE=DATE:20261121",
     "SUMMARY:School closed (power cut)"),
    ("UID:off", "DTSTART;VALUE=DATE:20261006", "DTEND;VALUE=DATE:20261007",
     "SUMMARY:休息日（由 2026-09-20 调休）"),
    ("UID:gone", "DTSTART;VALUE=DATE:20261111", "STATUS:CANCELLED", "SUMMARY:取消"),
)


def test_cn_holiday_calendar_with_make_up_days() -> None:
    entries = parse_calendar_entries(CN_2026, "cn.ics")

    assert entries == [
        CalendarDay(DayKind.MAKEUP, date(2026, 9, 20), date(2026, 9, 20), "国庆节调休"),
        CalendarDay(DayKind.HOLIDAY, date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
        CalendarDay(DayKind.HOLIDAY, date(2026, 10, 6), date(2026, 10, 6),
                    "休息日（由 2026-09-20 调休）"),
        CalendarDay(DayKind.MAKEUP, date(2026, 10, 10), date(2026, 10, 10), "补班"),
        CalendarDay(DayKind.SPORTS_DAY, date(2026, 11, 9), date(2026, 11, 9), "秋季运动会"),
        CalendarDay(DayKind.CLOSURE, date(2026, 11, 20), date(2026, 11, 20),
                    "School closed (power cut)"),
        CalendarDay(DayKind.EXAM, date(2027, 1, 18), date(2027, 1, 19), "期末考试"),
    ]
    # The make-up days are weekend days, as 调休 days are.
    assert [e.start.weekday() for e in entries if e.kind is DayKind.MAKEUP] == [6, 5]


@pytest.mark.parametrize(("summary", "categories", "kind"), [
    ("Labor Day", [], DayKind.HOLIDAY),
    ("Make-up workday", [], DayKind.MAKEUP),
    ("劳动节", ["上班"], DayKind.MAKEUP),
    ("春节（休）", [], DayKind.HOLIDAY),
    ("Midterm exams", [], DayKind.EXAM),
    ("Sports Day", [], DayKind.SPORTS_DAY),
    ("停课", [], DayKind.CLOSURE),
])
def test_classify(summary: str, categories: list[str], kind: DayKind) -> None:
    assert classify(summary, categories) is kind


def test_repeating_and_timed_entries() -> None:
    data = ics(("UID:ny", "DTSTART;VALUE=DATE:20260101", "DTEND;VALUE=DATE:20260102",
                "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20280101", "SUMMARY:New Year"),
               ("UID:t", "DTSTART:20261120T080000", "DTEND:20261121T000000",
                "SUMMARY:停课"))

    entries = parse_calendar_entries(data, "x.ics")

    # Yearly for five years from 2026, without the excluded 2028; the timed closure ends
    # at midnight, so it covers one day.
    assert [(e.kind, e.start, e.end) for e in entries] == [
        (DayKind.HOLIDAY, date(2026, 1, 1), date(2026, 1, 1)),
        (DayKind.CLOSURE, date(2026, 11, 20), date(2026, 11, 20)),
        (DayKind.HOLIDAY, date(2027, 1, 1), date(2027, 1, 1)),
        (DayKind.HOLIDAY, date(2029, 1, 1), date(2029, 1, 1)),
        (DayKind.HOLIDAY, date(2030, 1, 1), date(2030, 1, 1)),
    ]


@pytest.mark.parametrize(("props", "bad", "words"), [
    (("UID:x", "DTSTART;VALUE=DATE:20261008", "DTEND;VALUE=DATE:20261001"), "DTEND",
     "before the start"),
    (("UID:x", "SUMMARY:国庆节"), "BEGIN:VEVENT", "DTSTART"),
    (("UID:x", "DTSTART;VALUE=DATE:2026100", "SUMMARY:x"), "DTSTART", "2026100"),
])
def test_broken_entries_name_the_line(props: tuple[str, ...], bad: str, words: str) -> None:
    data = ics(props)

    with pytest.raises(IcsError) as caught:
        parse_calendar_entries(data, "cal.ics")

    lines = data.decode().splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith(bad))
    problem = caught.value.problems[0]
    assert (problem.source, problem.line) == ("cal.ics", line)
    assert words in problem.message
