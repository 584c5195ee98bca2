"""Importing a roster through the dialog: preview first, every problem listed, then import."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtWidgets import QDialog

from drillplanner.services import classes
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.import_roster import ImportRosterDialog

GOOD = """\
Grade,Class,Homeroom teacher,Enrolled,Room,Floor,Building,Assembly area
一年级,1班,田凤英,46,101,1,教学楼,操场东侧
一年级,3班,,30,103,2,教学楼,
"""

BAD_CONTENT = """\
年级,班级,人数,楼栋
一年级,1班,-3,教学楼
一年级,2班,四十,教学楼
"""

UNKNOWN_BUILDING = """\
Grade,Class,Enrolled,Building,Colour
一年级,1班,46,科学楼,red
"""


@pytest.fixture
def dialog(ctx: AppContext, sample: Sample, qtbot: QtBot) -> ImportRosterDialog:
    widget = ImportRosterDialog(ctx, sample.school.id, sample.school.name)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def settle(dialog: ImportRosterDialog, qtbot: QtBot) -> None:
    """Wait for the dialog's background reading, checking or importing to end."""
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=20_000)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(ctx: AppContext, sample: Sample) -> list[tuple[str, int, str]]:
    return [(c.full_name, c.enrolled, c.room)
            for c in classes.list_classes(ctx.db, sample.school.id)]


