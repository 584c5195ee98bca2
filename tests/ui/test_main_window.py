"""The main window: pages, school switcher, menus and shortcuts, About, language, state."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtGui import QKeySequence

import drillplanner
from drillplanner import config, i18n
from drillplanner.domain.roster import RosterRow
from drillplanner.io.roster_files import read_roster
from drillplanner.services import classes, schools
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import about, files, messages
from drillplanner.ui.mainwindow import MainWindow


def test_window_shows_only_working_pages_and_the_database(window: MainWindow,
                                                          ctx: AppContext) -> None:
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "School", "Calendar", "Drill", "History", "Reports"]
    assert window.windowTitle() == "drillplanner — school.sqlite3"
    assert ctx.db.display_name in window.database_label.text()
    assert window.school_combo.currentText() == "实验小学"
    tabs = window.school_page.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Schools", "Buildings", "Assembly areas", "Routes", "Grades", "Classes", "Staff"]


def test_a_read_only_database_says_so_in_the_title(ctx: AppContext, qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ctx.db, "read_only", True)
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    assert main.windowTitle() == "drillplanner — school.sqlite3 (read-only)"


def test_every_action_has_a_shortcut(window: MainWindow) -> None:
    actions = [a for menu_action in window.menuBar().actions()
               for a in menu_action.menu().actions() if not a.isSeparator() and not a.menu()]
    missing = [a.text() for a in actions if a.shortcut().isEmpty()
               and a not in window.language_actions.values()]
    assert missing == []
    keys = {a.text(): a.shortcut().toString() for a in actions}
    assert keys["&Import Roster…"] == "Ctrl+I"
    assert keys["&Export Roster…"] == "Ctrl+E"
    assert keys["School"] == "Ctrl+1"
    assert keys["Calendar"] == "Ctrl+2"
    assert keys["Drill"] == "Ctrl+3"
    assert keys["History"] == "Ctrl+4"
    assert keys["&Projector Mode"] == "F11"
    assert keys["&About drillplanner"] == "F1"
    assert QKeySequence("Ctrl+Z") in window.undo_action.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in window.redo_action.shortcuts()
    assert QKeySequence("Ins") in window.school_page.add_action.shortcuts()
    assert window.school_page.delete_action.shortcut() == QKeySequence("Del")


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    # Qt's own sub-widgets (a combo box's popup view, a toolbar's extension button) are
    # named by Qt's accessibility layer from their parent; ours must carry a name.
    assert unnamed_controls(window) == []


def test_undo_and_redo_from_the_edit_menu(window: MainWindow, ctx: AppContext,
                                          sample: Sample) -> None:
    pane = window.school_page.show_tab("classes")
    index = pane.model.index(pane.model.row_of(sample.class_1.id),
                             pane.model.column_of("enrolled"))
    assert pane.model.setData(index, 50)
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert classes.get_class(ctx.db, sample.class_1.id).enrolled == 45
    window.redo_action.trigger()
    assert classes.get_class(ctx.db, sample.class_1.id).enrolled == 50


def test_about_names_version_database_and_log(ctx: AppContext) -> None:
    text = about.about_text(ctx)
    assert drillplanner.__version__ in text
    assert ctx.db.display_name in text
    assert "/tmp/drillplanner-test.log" in text


def test_school_switcher_changes_every_table(window: MainWindow, ctx: AppContext,
                                            sample: Sample) -> None:
    other = schools.add_school(ctx.db, "高马小学").value
    window.refresh()
    assert window.school_combo.count() == 2
    window.school_combo.setCurrentIndex(window.school_combo.findData(other.id))
    assert ctx.school_id == other.id
    assert window.school_page.panes["classes"].model.rowCount() == 0
    assert config.load_preferences().last_school_id == other.id
    window.school_combo.setCurrentIndex(window.school_combo.findData(sample.school.id))
    assert window.school_page.panes["classes"].model.rowCount() == 3


def test_school_added_on_the_schools_tab_appears_in_the_switcher(window: MainWindow,
                                                                 ctx: AppContext) -> None:
    window.school_page.show_tab("schools").add()
    assert [window.school_combo.itemText(i) for i in range(window.school_combo.count())] == [
        "New school", "实验小学"]


def test_export_roster_writes_the_chosen_file(window: MainWindow, sample: Sample,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"
    monkeypatch.setattr(files, "choose_roster_to_save", lambda parent, suggested: target)
    window.export_action.trigger()
    table = read_roster(target)
    assert [(r.grade, r.class_name, r.enrolled) for r in table.rows] == [
        ("一年级", "1班", 45), ("一年级", "2班", 44), ("二年级", "1班", 40)]
    assert "Exported 3 classes" in window.statusBar().currentMessage()


def test_export_to_an_unwritable_place_is_a_message(window: MainWindow, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(files, "choose_roster_to_save",
                        lambda parent, suggested: tmp_path / "missing" / "out.csv")
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, title=None: shown.append(message))
    window.export_action.trigger()
    assert len(shown) == 1
    assert "out.csv" in shown[0]


def test_import_from_the_menu(window: MainWindow, ctx: AppContext, sample: Sample,
                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              qtbot: QtBot) -> None:
    from drillplanner.ui.dialogs.import_roster import ImportRosterDialog

    source = tmp_path / "in.csv"
    source.write_text("年级,班级,人数\n三年级,1班,41\n", encoding="utf-8")
    monkeypatch.setattr(files, "choose_roster_to_open", lambda parent: source)

    def accept_at_once(dialog: ImportRosterDialog) -> int:
        # The file is read and checked in the background, then imported in the background.
        qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=20_000)
        assert dialog.import_button.isEnabled()
        dialog.do_import()
        qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=20_000)
        return dialog.result()

    monkeypatch.setattr(ImportRosterDialog, "exec", accept_at_once)
    window.import_action.trigger()
    assert "三年级1班" in [c.full_name for c in classes.list_classes(ctx.db, sample.school.id)]
    assert window.school_page.tabs.currentWidget() is window.school_page.panes["classes"]
    assert window.school_page.panes["classes"].model.rowCount() == 4
    assert "Imported in.csv" in window.statusBar().currentMessage()


class Marked(gettext.NullTranslations):
    """Stands in for a catalogue: every translated string is visibly marked."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"«{singular if n == 1 else plural}»"


def test_language_switch_rebuilds_the_window(window: MainWindow, ctx: AppContext,
                                             sample: Sample, qtbot: QtBot,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def set_language(code: str | None = None) -> str:
        monkeypatch.setattr(i18n, "_translation",
                            Marked() if code == "zh_CN" else gettext.NullTranslations())
        monkeypatch.setattr(i18n, "_language", code or "en")
        return code or "en"

    monkeypatch.setattr(i18n, "set_language", set_language)
    window.show()
    window.resize(1000, 650)
    pane = window.school_page.show_tab("grades")
    assert pane.model.setData(pane.model.index(0, 0), "一年级（甲）")

    new = window.switch_language("zh_CN")
    qtbot.addWidget(new)
    assert new is not window and ctx.window is new
    assert not window.isVisible() and new.isVisible()
    assert new.windowTitle() == "«drillplanner — school.sqlite3»"
    assert new.school_page.tabs.tabText(5) == "«Classes»"
    assert new.school_page.tabs.currentIndex() == 4  # the Grades tab stays chosen
    assert new.size() == window.size()
    assert new.language_actions["zh_CN"].isChecked()
    assert config.load_preferences().language == "zh_CN"
    # Headers come from domain.fields.label(), through the catalogue too.
    assert new.school_page.panes["classes"].model.headerData(2, _horizontal()) == "«Enrolled»"
    # The undo history survives the rebuild.
    new.undo_action.trigger()
    assert classes.list_grades(ctx.db, sample.school.id)[0].name == "一年级"
    # The old window no longer follows changes.
    assert window.school_page.panes["grades"].model.index(0, 0).data() == "一年级（甲）"

    back = new.switch_language("en")
    qtbot.addWidget(back)
    assert back.windowTitle() == "drillplanner — school.sqlite3"
    assert config.load_preferences().language == "en"


def test_chinese_catalogue_translates_the_window(window: MainWindow, qtbot: QtBot) -> None:
    catalogue = Path(i18n.catalogue_dir()) / "zh_CN" / "LC_MESSAGES" / "drillplanner.mo"
    if not catalogue.exists():
        pytest.skip("the zh_CN catalogue has not been compiled yet")
    new = window.switch_language("zh_CN")
    qtbot.addWidget(new)
    assert new.school_page.tabs.tabText(5) != "Classes"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in new.school_page.tabs.tabText(5))
    assert new.menuBar().actions()[0].text() != "&File"


def test_window_state_is_kept(ctx: AppContext, qtbot: QtBot) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 520)  # the offscreen screen is 800x600
    first.school_page.show_tab("staff")
    first.close()
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (720, 520)
    assert second.school_page.tabs.currentWidget() is second.school_page.panes["staff"]


def test_an_export_without_a_school_says_so(ctx: AppContext, qtbot: QtBot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for school in schools.list_schools(ctx.db):
        schools.delete_school(ctx.db, school.id)
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, title=None: shown.append(message))
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    assert ctx.school_id is None and not main.school_combo.isEnabled()
    main.export_action.trigger()
    assert shown == ["Add a school first (School page, Schools tab)."]


def _horizontal():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_roster_rows_are_plain_values() -> None:
    # The export path hands io plain rows, never Qt or ORM objects.
    assert RosterRow.__module__ == "drillplanner.domain.roster"


def test_the_window_shows_first_and_builds_the_other_pages_when_idle(
        ctx: AppContext, qtbot: QtBot) -> None:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    assert main._rest is None  # only the School page so far
    titles = [a.text() for a in main.menuBar().actions()]
    assert "&Drill" not in titles
    main.show()
    qtbot.waitUntil(lambda: main._rest is not None, timeout=3000)
    titles = [a.text() for a in main.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Calendar", "&Drill", "&View", "Acco&unt", "&Help"]
    assert main.stack.widget(2) is main.drill_page
