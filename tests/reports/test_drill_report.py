"""The drill report read back from the PDF: record, headcounts, totals, languages, fonts,
pages, paper sizes and highlighted rows."""

from __future__ import annotations

import io
import re
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pdf_tools
import pytest
from school_builder import BigSchool, Report, make_school, run_drill

from drillplanner import i18n
from drillplanner.domain.drill_runs import DrillRun, PostAssignment, RunDetails, RunStatus
from drillplanner.domain.events import EventKind
from drillplanner.domain.headcount import ClassInfo, Figures, HeadcountEntry, roll_up
from drillplanner.domain.report_data import DrillReportData, Paper, ReportOptions
from drillplanner.reports.drill import build_drill_report
from drillplanner.reports.page import BOTTOM_MARGIN
from drillplanner.reports.styles import INJURED_FILL, MISSING_FILL
from drillplanner.services import drills, report_data
from drillplanner.storage.database import Database

ALARM = datetime(2026, 11, 9, 10, 0)
LONG_NAME = "特别长的班级名称用于检查表格单元格中的文字是否会正确换行显示班"
NUMBER = re.compile(r"\d+:\d\d|\d+")


def build(data: DrillReportData, **options: object) -> bytes:
    out = io.BytesIO()
    build_drill_report(data, out, ReportOptions(**options))  # type: ignore[arg-type]
    return out.getvalue()


