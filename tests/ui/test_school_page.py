"""Editing a school's structure through the School page: edits, undo/redo, refusals, add, delete."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox, QWidget

from drillplanner.domain.roles import StaffRole
from drillplanner.services import classes, facilities, schools, staff
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.views.school_page import SchoolPage, TablePane
from drillplanner.ui.widgets.delegates import RolesEditor


@pytest.fixture
def page(ctx: AppContext, qtbot: QtBot) -> SchoolPage:
    widget = SchoolPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def enrolled(ctx: AppContext, class_id: int) -> int:
    return classes.get_class(ctx.db, class_id).enrolled


def cell(pane: TablePane, record_id: int, field: str):  # type: ignore[no-untyped-def]
    return pane.model.index(pane.model.row_of(record_id), pane.model.column_of(field))


def open_editor(qtbot: QtBot, pane: TablePane, index, kind: type[QWidget]) -> QWidget:  # type: ignore[no-untyped-def]
    pane.view.setCurrentIndex(index)
    pane.view.edit(index)
    editors = [w for w in pane.view.viewport().findChildren(kind) if w.isVisible()]
    assert len(editors) == 1
    return editors[0]


def press_enter(qtbot: QtBot, editor: QWidget) -> None:
    """Enter in a cell editor; the delegate commits in a queued call, so let it run."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def test_edit_enrolled_then_undo_and_redo(page: SchoolPage, ctx: AppContext,
                                          sample: Sample) -> None:
    pane = page.show_tab("classes")
    index = cell(pane, sample.class_1.id, "enrolled")
    assert index.data() == "45"

    assert pane.model.setData(index, 47)
    assert enrolled(ctx, sample.class_1.id) == 47
    assert index.data() == "47"
    assert ctx.undo_stack.count() == 1
    assert "Enrolled" in ctx.undo_stack.undoText()

    ctx.undo_stack.undo()
    assert enrolled(ctx, sample.class_1.id) == 45
    assert cell(pane, sample.class_1.id, "enrolled").data() == "45"

    ctx.undo_stack.redo()
    assert enrolled(ctx, sample.class_1.id) == 47
    assert cell(pane, sample.class_1.id, "enrolled").data() == "47"


def test_edit_through_the_spin_box_delegate(page: SchoolPage, ctx: AppContext,
                                            sample: Sample, qtbot: QtBot) -> None:
    pane = page.show_tab("classes")
    spin = open_editor(qtbot, pane, cell(pane, sample.class_2.id, "enrolled"), QSpinBox)
    assert isinstance(spin, QSpinBox)
    assert (spin.minimum(), spin.maximum(), spin.value()) == (0, 500, 44)
    assert spin.accessibleName() == "Enrolled"
    spin.setValue(39)
    press_enter(qtbot, spin)
    assert enrolled(ctx, sample.class_2.id) == 39
    ctx.undo_stack.undo()
    assert enrolled(ctx, sample.class_2.id) == 44


def test_negative_enrolled_is_refused_and_shown(page: SchoolPage, ctx: AppContext,
                                               sample: Sample) -> None:
    pane = page.show_tab("classes")
    index = cell(pane, sample.class_1.id, "enrolled")
    assert not pane.model.setData(index, -3)
    assert enrolled(ctx, sample.class_1.id) == 45
    assert ctx.undo_stack.count() == 0
    assert pane.message_bar.isVisible()
    assert "Enrolled must be at least 0, not -3" in pane.message_bar.text()
    assert index.data() == "45"


def test_duplicate_and_empty_names_are_refused(page: SchoolPage, ctx: AppContext,
                                              sample: Sample) -> None:
    pane = page.show_tab("classes")
    assert not pane.model.setData(cell(pane, sample.class_2.id, "name"), "1班")
    assert "already exists" in pane.message_bar.text()
    assert not pane.model.setData(cell(pane, sample.class_2.id, "name"), "  ")
    assert "must not be empty" in pane.message_bar.text()
    assert classes.get_class(ctx.db, sample.class_2.id).name == "2班"


