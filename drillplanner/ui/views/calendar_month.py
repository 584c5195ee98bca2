"""The month view: a 6 x 7 grid of days, each with its occurrences as coloured chips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

from drillplanner.domain.events import Occurrence
from drillplanner.i18n import _
from drillplanner.ui import calendar_style as style
from drillplanner.ui.models.month import (
    BADGES_ROLE,
    IN_MONTH_ROLE,
    OCCURRENCES_ROLE,
    TODAY_ROLE,
    MonthModel,
)
from drillplanner.ui.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex

_GAP = 2
_PAD = 3


@dataclass(frozen=True, slots=True)
class CellLayout:
    """Where a day cell draws its number, its chips and the "+N more" line."""

    header: QRect
    chips: tuple[QRect, ...]
    more: QRect | None
    hidden: int  # occurrences not drawn as chips


def cell_layout(rect: QRect, count: int, metrics: QFontMetrics) -> CellLayout:
    """Lay out ``count`` chips in a day cell; the last line says "+N more" on overflow."""
    line = metrics.height()
    header = QRect(rect.left() + _PAD + 2, rect.top() + 4, rect.width() - 2 * _PAD - 4,
                   line + 2)
    chip_height = line + 4
    top = header.bottom() + 1 + _GAP
    available = rect.bottom() - _GAP - top + 1
    fit = max(0, (available + _GAP) // (chip_height + _GAP))
    shown = count if count <= fit else max(fit - 1, 0)
    chips = tuple(QRect(rect.left() + _PAD, top + i * (chip_height + _GAP),
                        rect.width() - 2 * _PAD, chip_height) for i in range(shown))
    more = None
    if shown < count and fit > 0:
        more = QRect(rect.left() + _PAD, top + shown * (chip_height + _GAP),
                     rect.width() - 2 * _PAD, chip_height)
    return CellLayout(header, chips, more, count - shown)


def more_text(hidden: int) -> str:
    return _("+{n} more").format(n=hidden)


class MonthDelegate(QStyledItemDelegate):
    """Paints a day: shading, number (today circled), badges, chips, "+N more"."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        painter.save()
        rect = QRect(option.rect)
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        painter.fillRect(rect, background if isinstance(background, QColor) else style.SCHOOL_DAY)
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        occurrences: list[Occurrence] = index.data(OCCURRENCES_ROLE) or []
        layout = cell_layout(rect, len(occurrences), metrics)
        self._paint_header(painter, layout.header, index, font, layout)
        for chip, occurrence in zip(layout.chips, occurrences, strict=False):
            paint_chip(painter, chip, occurrence, font)
        if layout.more is not None:
            painter.setPen(QColor("#0d47a1"))
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(layout.more.adjusted(4, 0, 0, 0),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             more_text(layout.hidden))
        if option.state & QStyle.StateFlag.State_Selected:
            pen = QPen(style.SELECTION, 3)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()

    def _paint_header(self, painter: QPainter, header: QRect, index: AnyIndex, font: QFont,
                      layout: CellLayout) -> None:
        number = str(index.data(Qt.ItemDataRole.DisplayRole))
        in_month = bool(index.data(IN_MONTH_ROLE))
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        metrics = QFontMetrics(bold)
        width = max(metrics.horizontalAdvance("30") + 8, header.height())
        number_rect = QRect(header.left(), header.top(), width, header.height())
        if index.data(TODAY_ROLE):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(style.TODAY))
            painter.drawRoundedRect(number_rect, header.height() / 2, header.height() / 2)
            painter.setPen(QColor("#ffffff"))
        else:
            painter.setPen(QColor("#000000") if in_month else style.OTHER_MONTH_TEXT)
        painter.drawText(number_rect, int(Qt.AlignmentFlag.AlignCenter), number)
        badges: list[str] = list(index.data(BADGES_ROLE) or [])
        if layout.more is None and layout.hidden:
            # No room for even one line: the count goes in the header.
            badges.insert(0, more_text(layout.hidden))
        if badges:
            small = QFont(font)
            small.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
            painter.setFont(small)
            painter.setPen(QColor("#37474f") if in_month else style.OTHER_MONTH_TEXT)
            text_rect = header.adjusted(width + 4, 0, 0, 0)
            text = QFontMetrics(small).elidedText(" · ".join(badges),
                                                  Qt.TextElideMode.ElideRight,
                                                  text_rect.width())
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter
                                            | Qt.AlignmentFlag.AlignRight), text)