def mmss(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def numbers_after(text: str, label: str) -> list[str]:
    """The figures on the first line that holds ``label``, after it."""
    for line in text.splitlines():
        if label in line:
            return NUMBER.findall(line.split(label, 1)[1])
    raise AssertionError(f"{label!r} not in the text")


@pytest.fixture
def small(db: Database) -> tuple[int, dict[str, Report]]:
    """Two grades, a class with a long name, a missing student found at 03:00, two injured
    students, a correction, a cleared floor and a corrective action."""
    ids = make_school(db, "测试小学", {"一年级": [("1班", 30), ("2班", 32), (LONG_NAME, 28)],
                                       "二年级": [("1班", 28)]}, principal="陆秀兰")
    reports = {
        "一年级1班": Report(present=28, absent=1, missing=1, after=timedelta(seconds=70),
                            missing_names=("张小明",)),
        "一年级2班": Report(present=31, absent=1, injured=2, after=timedelta(seconds=90)),
        f"一年级{LONG_NAME}": Report(present=28, after=timedelta(seconds=125)),
        "二年级1班": Report(present=26, absent=1, missing=1, after=timedelta(seconds=120)),
    }
    run_id = run_drill(db, ids, ALARM, reports, title="消防疏散演练",
                       found_after=timedelta(minutes=3), all_clear_after=None)
    # The grade leader corrects 二年级1班: the "missing" student was with another class.
    from drillplanner.services import headcounts

    headcounts.record_headcount(db, run_id, ids.classes["二年级1班"], 27, absent=1,
                                at=ALARM + timedelta(seconds=160), by="年级组长")
    reports["二年级1班"] = Report(present=27, absent=1, after=timedelta(seconds=160))
    post = drills.list_posts(db, run_id)[1]
    drills.assign_post(db, post.id, "赵老师")
    drills.clear_floor(db, post.id, at=ALARM + timedelta(seconds=105))
    drills.add_action(db, run_id, "二楼楼梯口拥挤，需增派引导教师", owner="王老师",
                      due=date(2026, 11, 20))
    drills.update_details(db, run_id, RunDetails(
        conducted_by="李主任", weather="晴", staff_on_duty="各班班主任",
        problems="二楼楼梯口拥挤", conditions="二楼走廊烟雾"))
    drills.finish_drill(db, run_id, at=ALARM + timedelta(minutes=8))
    return run_id, reports


def test_every_class_total_and_time_is_in_the_english_report(
        db: Database, small: tuple[int, dict[str, Report]]) -> None:
    run_id, reports = small
    pdf = build(report_data.drill_data(db, run_id))
    text = pdf_tools.text(pdf)
    enrolled = {"一年级1班": 30, "一年级2班": 32, f"一年级{LONG_NAME}": 28, "二年级1班": 28}
    found = {"一年级1班": 1}  # the missing student found at 03:00
    for name, report in reports.items():
        if name.endswith(LONG_NAME):
            continue
        expected = enrolled[name] - report.absent
        # On roll, absent, expected, present, found later, still missing, injured, time;
        # expected = present + found later + still missing.
        assert numbers_after(text, name)[:8] == [str(v) for v in (
            enrolled[name], report.absent, expected, report.present, found.get(name, 0),
            report.missing - found.get(name, 0), report.injured)] + [mmss(report.after)]
    first = [r for n, r in reports.items() if n.startswith("一年级")]
    grade_one = [sum(enrolled[n] for n in reports if n.startswith("一年级")),
                 sum(r.absent for r in first), 0, sum(r.present for r in first), 1, 0,
                 sum(r.injured for r in first)]
    grade_one[2] = grade_one[0] - grade_one[1]
    assert grade_one[2] == grade_one[3] + grade_one[4] + grade_one[5]
    assert numbers_after(text, "Total 一年级")[:7] == [str(v) for v in grade_one]
    school = [sum(enrolled.values()), sum(r.absent for r in reports.values())]
    school += [school[0] - school[1], sum(r.present for r in reports.values()), 1, 0,
               sum(r.injured for r in reports.values())]
    # School total: classes reported, the seven counts, the roll of classes not reported.
    assert numbers_after(text, "School total") == ["4", "4", *map(str, school), "0"]
    # Accountability: the last report came at 02:40, the missing student was found at 03:00;
    # the target is 02:30.
    assert "Time to full accountability: 03:00 (target 02:30) – target not met" in text
    for phrase in ("消防疏散演练", "Fire drill", "李主任", "二楼楼梯口拥挤", "二楼走廊烟雾",
                   "各班班主任", "张小明", "卫生间", "赵老师", "01:45", "王老师",
                   "二楼楼梯口拥挤，需增派引导教师", "Nov 20, 2026", "陆秀兰",
                   "Drill conducted by", "Principal", "corrected once", "Not confirmed",
                   "Corrections after the all clear", "Signatures"):
        assert phrase in text, phrase


def test_the_chinese_report_uses_the_chinese_headings(
        db: Database, small: tuple[int, dict[str, Report]]) -> None:
    run_id, _reports = small
    i18n.set_language("zh_CN")
    pdf = build(report_data.drill_data(db, run_id))
    text = pdf_tools.text(pdf)
    for heading in ("演练记录报告", "应到", "缺席", "实到", "仍失踪", "受伤", "一年级合计",
                    "全校合计", "楼层清空确认", "整改措施", "演练组织人", "校长", "签名",
                    "消防疏散演练", "2026年11月9日", "未达到目标", "核实人"):
        assert heading in text, heading
    for english in ("Drill report", "Expected", "Page ", "Generated", "School total"):
        assert english not in text, english


def test_a_language_in_the_options_is_used_and_the_current_one_kept(
        db: Database, small: tuple[int, dict[str, Report]]) -> None:
    run_id, _reports = small
    data = report_data.drill_data(db, run_id)
    text = pdf_tools.text(build(data, language="zh_CN"))
    assert "演练记录报告" in text and "第1页，共" in text
    assert i18n.current_language() == "en"


def test_a_worker_thread_builds_in_its_language_and_leaves_the_windows_theirs(
        db: Database, small: tuple[int, dict[str, Report]]) -> None:
    run_id, _reports = small
    data = report_data.drill_data(db, run_id)
    seen: dict[str, object] = {}

    def work() -> None:
        seen["text"] = pdf_tools.text(build(data, language="zh_CN"))
        seen["after"] = i18n.current_language()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert "演练记录报告" in str(seen["text"])
    assert seen["after"] == "en" and i18n.current_language() == "en"


def test_long_class_names_wrap_inside_their_column(
        db: Database, small: tuple[int, dict[str, Report]]) -> None:
    run_id, _reports = small
    words = [w for w in pdf_tools.words(build(report_data.drill_data(db, run_id)))
             if w.page == 1]
    full = f"一年级{LONG_NAME}"
    first = next(w for w in words if w.text.startswith("一年级特别"))
    column = sorted((w for w in words if abs(w.x_min - first.x_min) < 1
                     and w.y_min >= first.y_min), key=lambda w: w.y_min)
    pieces = []
    for word in column:
        if word.text not in full:
            break
        pieces.append(word)
    assert "".join(p.text for p in pieces) == full
    assert len(pieces) >= 2  # wrapped onto several lines
    on_roll = next(w for w in words if w.text == "28" and abs(w.y_min - first.y_min) < 2)
    assert all(p.x_max < on_roll.x_min for p in pieces)


def test_fonts_are_embedded_and_every_page_renders(
        db: Database, small: tuple[int, dict[str, Report]], tmp_path: Path) -> None:
    run_id, _reports = small
    for language in ("en", "zh_CN"):
        pdf = build(report_data.drill_data(db, run_id), language=language)
        fonts = pdf_tools.fonts(pdf, tmp_path)
        assert fonts and all(f.embedded for f in fonts), fonts
        assert not any("STSong" in f.name or "Helvetica" in f.name for f in fonts)
        rendered = pdf_tools.render(pdf, tmp_path / language)
        assert len(rendered.pages) == pdf_tools.page_count(pdf)
        assert rendered.stderr == ""


def test_missing_and_injured_rows_are_highlighted(
        db: Database, small: tuple[int, dict[str, Report]], tmp_path: Path) -> None:
    run_id, _reports = small
    pdf = build(report_data.drill_data(db, run_id))
    first_page = pdf_tools.render(pdf, tmp_path / "with").pages[0]
    assert pdf_tools.has_colour(first_page, MISSING_FILL.hexval()[2:])
    assert pdf_tools.has_colour(first_page, INJURED_FILL.hexval()[2:])

    calm = make_school(db, "平安小学", {"一年级": [("1班", 20)]})
    quiet_run = run_drill(db, calm, ALARM, {"一年级1班": Report(present=20)})
    quiet = pdf_tools.render(build(report_data.drill_data(db, quiet_run)),
                             tmp_path / "without").pages[0]
    assert not pdf_tools.has_colour(quiet, MISSING_FILL.hexval()[2:])
    assert not pdf_tools.has_colour(quiet, INJURED_FILL.hexval()[2:])


def test_a4_by_default_and_letter_when_asked(
        db: Database, small: tuple[int, dict[str, Report]]) -> None:
    run_id, _reports = small
    data = report_data.drill_data(db, run_id)
    assert pdf_tools.page_sizes(build(data)) == {(595, 842)}
    assert pdf_tools.page_sizes(build(data, paper=Paper.LETTER)) == {(612, 792)}


def test_a_120_class_school_fits_a_few_pages_with_header_and_footer_on_each(
        big_school: BigSchool, big_db: Database) -> None:
    data = report_data.drill_data(big_db, big_school.run_id)
    when = datetime(2026, 11, 9, 16, 30)
    pdf = build(data, generated_at=when)
    pages = pdf_tools.page_texts(pdf)
    assert 3 <= len(pages) <= 8
    for number, page in enumerate(pages, start=1):
        assert "聊城市实验小学" in page and "Drill report" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Generated 11/9/26, 4:30 PM by drillplanner" in page
    text = pdf_tools.text(pdf)
    for name, report in big_school.reports.items():
        # Present, found later (the missing student was found), still missing.
        assert numbers_after(text, name)[3:6] == [str(report.present), str(report.missing),
                                                  "0"]
    reports = big_school.reports.values()
    assert numbers_after(text, "School total")[:2] == ["120", "120"]
    assert numbers_after(text, "School total")[-4:] == [
        str(sum(r.missing for r in reports)), "0", str(sum(r.injured for r in reports)), "0"]


def test_no_heading_or_grade_caption_is_left_alone_at_the_foot_of_a_page(
        big_school: BigSchool, big_db: Database) -> None:
    i18n.set_language("zh_CN")
    pdf = build(report_data.drill_data(big_db, big_school.run_id))
    words = pdf_tools.words(pdf)
    footer_top = 842 - BOTTOM_MARGIN
    headings = {"人数清点", "各班人数清点", "年级及全校合计", "失踪学生", "楼层清空确认",
                "发现的问题", "整改措施", "签字"}
    captions = [w for w in words if re.fullmatch(r".年级：\d+个班", w.text)]
    assert len(captions) >= 6
    for word in [w for w in words if w.text in headings] + captions:
        below = [w for w in words if w.page == word.page and w.y_min > word.y_max + 1
                 and w.y_max < footer_top]
        # A heading is followed by its content; a grade caption by a header row and at
        # least one class (digits) on the same page.
        assert below, word
        if word in captions:
            assert any(re.fullmatch(r"\d+", w.text) for w in below), word


def synthetic_report(classes: int, posts: int) -> DrillReportData:
    """A drill of ``classes`` classes in two grades, made from domain values alone."""
    tz = ZoneInfo("Asia/Shanghai")
    alarm = ALARM.replace(tzinfo=tz)
    infos = [ClassInfo(i, f"{'一二'[i % 2]}年级{i}班", i % 2, f"{'一二'[i % 2]}年级", i % 2,
                       40) for i in range(classes)]
    entries = [HeadcountEntry(i, 1, info.class_id, Figures(enrolled=40, present=40),
                              alarm + timedelta(seconds=60 + i), alarm + timedelta(seconds=61))
               for i, info in enumerate(infos)]
    rollup = roll_up(infos, entries, [], alarm, timedelta(minutes=3))
    run = DrillRun(1, 1, EventKind.FIRE, "消防疏散演练", RunStatus.COMPLETED, alarm,
                   alarm + timedelta(minutes=8))
    return DrillReportData("测试小学", run, rollup, posts=tuple(
        PostAssignment(i, 1, f"教学楼 floor {i}") for i in range(posts)))


def test_headings_keep_their_content_on_the_same_page_whatever_the_length() -> None:
    i18n.set_language("zh_CN")
    headings = {"人数清点", "各班人数清点", "年级及全校合计", "楼层清空确认", "发现的问题",
                "整改措施", "签字"}
    for classes in range(30, 62, 2):
        words = pdf_tools.words(build(synthetic_report(classes, posts=classes // 3)))
        for word in (w for w in words if w.text in headings):
            below = [w for w in words if w.page == word.page and w.y_min > word.y_max + 1
                     and w.y_max < 842 - BOTTOM_MARGIN]
            assert below, (classes, word)
