"""Logging set-up shared by the GUI and the CLI: a rotating file under the platformdirs log dir.

The log may hold command lines and database URLs, so its folder and files are private to the
user (0700 and 0600) and every line passes through ``mask_credentials`` before it is written.
"""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import os
from pathlib import Path

from drillplanner.config import log_dir
from drillplanner.domain.credentials import mask_credentials

LOG_FILE_NAME = "drillplanner.log"
FOLDER_MODE = 0o700
FILE_MODE = 0o600
_configured: Path | None = None


class MaskingFormatter(logging.Formatter):
    """A formatter that hides database passwords in the message and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_credentials(super().format(record))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files only their owner can read (also after a rollover)."""

    def _open(self) -> io.TextIOWrapper:
        def opener(path: str, flags: int) -> int:
            return os.open(path, flags, FILE_MODE)

        stream = open(self.baseFilename, self.mode, encoding=self.encoding,  # noqa: SIM115
                      errors=self.errors, opener=opener)
        assert isinstance(stream, io.TextIOWrapper)
        with contextlib.suppress(OSError):
            os.chmod(self.baseFilename, FILE_MODE)  # a file made by an older version
        return stream


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send drillplanner's loggers to a rotating file; returns its path (None if unwritable)."""
    global _configured
    if _configured is not None:
        return _configured
    root = logging.getLogger("drillplanner")
    root.setLevel(level)
    try:
        folder = log_dir()
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(folder, FOLDER_MODE)  # a folder made by an older version
        path = folder / LOG_FILE_NAME
        handler = PrivateRotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _configured = path
    return path


def log_path() -> Path:
    return log_dir() / LOG_FILE_NAME
