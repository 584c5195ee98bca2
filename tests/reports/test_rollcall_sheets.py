"""Roll-call sheets: one page per class with its teacher, on-roll count, boxes and the
class's phone link as a QR code."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdf_tools
import pytest
from school_builder import BigSchool
from sqlalchemy import update

from drillplanner import i18n
from drillplanner.domain.report_data import Paper, ReportOptions, RollcallData
from drillplanner.io.qr import qr_matrix
from drillplanner.reports.rollcall import build_rollcall_sheets
from drillplanner.services import classes, phone_links, report_data, schools
from drillplanner.storage.database import Database
from drillplanner.storage.models import SchoolRow


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


BASE = "http://192.168.1.5:8765"


def decoded_codes(pdf: bytes, page: int, tmp_path: Path) -> list[str]:
    """The QR codes zbarimg finds on ``page`` (from 1) rendered at 150 dpi."""
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page),
                    "-singlefile", str(path), str(tmp_path / "page")], check=True)
    result = subprocess.run(["zbarimg", "--raw", "--quiet", str(tmp_path / "page.png")],
                            capture_output=True, text=True, timeout=60, check=False)
    return result.stdout.split()


def test_each_sheet_carries_its_class_phone_link(big_school: BigSchool,
                                                 big_db: Database) -> None:
    school_id = big_school.ids.school_id
    data = report_data.rollcall_data(big_db, school_id, "二年级", base=BASE)
    urls = phone_links.class_urls(big_db, school_id, BASE)
    pdf = build(data)
    pages = pdf_tools.page_texts(pdf)
    assert len(pages) == len(data.sheets) == 20
    assert len(set(urls.values())) == len(urls)
    for page, sheet in zip(pages, data.sheets, strict=True):
        url = urls[sheet.school_class.id]
        assert sheet.phone_url == url and url.startswith(BASE + "/p/")
        assert sheet.phone_code == qr_matrix(url)
        flat = "".join(page.split())  # the link wraps in its narrow column
        assert url in flat
        assert "Scan to report this class from a phone during the drill" in " ".join(
            page.split())
        assert sum(u in flat for u in urls.values()) == 1


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg is not installed")
@pytest.mark.parametrize(("language", "paper"), [("en", Paper.LETTER), ("zh_CN", Paper.A4)])
def test_a_scanner_reads_the_printed_code(big_school: BigSchool, big_db: Database,
                                          tmp_path: Path, language: str,
                                          paper: Paper) -> None:
    i18n.set_language(language)
    data = report_data.rollcall_data(big_db, big_school.ids.school_id, "一年级", base=BASE)
    pdf = build(data, paper=paper)
    assert pdf_tools.page_count(pdf) == 20
    assert decoded_codes(pdf, 3, tmp_path) == [data.sheets[2].phone_url]


def test_a_school_without_link_secret_prints_sheets_without_code(db: Database) -> None:
    school = schools.add_school(db, "实验小学").value
    grade = classes.add_grade(db, school.id, "一年级").value
    classes.add_class(db, school.id, grade.id, "1班", 40)
    with db.write() as session:
        session.execute(update(SchoolRow).values(link_secret=""))
    data = report_data.rollcall_data(db, school.id, base=BASE)
    assert [(s.phone_url, s.phone_code) for s in data.sheets] == [("", None)]
    page = " ".join(pdf_tools.page_texts(build(data))[0].split())
    assert "一年级1班" in page and "Scan to report" not in page and "http" not in page
