"""The Reports page: reports built in a worker thread, previewed with QtPdf, printed and
saved, on a real SQLite school with a school year and a held fire drill."""

from __future__ import annotations

import calendar
import io
import re
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

import pytest
from calendar_sample import add_school_year
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel

from drillplanner import i18n
from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.events import EventKind
from drillplanner.domain.report_requests import PeriodPreset, ReportRequest
from drillplanner.reports import fonts
from drillplanner.services import calendar as calendar_service
from drillplanner.services import classes, drills, headcounts, report_files, schools
from drillplanner.storage.database import Database
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.drill_detail import DrillDetailDialog
from drillplanner.ui.mainwindow import MainWindow
from drillplanner.ui.views.reports_page import ReportsPage
from drillplanner.ui.widgets import pdf_preview

ALARM = datetime(2026, 10, 9, 10, 0)
FIRST_TERM = (date(2026, 9, 1), date(2027, 1, 22))
WAIT_MS = 30_000


@pytest.fixture
def held(ctx: AppContext, sample: Sample) -> DrillRun:
    """A fire drill on 9 October 2026: every class reported at 10:02:30 (one student of
    the first class missing), all clear at 10:08."""
    add_school_year(ctx.db, sample.school.id)
    run = drills.start_drill(ctx.db, sample.school.id, kind=EventKind.FIRE, at=ALARM,
                             title="消防疏散演练").value
    reported = ALARM + timedelta(minutes=2, seconds=30)
    for number, info in enumerate(headcounts.classes_in_run(ctx.db, run.id)):
        missing = 1 if number == 0 else 0
        headcounts.record_headcount(ctx.db, run.id, info.class_id, info.enrolled - missing,
                                    missing=missing, missing_names="张三" if missing else "",
                                    at=reported)
    return drills.finish_drill(ctx.db, run.id, at=ALARM + timedelta(minutes=8)).value


@pytest.fixture
def page(ctx: AppContext, held: DrillRun, qtbot: QtBot) -> Iterator[ReportsPage]:
    shown = ReportsPage(ctx)
    qtbot.addWidget(shown)
    shown.resize(1200, 800)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.detach()


def build(qtbot: QtBot, page: ReportsPage) -> None:
    """Press Preview: the build runs in the worker (the page is busy until the GUI thread
    hears back), then wait for it."""
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.is_busy
    assert page.busy.isVisibleTo(page) and not page.preview_button.isEnabled()
    qtbot.waitUntil(lambda: not page.is_busy, timeout=WAIT_MS)


def saved(page: ReportsPage, path: Path) -> PdfReader:
    assert page.save_to(path), page.message.text()
    return PdfReader(io.BytesIO(path.read_bytes()))


def text_of(reader: PdfReader) -> str:
    return "\n".join(p.extract_text() for p in reader.pages)


def in_chinese(message: str) -> str:
    before = i18n.current_language()
    i18n.set_language("zh_CN")
    try:
        return i18n._(message)
    finally:
        i18n.set_language(before)


def test_term_summary_through_the_page(qtbot: QtBot, page: ReportsPage, sample: Sample,
                                       held: DrillRun, tmp_path: Path) -> None:
    page.select_report("term")
    assert page.description_label.text() == page.info.description
    page.set_period(*FIRST_TERM)
    build(qtbot, page)

    document = page.preview_pane.document
    assert document.status() == QPdfDocument.Status.Ready
    assert document.pageCount() > 0
    assert page.message.text() == ""
    assert page.print_button.isEnabled() and page.save_button.isEnabled()
    reader = saved(page, tmp_path / "term.pdf")
    assert len(reader.pages) == document.pageCount()
    text = text_of(reader)
    assert sample.school.name in text and "Drill summary" in text
    assert held.title in text and "2026-10-09" in text
    assert page.preview_pane.caption.text().startswith("Drill summary: ")


