"""How drill-day screens look and read: tile states and colours, timer levels, mm:ss.

Tile colours follow the issue's four states. A class that reported with everybody present
(or whose missing students were all found) stays amber until its grade leader has checked
the report, and only then turns green; any student still missing makes it red whatever
else is true. Each colour also carries a word on the tile, so the states differ in grey
print and for colour-blind readers too.
"""

from __future__ import annotations

import enum
from datetime import timedelta

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from drillplanner.domain.headcount import ClassStatus, ReportState
from drillplanner.i18n import N_, _


class TileState(enum.Enum):
    NOT_REPORTED = "not_reported"  # grey
    MISSING = "missing"  # red: somebody is still missing
    AWAITING_CHECK = "awaiting_check"  # amber: reported, grade leader has not checked yet
    ALL_PRESENT = "all_present"  # green: checked by the grade leader, nobody missing


TILE_STATE_LABELS: dict[TileState, str] = {
    TileState.NOT_REPORTED: N_("Not reported"),
    TileState.MISSING: N_("Missing"),
    TileState.AWAITING_CHECK: N_("Awaiting check"),
    TileState.ALL_PRESENT: N_("All present"),
}

#: (fill, text, edge) per state; text colours keep at least 4.5:1 contrast on the fill.
TILE_COLOURS: dict[TileState, tuple[str, str, str]] = {
    TileState.NOT_REPORTED: ("#e0e0e0", "#212121", "#9e9e9e"),
    TileState.MISSING: ("#c62828", "#ffffff", "#8e0000"),
    TileState.AWAITING_CHECK: ("#ffb300", "#000000", "#c68400"),
    TileState.ALL_PRESENT: ("#2e7d32", "#ffffff", "#005005"),
}

ALERT_BACKGROUND = "#c62828"
ALERT_TEXT = "#ffffff"
TIMER_NORMAL = "#212121"
TIMER_AMBER = "#b26a00"
TIMER_RED = "#c62828"
SAVED_COLOUR = "#2e7d32"
ERROR_COLOUR = "#b00020"

def set_text_colour(widget: QWidget, colour: str | None) -> None:
    """Colour a label's text through its palette (None: the normal colour).

    A style sheet would do it too, but a widget with one stops following its parent's
    font size, which projector mode changes.
    """
    palette = QPalette(widget.palette())
    role = QPalette.ColorRole.WindowText
    palette.setColor(role, QColor(colour) if colour else QApplication.palette().color(role))
    widget.setPalette(palette)


def bold_font() -> QFont:
    """Bold only: a widget given this font still takes its size from its parent."""
    font = QFont()
    font.setBold(True)
    return font


#: How much larger type is in projector mode.
PROJECTOR_SCALE = 1.8


def tile_state(status: ClassStatus) -> TileState:
    """The colour state of one class's tile."""
    if status.state is ReportState.NOT_REPORTED:
        return TileState.NOT_REPORTED
    if status.still_missing > 0:
        return TileState.MISSING
    if status.state is ReportState.VERIFIED:
        return TileState.ALL_PRESENT
    return TileState.AWAITING_CHECK


def tile_state_label(state: TileState) -> str:
    return _(TILE_STATE_LABELS[state])


def tile_colours(state: TileState) -> tuple[QColor, QColor, QColor]:
    fill, text, edge = TILE_COLOURS[state]
    return QColor(fill), QColor(text), QColor(edge)


class TimerLevel(enum.Enum):
    NORMAL = "normal"
    AMBER = "amber"  # past the school's target
    RED = "red"  # past twice the target


def timer_level(elapsed: timedelta, target: timedelta | None) -> TimerLevel:
    """Amber once the elapsed time is past the target, red past twice the target."""
    if target is None or target <= timedelta(0):
        return TimerLevel.NORMAL
    if elapsed > 2 * target:
        return TimerLevel.RED
    if elapsed > target:
        return TimerLevel.AMBER
    return TimerLevel.NORMAL


TIMER_COLOURS: dict[TimerLevel, str] = {
    TimerLevel.NORMAL: TIMER_NORMAL,
    TimerLevel.AMBER: TIMER_AMBER,
    TimerLevel.RED: TIMER_RED,
}


def mmss(value: timedelta | float | None) -> str:
    """Minutes and seconds ("3:07", "75:00"); "—" for no value. Negative counts as 0."""
    if value is None:
        return "—"
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    whole = max(int(seconds), 0)
    return f"{whole // 60}:{whole % 60:02d}"


def target_text(elapsed: timedelta | None, target: timedelta | None) -> str:
    """"3:12 (target 3:00, not met)" for a time to full accountability."""
    if elapsed is None:
        return _("not yet")
    if target is None:
        return mmss(elapsed)
    if elapsed <= target:
        return _("{time} (target {target}, met)").format(time=mmss(elapsed),
                                                         target=mmss(target))
    return _("{time} (target {target}, not met)").format(time=mmss(elapsed),
                                                         target=mmss(target))
