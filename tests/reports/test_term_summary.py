"""The term summary read back: compliance by month, the drills, the chart, slowest classes
and open actions; long periods listed by month."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pdf_tools
import pytest
from school_builder import add_year, full_reports, make_school, run_drill

from drillplanner import i18n
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.events import EventKind
from drillplanner.domain.report_data import ReportOptions, RunSummary, TermSummaryData
from drillplanner.reports.term import CHART_POINTS, DETAIL_LIMIT, build_term_summary
from drillplanner.services import drills, report_data
from drillplanner.storage.database import Database

TODAY = date(2027, 3, 1)
NAMES = ("1班", "2班", "3班")


def build(data: TermSummaryData, **options: object) -> bytes:
    out = io.BytesIO()
    build_term_summary(data, out, ReportOptions(**options))  # type: ignore[arg-type]
    return out.getvalue()


def mmss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def line_with(text: str, *parts: str) -> str:
    for line in text.splitlines():
        if all(part in line for part in parts):
            return line
    raise AssertionError(f"no line holds {parts}")


@pytest.fixture
def term(db: Database) -> tuple[int, dict[date, dict[str, int]]]:
    """Drills in September (two), October and December; none in November; a cancelled one."""
    ids = make_school(db, "测试小学", {"一年级": [(n, 30) for n in NAMES],
                                       "二年级": [(n, 32) for n in NAMES]})
    add_year(db, ids.school_id, 2026)
    schedule = {
        date(2026, 9, 8): [70, 95, 120, 80, 100, 110],
        date(2026, 9, 22): [65, 150, 90, 85, 105, 95],
        date(2026, 10, 13): [75, 130, 85, 200, 90, 100],
        date(2026, 12, 8): [60, 140, 70, 90, 80, 75],
    }
    drilled = {}
    for day, times in schedule.items():
        seconds = dict(zip(ids.classes, times, strict=True))
        run_drill(db, ids, datetime.combine(day, datetime.min.time()).replace(hour=10),
                  full_reports(ids, seconds), kind=EventKind.EARTHQUAKE if day.month == 10
                  else EventKind.FIRE, title=f"{day.month}月疏散演练")
        drilled[day] = seconds
    cancelled = drills.start_drill(db, ids.school_id, kind=EventKind.FIRE,
                                   at=datetime(2026, 11, 10, 10)).value
    drills.cancel_drill(db, cancelled.id, "大雨")
    first = drills.list_runs(db, ids.school_id, statuses=[RunStatus.COMPLETED])[-1]
    drills.add_action(db, first.id, "疏散指示牌需要更换", owner="总务处",
                      due=date(2026, 10, 1))
    finished = drills.add_action(db, first.id, "广播音量调大").value
    drills.set_action_done(db, finished.id)
    return ids.school_id, drilled


def test_compliance_drills_times_and_actions_are_in_the_summary(
        db: Database, term: tuple[int, dict[date, dict[str, int]]]) -> None:
    school_id, drilled = term
    data = report_data.term_data(db, school_id, date(2026, 9, 1), date(2027, 1, 20),
                                 today=TODAY)
    text = pdf_tools.text(build(data))
    assert "Sep 1, 2026 to Jan 20, 2027" in text
    # One drill a month in term is required: November had none, January none either.
    for month, held, status in (("2026-09", 2, "Met"), ("2026-10", 1, "Met"),
                                ("2026-11", 0, "Missed"), ("2026-12", 1, "Met"),
                                ("2027-01", 0, "Missed")):
        line = line_with(text, month, "Evacuation drill every month of term")
        assert re.findall(r"\b\d+\b", line.split("term", 1)[1])[:3] == ["1", str(held), "0"]
        assert status in line
    assert "1 drill not held" in line_with(text, "2026-11")
    assert "Met: 3, planned: 0, open: 0, missed: 2" in text
    assert "4 drills held (Earthquake drill × 1, Fire drill × 3); 1 cancelled" in text
    for day, seconds in drilled.items():
        line = line_with(text, day.isoformat())
        assert "10:00" in line and "Completed" in line
        assert re.findall(r"\d\d:\d\d", line)[1:] == ["08:00", mmss(max(seconds.values()))]
        assert "6/6" in line
    assert "Cancelled" in line_with(text, "2026-11-10")
    within = sum(1 for s in drilled.values() if max(s.values()) <= 150)
    assert f"{within} of 4 timed drills met the target of 02:30." in text
    assert "Target 02:30" in text  # the chart's target line
    assert "疏散指示牌需要更换" in text and "总务处" in text
    assert "广播音量调大" not in text


def test_the_slowest_classes_are_ranked_by_their_average(
        db: Database, term: tuple[int, dict[date, dict[str, int]]]) -> None:
    school_id, drilled = term
    data = report_data.term_data(db, school_id, date(2026, 9, 1), date(2027, 1, 20),
                                 today=TODAY)
    text = pdf_tools.text(build(data))
    names = list(next(iter(drilled.values())))
    averages = {n: sum(d[n] for d in drilled.values()) / len(drilled) for n in names}
    ranked = sorted(names, key=lambda n: (-averages[n], n))
    section = text.split("Slowest classes", 1)[1]
    lines = [line for line in section.splitlines() if re.match(r"\s*\d+\s+\S+年级", line)]
    assert [line.split()[1] for line in lines] == ranked
    for line, name in zip(lines, ranked, strict=True):
        worst = max(d[name] for d in drilled.values())
        assert line.split()[-3:] == [str(len(drilled)), mmss(averages[name]), mmss(worst)]


def test_the_chinese_summary(db: Database,
                             term: tuple[int, dict[date, dict[str, int]]]) -> None:
    school_id, _drilled = term
    i18n.set_language("zh_CN")
    data = report_data.term_data(db, school_id, date(2026, 9, 1), date(2027, 1, 20),
                                 today=TODAY)
    text = pdf_tools.text(build(data))
    for phrase in ("演练汇总", "合规", "每月至少一次应急疏散演练", "已错过", "已完成",
                   "全员清点到位用时", "最慢的班级", "未完成的整改措施", "2026年9月1日至",
                   "地震疏散演练", "有1次演练未举行"):
        assert phrase in text, phrase


def synthetic(days: int) -> TermSummaryData:
    """A daily drill for ``days`` days, times rising by a second a day."""
    tz = ZoneInfo("Asia/Shanghai")
    first = date(2020, 1, 1)
    runs = []
    for n in range(days):
        alarm = datetime.combine(first + timedelta(days=n), datetime.min.time(), tz)
        alarm = alarm.replace(hour=10)
        runs.append(RunSummary(
            id=n + 1, kind=EventKind.FIRE, title="大课间演练", status=RunStatus.COMPLETED,
            alarm_at=alarm, all_clear_at=alarm + timedelta(minutes=5), classes=60,
            reported=60, time_to_accountability=timedelta(seconds=100 + n % 90)))
    return TermSummaryData("大学校", first, first + timedelta(days=days - 1), TODAY,
                           timedelta(minutes=3), None, (), tuple(runs), (), ())


def test_a_long_period_lists_its_drills_by_month() -> None:
    data = synthetic(DETAIL_LIMIT + 300)
    pdf = build(data)
    text = pdf_tools.text(pdf)
    assert f"more than {DETAIL_LIMIT} drills" in text
    months: dict[str, list[RunSummary]] = {}
    for run in data.runs:
        assert run.day is not None
        months.setdefault(f"{run.day:%Y-%m}", []).append(run)
    for month, runs in months.items():
        line = line_with(text, month, "Fire drill ×")
        times = [r.time_to_accountability.total_seconds() for r in runs
                 if r.time_to_accountability]
        assert f"Fire drill × {len(runs)}" in line
        assert line.split()[-5:] == [str(len(runs)), "0", "05:00",
                                     mmss(sum(times) / len(times)), mmss(max(times))]
    assert "Monthly average" in text and "Monthly worst" in text
    assert pdf_tools.page_count(pdf) <= 6


def test_a_short_period_lists_each_drill_and_charts_each_one() -> None:
    data = synthetic(CHART_POINTS)
    text = pdf_tools.text(build(data))
    assert "Listed by month" not in text and "Monthly average" not in text
    assert all(run.day and run.day.isoformat() in text for run in data.runs)
