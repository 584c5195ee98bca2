"""Class tiles: a list view that flows coloured tiles under full-width grade headers.

Sizes derive from the view's font, so giving the view a larger font (projector mode) makes
every tile and header larger in proportion. When the user may record only some classes, their
own tiles carry a star and the others are faded (the model's MINE_ROLE and REFUSAL_ROLE).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
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
from drillplanner.ui.models.headcount import (
    ALERT_ROLE,
    CLASS_ID_ROLE,
    IS_GRADE_ROLE,
    LINES_ROLE,
    MINE_ROLE,
    RECORD_ROLE,
    REFUSAL_ROLE,
    STATE_ROLE,
)

AnyIndex = QModelIndex | QPersistentModelIndex

SELECTION = QColor("#1565c0")
HEADER_FILL = QColor("#eceff1")
HEADER_TEXT = QColor("#263238")
HEADER_EDGE = QColor("#90a4ae")
ALERT_TEXT = QColor("#b00020")

#: Tile size in line heights of the view's font.
TILE_WIDTH_EM = 6.2
TILE_HEIGHT_EM = 4.0
HEADER_HEIGHT_EM = 1.8
#: The narrowest a grade header beside its tiles may be.
HEADER_MIN_WIDTH_EM = 7.0
#: How strongly another user's class is painted (the user's own: fully), and its mark.
REFUSED_OPACITY = 0.35
MINE_MARK = "★ "


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
    """Paints a class tile (name, present/expected, state word) or a grade header.

    When every grade's classes fit on one line, a grade's header is a block as tall as a
    tile at the start of its line, made just wide enough to fill the line, so each grade
    takes one line and a whole school fits on a projector. Otherwise headers are rows as
    wide as the view with the tiles wrapping below them.
    """

    def __init__(self, view: ClassTileView) -> None:
        super().__init__(view)
        self._view = view

    def tile_size(self, font: QFont) -> QSize:
        em = QFontMetrics(font).height()
        small = QFontMetrics(_scaled(font, 0.9))
        # Wide enough for the longest state word in the current language.
        words = max(small.horizontalAdvance(tile_state_label(s)) for s in TileState)
        return QSize(max(int(em * TILE_WIDTH_EM), words + em), int(em * TILE_HEIGHT_EM))

    def header_width(self, font: QFont, classes: int) -> int | None:
        """The inline header's width for a grade of ``classes``; None when too narrow."""
        # QListView starts a line after one spacing, gives each item the spacing on both
        # sides, and wraps when the next item and its spacing would pass the line's end.
        spacing = self._view.spacing()
        line = self._view.line_end() - 3 * spacing
        width = line - classes * (self.tile_size(font).width() + 2 * spacing)
        minimum = QFontMetrics(font).height() * HEADER_MIN_WIDTH_EM
        return width if width >= minimum else None

    def inline_headers(self, font: QFont) -> bool:
        return all(self.header_width(font, n) is not None for n in self._view.grade_sizes())

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        tile = self.tile_size(option.font)
        if not index.data(IS_GRADE_ROLE):
            return tile
        if self.inline_headers(option.font):
            width = self.header_width(option.font, len(index.data(RECORD_ROLE).classes))
            return QSize(width or tile.width(), tile.height())
        em = QFontMetrics(option.font).height()
        width = self._view.line_end() - 3 * self._view.spacing()
        return QSize(max(width, em * 10), int(em * HEADER_HEIGHT_EM))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        lines = index.data(LINES_ROLE)
        if not lines:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not index.data(IS_GRADE_ROLE):
            fill, text, edge = tile_colours(index.data(STATE_ROLE))
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            if index.data(REFUSAL_ROLE) is not None:
                painter.setOpacity(REFUSED_OPACITY)
            elif index.data(MINE_ROLE):
                lines = (MINE_MARK + lines[0], *lines[1:])
            self._paint_block(painter, option, (fill, text, edge), lines, selected, False)
        elif option.rect.height() >= self.tile_size(option.font).height():
            self._paint_block(painter, option, (HEADER_FILL, HEADER_TEXT, HEADER_EDGE),
                              (lines[0], lines[2], lines[3]), False,
                              bool(index.data(ALERT_ROLE)))
        else:
            self._paint_header_row(painter, option, lines)
        painter.restore()

    def _paint_header_row(self, painter: QPainter, option: QStyleOptionViewItem,
                          lines: tuple[str, ...]) -> None:
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

    def _paint_block(self, painter: QPainter, option: QStyleOptionViewItem,
                     colours: tuple[QColor, QColor, QColor], lines: tuple[str, ...],
                     selected: bool, alert: bool) -> None:
        fill, text, edge = colours
        em = QFontMetrics(option.font).height()
        rect = option.rect.adjusted(2, 2, -2, -2)
        radius = em * 0.3
        painter.setPen(QPen(edge, 2))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        if selected:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(SELECTION, max(em // 5, 3)))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), radius, radius)
        inner = rect.adjusted(em // 3, em // 6, -em // 3, -em // 6)
        parts = ((lines[0], _scaled(option.font, 1.05, bold=True), 1.0, text),
                 (lines[1], _scaled(option.font, 1.45, bold=True), 1.5, text),
                 (lines[2], _scaled(option.font, 0.9, bold=alert), 1.0,
                  ALERT_TEXT if alert else text))
        total = sum(part[2] for part in parts)
        top = inner.top()
        for line, font, weight, colour in parts:
            height = int(inner.height() * weight / total)
            painter.setFont(font)
            painter.setPen(QPen(colour))
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
        self._grade_sizes: list[int] | None = None

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self._forget_grades)
        self._forget_grades()

    def _forget_grades(self) -> None:
        self._grade_sizes = None

    def line_end(self) -> int:
        """Where QListView wraps a line: it keeps room for a vertical scroll bar always."""
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None,
                                       self.verticalScrollBar())
        return self.maximumViewportSize().width() - bar

    def grade_sizes(self) -> list[int]:
        """How many classes each grade has (read once per model reset)."""
        if self._grade_sizes is None:
            model = self.model()
            rows = [model.index(row, 0) for row in range(model.rowCount())] if model else []
            self._grade_sizes = [len(index.data(RECORD_ROLE).classes) for index in rows
                                 if index.data(IS_GRADE_ROLE)]
        return self._grade_sizes

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
