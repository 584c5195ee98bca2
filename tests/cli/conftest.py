"""Running the real ``drillplanner`` command against a database: a file in tmp_path, or a
fresh PostgreSQL database (the ``backend`` of tests/conftest.py)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import drill_school
import pytest
import schedule_school

from drillplanner import applog
from drillplanner.services.demo import load_demo
from drillplanner.storage.database import open_database

RunCli = Callable[..., subprocess.CompletedProcess[str]]
CopyOf = Callable[[str, Callable[[str], None], str], "Path | str"]


def fill_demo(target: str) -> None:
    database = open_database(target)
    try:
        load_demo(database)
    finally:
        database.close()


@pytest.fixture(scope="session")
def demo_template(_sqlite_templates: Any) -> Path:
    """A SQLite file holding the demo schools, made once (the one ``demo_db`` copies on
    SQLite); tests that need a file of their own copy it."""
    path: Path = _sqlite_templates.get("demo", fill_demo, "demo.sqlite3")
    return path


@pytest.fixture
def demo_db(copy_of: CopyOf) -> Path | str:
    """A fresh copy of the demo database for one test (a file, or a PostgreSQL URL)."""
    return copy_of("demo", fill_demo, "demo.sqlite3")


@pytest.fixture
def drill_db(copy_of: CopyOf) -> Path | str:
    """A fresh copy of the drill-day schools (drill_school.py) for one test."""
    return copy_of("drills", drill_school.fill, "drills.sqlite3")


@pytest.fixture
def school_db(copy_of: CopyOf) -> Path | str:
    """A fresh copy of the scheduling schools (schedule_school.py) for one test."""
    return copy_of("schedule", schedule_school.fill, "schools.sqlite3")


@pytest.fixture
def cli() -> RunCli:
    """Run ``python -m drillplanner ARGS`` in a child process with the test's environment.

    The environment is English and UTF-8 unless a test passes ``env`` changes.
    """

    def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None,
            check_rc: int | None = None) -> subprocess.CompletedProcess[str]:
        environment = os.environ.copy()
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            environment.pop(name, None)
        environment.update({"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
        environment.update(env or {})
        result = subprocess.run(
            [sys.executable, "-m", "drillplanner", *(os.fspath(a) for a in args)],
            capture_output=True, text=True, encoding="utf-8", env=environment, timeout=120,
            check=False)
        if check_rc is not None:
            assert result.returncode == check_rc, (result.stdout, result.stderr)
        return result

    return run


@pytest.fixture(autouse=True)
def _fresh_log() -> Iterator[None]:
    """In-process runs set up the log file; each test gets its own under its XDG dirs."""
    applog._configured = None
    logger = logging.getLogger("drillplanner")
    before = list(logger.handlers)
    yield
    for handler in logger.handlers[:]:
        if handler not in before:
            logger.removeHandler(handler)
            handler.close()
    applog._configured = None
