"""The central-school summary of the demo schools, checked against each run's roll-up."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pdf_tools

from drillplanner import i18n
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.report_data import DistrictData, ReportOptions
from drillplanner.reports.district import build_district_summary
from drillplanner.services import classes, drills, headcounts, report_data, schools
from drillplanner.storage.database import Database

START, END, TODAY = date(2026, 9, 1), date(2026, 10, 31), date(2026, 11, 2)


def build(data: DistrictData, **options: object) -> bytes:
    out = io.BytesIO()
    build_district_summary(data, out, ReportOptions(**options))  # type: ignore[arg-type]
    return out.getvalue()


def mmss(value: timedelta) -> str:
    seconds = round(value.total_seconds())
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def test_every_school_with_its_drills_and_times(demo_db: Database) -> None:
    pdf = build(report_data.district_data(demo_db, START, END, today=TODAY))
    text = pdf_tools.text(pdf)
    flat = pdf_tools.squeeze(text)
    assert "Central-school summary" in text and pdf_tools.page_count(pdf) == 1
    for school in schools.list_schools(demo_db):
        assert pdf_tools.squeeze(school.name) in flat
        runs = drills.list_runs(demo_db, school.id, start=START, end=END,
                                statuses=[RunStatus.COMPLETED])
        times = [t for t in (headcounts.rollup(demo_db, r.id).time_to_accountability
                             for r in runs) if t is not None]
        average = timedelta(seconds=round(sum(t.total_seconds() for t in times) / len(times)))
        target = timedelta(seconds=school.evacuation_target_seconds)
        met = sum(1 for t in times if t <= target)
        members = classes.list_classes(demo_db, school.id)
        line = next(line for line in text.splitlines()
                    if line.split()[:1] == [school.name] and ":" in line)
        assert line.split()[-9:] == [
            str(len(members)), str(sum(c.enrolled for c in members)), str(len(runs)),
            str(met), "of", str(len(times)), mmss(average), mmss(max(times)), mmss(target)]


def test_the_chinese_summary_names_the_central_school(demo_db: Database) -> None:
    i18n.set_language("zh_CN")
    pdf = build(report_data.district_data(demo_db, START, END, today=TODAY))
    text = pdf_tools.text(pdf)
    assert "中心校汇总" in text and "道口铺街道中心学校" in text.splitlines()[0]
    # The content stream keeps a wrapped cell's lines together.
    assert "道口铺街道中心学校高马小学（隶属道口铺街道中心学校）" in pdf_tools.squeeze(
        pdf_tools.page_texts(pdf)[0])
    for phrase in ("合规方案", "已举行演练", "达标次数", "平均", "最慢", "目标"):
        assert phrase in text, phrase
