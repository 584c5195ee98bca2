"""Database passwords never reach the log or the screen, and the log is private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from drillplanner import applog
from drillplanner.domain.credentials import mask_command_line, mask_credentials
from tests.cli.conftest import RunCli

PASSWORD = "Xq7p@ss-s3cret"
URL = f"postgresql+psycopg://planner:{PASSWORD}@127.0.0.1:1/drills"

# A command whose database opening fails with a bug (exit 3) that names the URL, so the
# command line, the message and the traceback all reach the log.
BUG = textwrap.dedent("""
    import sys
    import drillplanner.services.database as database

    def broken(target, **options):
        raise RuntimeError("cannot reach " + str(target))

    database.open_database = broken
    from drillplanner.cli.main import main
    sys.argv = ["drillplanner", *sys.argv[1:]]
    sys.exit(main())
""")


def _log_folder() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "drillplanner" / "log"


def _secret_parts() -> list[str]:
    # Every part of the password, so a half-masked "u:***@s3cret@host" is caught too.
    return [PASSWORD, *PASSWORD.split("@")]


def _assert_clean(text: str) -> None:
    for part in _secret_parts():
        assert part not in text, text


def test_an_unreachable_server_shows_no_password(cli: RunCli) -> None:
    result = cli("--db", URL, "school", "list")
    assert result.returncode in (1, 3), result.stderr
    assert "planner:***@127.0.0.1" in result.stderr
    _assert_clean(result.stderr + result.stdout)
    log = _log_folder() / applog.LOG_FILE_NAME
    if log.exists():
        _assert_clean(log.read_text(encoding="utf-8"))


def test_an_internal_error_logs_the_command_line_without_the_password() -> None:
    environment = os.environ.copy()
    environment.update({"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    result = subprocess.run(
        [sys.executable, "-c", BUG, "--db", URL, "school", "list"],
        capture_output=True, text=True, encoding="utf-8", env=environment, timeout=120,
        check=False)
    assert result.returncode == 3, result.stderr
    _assert_clean(result.stderr)
    folder = _log_folder()
    log = folder / applog.LOG_FILE_NAME
    text = log.read_text(encoding="utf-8")
    assert "unexpected error in" in text and "--db" in text
    assert "planner:***@127.0.0.1:1/drills" in text
    assert "RuntimeError" in text
    _assert_clean(text)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_an_old_world_readable_log_becomes_private(tmp_path: Path) -> None:
    folder = _log_folder()
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    log = folder / applog.LOG_FILE_NAME
    log.write_text("older lines\n", encoding="utf-8")
    log.chmod(0o644)
    applog._configured = None
    path = applog.setup_logging()
    try:
        assert path == log
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
    finally:
        _drop_handlers()


def test_a_rolled_over_log_stays_private() -> None:
    applog._configured = None
    path = applog.setup_logging()
    assert path is not None
    try:
        import logging

        handler = next(h for h in logging.getLogger("drillplanner").handlers
                       if isinstance(h, applog.PrivateRotatingFileHandler))
        handler.doRollover()
        logging.getLogger("drillplanner.test").warning("opened %s", URL)
        handler.flush()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        _assert_clean(path.read_text(encoding="utf-8"))
    finally:
        _drop_handlers()


def _drop_handlers() -> None:
    import logging

    logger = logging.getLogger("drillplanner")
    for handler in logger.handlers[:]:
        if isinstance(handler, applog.PrivateRotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
    applog._configured = None


@pytest.mark.parametrize(("text", "expected"), [
    ("postgresql+psycopg://u:p@ss@host/db", "postgresql+psycopg://u:***@host/db"),
    ("postgresql://u:secret@host:5432/db", "postgresql://u:***@host:5432/db"),
    ("in --db=postgresql://u:a@b@c@h/d now", "in --db=postgresql://u:***@h/d now"),
    ("postgresql://h/db?user=u&password=x", "postgresql://h/db?user=u&password=***"),
    ("postgresql://u@h/db", "postgresql://u@h/db"),
    ("sqlite:////home/u/d.sqlite3", "sqlite:////home/u/d.sqlite3"),
])
def test_credentials_are_masked_in_text(text: str, expected: str) -> None:
    assert mask_credentials(text) == expected


def test_a_password_with_blanks_and_quotes_is_masked_in_a_command_line() -> None:
    line = mask_command_line(["drillplanner", "--db", "postgresql://u:a b'c@d@h/x", "list"])
    assert line == "drillplanner --db 'postgresql://u:***@h/x' list"
