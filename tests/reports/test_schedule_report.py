"""The schedule read back: a page per month with weeks from Monday, holidays shaded and
named, entries on their days, a full agenda."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pdf_tools
import pytest
from school_builder import add_year, make_school

from drillplanner import i18n
from drillplanner.domain.events import Event, EventKind, Occurrence, Recurrence
from drillplanner.domain.report_data import Paper, ReportOptions, ScheduleReportData
from drillplanner.domain.school_calendar import DayKind, SchoolCalendar
from drillplanner.reports.schedule import HOLIDAY, MAKEUP, build_schedule_report
from drillplanner.services import calendar, report_data, schedule
from drillplanner.storage.database import Database

START, END = date(2026, 9, 1), date(2026, 11, 30)


def build(data: ScheduleReportData, **options: object) -> bytes:
    out = io.BytesIO()
    build_schedule_report(data, out, ReportOptions(**options))  # type: ignore[arg-type]
    return out.getvalue()


@pytest.fixture
def school_id(db: Database) -> int:
    ids = make_school(db, "测试小学", {"一年级": [("1班", 30)]})
    add_year(db, ids.school_id, 2026)
    calendar.add_calendar_day(db, ids.school_id, DayKind.HOLIDAY, date(2026, 10, 1),
                              date(2026, 10, 7), "国庆节")
    calendar.add_calendar_day(db, ids.school_id, DayKind.MAKEUP, date(2026, 10, 10),
                              name="调休上课")
    schedule.add_event(db, Event(
        id=0, school_id=ids.school_id, kind=EventKind.FIRE, title="周一消防疏散演练",
        start=datetime(2026, 9, 7, 10), duration=timedelta(minutes=20),
        recurrence=Recurrence(rule="FREQ=WEEKLY;BYDAY=MO", school_days_only=True)))
    schedule.add_event(db, Event(
        id=0, school_id=ids.school_id, kind=EventKind.TRAINING, title="灭火器使用培训",
        start=datetime(2026, 11, 9, 14, 30), duration=timedelta(minutes=45),
        place="操场"))
    return ids.school_id


def test_one_page_a_month_then_the_agenda(db: Database, school_id: int) -> None:
    data = report_data.schedule_data(db, school_id, START, END)
    pdf = build(data)
    pages = pdf_tools.page_texts(pdf)
    assert "Schedule: September 2026" in pages[0]
    assert "Schedule: October 2026" in pages[1]
    assert "Schedule: November 2026" in pages[2]
    assert "Agenda" in pages[3]
    assert pdf_tools.page_sizes(pdf) == {(842, 595)}
    assert pdf_tools.page_sizes(build(data, paper=Paper.LETTER)) == {(792, 612)}
    assert "国庆节" in pages[1] and "调休上课" in pages[1]
    # Mondays of term that are school days, as the calendar has them; 5 October is a
    # holiday, so the drill falls out that week.
    mondays = [START + timedelta(days=d) for d in range((END - START).days + 1)]
    mondays = [d for d in mondays if d.weekday() == 0 and d >= date(2026, 9, 7)
               and d != date(2026, 10, 5)]
    agenda = pdf_tools.text(pdf, page=4) + "".join(
        pdf_tools.text(pdf, page=n) for n in range(5, len(pages) + 1))
    rows = [line for line in agenda.splitlines() if re.match(r"\s*\d{4}-\d\d-\d\d", line)]
    assert [line.split()[0] for line in rows] == sorted(
        [d.isoformat() for d in mondays] + ["2026-11-09"])
    training = next(line for line in rows if "灭火器使用培训" in line)
    assert "14:30–15:15" in training and "操场" in training and "Training" in training
    assert all("Mon" in line for line in rows)


def test_weeks_start_on_monday_and_days_sit_under_their_weekday(
        db: Database, school_id: int) -> None:
    i18n.set_language("zh_CN")
    data = report_data.schedule_data(db, school_id, START, END)
    words = [w for w in pdf_tools.words(build(data)) if w.page == 1]
    headers = sorted((w for w in words if re.fullmatch(r"周[一二三四五六日]", w.text)),
                     key=lambda w: w.x_min)
    assert [w.text for w in headers] == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    # 1 September 2026 is a Tuesday; 7 September (a Monday) holds the drill.
    first = next(w for w in words if w.text == "1" and w.y_min > headers[0].y_max)
    assert headers[1].x_min - 1 <= first.x_min < headers[2].x_min
    seventh = next(w for w in words if w.text == "7" and w.y_min > first.y_max)
    assert headers[0].x_min - 1 <= seventh.x_min < headers[1].x_min
    drill = next(w for w in words if "周一消防疏散演练" in w.text and w.y_min > seventh.y_min)
    assert drill.x_max < headers[1].x_min


def test_holidays_and_make_up_days_are_shaded(db: Database, school_id: int,
                                              tmp_path: Path) -> None:
    pdf = build(report_data.schedule_data(db, school_id, START, END))
    pages = pdf_tools.render(pdf, tmp_path, dpi=30).pages
    # A day cell is some 1,000 pixels at 30 dpi; the legend's swatches a dozen.
    def shaded(page: Path, colour: str) -> bool:
        return pdf_tools.has_colour(page, colour, minimum=200)

    assert pdf_tools.has_colour(pages[1], HOLIDAY.hexval()[2:], minimum=5000)  # 1-7 October
    assert shaded(pages[1], MAKEUP.hexval()[2:])
    assert not shaded(pages[0], HOLIDAY.hexval()[2:])  # September


def test_a_crowded_day_says_how_many_more_and_the_agenda_lists_them_all() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    day = date(2026, 11, 9)
    titles = [f"活动{n:02d}" for n in range(1, 16)]
    occurrences = tuple(
        Occurrence(event_id=n, kind=EventKind.OTHER, title=title,
                   start=datetime(2026, 11, 9, 8, tzinfo=tz) + timedelta(minutes=20 * n),
                   end=datetime(2026, 11, 9, 8, 15, tzinfo=tz) + timedelta(minutes=20 * n),
                   original_start=datetime(2026, 11, 9, 8) + timedelta(minutes=20 * n))
        for n, title in enumerate(titles))
    data = ScheduleReportData("测试小学", day, day, SchoolCalendar(), occurrences)
    pdf = build(data)
    grid_text = pdf_tools.text(pdf, page=1)
    shown = [t for t in titles if t in grid_text]
    more = re.search(r"\+(\d+) more", grid_text)
    assert more and shown and len(shown) + int(more.group(1)) == len(titles)
    agenda = "".join(pdf_tools.text(pdf, page=n) for n in range(2, pdf_tools.page_count(pdf)
                                                                + 1))
    assert all(t in agenda for t in titles)


def test_an_empty_period_still_prints_its_month(db: Database, school_id: int) -> None:
    data = report_data.schedule_data(db, school_id, date(2027, 8, 1), date(2027, 8, 31))
    text = pdf_tools.text(build(data))
    assert "Schedule: August 2027" in text and "Nothing is scheduled in this period." in text
