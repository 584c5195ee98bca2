"""Switching the language: our gettext catalogue plus Qt's own strings for its dialogs."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from drillplanner import i18n

log = logging.getLogger("drillplanner.ui")

_qt_translator: QTranslator | None = None


def apply_language(code: str | None) -> str:
    """Make ``code`` (None: the system's) the language of every string built from now on.

    Qt's qtbase translation is installed only so Qt's built-in dialogs and buttons (file
    dialogs, "Cancel") match; our own strings all come from the gettext catalogue.
    """
    try:
        language = i18n.set_language(code)
    except OSError:
        log.warning("no catalogue for language %s; using English", code)
        language = i18n.set_language("en")
    _install_qt_translator(language)
    QLocale.setDefault(QLocale(language))
    return language


def _install_qt_translator(language: str) -> None:
    global _qt_translator
    app = QApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language == i18n.DEFAULT_LANGUAGE:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _qt_translator = translator
    else:
        log.info("Qt has no qtbase_%s translation in %s", language, folder)
