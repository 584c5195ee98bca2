"""A month as a 6 x 7 table model (weeks start on Monday): days, their kind, occurrences."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from drillplanner import i18n
from drillplanner.domain.events import Occurrence, kind_label
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.i18n import _
from drillplanner.ui import calendar_style as style

AnyIndex = QModelIndex | QPersistentModelIndex

ROWS = 6
COLUMNS = 7

#: Custom roles the month delegate reads (Python values).
DATE_ROLE = Qt.ItemDataRole.UserRole + 1
OCCURRENCES_ROLE = Qt.ItemDataRole.UserRole + 2
IN_MONTH_ROLE = Qt.ItemDataRole.UserRole + 3
TODAY_ROLE = Qt.ItemDataRole.UserRole + 4
BADGES_ROLE = Qt.ItemDataRole.UserRole + 5
SCHOOL_DAY_ROLE = Qt.ItemDataRole.UserRole + 6


def grid_start(month: date) -> date:
    """The Monday on or before the first of ``month``: the grid's top-left day."""
    first = month.replace(day=1)
    return first - timedelta(days=first.weekday())


def grid_days(month: date) -> tuple[date, date]:
    """The first and last day the 6-week grid of ``month`` shows."""
    start = grid_start(month)
    return start, start + timedelta(days=ROWS * COLUMNS - 1)


class MonthModel(QAbstractTableModel):
    """Read-only: one cell per day of the grid. The page fills it; it holds no session."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._month = date.today().replace(day=1)
        self._today = date.today()
        self._calendar = SchoolCalendar()
        self._by_day: dict[date, list[Occurrence]] = {}

    # Filling ----------------------------------------------------------------------------

    def set_month(self, month: date, calendar: SchoolCalendar,
                  occurrences: Sequence[Occurrence], today: date) -> None:
        """Show ``month`` with the school's ``calendar`` and the grid's ``occurrences``."""
        by_day: dict[date, list[Occurrence]] = defaultdict(list)
        for occurrence in occurrences:
            by_day[occurrence.day].append(occurrence)
        for items in by_day.values():
            items.sort(key=lambda o: (o.start, o.title))
        self.beginResetModel()
        self._month = month.replace(day=1)
        self._calendar = calendar
        self._by_day = dict(by_day)
        self._today = today
        self.endResetModel()

    @property
    def month(self) -> date:
        return self._month

    @property
    def calendar(self) -> SchoolCalendar:
        return self._calendar

    def first_day(self) -> date:
        return grid_start(self._month)

    def day_at(self, row: int, column: int) -> date:
        return self.first_day() + timedelta(days=row * COLUMNS + column)

    def index_of(self, day: date) -> QModelIndex:
        """The cell showing ``day`` (invalid when the grid does not show it)."""
        offset = (day - self.first_day()).days
        if not 0 <= offset < ROWS * COLUMNS:
            return QModelIndex()
        return self.index(offset // COLUMNS, offset % COLUMNS)

    def occurrences_on(self, day: date) -> list[Occurrence]:
        return list(self._by_day.get(day, ()))

    def day_summary(self, day: date) -> str:
        """The day in words, for tooltips and screen readers."""
        parts = [i18n.format_date(day, "full")]
        if not self._calendar.is_school_day(day):
            parts.append(_("no school"))
        parts.extend(style.day_badges(self._calendar, day))
        occurrences = self.occurrences_on(day)
        lines = [_("; ").join(parts)]
        lines += [_("{time} {kind}: {title}").format(
            time=style.time_text(o.start), kind=kind_label(o.kind), title=o.title)
            + (_(" (moved)") if o.moved else "") for o in occurrences]
        if not occurrences:
            lines.append(_("nothing planned"))
        return "\n".join(lines)

    # Qt model interface -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else ROWS

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < COLUMNS:
            if role == Qt.ItemDataRole.DisplayRole:
                return style.weekday_names()[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return style.weekday_names("wide")[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < ROWS \
                and role == Qt.ItemDataRole.DisplayRole:
            monday = self.first_day() + timedelta(days=section * COLUMNS)
            return str(monday.isocalendar().week)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        day = self.day_at(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return str(day.day)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.day_summary(day)
        if role == Qt.ItemDataRole.BackgroundRole:
            return style.day_background(self._calendar, day)
        if role == DATE_ROLE:
            return day.isoformat()
        if role == OCCURRENCES_ROLE:
            return self.occurrences_on(day)
        if role == IN_MONTH_ROLE:
            return day.month == self._month.month and day.year == self._month.year
        if role == TODAY_ROLE:
            return day == self._today
        if role == BADGES_ROLE:
            return style.day_badges(self._calendar, day)
        if role == SCHOOL_DAY_ROLE:
            return self._calendar.is_school_day(day)
        return None
