"""The school calendar dialog: school years with terms, holidays and other days, public
holidays pre-filled, entries imported from an .ics file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.school_calendar import DayKind
from drillplanner.services import calendar as calendar_service
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import calendar_entries, messages
from drillplanner.ui.dialogs.calendar_entries import CalendarEntriesDialog
from drillplanner.ui.dialogs.school_year_dialog import SchoolYearDialog, default_year

TODAY = date(2026, 8, 20)

ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//School calendar//EN
BEGIN:VEVENT
UID:exam-1@test
DTSTAMP:20260801T000000Z
DTSTART;VALUE=DATE:20270111
DTEND;VALUE=DATE:20270113
SUMMARY:期末考试
CATEGORIES:EXAM
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def dialog(ctx: AppContext, sample: Sample, qtbot: QtBot) -> CalendarEntriesDialog:
    widget = CalendarEntriesDialog(ctx, sample.school.id, today=TODAY)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def year_dialog_that(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, edit: object) -> None:
    def ask(cls: type[SchoolYearDialog], ctx: AppContext, school_id: int,
            year: object = None, parent: object = None) -> object:
        dialog = cls(ctx, school_id, year, today=TODAY)  # type: ignore[arg-type]
        qtbot.addWidget(dialog)
        assert callable(edit)
        edit(dialog)
        dialog.accept()
        return dialog.saved if dialog.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(SchoolYearDialog, "ask", classmethod(ask))


def test_add_a_school_year_with_two_terms(dialog: CalendarEntriesDialog, ctx: AppContext,
                                          sample: Sample, qtbot: QtBot,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    year_dialog_that(monkeypatch, qtbot, lambda d: None)  # the suggested year as it is
    dialog.add_year_button.click()
    years = calendar_service.list_school_years(ctx.db, sample.school.id)
    name, start, end, terms = default_year(TODAY)
    assert [(y.name, y.start, y.end) for y in years] == [(name, start, end)]
    assert (start, end) == (date(2026, 9, 1), date(2027, 7, 15))
    assert [(t.start, t.end) for t in years[0].terms] == [(s, e) for _n, s, e in terms]
    assert dialog.years_model.rowCount() == 1
    assert "Added the school year" in dialog.message_bar.text()

    # Terms that overlap are refused and shown in the dialog; nothing changes.
    def overlapping(d: SchoolYearDialog) -> None:
        d.term_rows[1][1].setDate(d.term_rows[0][2].date())

    year_dialog_that(monkeypatch, qtbot, overlapping)
    dialog.years_view.selectRow(0)
    dialog.terms_button.click()
    assert calendar_service.list_school_years(ctx.db, sample.school.id) == years

    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    dialog.delete_year_button.click()
    assert calendar_service.list_school_years(ctx.db, sample.school.id) == []


def test_school_year_dialog_shows_refusals(ctx: AppContext, sample: Sample,
                                           qtbot: QtBot) -> None:
    year_dialog = SchoolYearDialog(ctx, sample.school.id, today=TODAY)
    qtbot.addWidget(year_dialog)
    year_dialog.term_rows[1][1].setDate(year_dialog.term_rows[0][2].date())
    year_dialog.accept()
    assert year_dialog.result() != QDialog.DialogCode.Accepted
    assert "overlap" in year_dialog.error.text()
    assert calendar_service.list_school_years(ctx.db, sample.school.id) == []
    year_dialog.show()
    assert unnamed_controls(year_dialog) == []


def test_add_and_delete_a_dated_entry(dialog: CalendarEntriesDialog, ctx: AppContext,
                                      sample: Sample) -> None:
    dialog.tabs.setCurrentIndex(1)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(DayKind.MAKEUP.value))
    dialog.first_edit.setDate(QDate(2026, 9, 27))
    assert dialog.last_edit.date().toPython() == date(2026, 9, 27)  # the range follows
    dialog.name_edit.setText("国庆调休")
    dialog.add_day_button.click()
    entries = calendar_service.list_calendar_days(ctx.db, sample.school.id)
    assert [(e.kind, e.start, e.end, e.name) for e in entries] == [
        (DayKind.MAKEUP, date(2026, 9, 27), date(2026, 9, 27), "国庆调休")]
    assert dialog.days_model.rowCount() == 1

    dialog.days_view.selectRow(0)
    dialog.delete_day_button.click()
    assert calendar_service.list_calendar_days(ctx.db, sample.school.id) == []


def test_prefill_public_holidays(dialog: CalendarEntriesDialog, ctx: AppContext,
                                 sample: Sample, qtbot: QtBot) -> None:
    dialog.tabs.setCurrentIndex(1)
    dialog.holiday_year_spin.setValue(2026)
    dialog.prefill_button.click()
    # In the background: the buttons wait, the message says how many when it is done.
    assert dialog.runner.busy and not dialog.prefill_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    entries = calendar_service.list_calendar_days(ctx.db, sample.school.id)
    assert len(entries) > 0
    assert dialog.message_bar.text() == f"Added {len(entries)} entries for 2026."
    holidays = [e for e in entries if e.kind is DayKind.HOLIDAY]
    assert any(e.start <= date(2026, 10, 1) <= e.end for e in holidays)  # National Day
    assert dialog.days_model.rowCount() == len(entries)
    assert dialog.prefill_button.isEnabled()

    dialog.prefill(2026)  # already there: nothing added twice
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    assert dialog.message_bar.text() == "Added 0 entries for 2026."
    assert len(calendar_service.list_calendar_days(ctx.db, sample.school.id)) == len(entries)


def test_import_a_school_calendar_file(dialog: CalendarEntriesDialog, ctx: AppContext,
                                       sample: Sample, tmp_path: Path, qtbot: QtBot,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "school.ics"
    path.write_text(ICS, encoding="utf-8")
    monkeypatch.setattr(calendar_entries, "choose_calendar_file", lambda parent: path)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    entries = calendar_service.list_calendar_days(ctx.db, sample.school.id)
    assert [(e.kind, e.start, e.end, e.name) for e in entries] == [
        (DayKind.EXAM, date(2027, 1, 11), date(2027, 1, 12), "期末考试")]
    assert "Imported 1 entry from school.ics" in dialog.message_bar.text()

    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\n", encoding="utf-8")
    dialog.import_file(broken)
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    assert "broken.ics" in dialog.message_bar.text()
    assert len(calendar_service.list_calendar_days(ctx.db, sample.school.id)) == 1

    dialog.import_file(tmp_path / "missing.ics")  # not even read: no work started
    assert not dialog.runner.busy
    assert "Cannot read" in dialog.message_bar.text()


def test_closing_during_an_import_finishes_and_announces_it(
        dialog: CalendarEntriesDialog, ctx: AppContext, sample: Sample, tmp_path: Path,
        qtbot: QtBot) -> None:
    heard: list[Changes] = []
    ctx.changed.connect(lambda changes, source: heard.append(changes))
    path = tmp_path / "school.ics"
    path.write_text(ICS, encoding="utf-8")
    dialog.import_file(path)
    dialog.reject()
    assert not dialog.runner.busy
    assert len(calendar_service.list_calendar_days(ctx.db, sample.school.id)) == 1
    assert len(heard) == 1 and heard[0].touches_record(Kind.CALENDAR, sample.school.id)


def test_a_refused_entry_is_shown_in_the_dialog(dialog: CalendarEntriesDialog,
                                                ctx: AppContext, sample: Sample,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    heard: list[Changes] = []
    monkeypatch.setattr(messages, "show_error", lambda *args: shown.append(args[1]))
    ctx.changed.connect(lambda changes, source: heard.append(changes))
    dialog.tabs.setCurrentIndex(1)
    dialog.first_edit.setDate(QDate(2026, 9, 27))
    dialog.last_edit.setDate(QDate(2026, 9, 20))  # before the first day
    dialog.add_day_button.click()
    assert dialog.message_bar.text() != ""
    assert "Added" not in dialog.message_bar.text()
    assert shown == [] and heard == []
    assert calendar_service.list_calendar_days(ctx.db, sample.school.id) == []


def test_dialog_controls_are_named(dialog: CalendarEntriesDialog) -> None:
    assert unnamed_controls(dialog) == []
    dialog.tabs.setCurrentIndex(1)
    assert unnamed_controls(dialog) == []
