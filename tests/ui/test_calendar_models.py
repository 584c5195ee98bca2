"""The calendar's item models pass pytest-qt's model tester, filled and empty."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from calendar_sample import TODAY, add_school_year, once, weekly
from pytestqt.modeltest import ModelTester
from ui_sample import Sample

from PySide6.QtCore import Qt

from drillplanner.domain.events import EventKind
from drillplanner.services import calendar as calendar_service
from drillplanner.services import schedule
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.agenda import AgendaModel
from drillplanner.ui.models.calendar_entries import CalendarDaysModel, SchoolYearsModel
from drillplanner.ui.models.month import (
    DATE_ROLE,
    IN_MONTH_ROLE,
    OCCURRENCES_ROLE,
    MonthModel,
    grid_days,
    grid_start,
)


def test_month_grid_starts_on_monday() -> None:
    # 1 September 2026 is a Tuesday; 1 February 2027 a Monday; 1 November 2026 a Sunday.
    assert grid_start(date(2026, 9, 15)) == date(2026, 8, 31)
    assert grid_start(date(2027, 2, 1)) == date(2027, 2, 1)
    assert grid_days(date(2026, 11, 30)) == (date(2026, 10, 26), date(2026, 12, 6))


def test_month_model(qtmodeltester: ModelTester, ctx: AppContext, sample: Sample) -> None:
    school_id = sample.school.id
    add_school_year(ctx.db, school_id)
    weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    model = MonthModel()
    qtmodeltester.check(model)
    first, last = grid_days(TODAY)
    model.set_month(TODAY, calendar_service.load_calendar(ctx.db, school_id),
                    schedule.occurrences(ctx.db, school_id, first, last), TODAY)
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (6, 7)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)] == [
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert model.headerData(0, Qt.Orientation.Vertical) == "36"  # ISO week of 31 Aug 2026
    cell = model.index(1, 2)
    assert cell.data() == "9"
    assert cell.data(DATE_ROLE) == "2026-09-09"
    assert [o.title for o in cell.data(OCCURRENCES_ROLE)] == ["Drill"]
    assert model.index(0, 0).data(IN_MONTH_ROLE) is False
    assert "10:00 Fire drill: Drill" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_agenda_model(qtmodeltester: ModelTester, ctx: AppContext, sample: Sample) -> None:
    school_id = sample.school.id
    add_school_year(ctx.db, school_id)
    weekly(ctx.db, school_id, "Drill", datetime(2026, 9, 2, 10, 0), "WE")
    meet = once(ctx.db, school_id, "运动会", datetime(2026, 9, 9, 8, 0), minutes=480,
                kind=EventKind.SPORTS, place="操场")
    model = AgendaModel()
    qtmodeltester.check(model)
    found = schedule.occurrences(ctx.db, school_id, date(2026, 9, 1), date(2026, 9, 30))
    model.set_rows(found, {found[0].event_id: "every Wednesday"})
    qtmodeltester.check(model)
    assert model.rowCount() == 6
    row = next(r for r in range(model.rowCount()) if model.occurrence(r).event_id == meet.id)
    assert [model.index(row, c).data() for c in range(6)] == [
        "Sep 9, 2026", "08:00–16:00", "Sports", "运动会", "操场", ""]
    assert model.index(0, 5).data() == "every Wednesday"
    assert model.row_of(model.occurrence(3)) == 3


def test_calendar_entry_models(qtmodeltester: ModelTester, ctx: AppContext,
                               sample: Sample) -> None:
    school_id = sample.school.id
    add_school_year(ctx.db, school_id)
    years = SchoolYearsModel()
    days = CalendarDaysModel()
    qtmodeltester.check(years)
    qtmodeltester.check(days)
    years.set_rows(calendar_service.list_school_years(ctx.db, school_id))
    days.set_rows(calendar_service.list_calendar_days(ctx.db, school_id))
    qtmodeltester.check(years)
    qtmodeltester.check(days)
    assert [years.index(0, c).data() for c in range(3)] == ["2026-2027", "2026-09-01",
                                                             "2027-07-15"]
    assert "First term 2026-09-01 – 2027-01-22" in years.index(0, 3).data()
    assert [days.index(0, c).data() for c in range(5)] == [
        "Holiday", "2026-10-01 Thu", "2026-10-07 Wed", "7", "National Day"]
    assert days.record(0).end - days.record(0).start == timedelta(days=6)
