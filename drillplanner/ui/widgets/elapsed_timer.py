"""The large mm:ss timer since the alarm, amber past the school's target, red past twice it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from drillplanner.i18n import _
from drillplanner.ui.drill_style import (
    TIMER_COLOURS,
    TimerLevel,
    mmss,
    set_text_colour,
    timer_level,
)

#: Returns "now" as an aware datetime (tests pass a fixed clock).
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now().astimezone()


class ElapsedTimer(QLabel):
    """Ticks once a second while running; stops at a given moment (the all clear)."""

    def __init__(self, parent: QWidget | None = None, clock: Clock = system_clock) -> None:
        super().__init__("0:00", parent)
        self.setObjectName("elapsedTimer")
        self.setAccessibleName(_("Time since the alarm"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._clock = clock
        self._alarm: datetime | None = None
        self._stopped_at: datetime | None = None
        self._target: timedelta | None = None
        self._scale = 1.0
        self._running = False
        self._base_points = max(self.font().pointSizeF(), 6.0)
        self.level = TimerLevel.NORMAL
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self._apply_font()

    def set_scale(self, scale: float) -> None:
        """Make the digits larger (projector mode) or back to normal."""
        self._scale = scale
        self._apply_font()

    def _apply_font(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(self._base_points * 4.0 * self._scale)
        font.setBold(True)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)

    def start(self, alarm_at: datetime | None, target: timedelta | None,
              stopped_at: datetime | None = None) -> None:
        """Count from ``alarm_at``; with ``stopped_at`` show the fixed time up to it."""
        self._alarm, self._target, self._stopped_at = alarm_at, target, stopped_at
        self._running = alarm_at is not None and stopped_at is None
        self._follow_visibility()
        self.tick()

    def stop(self) -> None:
        self._running = False
        self._ticker.stop()

    def is_ticking(self) -> bool:
        """Whether the time runs on (it only repaints while the timer is on screen)."""
        return self._running

    def _follow_visibility(self) -> None:
        if self._running and self.isVisible():
            if not self._ticker.isActive():
                self._ticker.start()
        else:
            self._ticker.stop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._follow_visibility()
        self.tick()

    def hideEvent(self, event: QHideEvent) -> None:
        self._ticker.stop()
        super().hideEvent(event)

    def now(self) -> datetime:
        return self._clock()

    def elapsed(self) -> timedelta:
        if self._alarm is None:
            return timedelta(0)
        end = self._stopped_at or self._clock()
        return max(end - self._alarm, timedelta(0))

    def tick(self) -> None:
        elapsed = self.elapsed()
        self.level = timer_level(elapsed, self._target)
        self.setText(mmss(elapsed))
        set_text_colour(self, TIMER_COLOURS[self.level])
        self.setAccessibleDescription(_("{time} since the alarm").format(time=mmss(elapsed)))
