"""Signals emitted from Python keep the interpreter's reference counts intact."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal

import drillplanner
from drillplanner.ui.signals import emit


class _Sender(QObject):
    changed = Signal(int)


def test_many_emits_leave_the_reference_count_of_true_alone(qtbot: object) -> None:
    sender = _Sender()
    received: list[int] = []
    sender.changed.connect(received.append)
    before = sys.getrefcount(True)
    for value in range(5000):
        emit(sender.changed, value)
    assert len(received) == 5000
    # Unrepaired, 5000 lost references would show here (and later abort the interpreter).
    assert abs(sys.getrefcount(True) - before) < 100


def test_drillplanner_emits_only_through_the_repairing_helper() -> None:
    package = Path(drillplanner.__file__).parent
    direct = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py") if path.name != "signals.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.emit\(", line)
    ]
    assert direct == []
