"""The week view: seven day columns, hours 07:00-18:00, occurrences as blocks in time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from drillplanner.domain.events import Occurrence
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.i18n import _
from drillplanner.ui import calendar_style as style
from drillplanner.ui.signals import emit
from drillplanner.ui.views.calendar_month import paint_chip

_HOURS = style.LAST_HOUR - style.FIRST_HOUR
_MIN_HOUR_HEIGHT = 24


def lanes(items: Sequence[Occurrence]) -> list[tuple[Occurrence, int, int]]:
    """Side-by-side placement of overlapping occurrences: (occurrence, lane, lanes in group)."""
    ordered = sorted(items, key=lambda o: (o.start, o.end))
    placed: list[tuple[Occurrence, int, int]] = []
    group: list[tuple[Occurrence, int]] = []
    lane_ends: list[datetime] = []
    group_end: datetime | None = None

    def close_group() -> None:
        width = max((lane for _o, lane in group), default=-1) + 1
        placed.extend((o, lane, width) for o, lane in group)

    for occurrence in ordered:
        if group_end is not None and occurrence.start >= group_end:
            close_group()
            group, lane_ends, group_end = [], [], None
        for lane, end in enumerate(lane_ends):
            if end <= occurrence.start:
                lane_ends[lane] = occurrence.end
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(occurrence.end)
        group.append((occurrence, lane))
        group_end = occurrence.end if group_end is None else max(group_end, occurrence.end)
    close_group()
    return placed


def block_label(occurrence: Occurrence, rect: QRect, metrics: QFontMetrics) -> str:
    """A block's text: the title alone when it is one line high (its place on the time axis
    tells the time), else the times on a line of their own above the title."""
    mark = "→ " if occurrence.moved else ""
    if rect.height() < 2 * metrics.height() + 4:
        return f"{mark}{occurrence.title}"
    times = f"{style.time_text(occurrence.start)}–{style.time_text(occurrence.end)}"
    if metrics.horizontalAdvance(times) > rect.width() - 10:
        times = style.time_text(occurrence.start)
    return f"{mark}{times}\n{occurrence.title}"


class WeekView(QWidget):
    """Left/Right move between days, Up/Down pick an occurrence, Enter opens, Delete cancels."""

    occurrence_activated = Signal(object)
    #: (date, whether from the keyboard) for a day's free space.
    day_activated = Signal(object, bool)
    #: A double-click on free time: the start it asks for (naive local datetime).
    slot_activated = Signal(object)
    delete_occurrence = Signal(object)
    date_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weekView")
        self.setAccessibleName(_("Week"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(7 * 40, 300)
        self._monday = date.today() - timedelta(days=date.today().weekday())
        self._today = date.today()
        self._calendar = SchoolCalendar()
        self._by_day: dict[date, list[Occurrence]] = {}
        self.selected_day = self._today
        self.selected: Occurrence | None = None

    # Filling ----------------------------------------------------------------------------

    def set_week(self, monday: date, calendar: SchoolCalendar,
                 occurrences: Sequence[Occurrence], today: date, selected_day: date) -> None:
        by_day: dict[date, list[Occurrence]] = defaultdict(list)
        for occurrence in occurrences:
            by_day[occurrence.day].append(occurrence)
        self._monday = monday
        self._calendar = calendar
        self._by_day = {d: sorted(items, key=lambda o: o.start) for d, items in by_day.items()}
        self._today = today
        self.selected_day = selected_day
        if self.selected is not None and self.selected not in self._by_day.get(
                self.selected.day, []):
            self.selected = None
        self.setAccessibleDescription(self._summary())
        self.update()

    @property
    def monday(self) -> date:
        return self._monday

    def days(self) -> list[date]:
        return [self._monday + timedelta(days=n) for n in range(7)]

    def occurrences_on(self, day: date) -> list[Occurrence]:
        return list(self._by_day.get(day, ()))

    def _summary(self) -> str:
        lines = []
        for day in self.days():
            for occurrence in self.occurrences_on(day):
                lines.append(_("{day} {time} {title}").format(
                    day=style.day_title(day), time=style.time_text(occurrence.start),
                    title=occurrence.title))
        return "\n".join(lines) or _("Nothing planned this week.")

    # Geometry ---------------------------------------------------------------------------

    def _line(self) -> int:
        return self.fontMetrics().height()

    def header_height(self) -> int:
        return 3 * self._line() + 10

    def gutter_width(self) -> int:
        return self.fontMetrics().horizontalAdvance("00:00") + 14

    def hour_height(self) -> float:
        return max(_MIN_HOUR_HEIGHT, (self.height() - self.header_height() - 2) / _HOURS)

    def column_rect(self, column: int) -> QRect:
        width = (self.width() - self.gutter_width() - 1) / 7
        left = self.gutter_width() + round(column * width)
        right = self.gutter_width() + round((column + 1) * width)
        return QRect(left, 0, right - left, self.height())

    def _y_of(self, moment: time) -> float:
        hours = moment.hour + moment.minute / 60 - style.FIRST_HOUR
        return self.header_height() + hours * self.hour_height()

    def block_rects(self) -> list[tuple[QRect, Occurrence]]:
        """Every occurrence block as drawn now."""
        blocks: list[tuple[QRect, Occurrence]] = []
        line = self._line()
        body_top = self.header_height()
        body_bottom = body_top + _HOURS * self.hour_height()
        for column, day in enumerate(self.days()):
            column_rect = self.column_rect(column)
            for occurrence, lane, width in lanes(self.occurrences_on(day)):
                start = occurrence.start.time()
                end_moment = occurrence.end if occurrence.end.date() == day else \
                    datetime.combine(day, time(23, 59), occurrence.end.tzinfo)
                top = min(max(self._y_of(start), body_top), body_bottom - line - 4)
                bottom = min(max(self._y_of(end_moment.time()), top + line + 4), body_bottom)
                lane_width = (column_rect.width() - 6) / width
                left = column_rect.left() + 3 + round(lane * lane_width)
                blocks.append((QRect(left, round(top), max(round(lane_width) - 2, 8),
                                     max(round(bottom - top) - 1, line + 4)), occurrence))
        return blocks

    def day_at(self, pos: QPoint) -> date | None:
        for column, day in enumerate(self.days()):
            if self.column_rect(column).contains(pos):
                return day
        return None

    def time_at(self, pos: QPoint) -> time | None:
        """The half hour under ``pos`` in the body (None in the header)."""
        if pos.y() < self.header_height():
            return None
        hours = (pos.y() - self.header_height()) / self.hour_height() + style.FIRST_HOUR
        half_hours = min(int(hours * 2), 2 * style.LAST_HOUR - 1)
        return time(half_hours // 2, 30 * (half_hours % 2))

    def sizeHint(self) -> QSize:
        return QSize(900, self.header_height() + _HOURS * 44)

    # Painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        line = self._line()
        header = self.header_height()
        names = style.weekday_names()
        for column, day in enumerate(self.days()):
            rect = self.column_rect(column)
            painter.fillRect(rect, style.day_background(self._calendar, day))
            self._paint_day_header(painter, QRect(rect.left(), 0, rect.width(), header),
                                   day, names[column])
        painter.setPen(QPen(QColor("#bdbdbd"), 1))
        for hour in range(_HOURS + 1):
            y = round(header + hour * self.hour_height())
            painter.drawLine(self.gutter_width() - 4, y, self.width(), y)
            if hour < _HOURS:
                painter.setPen(QColor("#424242"))
                painter.drawText(QRect(0, y + 1, self.gutter_width() - 6, line),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                                 f"{style.FIRST_HOUR + hour:02d}:00")
                painter.setPen(QPen(QColor("#bdbdbd"), 1))
        for column in range(8):
            x = self.column_rect(column).left() if column < 7 else self.width() - 1
            painter.drawLine(x, 0, x, self.height())
        bold = QFont(self.font())
        bold.setBold(True)
        for rect, occurrence in self.block_rects():
            # Drills are drawn bold: measure with the font the chip uses.
            metrics = QFontMetrics(bold if occurrence.kind.is_drill else self.font())
            paint_chip(painter, rect, occurrence, self.font(),
                       block_label(occurrence, rect, metrics))
            if occurrence == self.selected:
                painter.setPen(QPen(style.SELECTION, 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(-1, -1, 0, 0))
        if self.selected_day in self.days():
            rect = self.column_rect(self.days().index(self.selected_day))
            pen = QPen(style.SELECTION, 3 if self.hasFocus() else 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.end()

    def _paint_day_header(self, painter: QPainter, rect: QRect, day: date, name: str) -> None:
        line = self._line()
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        title = QRect(rect.left() + 2, rect.top() + 3, rect.width() - 4, line + 2)
        if day == self._today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(style.TODAY))
            painter.drawRoundedRect(title, 4, 4)
            painter.setPen(QColor("#ffffff"))
        else:
            painter.setPen(QColor("#000000"))
        text = f"{name} {day.month}/{day.day}"
        painter.drawText(title, int(Qt.AlignmentFlag.AlignCenter),
                         QFontMetrics(bold).elidedText(text, Qt.TextElideMode.ElideRight,
                                                       title.width()))
        painter.setFont(self.font())
        painter.setPen(QColor("#37474f"))
        badges = style.day_badges(self._calendar, day)
        if not self._calendar.is_school_day(day) and not badges:
            badges = [_("no school")]
        badge_rect = QRect(rect.left() + 2, title.bottom() + 3, rect.width() - 4, 2 * line)
        painter.drawText(badge_rect, int(Qt.AlignmentFlag.AlignHCenter
                                         | Qt.AlignmentFlag.AlignTop
                                         | Qt.TextFlag.TextWordWrap), " · ".join(badges))
        painter.setFont(self.font())

    # Input ------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            occurrence = self._block_at(event.pos())
            if occurrence is not None:
                QToolTip.showText(event.globalPos(), style.occurrence_tooltip(occurrence), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _block_at(self, pos: QPoint) -> Occurrence | None:
        for rect, occurrence in reversed(self.block_rects()):
            if rect.contains(pos):
                return occurrence
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        day = self.day_at(pos)
        if day is not None:
            self.selected_day = day
            self.selected = self._block_at(pos)
            self.update()
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        occurrence = self._block_at(pos)
        day = self.day_at(pos)
        if occurrence is not None:
            emit(self.occurrence_activated, occurrence)
        elif day is not None:
            moment = self.time_at(pos)
            if moment is None:
                emit(self.day_activated, day, False)
            else:
                emit(self.slot_activated, datetime.combine(day, moment))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            self.selected = None
            emit(self.date_requested, self.selected_day + timedelta(days=step))
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._step_selection(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.selected is not None:
                emit(self.occurrence_activated, self.selected)
            else:
                emit(self.day_activated, self.selected_day, True)
        elif key == Qt.Key.Key_Delete and self.selected is not None:
            emit(self.delete_occurrence, self.selected)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _step_selection(self, step: int) -> None:
        items = self.occurrences_on(self.selected_day)
        if not items:
            return
        if self.selected in items:
            position = items.index(self.selected) + step
        else:
            position = 0 if step > 0 else len(items) - 1
        self.selected = items[position % len(items)]
        self.update()
