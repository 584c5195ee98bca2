"""Window state kept between runs (geometry, splitters, table headers): every key is here.

User preferences (language, last school) live in drillplanner.config; this is only how the
windows looked. Stored as an INI file beside the preferences so one folder holds both.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from drillplanner import config

MAIN_GEOMETRY = "main_window/geometry"
MAIN_STATE = "main_window/state"
MAIN_SPLITTER = "main_window/splitter"
MAIN_PAGE = "main_window/page"
SCHOOL_TAB = "school_page/tab"
CALENDAR_VIEW = "calendar_page/view"
CALENDAR_SPLITTER = "calendar_page/splitter"
HISTORY_SPLITTER = "history_page/splitter"
DRILL_DETAIL_GEOMETRY = "drill_detail/geometry"
IMPORT_GEOMETRY = "import_dialog/geometry"
LAST_ROSTER_FOLDER = "files/roster_folder"
#: The login name last signed in with (never a password).
LAST_LOGIN = "sign_in/login"
_HEADER_PREFIX = "headers/"


def header_key(table: str) -> str:
    """The key of one table's header state (column widths and order)."""
    return _HEADER_PREFIX + table


def settings() -> QSettings:
    return QSettings(str(config.config_dir() / "window-state.ini"), QSettings.Format.IniFormat)


def save_bytes(key: str, value: QByteArray) -> None:
    settings().setValue(key, value)


def load_bytes(key: str) -> QByteArray | None:
    value = settings().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_int(key: str, value: int) -> None:
    settings().setValue(key, value)


def load_int(key: str, default: int = 0) -> int:
    value = settings().value(key, default)
    try:
        return int(str(value))
    except ValueError:
        return default


def save_text(key: str, value: str) -> None:
    settings().setValue(key, value)


def load_text(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return value if isinstance(value, str) else default
