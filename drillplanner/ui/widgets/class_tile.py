"""Class tiles: a list view that flows coloured tiles under full-width grade headers.

Sizes derive from the view's font, so giving the view a larger font (projector mode) makes
every tile and header larger in proportion.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from drillplanner.i18n import _
from drillplanner.ui.drill_style import TileState, tile_colours, tile_state_label
from drillplanner.ui.models.headcount import CLASS_ID_ROLE, IS_GRADE_ROLE, LINES_ROLE, STATE_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex

SELECTION = QColor("#1565c0")
HEADER_FILL = QColor("#eceff1")
HEADER_TEXT = QColor("#263238")

#: Tile size in line heights of the view's font.
TILE_WIDTH_EM = 6.2
TILE_HEIGHT_EM = 4.4
HEADER_HEIGHT_EM = 1.9


def _scaled(font: QFont, factor: float, bold: bool = False) -> QFont:
    scaled = QFont(font)
    size = font.pointSizeF()
    if size > 0:
        scaled.setPointSizeF(size * factor)
    else:
        scaled.setPixelSize(max(int(font.pixelSize() * factor), 1))
    scaled.setBold(bold)
    return scaled


class ClassTileDelegate(QStyledItemDelegate):
    """Paints a class tile (name, present/expected, state word) or a grade header."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        em = QFontMetrics(option.font).height()
        if index.data(IS_GRADE_ROLE):
            # As wide as the view, so each grade starts a new line of tiles.
            width = self._view.viewport().width() - 2 * self._view.spacing() - 2
            return QSize(max(width, em * 10), int(em * HEADER_HEIGHT_EM))
        small = QFontMetrics(_scaled(option.font, 0.9))
        # Wide enough for the longest state word in the current language.
        words = max(small.horizontalAdvance(tile_state_label(s)) for s in TileState)
        width = max(int(em * TILE_WIDTH_EM), words + em)
        return QSize(width, int(em * TILE_HEIGHT_EM))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        lines = index.data(LINES_ROLE)
        if not lines:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if index.data(IS_GRADE_ROLE):
            self._paint_header(painter, option, lines)
        else:
            self._paint_tile(painter, option, index.data(STATE_ROLE), lines)
        painter.restore()

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem,
                      lines: tuple[str, str, str]) -> None:
        rect = option.rect.adjusted(0, 2, 0, -2)
        painter.fillRect(rect, HEADER_FILL)
        painter.setPen(QPen(HEADER_TEXT))
        name_font = _scaled(option.font, 1.15, bold=True)
        painter.setFont(name_font)
        pad = QFontMetrics(option.font).height() // 2
        inner = rect.adjusted(pad, 0, -pad, 0)
        name_width = QFontMetrics(name_font).horizontalAdvance(lines[0]) + pad * 2
        painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         lines[0])
        painter.setFont(option.font)
        rest = inner.adjusted(name_width, 0, 0, 0)
        text = QFontMetrics(option.font).elidedText(lines[1], Qt.TextElideMode.ElideRight,
                                                    rest.width())
        painter.drawText(rest, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    def _paint_tile(self, painter: QPainter, option: QStyleOptionViewItem, state: TileState,
                    lines: tuple[str, str, str]) -> None:
        fill, text, edge = tile_colours(state)
        em = QFontMetrics(option.font).height()
        rect = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        radius = em * 0.3
        painter.setPen(QPen(edge, 2))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        if selected:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(SELECTION, max(em // 5, 3)))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), radius, radius)
        painter.setPen(QPen(text))
        inner = rect.adjusted(em // 3, em // 6, -em // 3, -em // 6)
        parts = ((lines[0], _scaled(option.font, 1.05, bold=True), 1.0),
                 (lines[1], _scaled(option.font, 1.45, bold=True), 1.5),
                 (lines[2], _scaled(option.font, 0.9), 1.0))
        total = sum(weight for _text, _font, weight in parts)
        top = inner.top()
        for line, font, weight in parts:
            height = int(inner.height() * weight / total)
            painter.setFont(font)
            band = QRect(inner.left(), top, inner.width(), height)
            shown = QFontMetrics(font).elidedText(line, Qt.TextElideMode.ElideRight,
                                                  band.width())
            painter.drawText(band, Qt.AlignmentFlag.AlignCenter, shown)
            top += height


class ClassTileView(QListView):
    """The tiles of every grade in one keyboard-navigable view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classTiles")
        self.setAccessibleName(_("Class tiles"))
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(3)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.setItemDelegate(ClassTileDelegate(self))

    def current_class_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid() or index.data(IS_GRADE_ROLE):
            return None
        value = index.data(CLASS_ID_ROLE)
        return int(value) if value is not None else None

    def tile_rect(self, class_id: int) -> QRect:
        """Where the tile of ``class_id`` is drawn, in viewport coordinates."""
        model = self.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(CLASS_ID_ROLE) == class_id:
                return self.visualRect(index)
        return QRect()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Grade headers are as wide as the viewport: lay out again at the new width.
        self.scheduleDelayedItemsLayout()
