"""Every Qt item model passes pytest-qt's model tester, with rows in it and empty."""

from __future__ import annotations

import pytest
from pytestqt.modeltest import ModelTester

from drillplanner.domain.roster import RosterRow
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.classes import ClassesModel, GradesModel, StaffModel
from drillplanner.ui.models.facilities import AreasModel, BuildingsModel, RoutesModel
from drillplanner.ui.models.roster import RosterRowsModel
from drillplanner.ui.models.schools import SchoolsModel
from drillplanner.ui.models.table import RecordTableModel

MODELS = [SchoolsModel, BuildingsModel, AreasModel, RoutesModel, GradesModel, ClassesModel,
          StaffModel]


@pytest.mark.parametrize("model_class", MODELS, ids=lambda m: m.__name__)
def test_record_models_pass_the_model_tester(qtmodeltester: ModelTester, ctx: AppContext,
                                             model_class: type[RecordTableModel]) -> None:
    model = model_class(ctx)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


@pytest.mark.parametrize("model_class", MODELS[1:], ids=lambda m: m.__name__)
def test_per_school_models_are_empty_without_a_school(
        qtmodeltester: ModelTester, ctx: AppContext,
        model_class: type[RecordTableModel]) -> None:
    ctx.set_school(None)
    model = model_class(ctx)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_classes_model_shows_names_of_references(ctx: AppContext) -> None:
    model = ClassesModel(ctx)
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == ["一年级", "1班", "45", "田凤英", "101", "教学楼", "1", "操场东侧", "—"]
    headers = [model.headerData(c, model_orientation()) for c in range(model.columnCount())]
    assert headers[:3] == ["Grade", "Name", "Enrolled"]


def test_roster_rows_model(qtmodeltester: ModelTester) -> None:
    model = RosterRowsModel()
    qtmodeltester.check(model)
    model.set_rows([RosterRow("一年级", "1班", 45, "田凤英", "101", 1, "教学楼", "操场", line=2),
                    RosterRow("一年级", "2班", 44, line=3)])
    qtmodeltester.check(model)
    assert model.headerData(1, model_orientation(vertical=True)) == "Line 3"
    assert model.index(0, 2).data() == "45"
    assert model.index(1, 6).data() == ""


def model_orientation(vertical: bool = False):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal
