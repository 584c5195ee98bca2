"""Starting the GUI: fonts, language, database errors, the demo offer, unexpected errors."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QMessageBox

from drillplanner import config
from drillplanner.services import schools
from drillplanner.storage.database import open_database
from drillplanner.ui import app as app_module
from drillplanner.ui import fonts
from drillplanner.ui.dialogs.startup import DatabaseErrorDialog, DemoOfferDialog
from drillplanner.ui.mainwindow import MainWindow


def test_a_font_with_chinese_glyphs_is_the_fallback(qapp: QApplication) -> None:
    family = fonts.find_cjk_family()
    assert family is not None
    assert family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    original = qapp.font()
    try:
        assert fonts.install_cjk_fallback(qapp) == family
        families = qapp.font().families()
        assert families[-1] == family and families[0] == original.family()
        assert QFontMetrics(QFont(family)).inFontUcs4(ord("班"))
        assert fonts.has_glyph(family, "疏散演练年级")
    finally:
        qapp.setFont(original)


def test_no_chinese_font_is_a_warning_not_a_failure(qapp: QApplication,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(fonts, "find_cjk_family", lambda: None)
    original = qapp.font()
    with caplog.at_level(logging.WARNING, logger="drillplanner.ui"):
        assert fonts.install_cjk_fallback(qapp) is None
    assert "Chinese text will show as boxes" in caplog.text
    assert qapp.font() == original


@pytest.mark.parametrize(("cli", "saved", "expected"), [
    ("en", "zh_CN", "en"), (None, "zh_CN", "zh_CN"), (None, "", None)])
def test_language_comes_from_cli_then_preferences_then_system(
        monkeypatch: pytest.MonkeyPatch, cli: str | None, saved: str,
        expected: str | None) -> None:
    config.update_preferences(language=saved)
    chosen: list[str | None] = []
    monkeypatch.setattr(app_module, "apply_language", lambda code: chosen.append(code) or "en")
    app_module.choose_language(cli)
    assert chosen == [expected]


def test_a_missing_catalogue_falls_back_to_english(qapp: QApplication,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from drillplanner import i18n
    from drillplanner.ui.language import apply_language

    monkeypatch.setattr(i18n, "catalogue_dir", lambda: "/nonexistent")
    assert apply_language("zh_CN") == "en"
    assert i18n.current_language() == "en"


def test_a_damaged_database_lets_the_user_pick_another(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 10)
    messages: list[str] = []
    other = tmp_path / "other.sqlite3"

    def ask(message: str, parent: object = None) -> Path:
        messages.append(message)
        return other

    monkeypatch.setattr(DatabaseErrorDialog, "ask", classmethod(lambda cls, m, p=None: ask(m)))
    database = app_module.open_with_recovery(str(broken))
    assert database is not None
    try:
        assert database.target.path == other.resolve()
    finally:
        database.close()
    assert len(messages) == 1
    assert "broken.sqlite3" in messages[0] and "damaged" in messages[0]
    assert broken.read_bytes() == b"this is not a database" * 10


def test_quitting_after_a_database_error(tmp_path: Path, qapp: QApplication,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 100)
    monkeypatch.setattr(DatabaseErrorDialog, "ask", classmethod(lambda cls, m, p=None: None))
    monkeypatch.setattr(QApplication, "exec", lambda self: pytest.fail("no window expected"))
    assert app_module.run_gui(db=str(broken), language="en", demo=False) == 1


@pytest.mark.parametrize(("answer", "expected"), [(True, 4), (False, 0)])
def test_first_start_offers_the_demo_schools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             answer: bool, expected: int) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(DemoOfferDialog, "ask",
                        classmethod(lambda cls, parent=None: asked.append(True) or answer))
    database = open_database(tmp_path / "new.sqlite3")
    try:
        app_module.offer_demo(database, demo=False)
        assert len(schools.list_schools(database)) == expected
        app_module.offer_demo(database, demo=False)  # asked again only while still empty
        assert len(asked) == (1 if answer else 2)
    finally:
        database.close()


def test_run_gui_with_demo_opens_the_demo_database(qapp: QApplication,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DemoOfferDialog, "ask",
                        classmethod(lambda cls, parent=None: pytest.fail("not asked with --demo")))
    seen: list[MainWindow] = []

    def exec_(self: QApplication) -> int:
        seen.extend(w for w in QApplication.topLevelWidgets()
                    if isinstance(w, MainWindow) and w.isVisible())
        for window in seen:
            window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    assert app_module.run_gui(db=None, language="en", demo=True) == 0
    assert len(seen) == 1
    assert seen[0].school_combo.count() == 4
    assert (config.data_dir() / "demo.sqlite3").exists()
    assert seen[0].school_page.panes["classes"].model.rowCount() > 0


def test_unexpected_errors_go_to_the_log_and_a_short_message(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app_module.install_excepthook(tmp_path / "drillplanner.log")
    try:
        raise ValueError("boom")
    except ValueError:
        kind, error, tb = sys.exc_info()
    with caplog.at_level(logging.ERROR, logger="drillplanner.ui"):
        sys.excepthook(kind, error, tb)  # type: ignore[arg-type]
    assert "Traceback" in caplog.text and "ValueError: boom" in caplog.text
    assert len(shown) == 1
    assert "boom" in shown[0] and str(tmp_path / "drillplanner.log") in shown[0]
    assert "Traceback" not in shown[0]


def test_start_up_path_leaves_heavy_libraries_unimported(tmp_path: Path) -> None:
    database = tmp_path / "school.sqlite3"
    open_database(database).close()  # created and migrated here, so no migration is due
    script = (
        "import sys\n"
        "from drillplanner.storage.database import open_database\n"
        "from drillplanner.ui.app import create_application, initial_school\n"
        "from drillplanner.ui.context import AppContext\n"
        "from drillplanner.ui.mainwindow import MainWindow\n"
        "app = create_application()\n"
        f"db = open_database({str(database)!r})\n"
        "ctx = AppContext(db)\n"
        "ctx.set_school(initial_school(db))\n"
        "window = MainWindow(ctx)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules}\n"
        "               & {'reportlab', 'openpyxl', 'alembic'})\n"
        "print(','.join(heavy) or 'none')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, check=True)
    assert result.stdout.strip() == "none"


def test_qt_translation_follows_the_language(qapp: QApplication,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from drillplanner import i18n
    from drillplanner.ui import language

    monkeypatch.setattr(i18n, "set_language", lambda code=None: code or "en")
    assert language.apply_language("zh_CN") == "zh_CN"
    translator = language._qt_translator
    assert translator is not None and not translator.isEmpty()
    # Qt's own buttons now speak Chinese; ours come from the gettext catalogue.
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
    language.apply_language("en")
    assert language._qt_translator is None
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