def test_drill_report_through_the_page(qtbot: QtBot, page: ReportsPage, sample: Sample,
                                       held: DrillRun, tmp_path: Path) -> None:
    page.select_report("drill")
    assert page.run_combo.count() == 1
    assert page.run_combo.currentData() == held.id
    assert held.title in page.run_combo.currentText()
    build(qtbot, page)

    text = text_of(saved(page, tmp_path / "drill.pdf"))
    assert "Drill report" in text and sample.school.name in text
    school_classes = classes.list_classes(page.ctx.db, sample.school.id)
    assert [c.name for c in school_classes if c.grade_name + c.name not in text] == []
    assert "张三" in text
    assert str(sum(c.enrolled for c in school_classes)) in text.split()


def test_the_page_is_busy_and_answers_while_the_worker_builds(
        qtbot: QtBot, page: ReportsPage, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    gate = threading.Event()
    started = threading.Event()
    real_build = report_files.build_report

    def held_back(db: Database, request: ReportRequest, out: BinaryIO) -> int:
        started.set()
        gate.wait(WAIT_MS / 1000)
        return real_build(db, request, out)

    monkeypatch.setattr(report_files, "build_report", held_back)
    page.select_report("term")
    page.set_period(*FIRST_TERM)
    try:
        qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
        # The build is stuck in the worker; the GUI thread keeps handling events.
        qtbot.wait(50)
        assert page.is_busy and page.busy.isVisibleTo(page)
        assert not page.preview_button.isEnabled() and not page.save_button.isEnabled()
        page.report_list.setCurrentRow(0)
        qtbot.keyClick(page.report_list, Qt.Key.Key_Down)
        assert page.description_label.text() == page.reports[1].description
        assert page.preview_pane.page_count == 0
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not page.is_busy, timeout=WAIT_MS)
    assert not page.busy.isVisibleTo(page) and page.preview_button.isEnabled()
    assert page.preview_pane.page_count > 0
    # What was asked for when Preview was pressed, not what is chosen now.
    assert "Drill summary" in text_of(saved(page, tmp_path / "term.pdf"))


def test_changing_the_language_builds_again(qtbot: QtBot, page: ReportsPage,
                                            sample: Sample, tmp_path: Path) -> None:
    page.select_report("term")
    page.set_period(*FIRST_TERM)
    build(qtbot, page)
    english = text_of(saved(page, tmp_path / "en.pdf"))
    assert "Drill summary" in english

    page.language_combo.setCurrentIndex(page.language_combo.findData("zh_CN"))
    assert page.is_busy
    qtbot.waitUntil(lambda: not page.is_busy, timeout=WAIT_MS)

    chinese = text_of(saved(page, tmp_path / "zh.pdf"))
    title = in_chinese("Drill summary")
    assert title != "Drill summary" and title in chinese
    assert sample.school.name in chinese
    # The report changed language; the application did not.
    assert i18n.current_language() == "en"
    assert page.preview_button.text() == "Previe&w"


def test_letter_paper(qtbot: QtBot, page: ReportsPage, tmp_path: Path) -> None:
    page.select_report("drill")
    page.paper_combo.setCurrentIndex(page.paper_combo.findData("letter"))
    assert not page.is_busy  # nothing was previewed yet: nothing to build again
    build(qtbot, page)
    reader = saved(page, tmp_path / "letter.pdf")
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in reader.pages} == {(612, 792)}


def test_rollcall_sheets_of_one_grade(qtbot: QtBot, page: ReportsPage, sample: Sample,
                                      tmp_path: Path) -> None:
    page.select_report("rollcall")
    assert page.grade_combo.currentData() is None
    page.grade_combo.setCurrentIndex(page.grade_combo.findData(sample.grade_id))
    build(qtbot, page)
    mine = [c for c in classes.list_classes(page.ctx.db, sample.school.id)
            if c.grade_id == sample.grade_id]
    reader = saved(page, tmp_path / "sheets.pdf")
    assert len(reader.pages) == len(mine)
    assert all(c.grade_name + c.name in text_of(reader) for c in mine)


