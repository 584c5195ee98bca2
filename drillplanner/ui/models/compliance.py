"""A compliance report as a tree: each requirement, under it each period with its status."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from drillplanner import i18n
from drillplanner.domain.compliance import (
    ComplianceReport,
    HeldDrill,
    PeriodResult,
    PlannedDrill,
    Requirement,
    Status,
    describe_requirement,
    status_label,
)
from drillplanner.domain.events import kind_label
from drillplanner.i18n import N_, _, ngettext
from drillplanner.ui import calendar_style as style

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = (N_("Requirement / period"), N_("Status"), N_("Details"))
NAME, STATUS, DETAILS = range(len(COLUMNS))
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


def _days(items: tuple[HeldDrill, ...] | tuple[PlannedDrill, ...]) -> str:
    return _(", ").join(f"{item.day.month}-{item.day.day}" for item in items)


def period_details(result: PeriodResult) -> str:
    """What a period's status rests on, in a few words ("12 days left, still needed 1")."""
    if result.status is Status.MET:
        return _("held: {days}").format(days=_days(result.held))
    if result.status is Status.PLANNED:
        first = result.planned[0].day
        return ngettext("{n} planned, next {day}", "{n} planned, next {day}",
                        len(result.planned)).format(n=len(result.planned),
                                                    day=f"{first.month}-{first.day}")
    if result.status is Status.OPEN:
        text = ngettext("{days} day left, still needed {count}",
                        "{days} days left, still needed {count}", result.days_left).format(
                            days=result.days_left, count=result.still_needed)
        if result.planned:
            text += _("; ") + ngettext("{n} planned", "{n} planned",
                                       len(result.planned)).format(n=len(result.planned))
        return text
    return ngettext("held {held} of {required}", "held {held} of {required}",
                    result.required).format(held=len(result.held), required=result.required)


def period_tooltip(result: PeriodResult) -> str:
    """Everything about a period: dates, status, and which drills count or are planned."""
    lines = [_("{label}: {start} – {end}").format(
        label=result.label, start=i18n.format_date(result.start),
        end=i18n.format_date(result.end)), status_label(result.status),
        period_details(result)]
    lines += [_("held: {drill}").format(drill=held.ref or _("{day} {kind}").format(
        day=i18n.format_date(held.day), kind=kind_label(held.kind))) for held in result.held]
    lines += [_("planned: {drill}").format(drill=planned.ref or _("{day} {kind}").format(
        day=i18n.format_date(planned.day), kind=kind_label(planned.kind)))
        for planned in result.planned[:10]]
    if len(result.planned) > 10:
        lines.append(_("… and {n} more").format(n=len(result.planned) - 10))
    return "\n".join(lines)


class ComplianceModel(QAbstractItemModel):
    """Read-only tree: requirements at the top (worst status of their periods), periods below.

    An index's internal id is 0 for a requirement and 1 + the requirement's row for a period.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._report: ComplianceReport | None = None
        self._groups: list[tuple[Requirement, tuple[PeriodResult, ...]]] = []

    def set_report(self, report: ComplianceReport | None) -> None:
        self.beginResetModel()
        self._report = report
        self._groups = list(report.by_requirement().items()) if report is not None else []
        self.endResetModel()

    @property
    def report(self) -> ComplianceReport | None:
        return self._report

    def period(self, index: AnyIndex) -> PeriodResult | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def requirement(self, index: AnyIndex) -> Requirement | None:
        if not index.isValid():
            return None
        group = index.row() if index.internalId() == 0 else index.internalId() - 1
        return self._groups[group][0]

    # Qt model interface -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return _(COLUMNS[section])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _status(self, index: AnyIndex) -> Status:
        result = self.period(index)
        if result is not None:
            return result.status
        requirement = self.requirement(index)
        assert requirement is not None and self._report is not None
        return self._report.status_of(requirement)

    def _text(self, index: AnyIndex) -> str:
        result = self.period(index)
        column = index.column()
        if result is None:
            requirement = self.requirement(index)
            assert requirement is not None
            if column == NAME:
                # The view spans this cell over the row: the status goes with the name.
                return _("{requirement}: {status}").format(
                    requirement=requirement.label(), status=status_label(self._status(index)))
            if column == STATUS:
                return status_label(self._status(index))
            return describe_requirement(requirement)
        if column == NAME:
            return result.label
        if column == STATUS:
            return status_label(result.status)
        return period_details(result)

    def _tooltip(self, index: AnyIndex) -> str:
        result = self.period(index)
        if result is not None:
            return period_tooltip(result)
        requirement = self.requirement(index)
        assert requirement is not None
        return describe_requirement(requirement)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._tooltip(index)
        top = index.internalId() == 0
        if role == Qt.ItemDataRole.BackgroundRole and (top or index.column() != NAME):
            return QBrush(QColor(style.STATUS_COLOURS[self._status(index)]))
        if role == Qt.ItemDataRole.ForegroundRole and (top or index.column() != NAME):
            return QBrush(QColor("#000000"))
        if role == Qt.ItemDataRole.FontRole and top:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and index.column() == STATUS:
            return QColor(style.STATUS_MARKS[self._status(index)])
        if role == STATUS_ROLE:
            return self._status(index).value
        return None
