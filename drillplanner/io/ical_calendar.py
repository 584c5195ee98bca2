"""Reading a school calendar (holidays, closures, make-up days, exam days) from an .ics file.

Holiday calendars are files of all-day events; DTEND of an all-day event is the day after
its last day. What an entry is comes from its words: a day to work or go to school on
(调休, 补班, 上班, make-up, workday) is a make-up school day, exams and sports days are
kept as such, closures too, and everything else is a holiday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import takewhile

import icalendar
from dateutil.rrule import rrulestr

from drillplanner.domain import validation as v
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.excerpts import excerpt
from drillplanner.domain.recurrence import validate_rule
from drillplanner.domain.rrule_parts import parse_rule
from drillplanner.domain.school_calendar import CalendarDay, DayKind
from drillplanner.i18n import _
from drillplanner.io.ical_model import X_DAY_KIND, IcsError, IcsProblem
from drillplanner.io.ical_read import (
    MAX_LISTED_PROBLEMS,
    Block,
    Parsed,
    categories_of,
    date_lists,
    dt_of,
    read_ics,
    text_of,
)

# A repeating entry (a yearly holiday) is spelled out for this many years from its start.
REPEAT_YEARS = 5
# Most days one repeating entry, and one file, may add to a calendar.
MAX_REPEATS = 100
MAX_CALENDAR_DAYS = 2000
# Days one entry may cover (the calendar service refuses longer ones; said here with the line).
MAX_ENTRY_DAYS = 367
# The entry's name as the calendar stores it.
MAX_NAME_LENGTH = 200
# Entries are whole days: a rule may repeat at most daily, and its times do not matter.
_SUB_DAILY = ("HOURLY", "MINUTELY", "SECONDLY")
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")

# Checked in this order. "休息日（由 …调休）" (the holidays package's name for a day off moved
# by 调休) and "放假" are days off even though they mention 调休.
_DAY_WORDS: tuple[tuple[DayKind, tuple[str, ...]], ...] = (
    (DayKind.HOLIDAY, ("休息日", "放假", "（休）", "(休)", "day off")),
    (DayKind.MAKEUP, ("调休", "补班", "上班", "（班）", "(班)", "make-up", "makeup",
                      "workday", "working day", "work day")),
    (DayKind.EXAM, ("考试", "期中", "期末", "exam")),
    (DayKind.SPORTS_DAY, ("运动会", "sports day", "sports meet")),
    (DayKind.CLOSURE, ("停课", "closure", "school closed")),
)


def classify(summary: str, categories: list[str]) -> DayKind:
    """What a calendar entry is, from its SUMMARY and CATEGORIES."""
    text = " ".join([summary, *categories]).lower()
    for kind, words in _DAY_WORDS:
        if any(word in text for word in words):
            return kind
    return DayKind.HOLIDAY


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _last_day(start: date | datetime, end: date | datetime) -> date:
    """The last day an entry covers: DTEND is exclusive (a DATE is the day after; a time
    at midnight does not reach into that day). Days are read as written, whatever zone a
    time names (a zoned end and a floating start compare as wall-clock times).

    Raises:
        OverflowError: ``end`` is the first day of year 1.
    """
    if isinstance(end, datetime):
        wall_end = end.replace(tzinfo=None)
        if isinstance(start, datetime) and wall_end > start.replace(tzinfo=None):
            return (wall_end - timedelta(microseconds=1)).date()
        return end.date()
    return end - timedelta(days=1)


def _entry(parsed: Parsed, component: icalendar.Component, block: Block,
           problems: list[IcsProblem]) -> list[CalendarDay]:
    if component.get("DTSTART") is None:
        problems.append(parsed.problem(block, "DTSTART", _("The entry has no date (DTSTART).")))
        return []
    start_value = dt_of(component, "DTSTART")
    if not isinstance(start_value, date):
        problems.append(parsed.problem(block, "DTSTART", _("The entry has no date (DTSTART).")))
        return []
    first = _day(start_value)
    try:
        # Years the calendar plans with: also keeps the day arithmetic below in range.
        v.in_years("start", first)
    except ValidationError as error:
        problems.append(parsed.problem(block, "DTSTART", error.message))
        return []
    if component.get("DTEND") is not None:
        end_value = dt_of(component, "DTEND")
        if not isinstance(end_value, date):
            problems.append(parsed.problem(block, "DTEND", _("The end is not a date.")))
            return []
        try:
            last = _last_day(start_value, end_value)
        except OverflowError:
            last = date.min
        if last < first:
            problems.append(parsed.problem(block, "DTEND", _(
                "The end ({end}) is before the start ({start}).").format(
                    end=_day(end_value).isoformat(), start=first.isoformat())))
            return []
    elif component.get("DURATION") is not None:
        duration = dt_of(component, "DURATION")
        days = duration - timedelta(days=1) if isinstance(duration, timedelta) else None
        last = first + min(max(timedelta(0), days), timedelta(days=MAX_ENTRY_DAYS)) if (
            days is not None) else first
    else:
        last = first
    if (last - first).days >= MAX_ENTRY_DAYS:
        problems.append(parsed.problem(
            block, "DTEND" if component.get("DTEND") is not None else "DURATION",
            _("A calendar entry may cover at most a year.")))
        return []
    try:
        summary = v.text("name", text_of(component, "SUMMARY"), MAX_NAME_LENGTH)
    except ValidationError as error:
        problems.append(parsed.problem(block, "SUMMARY", error.message))
        return []
    kind_text = text_of(component, X_DAY_KIND).lower()
    try:
        kind = DayKind(kind_text) if kind_text else classify(summary,
                                                             categories_of(component))
    except ValueError:
        problems.append(parsed.problem(block, X_DAY_KIND, _(
            "Unknown calendar entry kind “{kind}”.").format(kind=excerpt(kind_text))))
        return []
    length = last - first
    return [CalendarDay(kind, day, day + length, summary)
            for day in _repeats(parsed, component, block, first, problems)]


def _repeats(parsed: Parsed, component: icalendar.Component, block: Block, first: date,
             problems: list[IcsProblem]) -> list[date]:
    """The first days of the entry's repetitions (just ``first`` without an RRULE)."""
    rule = component.get("RRULE")
    if rule is None:
        return [first]
    if isinstance(rule, list):
        problems.append(parsed.problem(block, "RRULE", _(
            "Only one RRULE per entry is supported."), 1))
        return []
    recur = icalendar.vRecur(dict(rule))
    freq = [str(f).upper() for f in recur.get("FREQ", [])]
    if any(f in _SUB_DAILY for f in freq):
        problems.append(parsed.problem(block, "RRULE", _(
            "A calendar entry repeats at most daily, not “{freq}”.").format(
                freq=excerpt(",".join(freq)))))
        return []
    for name in _TIME_PARTS:
        recur.pop(name, None)
    until = recur.get("UNTIL")
    if until and isinstance(until[0], datetime):
        recur["UNTIL"] = [until[0].replace(tzinfo=None)]
    start = datetime.combine(first, datetime.min.time())
    try:
        parts = parse_rule(recur.to_ical().decode("utf-8", "replace"), start)
        # The checks an event's rule gets, among them that it produces a date at all
        # (else dateutil would search every day up to the year 9999 for one); not its COUNT,
        # since the horizon below cuts any series.
        validate_rule(parts.replace(COUNT=None).text(), start)
        rules = rrulestr(parts.text(), dtstart=start, forceset=True)
    except ValidationError as error:
        problems.append(parsed.problem(block, "RRULE", error.message))
        return []
    except (ValueError, TypeError) as error:
        problems.append(parsed.problem(block, "RRULE", _("Invalid value: {reason}").format(
            reason=excerpt(error, 200))))
        return []
    for _index, line in date_lists(component, "EXDATE"):
        for item in getattr(line, "dts", []):
            rules.exdate(datetime.combine(_day(item.dt), datetime.min.time()))
    horizon = start + timedelta(days=365 * REPEAT_YEARS - 1)
    # At most one date a day (no times), so this stops within 365 x REPEAT_YEARS dates.
    days = sorted({d.date() for d in takewhile(lambda d: d <= horizon, rules)})
    if len(days) > MAX_REPEATS:
        problems.append(parsed.problem(block, "RRULE", _(
            "The entry repeats on {n} days within {years} years; a calendar import adds at "
            "most {limit} days for one entry. Split it into shorter entries.").format(
                n=len(days), years=REPEAT_YEARS, limit=MAX_REPEATS)))
        return []
    return days


def parse_calendar_entries(data: bytes, source: str) -> list[CalendarDay]:
    """Holidays, closures, make-up, exam and sports days of an .ics file, by date.

    Raises:
        IcsError: the file is not iCalendar or an entry cannot be read; every problem
            names ``source`` and its line.
    """
    parsed = read_ics(data, source)
    problems: list[IcsProblem] = []
    entries: list[CalendarDay] = []
    for component, block in parsed.events:
        if text_of(component, "STATUS").upper() == "CANCELLED":
            continue
        entries.extend(_entry(parsed, component, block, problems))
    if problems:
        raise IcsError(problems[:MAX_LISTED_PROBLEMS])
    if len(entries) > MAX_CALENDAR_DAYS:
        raise IcsError([IcsProblem(_(
            "The file holds {n} calendar entries; an import adds at most {limit}. Split the "
            "file.").format(n=len(entries), limit=MAX_CALENDAR_DAYS), source)])
    return sorted(entries, key=lambda e: (e.start, e.end, e.kind.value))
