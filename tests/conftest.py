"""Shared fixtures: a real SQLite file per test, English by default, Qt offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Without a display pytest-qt aborts the interpreter; tests never need a real screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from argon2 import PasswordHasher, profiles

from drillplanner import i18n
from drillplanner.services import authorization, users
from drillplanner.storage.database import Database, open_database


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep user config, data and logs out of the real home; start every test in English."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("DRILLPLANNER_DB", raising=False)
    monkeypatch.delenv("DRILLPLANNER_USER", raising=False)
    monkeypatch.delenv("DRILLPLANNER_PASSWORD", raising=False)
    # Argon2 with the library's lowest-cost profile: the same code, a fraction of the time.
    monkeypatch.setattr(users, "HASHER", PasswordHasher.from_parameters(profiles.CHEAPEST))
    i18n.set_language("en")
    yield
    authorization.sign_in(None)  # a sign-in lasts for the process: never into the next test
    i18n.set_language("en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "school.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()
