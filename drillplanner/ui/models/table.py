"""A table model over service records: it holds ids and a row cache, edits go through services."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from drillplanner.domain.changes import Changes, Done
from drillplanner.domain.changes import Kind as RecordKind
from drillplanner.domain.errors import StaleEditError, ValidationError
from drillplanner.domain.fields import label
from drillplanner.i18n import _
from drillplanner.services.database import Database
from drillplanner.ui import ops
from drillplanner.ui.commands import EditCommand, Updater
from drillplanner.ui.context import AppContext
from drillplanner.ui.live_refresh import LiveRefresh
from drillplanner.ui.signals import emit

log = logging.getLogger("drillplanner.ui")

AnyIndex = QModelIndex | QPersistentModelIndex

#: Roles the delegate asks for besides Qt's own.
COLUMN_ROLE = Qt.ItemDataRole.UserRole + 1
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3

NONE_TEXT = "—"


class Kind(enum.Enum):
    """How a column is edited."""

    TEXT = "text"
    NUMBER = "number"
    OPTIONAL_NUMBER = "optional_number"  # 0 in the spin box means "not set"
    CHOICE = "choice"  # a reference or a fixed list: the delegate shows a combo box
    ROLES = "roles"  # a set of staff roles: a checkable list


@dataclass(frozen=True, slots=True)
class Column:
    """One column: the service field it edits and how."""

    field: str
    kind: Kind = Kind.TEXT
    minimum: int = 0
    maximum: int = 999_999
    editable: bool = True


class RecordTableModel(QAbstractTableModel):
    """Base of the School page's tables.

    Subclasses say which records to fetch, how to show and edit each column, and which
    service updates, adds and deletes a record. Records are the frozen dataclasses that
    services return; the model never holds a database session.
    """

    #: A refused edit: (column label, message).
    edit_refused = Signal(str, str)

    #: The kind of record this table shows, for change notifications.
    shows: frozenset[RecordKind] = frozenset()
    #: Other kinds of record whose changes this table must reload after (names it shows).
    depends_on: frozenset[RecordKind] = frozenset()
    #: Whether the table needs a current school.
    per_school = True

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list[Any] = []
        self._columns: tuple[Column, ...] = tuple(self.columns())
        #: Set by the view that shows the table: whether another computer's change may
        #: wait to be read until the table shows again (``reload_if_pending``).
        self.may_wait: Callable[[], bool] = lambda: False
        self.pending_reload = False
        ctx.changed.connect(self._on_changed)
        ctx.school_changed.connect(self._on_school_changed)
        self.reload()

    # What subclasses provide ------------------------------------------------------------

    def columns(self) -> Sequence[Column]:
        raise NotImplementedError

    def fetch(self) -> list[Any]:
        """The records to show, from services."""
        raise NotImplementedError

    def updater(self) -> Updater:
        """The service function that updates one record."""
        raise NotImplementedError

    def edit(self, db: Database, record: Any, changes: dict[str, object]) -> Done[Any]:
        """Save a cell edit of ``record`` (as read); models of versioned records pass the
        version the edit started from."""
        return self.updater()(db, record.id, changes)

    def display(self, record: Any, column: Column) -> str:
        value = self.edit_value(record, column)
        return "" if value is None else str(value)

    def edit_value(self, record: Any, column: Column) -> object:
        return getattr(record, column.field)

    def choices(self, record: Any, column: Column) -> list[tuple[object, str]]:
        """(value, label) pairs a CHOICE column offers for ``record``."""
        return []

    def add_record(self, near: Any | None) -> Done[Any]:
        """Add a record with defaults (``near`` is the selected one): the service's Done."""
        raise NotImplementedError

    def delete_record(self, record: Any) -> Done[None]:
        raise NotImplementedError

    def deletion_text(self, record: Any) -> str:
        """The confirmation question: what exactly will be deleted."""
        raise NotImplementedError

    def record_name(self, record: Any) -> str:
        return str(getattr(record, "name", record.id))

    # Qt model interface -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return label(self._columns[section].field)
            return None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(record, column)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in (
                Kind.NUMBER, Kind.OPTIONAL_NUMBER):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == COLUMN_ROLE:
            return column
        if role == CHOICES_ROLE:
            return self.choices(record, column) if column.kind is Kind.CHOICE else None
        if role == ID_ROLE:
            return record.id
        return None

    def setData(self, index: AnyIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        old = self.edit_value(record, column)
        new = self._normalise(column, value)
        if _same(old, new):
            return False
        refused_field = [column.field]
        stale: list[StaleEditError] = []

        def run(db: Database) -> Done[Any]:
            try:
                return self.edit(db, record, {column.field: new})
            except ValidationError as error:
                refused_field[0] = error.field
                raise
            except StaleEditError as error:
                stale.append(error)
                raise

        # A refusal is shown beside the cell being edited (the view's message bar).
        done = ops.write(self.ctx, None, run, source=self, on_error=lambda message: emit(
            self.edit_refused, label(refused_field[0]), message))
        if done is None:
            if stale:  # someone else changed the row: show theirs, the user edits again
                self.reload()
            return False
        self._rows[index.row()] = done.value
        emit(self.dataChanged, self.index(index.row(), 0),
                              self.index(index.row(), len(self._columns) - 1))
        text = _("Change {field} of “{name}”").format(field=label(column.field),
                                                     name=self.record_name(done.value))
        self.ctx.undo_stack.push(EditCommand(self.ctx, self.updater(), record.id, column.field,
                                             old, new, text))
        self.ctx.notify(done.changes, self)
        return True

    # Rows -------------------------------------------------------------------------------

    def record(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, record_id: int) -> int:
        for row, record in enumerate(self._rows):
            if record.id == record_id:
                return row
        return -1

    def column_of(self, field: str) -> int:
        for number, column in enumerate(self._columns):
            if column.field == field:
                return number
        return -1

    def reload(self) -> None:
        """Fetch again; keeps views' selection when the same records come back in order."""
        self.pending_reload = False
        if self.per_school and self.ctx.school_id is None:
            rows: list[Any] = []
        else:
            rows = self.fetch()
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                emit(self.dataChanged, self.index(0, 0),
                                      self.index(len(rows) - 1, len(self._columns) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def record_near(self, row: int) -> Any | None:
        """The record at ``row``, or None for no (or no longer a) row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def unique_name(self, base: str, taken: Sequence[str]) -> str:
        """``base``, or ``base 2``, ``base 3``... whichever is not in ``taken``."""
        names = set(taken)
        if base not in names:
            return base
        number = 2
        while f"{base} {number}" in names:
            number += 1
        return f"{base} {number}"

    def _normalise(self, column: Column, value: Any) -> object:
        if column.kind is Kind.OPTIONAL_NUMBER and value in (0, "", None):
            return None
        if column.kind is Kind.ROLES and value is not None and not isinstance(value, str):
            return sorted(str(v) for v in value)
        return value

    def _on_changed(self, changes: Changes, source: object) -> None:
        if source is not self and changes.touches(*self.shows, *self.depends_on):
            if isinstance(source, LiveRefresh) and self.may_wait():
                # Another computer's change to a tab nobody sees: read it when the tab
                # shows (on SQLite every such change names every kind, and would make all
                # tables of the page read again). Changes made here are read at once.
                self.pending_reload = True
            else:
                self.reload()

    def reload_if_pending(self) -> None:
        """Read the changes that waited while the table was not shown."""
        if self.pending_reload:
            self.reload()

    def _on_school_changed(self, _school_id: object) -> None:
        if self.per_school:
            self.reload()

    def detach(self) -> None:
        """Stop following the context (the view that showed this model is going away)."""
        self.ctx.changed.disconnect(self._on_changed)
        self.ctx.school_changed.disconnect(self._on_school_changed)


def _same(old: object, new: object) -> bool:
    if isinstance(old, list | tuple | frozenset | set) and isinstance(new, list | tuple | set):
        return sorted(map(str, old)) == sorted(map(str, new))
    return old == new