def test_reference_columns_edit_with_combo_boxes(page: SchoolPage, ctx: AppContext,
                                                sample: Sample, qtbot: QtBot) -> None:
    pane = page.show_tab("classes")
    combo = open_editor(qtbot, pane, cell(pane, sample.class_2.id, "building_id"), QComboBox)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["—", "教学楼"]
    combo.setCurrentIndex(1)
    press_enter(qtbot, combo)
    assert classes.get_class(ctx.db, sample.class_2.id).building_id == sample.building_id

    # The floors offered are those of the class's building.
    combo = open_editor(qtbot, pane, cell(pane, sample.class_2.id, "floor_level"), QComboBox)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["—", "1", "2", "3"]
    combo.setCurrentIndex(3)
    press_enter(qtbot, combo)
    assert classes.get_class(ctx.db, sample.class_2.id).floor_level == 3
    assert cell(pane, sample.class_2.id, "building_id").data() == "教学楼"

    ctx.undo_stack.undo()
    assert classes.get_class(ctx.db, sample.class_2.id).floor_level is None


def test_staff_roles_edit_with_a_checkable_list(page: SchoolPage, ctx: AppContext,
                                               sample: Sample, qtbot: QtBot) -> None:
    pane = page.show_tab("staff")
    teacher = next(s for s in staff.list_staff(ctx.db, sample.school.id) if s.name == "田凤英")
    editor = open_editor(qtbot, pane, cell(pane, teacher.id, "roles"), RolesEditor)
    assert isinstance(editor, RolesEditor)
    assert editor.roles() == ["homeroom_teacher"]
    editor.set_roles(["homeroom_teacher", "grade_leader"])
    press_enter(qtbot, editor)
    updated = next(s for s in staff.list_staff(ctx.db, sample.school.id) if s.id == teacher.id)
    assert updated.roles == {StaffRole.HOMEROOM_TEACHER, StaffRole.GRADE_LEADER}
    assert cell(pane, teacher.id, "roles").data() == "Homeroom teacher, Grade leader"
    ctx.undo_stack.undo()
    again = next(s for s in staff.list_staff(ctx.db, sample.school.id) if s.id == teacher.id)
    assert again.roles == {StaffRole.HOMEROOM_TEACHER}


def test_other_tables_follow_a_change(page: SchoolPage, ctx: AppContext, sample: Sample) -> None:
    grades = page.show_tab("grades")
    assert grades.model.setData(cell(grades, sample.grade_id, "name"), "一年级（新）")
    class_pane = page.panes["classes"]
    assert cell(class_pane, sample.class_1.id, "grade_id").data() == "一年级（新）"
    ctx.undo_stack.undo()
    assert cell(class_pane, sample.class_1.id, "grade_id").data() == "一年级"


def test_add_with_defaults_then_name_it(page: SchoolPage, ctx: AppContext, sample: Sample,
                                       qtbot: QtBot) -> None:
    pane = page.show_tab("buildings")
    pane.view.setFocus()
    pane.add()
    found = facilities.list_buildings(ctx.db, sample.school.id)
    assert sorted(b.name for b in found) == ["New building", "教学楼"]
    new = next(b for b in found if b.name == "New building")
    assert pane.view.currentIndex() == cell(pane, new.id, "name")
    assert pane.view.state() == pane.view.State.EditingState
    pane.add()
    assert "New building 2" in [b.name for b in facilities.list_buildings(ctx.db,
                                                                          sample.school.id)]


def test_add_class_goes_into_the_selected_grade(page: SchoolPage, ctx: AppContext,
                                               sample: Sample) -> None:
    pane = page.show_tab("classes")
    pane.view.setCurrentIndex(cell(pane, sample.class_2.id, "name"))
    pane.add()
    added = [c for c in classes.list_classes(ctx.db, sample.school.id) if c.name == "New class"]
    assert [c.grade_id for c in added] == [sample.grade_id]


def test_insert_key_adds_a_row(page: SchoolPage, ctx: AppContext, sample: Sample,
                               qtbot: QtBot) -> None:
    pane = page.show_tab("routes")
    page.activateWindow()
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_Insert)
    assert "New route" in [r.name for r in facilities.list_routes(ctx.db, sample.school.id)]


