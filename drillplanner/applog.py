"""Logging set-up shared by the GUI and the CLI: a rotating file under the platformdirs log dir."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from drillplanner.config import log_dir

LOG_FILE_NAME = "drillplanner.log"
_configured: Path | None = None


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send drillplanner's loggers to a rotating file; returns its path (None if unwritable)."""
    global _configured
    if _configured is not None:
        return _configured
    root = logging.getLogger("drillplanner")
    root.setLevel(level)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_FILE_NAME
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _configured = path
    return path


def log_path() -> Path:
    return log_dir() / LOG_FILE_NAME
