"""A read-only table of frozen service records under translated column headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from drillplanner.i18n import _
from drillplanner.ui.models.table import ID_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex
RecordT = TypeVar("RecordT")


class ReadOnlyTableModel(QAbstractTableModel, Generic[RecordT]):
    """Subclasses name their ``COLUMNS`` (msgids) and give each cell's ``text``; ``extra``
    answers other roles (colours, alignment) and ``record_id`` the ID_ROLE."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RecordT] = []

    def set_rows(self, rows: Sequence[RecordT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> RecordT:
        return self._rows[row]

    def records(self) -> list[RecordT]:
        return list(self._rows)

    def text(self, record: RecordT, column: int) -> str:
        raise NotImplementedError

    def record_id(self, record: RecordT) -> int | None:
        record_id = getattr(record, "id", None)
        return None if record_id is None else int(record_id)

    def extra(self, record: RecordT, column: int, role: int) -> Any:
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return _(self.COLUMNS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        record = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(record, index.column())
        if role == ID_ROLE:
            return self.record_id(record)
        return self.extra(record, index.column(), role)
