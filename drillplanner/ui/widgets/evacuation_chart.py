"""Evacuation times across drill runs: one bar per run (time to full accountability, mm:ss),
oldest on the left, with the school's target as a dashed line. Painted with QPainter."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from drillplanner.i18n import _, ngettext
from drillplanner.ui.drill_style import mmss

MET = QColor("#2e7d32")
NOT_MET = QColor("#c62828")
NO_TARGET = QColor("#1565c0")
AXIS = QColor("#455a64")
GRID = QColor("#e0e0e0")
TARGET = QColor("#ef6c00")

#: Candidate tick steps on the time axis, in seconds.
_STEPS = (15, 30, 60, 120, 300, 600, 900, 1800, 3600)


@dataclass(frozen=True, slots=True)
class ChartPoint:
    day: date
    seconds: float
    title: str = ""


def tick_step(top: float, wanted: int = 6) -> int:
    """A tick step (seconds) giving at most about ``wanted`` ticks up to ``top``."""
    for step in _STEPS:
        if top / step <= wanted:
            return step
    return _STEPS[-1] * math.ceil(top / (_STEPS[-1] * wanted))


class EvacuationChart(QWidget):
    """A bar chart of times to full accountability against the target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evacuationChart")
        self.setAccessibleName(_("Evacuation times chart"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(180)
        self._points: list[ChartPoint] = []
        self._target: float | None = None

    def sizeHint(self) -> QSize:
        return QSize(640, 260)

    def set_points(self, points: Sequence[ChartPoint], target: timedelta | None) -> None:
        self._points = sorted(points, key=lambda p: p.day)
        self._target = target.total_seconds() if target else None
        self.setAccessibleDescription(self.summary())
        self.setToolTip(self.summary())
        self.update()

    def points(self) -> list[ChartPoint]:
        return list(self._points)

    def summary(self) -> str:
        """The chart in words (for screen readers and the tooltip)."""
        if not self._points:
            return _("No drill with a time to full accountability yet.")
        met = sum(1 for p in self._points if self._target is None or p.seconds <= self._target)
        text = ngettext("{n} drill", "{n} drills", len(self._points)).format(
            n=len(self._points))
        if self._target is not None:
            text += _(", {met} within the target of {target}").format(
                met=met, target=mmss(self._target))
        best = min(p.seconds for p in self._points)
        return text + _("; fastest {best}, latest {latest}.").format(
            best=mmss(best), latest=mmss(self._points[-1].seconds))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        if not self._points:
            painter.setPen(AXIS)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.summary())
            painter.end()
            return
        top_value = max([p.seconds for p in self._points] + [self._target or 0]) * 1.15
        step = tick_step(max(top_value, 60))
        top_value = step * math.ceil(top_value / step)
        left = metrics.horizontalAdvance("00:00") + line
        plot = QRectF(left, line * 1.5, self.width() - left - line, self.height() - line * 4)
        if plot.width() <= 10 or plot.height() <= 10:
            painter.end()
            return

        def y_of(seconds: float) -> float:
            return plot.bottom() - plot.height() * seconds / top_value

        painter.setPen(AXIS)
        painter.drawText(QRectF(0, 0, self.width(), line * 1.4),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                         _("Time to full accountability (min:s)"))
        for tick in range(0, int(top_value) + 1, step):
            y = y_of(tick)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS)
            painter.drawText(QRectF(0, y - line / 2, left - line / 3, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             mmss(tick))
        painter.setPen(QPen(AXIS, 1.5))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())

        slot = plot.width() / len(self._points)
        width = min(slot * 0.6, line * 4)
        label_every = max(1, math.ceil(metrics.horizontalAdvance("2026-10-30 ") / slot))
        for number, point in enumerate(self._points):
            centre = plot.left() + slot * (number + 0.5)
            y = y_of(point.seconds)
            colour = NO_TARGET if self._target is None else (
                MET if point.seconds <= self._target else NOT_MET)
            bar = QRectF(centre - width / 2, y, width, plot.bottom() - y)
            painter.fillRect(bar, colour)
            painter.setPen(AXIS)
            painter.drawText(QRectF(centre - slot / 2, y - line * 1.1, slot, line),
                             Qt.AlignmentFlag.AlignCenter, mmss(point.seconds))
            if number % label_every == 0:
                painter.drawText(QRectF(centre - slot * label_every / 2, plot.bottom() + 2,
                                        slot * label_every, line * 1.2),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                                 point.day.isoformat())
        if self._target is not None:
            y = y_of(self._target)
            pen = QPen(TARGET, 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(QRectF(plot.left() + 4, y - line * 1.1, plot.width() - 8, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             _("target {time}").format(time=mmss(self._target)))
        painter.end()
