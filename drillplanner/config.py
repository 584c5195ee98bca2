"""User preferences (TOML under the platformdirs config dir) and where data lives."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

APP_NAME = "drillplanner"
DB_ENV_VAR = "DRILLPLANNER_DB"
CONFIG_ENV_VAR = "DRILLPLANNER_CONFIG_DIR"


@dataclass(frozen=True, slots=True)
class Preferences:
    """Settings the user chooses. ``language`` empty means: follow the system locale."""

    language: str = ""
    last_school_id: int | None = None


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV_VAR)
    return Path(override) if override else platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME)


def default_database_path() -> Path:
    return data_dir() / "drillplanner.sqlite3"


def database_target(cli_value: str | None) -> str:
    """The database to open: ``--db``, else $DRILLPLANNER_DB, else the user data dir."""
    return cli_value or os.environ.get(DB_ENV_VAR) or str(default_database_path())


def _preferences_file() -> Path:
    return config_dir() / "preferences.toml"


def load_preferences() -> Preferences:
    """Read preferences; a missing or unreadable file gives the defaults."""
    try:
        data = tomllib.loads(_preferences_file().read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return Preferences()
    language = data.get("language", "")
    school = data.get("last_school_id")
    return Preferences(
        language=language if isinstance(language, str) else "",
        last_school_id=school if isinstance(school, int) else None,
    )


def save_preferences(prefs: Preferences) -> None:
    path = _preferences_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f'language = "{prefs.language}"']
    if prefs.last_school_id is not None:
        lines.append(f"last_school_id = {prefs.last_school_id}")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def update_preferences(**changes: object) -> Preferences:
    prefs = replace(load_preferences(), **changes)  # type: ignore[arg-type]
    save_preferences(prefs)
    return prefs
