"""Roll-call sheets: one page per class with its teacher, on-roll count and boxes."""

from __future__ import annotations

import io

import pdf_tools
from school_builder import BigSchool

from drillplanner import i18n
from drillplanner.domain.report_data import Paper, ReportOptions, RollcallData
from drillplanner.reports.rollcall import build_rollcall_sheets
from drillplanner.services import report_data
from drillplanner.storage.database import Database


def build(data: RollcallData, **options: object) -> bytes:
    out = io.BytesIO()
    build_rollcall_sheets(data, out, ReportOptions(**options))  # type: ignore[arg-type]
    return out.getvalue()


def test_a_page_per_class_on_a4_and_letter(big_school: BigSchool, big_db: Database) -> None:
    data = report_data.rollcall_data(big_db, big_school.ids.school_id)
    for paper, size in ((Paper.A4, (595, 842)), (Paper.LETTER, (612, 792))):
        pdf = build(data, paper=paper)
        pages = pdf_tools.page_texts(pdf)
        assert len(pages) == len(big_school.ids.classes) == 120
        assert pdf_tools.page_sizes(pdf) == {size}
        for raw, (name, enrolled) in zip(pages, big_school.ids.enrolled.items(), strict=True):
            page = " ".join(raw.split())
            assert name in page
            assert f"{name}老师" in page  # the homeroom teacher
            assert f"Students on roll {enrolled}" in page
            assert "Names of the missing students" in page
            assert "Homeroom teacher's signature" in page


def test_one_grade_in_chinese(big_school: BigSchool, big_db: Database) -> None:
    i18n.set_language("zh_CN")
    data = report_data.rollcall_data(big_db, big_school.ids.school_id, "三年级")
    pdf = build(data)
    pages = pdf_tools.page_texts(pdf)
    wanted = [n for n, g in big_school.ids.grade_of.items() if g == "三年级"]
    assert len(pages) == len(wanted) == 20
    for page, name in zip(pages, wanted, strict=True):
        assert name in page and "点名表：三年级" in page
        for phrase in ("失踪学生姓名", "受伤学生姓名", "班主任签名", "年级组长核对",
                       "缺席（演练前已知）", "集合区域实到"):
            assert phrase in page, phrase
