"""Helpers for the drill-day GUI tests: typing at whatever has the keyboard focus."""

from __future__ import annotations

from datetime import datetime, timedelta

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.events import EventKind
from drillplanner.services import drills
from drillplanner.storage.database import Database
from drillplanner.ui.widgets.class_tile import ClassTileView


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_text(qtbot: QtBot, text: str) -> None:
    """Type ASCII ``text`` into the focused widget; "\\t" is Tab, "\\n" is Enter."""
    for char in text:
        if char == "\t":
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        elif char == "\n":
            qtbot.keyClick(focused(), Qt.Key.Key_Return)
        else:
            qtbot.keyClicks(focused(), char)


def start_fire_drill(db: Database, school_id: int, minutes_ago: int = 2) -> DrillRun:
    """An ad-hoc fire drill whose alarm sounded ``minutes_ago`` minutes ago."""
    alarm = datetime.now().astimezone() - timedelta(minutes=minutes_ago)
    return drills.start_drill(db, school_id, kind=EventKind.FIRE, at=alarm, title="消防演练").value


def tile_fill(view: ClassTileView, class_id: int) -> QColor:
    """The colour painted inside the tile of ``class_id`` (left of its centred text)."""
    rect = view.tile_rect(class_id)
    assert rect.isValid()
    image: QImage = view.viewport().grab().toImage()
    return image.pixelColor(rect.left() + 8, rect.center().y())
