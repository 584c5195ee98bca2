"""Every report, built through the registry from the demo schools in both languages: fonts
embedded, every page rendered by poppler without complaint, the chosen paper, the header
and footer on every page."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pdf_tools
import pytest

from drillplanner import i18n
from drillplanner.domain.report_data import Paper, ReportOptions
from drillplanner.reports.registry import REPORTS, list_reports
from drillplanner.services import drills, report_data, schools
from drillplanner.storage.database import Database

LIAOCHENG = "聊城市实验小学"
SIZES = {(Paper.A4, False): (595, 842), (Paper.LETTER, False): (612, 792),
         (Paper.A4, True): (842, 595), (Paper.LETTER, True): (792, 612)}
WIDE = {"schedule", "district"}


def data_for(db: Database, key: str) -> Any:
    school = next(s for s in schools.list_schools(db) if s.name == LIAOCHENG)
    function = getattr(report_data, REPORTS[key].data_function)
    if key == "drill":
        return function(db, drills.list_runs(db, school.id)[0].id)
    if key in ("term", "schedule"):
        return function(db, school.id, date(2026, 9, 1), date(2026, 11, 30),
                        **({"today": date(2026, 11, 1)} if key == "term" else {}))
    if key == "rollcall":
        return function(db, school.id, "1")
    return function(db, date(2026, 9, 1), date(2026, 10, 31), today=date(2026, 11, 1))


def test_the_registry_names_each_report_and_its_data_function() -> None:
    assert [r.key for r in list_reports()] == ["drill", "term", "schedule", "rollcall",
                                               "district"]
    english = [r.title for r in list_reports()]
    i18n.set_language("zh_CN")
    chinese = [r.title for r in list_reports()]
    assert chinese == ["演练记录报告", "演练汇总", "日程安排", "点名表", "中心校汇总"]
    assert english == ["Drill report", "Drill summary", "Schedule", "Roll-call sheets",
                       "Central-school summary"]
    for info in list_reports():
        assert callable(getattr(report_data, info.data_function))
        assert info.description and info.needs


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("key", sorted(REPORTS))
def test_each_report_embeds_its_font_and_renders(demo_db: Database, tmp_path: Path,
                                                 key: str, language: str) -> None:
    i18n.set_language(language)
    info = REPORTS[key]
    out = io.BytesIO()
    pages = info.build(data_for(demo_db, key), out, ReportOptions(paper=Paper.LETTER))
    pdf = out.getvalue()
    assert pages == pdf_tools.page_count(pdf) >= 1
    fonts = pdf_tools.fonts(pdf, tmp_path)
    # One font, embedded as subsets of up to 256 glyphs each.
    assert fonts and all(f.embedded and f.type == "TrueType" for f in fonts)
    assert {f.name.split("+", 1)[1] for f in fonts} == {"WenQuanYiMicroHei-0"}
    rendered = pdf_tools.render(pdf, tmp_path / "pages")
    assert len(rendered.pages) == pages and rendered.stderr == ""
    assert pdf_tools.page_sizes(pdf) == {SIZES[(Paper.LETTER, key in WIDE)]}
    footer = "第{page}页，共{pages}页" if language == "zh_CN" else "Page {page} of {pages}"
    for number, text in enumerate(pdf_tools.page_texts(pdf), start=1):
        assert info.title in text
        assert footer.format(page=number, pages=pages) in text
    assert i18n.current_language() == language
