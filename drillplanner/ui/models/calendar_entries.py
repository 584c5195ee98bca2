"""Read-only tables of a school's calendar: school years with their terms, dated entries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from drillplanner import i18n
from drillplanner.domain.school_calendar import CalendarDay, SchoolYear, day_kind_label
from drillplanner.i18n import N_, _
from drillplanner.ui.models.table import ID_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex
RecordT = TypeVar("RecordT", SchoolYear, CalendarDay)


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class _RecordsModel(QAbstractTableModel, Generic[RecordT]):
    """Rows are frozen records from services; subclasses name the columns and their text."""

    columns: tuple[str, ...] = ()

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

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return _(self.columns[section])
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
            return record.id
        return None


class SchoolYearsModel(_RecordsModel[SchoolYear]):
    columns = (N_("School year"), N_("First day"), N_("Last day"), N_("Terms"))

    def text(self, record: SchoolYear, column: int) -> str:
        if column == 0:
            return record.name
        if column == 1:
            return _date(record.start)
        if column == 2:
            return _date(record.end)
        return _("; ").join(_("{name} {start} – {end}").format(
            name=term.name, start=_date(term.start), end=_date(term.end))
            for term in record.terms) or _("(no terms: in session all year)")


class CalendarDaysModel(_RecordsModel[CalendarDay]):
    columns = (N_("Kind"), N_("First day"), N_("Last day"), N_("Days"), N_("Name"))

    def text(self, record: CalendarDay, column: int) -> str:
        if column == 0:
            return day_kind_label(record.kind)
        if column == 1:
            return f"{_date(record.start)} {i18n.format_date(record.start, 'EEE')}"
        if column == 2:
            return f"{_date(record.end)} {i18n.format_date(record.end, 'EEE')}"
        if column == 3:
            return str((record.end - record.start).days + 1)
        return record.name