def test_delete_grade_says_how_many_classes_go(page: SchoolPage, ctx: AppContext,
                                              sample: Sample,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, title, question, action: asked.append(question)
                        or answer[0])
    pane = page.show_tab("grades")
    pane.view.setCurrentIndex(cell(pane, sample.grade_id, "name"))

    pane.delete_selected()
    assert "Delete the grade “一年级” and its 2 classes?" in asked[0]
    assert len(classes.list_grades(ctx.db, sample.school.id)) == 2

    answer[0] = True
    pane.delete_selected()
    assert [g.name for g in classes.list_grades(ctx.db, sample.school.id)] == ["二年级"]
    assert [c.full_name for c in classes.list_classes(ctx.db, sample.school.id)] == ["二年级1班"]
    assert page.panes["classes"].model.rowCount() == 1


def test_delete_key_on_a_school_names_everything(page: SchoolPage, ctx: AppContext,
                                                sample: Sample, qtbot: QtBot,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, title, question, action: asked.append(question) or True)
    pane = page.show_tab("schools")
    pane.view.setCurrentIndex(cell(pane, sample.school.id, "name"))
    page.activateWindow()
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    assert asked == ["Delete the school “实验小学” and everything it holds: 1 building, "
                     "1 assembly area, 2 grades, 3 classes, 2 staff members?\n\n"
                     "This cannot be undone."]
    assert schools.list_schools(ctx.db) == []


def test_undo_of_an_edit_to_a_deleted_record_is_reported(page: SchoolPage, ctx: AppContext,
                                                        sample: Sample) -> None:
    reported: list[str] = []
    ctx.error.connect(reported.append)
    pane = page.show_tab("classes")
    assert pane.model.setData(cell(pane, sample.class_2.id, "room"), "202")
    classes.delete_class(ctx.db, sample.class_2.id)
    ctx.undo_stack.undo()
    assert reported == [f"Class #{sample.class_2.id} does not exist."]


def test_adding_without_a_school_asks_for_one(page: SchoolPage, ctx: AppContext) -> None:
    ctx.set_school(None)
    pane = page.show_tab("classes")
    assert pane.hint.text() == "Choose or add a school first."
    pane.add()
    assert "Add a school first" in pane.message_bar.text()


def test_delete_key_in_a_cell_editor_edits_text(page: SchoolPage, ctx: AppContext,
                                               sample: Sample, qtbot: QtBot,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "confirm",
                        lambda *args: pytest.fail("Delete in an editor must not delete rows"))
    pane = page.show_tab("classes")
    page.activateWindow()
    editor = open_editor(qtbot, pane, cell(pane, sample.class_1.id, "room"), QLineEdit)
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.setCursorPosition(0)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    press_enter(qtbot, editor)
    assert classes.get_class(ctx.db, sample.class_1.id).room == "01"


def test_tab_leaves_the_table_for_the_buttons(page: SchoolPage, qtbot: QtBot) -> None:
    pane = page.show_tab("classes")
    page.activateWindow()
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is pane.add_button


def test_school_time_zone_and_central_school_are_chosen_from_lists(
        page: SchoolPage, ctx: AppContext, sample: Sample, qtbot: QtBot) -> None:
    central = schools.add_school(ctx.db, "中心学校").value
    pane = page.show_tab("schools")
    combo = open_editor(qtbot, pane, cell(pane, sample.school.id, "timezone"), QComboBox)
    assert isinstance(combo, QComboBox)
    assert combo.isEditable() and combo.count() > 300
    assert combo.currentText() == "Asia/Shanghai"
    combo.setCurrentText("Asia/Urumqi")
    press_enter(qtbot, combo)
    assert schools.get_school(ctx.db, sample.school.id).timezone == "Asia/Urumqi"

    combo = open_editor(qtbot, pane, cell(pane, sample.school.id, "parent_id"), QComboBox)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["—", "中心学校"]
    combo.setCurrentIndex(1)
    press_enter(qtbot, combo)
    assert schools.get_school(ctx.db, sample.school.id).parent_id == central.id
    assert cell(pane, sample.school.id, "parent_id").data() == "中心学校"