def test_the_rows_follow_the_report(page: ReportsPage) -> None:
    shown: dict[str, tuple[bool, ...]] = {}
    for info in page.reports:
        page.select_report(info.key)
        shown[info.key] = tuple(w.isVisibleTo(page) for w in (
            page.run_combo, page.period_row, page.grade_combo, page.school_label))
        assert unnamed_controls(page) == [], info.key
    #              drill  period grade  school
    assert shown == {"drill": (True, False, False, True),
                     "term": (False, True, False, True),
                     "schedule": (False, True, False, True),
                     "rollcall": (False, False, True, True),
                     "district": (False, True, False, False)}
    assert [page.report_list.item(i).text() for i in range(page.report_list.count())] == [
        info.title for info in page.reports]


def school_today(page: ReportsPage, school_id: int) -> date:
    return datetime.now(ZoneInfo(schools.get_school(page.ctx.db, school_id).timezone)).date()


def test_period_presets(page: ReportsPage, sample: Sample) -> None:
    today = school_today(page, sample.school.id)
    page.preset_buttons[PeriodPreset.MONTH].click()
    last = calendar.monthrange(today.year, today.month)[1]
    assert page.period() == (today.replace(day=1), today.replace(day=last))

    [year] = calendar_service.list_school_years(page.ctx.db, sample.school.id)
    if year.start <= today <= year.end:
        page.preset_buttons[PeriodPreset.SCHOOL_YEAR].click()
        assert page.period() == (year.start, year.end)
    else:
        assert not page.use_preset(PeriodPreset.SCHOOL_YEAR)
        assert page.message.text().startswith("No school year of the school calendar holds")


def test_errors_appear_in_the_page(qtbot: QtBot, page: ReportsPage, ctx: AppContext,
                                   sample: Sample) -> None:
    page.select_report("term")
    page.set_period(date(2020, 1, 1), date(2020, 3, 31))
    build(qtbot, page)
    assert page.message.text().startswith(
        f"No school year of {sample.school.name} covers 2020-01-01 to 2020-03-31")
    assert page.preview_pane.page_count == 0 and not page.save_button.isEnabled()

    other = schools.add_school(ctx.db, "郑家镇东小学").value
    ctx.set_school(other.id)
    assert page.school_label.text() == "郑家镇东小学"
    assert page.run_combo.count() == 0
    assert not page.use_preset(PeriodPreset.TERM)
    assert page.message.text().startswith(
        f"No term of the school calendar holds {school_today(page, other.id).isoformat()}")


