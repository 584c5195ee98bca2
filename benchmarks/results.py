"""Writing benchmark figures into docs/benchmarks.md, one section per benchmark."""

from __future__ import annotations

import platform
import re
from datetime import date
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = ("# Benchmarks\n\nFigures from `benchmarks/` scripts, run on demand "
          "(never in the test suite).\n")


def record(section: str, lines: list[str]) -> None:
    """Replace (or add) ``## section`` in docs/benchmarks.md with ``lines``."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    machine = f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
    body = f"## {section}\n\nMeasured {date.today().isoformat()} on {machine}.\n\n" + "\n".join(
        lines) + "\n"
    pattern = re.compile(rf"^## {re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _m: body + "\n", text) if pattern.search(text) else (
        text.rstrip("\n") + "\n\n" + body)
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
