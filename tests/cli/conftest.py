"""Running the real ``drillplanner`` command against database files in tmp_path."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drillplanner import applog
from drillplanner.services.demo import load_demo
from drillplanner.storage.database import open_database

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the demo schools, made once; tests work on copies of it."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    database = open_database(path)
    try:
        load_demo(database)
    finally:
        database.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo database for one test."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


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
