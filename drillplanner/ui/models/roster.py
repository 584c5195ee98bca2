"""The rows of a roster file, read-only, for the import preview."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from drillplanner.domain.fields import label
from drillplanner.domain.roster import RosterRow
from drillplanner.i18n import _

AnyIndex = QModelIndex | QPersistentModelIndex

# (header field key, attribute of RosterRow)
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("grade", "grade"),
    ("class", "class_name"),
    ("enrolled", "enrolled"),
    ("homeroom_teacher", "homeroom_teacher"),
    ("room", "room"),
    ("building", "building"),
    ("floor", "floor"),
    ("assembly_area", "assembly_area"),
)


class RosterRowsModel(QAbstractTableModel):
    """Roster rows as the file holds them, with the file's line number as row header."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RosterRow] = []

    def set_rows(self, rows: Sequence[RosterRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        row = self._rows[index.row()]
        attribute = _COLUMNS[index.column()][1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = getattr(row, attribute)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and attribute in ("enrolled", "floor"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return label(_COLUMNS[section][0]) if 0 <= section < len(_COLUMNS) else None
        if 0 <= section < len(self._rows):
            line = self._rows[section].line
            return _("Line {n}").format(n=line) if line else str(section + 1)
        return None
