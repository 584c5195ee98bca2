"""The compliance panel: each month of the term as met / planned / open / missed, the
school's profile, and the message when the school has no school year."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from calendar_sample import add_school_year, once
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.compliance import Status
from drillplanner.domain.events import EventKind
from drillplanner.services import compliance, schools
from drillplanner.ui import calendar_style as style
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.compliance import STATUS_ROLE, ComplianceModel
from drillplanner.ui.views import calendar_page
from drillplanner.ui.views.compliance_panel import CompliancePanel

AS_OF = date(2026, 11, 16)


@pytest.fixture
def panel(ctx: AppContext, sample: Sample, qtbot: QtBot) -> CompliancePanel:
    add_school_year(ctx.db, sample.school.id)
    # One fire drill planned in November; nothing else on the calendar.
    once(ctx.db, sample.school.id, "消防疏散演练", datetime(2026, 11, 20, 10, 0),
         kind=EventKind.FIRE)
    once(ctx.db, sample.school.id, "Lockdown", datetime(2026, 12, 3, 10, 0),
         kind=EventKind.LOCKDOWN)  # not an evacuation drill: does not count
    widget = CompliancePanel(ctx, AS_OF)
    qtbot.addWidget(widget)
    widget.reload()
    widget.show()
    return widget


def periods(model: ComplianceModel, requirement_row: int = 0) -> dict[str, str]:
    parent = model.index(requirement_row, 0)
    return {model.index(r, 0, parent).data(): model.index(r, 0, parent).data(STATUS_ROLE)
            for r in range(model.rowCount(parent))}


def test_months_of_the_year_are_missed_planned_or_open(panel: CompliancePanel) -> None:
    model = panel.model
    assert model.rowCount() == 1
    assert panel.profile_combo.currentData() == "cn_moe_2014"
    found = periods(model)
    # The school year runs 2026-09-01..2027-07-15 and every month in it has school days
    # (February from the 22nd on): eleven months.
    months = [f"{year}-{month:02d}" for year, month in
              [(2026, 9), (2026, 10), (2026, 11), (2026, 12)]
              + [(2027, m) for m in range(1, 8)]]
    assert list(found) == months
    expected = {month: Status.OPEN.value for month in months}
    expected.update({"2026-09": Status.MISSED.value, "2026-10": Status.MISSED.value,
                     "2026-11": Status.PLANNED.value})
    assert found == expected

    parent = model.index(0, 0)
    december = model.index(3, 2, parent)
    # 16 to 31 December, both counted: 46 days.
    assert december.data() == "46 days left, still needed 1"
    assert model.index(2, 2, parent).data() == "1 planned, next 11-20"
    assert model.index(0, 2, parent).data() == "held 0 of 1"
    assert "消防疏散演练 2026-11-20 10:00" in model.index(2, 0, parent).data(
        Qt.ItemDataRole.ToolTipRole)
    for row, status in ((0, Status.MISSED), (2, Status.PLANNED), (3, Status.OPEN)):
        brush = model.index(row, 1, parent).data(Qt.ItemDataRole.BackgroundRole)
        assert isinstance(brush, QBrush)
        assert brush.color().name() == style.STATUS_COLOURS[status]
    assert model.index(0, 0).data() == "Evacuation drill every month of term: Missed"
    assert panel.overall_label.text().startswith("Overall: Missed")
    assert "8 drills still to schedule" in panel.overall_label.text()
    assert not panel.calendar_button.isVisibleTo(panel)


def test_held_drills_make_a_month_met(ctx: AppContext, panel: CompliancePanel,
                                      sample: Sample, qtmodeltester: object) -> None:
    held = compliance.held_from_text(["2026-09-10:fire", "2026-10-15:earthquake"])
    report = compliance.evaluate_school(ctx.db, sample.school.id, AS_OF, held=held)
    model = ComplianceModel()
    model.set_report(report)
    found = periods(model)
    assert found["2026-09"] == found["2026-10"] == Status.MET.value
    assert model.index(0, 2, model.index(0, 0)).data() == "held: 9-10"
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_report(None)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 0


def test_choosing_a_profile_saves_it_for_the_school(panel: CompliancePanel, ctx: AppContext,
                                                    sample: Sample) -> None:
    heard: list[tuple[Changes, object]] = []
    ctx.changed.connect(lambda changes, source: heard.append((changes, source)))
    index = panel.profile_combo.findData("nfpa_101_educational")
    panel.profile_combo.setCurrentIndex(index)
    # The School page (which shows the profile) hears of it from the service's answer.
    assert heard == [(Changes.of(Kind.SCHOOL, sample.school.id), panel)]
    assert schools.get_school(ctx.db, sample.school.id).compliance_profile == \
        "nfpa_101_educational"
    profile = compliance.get_profile(ctx.db, "nfpa_101_educational")
    assert panel.model.rowCount() == len(profile.requirements)
    labels = [panel.model.index(r, 0).data().split(":")[0]
              for r in range(panel.model.rowCount())]
    assert labels == [requirement.label() for requirement in profile.requirements]


def test_as_of_changes_the_evaluation(panel: CompliancePanel) -> None:
    panel.set_as_of(date(2026, 9, 20))
    found = periods(panel.model)
    assert found["2026-09"] == Status.OPEN.value
    assert found["2026-10"] == Status.OPEN.value


def test_without_a_school_year_the_panel_offers_the_calendar(
        ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    other = schools.add_school(ctx.db, "高马小学").value
    ctx.set_school(other.id)
    opened: list[int] = []
    from drillplanner.ui.dialogs import calendar_entries

    monkeypatch.setattr(calendar_entries.CalendarEntriesDialog, "ask", classmethod(
        lambda cls, ctx, school_id, parent=None: opened.append(school_id)))
    page = calendar_page.CalendarPage(ctx, today=AS_OF)
    qtbot.addWidget(page)
    page.show()
    panel = page.compliance_panel
    assert panel.calendar_button.isVisibleTo(page)
    assert "No school year" in panel.message.text()
    assert not panel.tree.isVisibleTo(page)
    assert unnamed_controls(panel) == []
    panel.calendar_button.click()
    assert opened == [other.id]


def test_compliance_model_indexes(panel: CompliancePanel) -> None:
    model = panel.model
    parent = model.index(0, 0)
    child = model.index(1, 2, parent)
    assert model.parent(child) == parent
    assert model.parent(parent) == QModelIndex()
    assert model.period(child) is not None and model.period(parent) is None
    assert model.requirement(child) == model.requirement(parent)