def test_a_missing_chinese_font_is_explained(qtbot: QtBot, page: ReportsPage,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real_find = fonts.find_font
    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.setattr(fonts, "find_font", lambda: real_find(known=(), fontconfig=list))
    page.select_report("drill")
    build(qtbot, page)
    assert page.message.text().startswith(
        "No Chinese font that can be embedded in a PDF was found.")
    assert page.shown is None


def test_print_and_save_as(qtbot: QtBot, page: ReportsPage, sample: Sample,
                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    page.select_report("term")
    page.set_period(*FIRST_TERM)
    build(qtbot, page)
    pages = page.preview_pane.page_count

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    asked: list[QPrinter] = []

    def accept(_parent: object, chosen: QPrinter) -> bool:
        asked.append(chosen)
        return False

    monkeypatch.setattr(pdf_preview, "ask_printer", accept)
    assert not page.print_report()  # cancelled in the dialog
    assert asked and asked[0].pageLayout().pageSize().id().name == "A4"
    assert page.print_to(printer)
    assert len(PdfReader(printed).pages) == pages

    wanted = tmp_path / "filed.pdf"
    suggestions: list[str] = []

    def choose(_parent: object, suggested: str) -> Path:
        suggestions.append(suggested)
        return wanted

    monkeypatch.setattr(pdf_preview, "choose_pdf_to_save", choose)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert suggestions == [f"Drill summary {sample.school.name} 2026-09-01 2027-01-22.pdf"]
    assert page.preview_pane.data.startswith(b"%PDF")
    assert wanted.read_bytes() == page.preview_pane.data
    assert page.message.text() == f"Saved {wanted}."
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


# In the main window -------------------------------------------------------------------------


def test_the_window_has_a_reports_page(window: MainWindow, qtbot: QtBot) -> None:
    window.show()
    qtbot.waitExposed(window)
    number = window.stack.indexOf(window.reports_page)
    assert window.sidebar.item(number).text() == "Reports"
    action = window.page_actions[number]
    assert action.shortcut().toString() == f"Ctrl+{number + 1}"
    action.trigger()
    assert window.stack.currentWidget() is window.reports_page
    assert window.reports_page.school_label.text() == window.school_combo.currentText()


def test_a_drill_opens_its_report(window: MainWindow, held: DrillRun, qtbot: QtBot,
                                  tmp_path: Path) -> None:
    window.show()
    qtbot.waitExposed(window)
    dialog = DrillDetailDialog(window.ctx, held.id, window)
    qtbot.addWidget(dialog)
    assert dialog.report_button.isVisibleTo(dialog)
    assert unnamed_controls(dialog) == []

    qtbot.mouseClick(dialog.report_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    page = window.reports_page
    assert window.stack.currentWidget() is page
    assert page.info.key == "drill" and page.run_combo.currentData() == held.id
    assert page.is_busy
    qtbot.waitUntil(lambda: not page.is_busy, timeout=WAIT_MS)
    assert page.preview_pane.page_count > 0
    assert held.title in text_of(saved(page, tmp_path / "drill.pdf"))


def test_the_app_language_is_the_default(window: MainWindow, qtbot: QtBot) -> None:
    assert window.reports_page.language_combo.currentData() == "en"
    chinese = window.switch_language("zh_CN")
    qtbot.addWidget(chinese)
    page = chinese.reports_page
    assert page.language_combo.currentData() == "zh_CN"
    page.load_reports()  # as the page does when first shown
    assert page.report_list.item(0).text() == in_chinese("Drill report")
    assert unnamed_controls(page) == []
    qtbot.addWidget(chinese.switch_language("en"))


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found[1].lower() if found else None


def page_keys(window: MainWindow) -> tuple[dict[str, set[str]], set[str]]:
    """Which texts of the menus, the school bar and the Reports page (whatever report is
    chosen) use each Alt key, and the page's texts."""
    page = window.reports_page
    page.load_reports()
    keys: dict[str, set[str]] = {}
    menus = [a.text() for a in window.menuBar().actions()]
    toolbar = [w.text() for w in window.toolbar.findChildren(QLabel)]
    on_page: set[str] = set()
    for info in page.reports:
        page.select_report(info.key)
        labels = [w for w in page.findChildren(QLabel) if w.isVisibleTo(page)]
        buttons = [w for w in page.findChildren(QAbstractButton) if w.isVisibleTo(page)]
        on_page |= {w.text() for w in labels} | {w.text() for w in buttons}
    for text in [*menus, *toolbar, *on_page]:
        letter = mnemonic(text)
        if letter:
            keys.setdefault(letter, set()).add(text)
    return keys, on_page


def test_no_two_keys_open_the_same_thing(window: MainWindow, qtbot: QtBot) -> None:
    keys, on_page = page_keys(window)
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}
    assert len(on_page & {"&Report:", "Dr&ill:", "Peri&od:", "&Grade:", "&Language:",
                          "Paper si&ze:", "Previe&w", "&Print…", "Save &As…"}) == 9

    chinese = window.switch_language("zh_CN")
    qtbot.addWidget(chinese)
    keys, on_page = page_keys(chinese)
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}
    assert in_chinese("Previe&w") in on_page
    qtbot.addWidget(chinese.switch_language("en"))