def paint_chip(painter: QPainter, rect: QRect, occurrence: Occurrence, font: QFont,
               label: str | None = None) -> None:
    """One occurrence as a rounded, coloured chip (also the week view's blocks).

    ``label`` defaults to "time title"; a chip two lines high or more wraps it.
    """
    fill, text_colour, edge = style.chip_colours(occurrence.kind)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(edge, 1.5)
    if occurrence.moved:
        # Dashed: this one is not where the rule put it.
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setColor(text_colour if occurrence.kind.is_drill else edge)
    painter.setPen(pen)
    painter.setBrush(QBrush(fill))
    painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 3, 3)
    inner = rect.adjusted(5, 0, -3, 0)
    if not occurrence.kind.is_drill:
        painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), edge)
        inner = rect.adjusted(7, 0, -3, 0)
    painter.setPen(text_colour)
    chip_font = QFont(font)
    chip_font.setBold(occurrence.kind.is_drill)
    painter.setFont(chip_font)
    metrics = QFontMetrics(chip_font)
    if label is None:
        label = style.occurrence_text(occurrence.start, occurrence.title, occurrence.moved)
    if rect.height() < 2 * metrics.height() + 4:
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         metrics.elidedText(label, Qt.TextElideMode.ElideRight, inner.width()))
    else:
        painter.setClipRect(rect)
        painter.drawText(inner.adjusted(0, 2, 0, 0),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap), label)
    painter.restore()


class MonthView(QTableView):
    """Arrows move between days (across months too), Enter opens, Delete cancels."""

    #: An occurrence was double-clicked.
    occurrence_activated = Signal(object)
    #: Enter, or a double-click on a day's free space: (date, whether from the keyboard).
    day_activated = Signal(object, bool)
    #: "+N more" was clicked on a day.
    more_activated = Signal(object)
    #: Delete on a day.
    delete_requested = Signal(object)
    #: The keyboard asks for a day (it may lie in another month).
    date_requested = Signal(object)

    def __init__(self, model: MonthModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthView")
        self.setAccessibleName(_("Month"))
        self.setModel(model)
        self.setItemDelegate(MonthDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setAccessibleName(_("Days of the week"))
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setAccessibleName(_("Week numbers"))
        self.verticalHeader().setToolTip(_("Week of the year"))
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setHighlightSections(False)
        # Room for the day number and one chip per day; "+N more" covers the rest.
        self.setMinimumSize(7 * 36, 6 * (self.fontMetrics().height() * 2 + 12))

    def month_model(self) -> MonthModel:
        model = self.model()
        assert isinstance(model, MonthModel)
        return model

    def current_day(self) -> date | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.month_model().day_at(index.row(), index.column())

    def select_day(self, day: date) -> None:
        index = self.month_model().index_of(day)
        if index.isValid():
            self.setCurrentIndex(index)

    # Hit testing ------------------------------------------------------------------------

    def layout_of(self, day: date) -> CellLayout | None:
        """The chip layout of ``day``'s cell as painted now (None when not shown)."""
        index = self.month_model().index_of(day)
        if not index.isValid():
            return None
        count = len(self.month_model().occurrences_on(day))
        return cell_layout(self.visualRect(index), count, QFontMetrics(self.font()))

    def chip_rects(self, day: date) -> list[tuple[QRect, Occurrence]]:
        """The chips drawn on ``day`` with their rectangles (viewport coordinates)."""
        layout = self.layout_of(day)
        if layout is None:
            return []
        return list(zip(layout.chips, self.month_model().occurrences_on(day), strict=False))

    def hit(self, pos: QPoint) -> tuple[date | None, Occurrence | None, bool]:
        """(day, occurrence, on "+N more") under a viewport position."""
        index = self.indexAt(pos)
        if not index.isValid():
            return None, None, False
        day = self.month_model().day_at(index.row(), index.column())
        for rect, occurrence in self.chip_rects(day):
            if rect.contains(pos):
                return day, occurrence, False
        layout = self.layout_of(day)
        more = layout is not None and layout.more is not None and layout.more.contains(pos)
        return day, None, more

    # Events -----------------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            _day, occurrence, _more = self.hit(event.pos())
            if occurrence is not None:
                QToolTip.showText(event.globalPos(), style.occurrence_tooltip(occurrence),
                                  self.viewport())
                return True
        return super().viewportEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        day, occurrence, more = self.hit(event.position().toPoint())
        if day is None:
            return
        event.accept()
        if occurrence is not None:
            emit(self.occurrence_activated, occurrence)
        elif more:
            emit(self.more_activated, day)
        else:
            emit(self.day_activated, day, False)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        day, _occurrence, more = self.hit(event.position().toPoint())
        if more and day is not None and event.button() == Qt.MouseButton.LeftButton:
            emit(self.more_activated, day)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        day = self.current_day()
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7,
                 Qt.Key.Key_Down: 7}
        key = Qt.Key(event.key())
        if day is not None and key in steps and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            emit(self.date_requested, day + timedelta(days=steps[key]))
            event.accept()
            return
        if day is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            emit(self.day_activated, day, True)
            event.accept()
            return
        if day is not None and key == Qt.Key.Key_Delete:
            emit(self.delete_requested, day)
            event.accept()
            return
        super().keyPressEvent(event)