def test_good_file_shows_the_summary_then_imports(dialog: ImportRosterDialog, ctx: AppContext,
                                                  sample: Sample, tmp_path: Path,
                                                  qtbot: QtBot) -> None:
    before = snapshot(ctx, sample)
    dialog.set_path(write(tmp_path, "roster.csv", GOOD))
    settle(dialog, qtbot)

    assert dialog.rows_model.rowCount() == 2
    assert dialog.rows_model.index(1, 1).data() == "3班"
    assert dialog.problems == []
    assert dialog.import_button.isEnabled()
    lines = [dialog.details.item(i).text() for i in range(dialog.details.count())]
    assert lines[:4] == ["1 class to add: 一年级3班", "1 class to update: 一年级1班",
                         "0 classes unchanged",
                         "2 classes not in the file (kept): 一年级2班, 二年级1班"]
    assert snapshot(ctx, sample) == before  # the preview wrote nothing

    dialog.import_button.click()
    settle(dialog, qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.summary is not None and dialog.summary.added == ("一年级3班",)
    after = {name: (enrolled, room) for name, enrolled, room in snapshot(ctx, sample)}
    assert after["一年级1班"] == (46, "101")
    assert after["一年级3班"] == (30, "103")
    assert classes.get_class(ctx.db, sample.class_1.id).homeroom_teacher_name == "田凤英"


def test_remove_absent_changes_the_preview(dialog: ImportRosterDialog, ctx: AppContext,
                                           sample: Sample, tmp_path: Path, qtbot: QtBot) -> None:
    dialog.set_path(write(tmp_path, "roster.csv", GOOD))
    settle(dialog, qtbot)
    dialog.remove_absent.setChecked(True)
    settle(dialog, qtbot)
    lines = [dialog.details.item(i).text() for i in range(dialog.details.count())]
    assert any("一年级2班" in line and "removed" in line for line in lines), lines
    assert len(snapshot(ctx, sample)) == 3
    dialog.import_button.click()
    settle(dialog, qtbot)
    assert [name for name, _n, _r in snapshot(ctx, sample)] == ["一年级1班", "一年级3班"]


def test_bad_file_lists_every_error_and_imports_nothing(dialog: ImportRosterDialog, ctx: AppContext,
                                                        sample: Sample, tmp_path: Path,
                                                        qtbot: QtBot) -> None:
    before = snapshot(ctx, sample)
    dialog.set_path(write(tmp_path, "bad.csv", BAD_CONTENT))
    settle(dialog, qtbot)
    assert not dialog.import_button.isEnabled()
    shown = [dialog.details.item(i).text() for i in range(dialog.details.count())]
    assert shown == dialog.problems
    assert len(shown) == 2
    assert shown[0].startswith("bad.csv:2 [人数]: ")
    assert shown[1].startswith("bad.csv:3 [人数]: ")
    assert "2 problems" in dialog.status_label.text()
    dialog.do_import()  # even if called, nothing is written
    settle(dialog, qtbot)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert snapshot(ctx, sample) == before


def test_problems_found_by_the_dry_run_are_listed(dialog: ImportRosterDialog, ctx: AppContext,
                                                  sample: Sample, tmp_path: Path,
                                                  qtbot: QtBot) -> None:
    before = snapshot(ctx, sample)
    dialog.set_path(write(tmp_path, "buildings.csv", UNKNOWN_BUILDING))
    settle(dialog, qtbot)
    assert not dialog.import_button.isEnabled()
    assert len(dialog.problems) == 1
    assert dialog.problems[0].startswith("buildings.csv:2 [Building]: ")
    assert "科学楼" in dialog.problems[0]
    assert snapshot(ctx, sample) == before


def test_unknown_columns_are_reported(dialog: ImportRosterDialog, tmp_path: Path,
                                      qtbot: QtBot) -> None:
    text = "Grade,Class,Enrolled,Colour\n一年级,1班,45,red\n"
    dialog.set_path(write(tmp_path, "colour.csv", text))
    settle(dialog, qtbot)
    lines = [dialog.details.item(i).text() for i in range(dialog.details.count())]
    assert "Columns not understood and ignored: Colour" in lines
    assert dialog.import_button.isEnabled()


def test_a_file_that_is_not_a_roster(dialog: ImportRosterDialog, tmp_path: Path,
                                     qtbot: QtBot) -> None:
    dialog.set_path(write(tmp_path, "notes.txt", "hello"))
    settle(dialog, qtbot)
    assert not dialog.import_button.isEnabled()
    assert len(dialog.problems) == 1
    assert dialog.problems[0].startswith("notes.txt: ")
    assert ".csv or .xlsx" in dialog.problems[0]


def test_dialog_controls_are_named_and_reachable(dialog: ImportRosterDialog, tmp_path: Path,
                                                 qtbot: QtBot) -> None:
    dialog.set_path(write(tmp_path, "roster.csv", GOOD))
    settle(dialog, qtbot)
    assert unnamed_controls(dialog) == []
    chain = []
    widget = dialog.browse_button
    for _step in range(6):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & widget.focusPolicy().TabFocus or \
                not widget.isVisibleTo(dialog):
            widget = widget.nextInFocusChain()
    assert chain[:5] == [dialog.browse_button, dialog.remove_absent, dialog.rows_view,
                         dialog.details, dialog.import_button]


def big_roster(tmp_path: Path, rows: int) -> Path:
    lines = ["Grade,Class,Enrolled,Building"]
    lines += [f"三年级,{n}班,40,教学楼" for n in range(1, rows + 1)]
    return write(tmp_path, "big.csv", "\n".join(lines) + "\n")


def test_a_large_file_shows_its_progress_then_imports(dialog: ImportRosterDialog, ctx: AppContext,
                                                      sample: Sample, tmp_path: Path,
                                                      qtbot: QtBot) -> None:
    from drillplanner.domain.progress import Progress, Stage

    seen: list[Progress] = []
    dialog.progress.moved.connect(seen.append)
    dialog.set_path(big_roster(tmp_path, 4500))
    assert dialog.progress.isVisible()  # shown at once, before the first row is read
    assert not dialog.browse_button.isEnabled()
    settle(dialog, qtbot)
    assert not dialog.progress.isVisible()
    assert dialog.browse_button.isEnabled()
    assert {p.stage for p in seen} >= {Stage.READ, Stage.CHECK}
    checks = [p for p in seen if p.stage is Stage.CHECK]
    assert checks[-1].done == checks[-1].total == 4500
    assert dialog.rows_model.rowCount() == 4500

    seen.clear()
    dialog.import_button.click()
    settle(dialog, qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert any(p.stage is Stage.SAVE for p in seen)
    assert len(snapshot(ctx, sample)) == 3 + 4500


def test_closing_while_reading_stops_and_imports_nothing(qtbot: QtBot,
                                                         dialog: ImportRosterDialog,
                                                         ctx: AppContext, sample: Sample,
                                                         tmp_path: Path) -> None:
    before = snapshot(ctx, sample)
    dialog.set_path(big_roster(tmp_path, 6000))
    dialog.reject()  # waits for the work to stop at its next progress report
    settle(dialog, qtbot)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.problems == ["Stopped: nothing was imported."]
    assert snapshot(ctx, sample) == before


def test_the_sheet_read_is_named(dialog: ImportRosterDialog, tmp_path: Path,
                                 qtbot: QtBot) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    notes.sheet_state = "hidden"
    roster = book.create_sheet("2026学年名单")
    roster.append(["年级", "班级", "人数"])
    roster.append(["一年级", "3班", 30])
    book.active = 1
    path = tmp_path / "roster.xlsx"
    book.save(path)
    dialog.set_path(path)
    settle(dialog, qtbot)
    assert dialog.rows_model.rowCount() == 1
    assert "(Rows read from the sheet “2026学年名单”.)" in dialog.status_label.text()
