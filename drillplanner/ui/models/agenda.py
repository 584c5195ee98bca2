"""The agenda: occurrences as a list (date, time, kind, title, place, how it repeats)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from drillplanner import i18n
from drillplanner.domain.events import Occurrence, kind_label
from drillplanner.i18n import N_, _
from drillplanner.ui import calendar_style as style

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = (N_("Date"), N_("Time"), N_("Kind"), N_("Title"), N_("Place"), N_("Repeats"))
DATE, TIME, KIND, TITLE, PLACE, REPEATS = range(len(COLUMNS))


class AgendaModel(QAbstractTableModel):
    """Read-only; the page hands it the occurrences of the period it shows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Occurrence] = []
        self._descriptions: dict[int, str] = {}

    def set_rows(self, occurrences: Sequence[Occurrence],
                 descriptions: Mapping[int, str]) -> None:
        """``descriptions`` maps an event id to its rule in words ("" for a one-off)."""
        self.beginResetModel()
        self._rows = sorted(occurrences, key=lambda o: (o.start, o.event_id))
        self._descriptions = dict(descriptions)
        self.endResetModel()

    def occurrence(self, row: int) -> Occurrence:
        return self._rows[row]

    def row_of(self, occurrence: Occurrence) -> int:
        try:
            return self._rows.index(occurrence)
        except ValueError:
            return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def text(self, occurrence: Occurrence, column: int) -> str:
        if column == DATE:
            return i18n.format_date(occurrence.day, "medium")
        if column == TIME:
            end = occurrence.end
            last = style.time_text(end) if end.date() == occurrence.day else \
                i18n.format_datetime(end, "short")
            text = f"{style.time_text(occurrence.start)}–{last}"
            return text + _(" (moved)") if occurrence.moved else text
        if column == KIND:
            return kind_label(occurrence.kind)
        if column == TITLE:
            return occurrence.title if occurrence.announced else _(
                "{title} (unannounced)").format(title=occurrence.title)
        if column == PLACE:
            return occurrence.place
        return self._descriptions.get(occurrence.event_id, "")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        occurrence = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(occurrence, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == KIND:
            fill, _text, _edge = style.chip_colours(occurrence.kind)
            return QBrush(fill)
        if role == Qt.ItemDataRole.ForegroundRole and column == KIND:
            _fill, text, _edge = style.chip_colours(occurrence.kind)
            return QBrush(text)
        if role == Qt.ItemDataRole.UserRole:
            return occurrence
        return None
