"""Tables of a drill run's headcounts: the roll-up (classes with grade and school totals)
and one class's report history (old → new)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from drillplanner.domain.headcount import ClassStatus, Figures, Rollup, Totals, stage_label
from drillplanner.domain.headcount_history import HistoryItem
from drillplanner.i18n import N_, _, ngettext
from drillplanner.ui.drill_style import tile_colours, tile_state, tile_state_label
from drillplanner.ui.models.headcount import in_class_order, typed_text
from drillplanner.ui.models.readonly import ReadOnlyTableModel

AnyIndex = QModelIndex | QPersistentModelIndex

#: The class id of a roll-up row (None for a total row).
CLASS_ID_ROLE = Qt.ItemDataRole.UserRole + 1

ROLLUP_COLUMNS = (N_("Class"), N_("State"), N_("Enrolled"), N_("Absent"), N_("Expected"),
                  N_("Present"), N_("Missing"), N_("Found later"), N_("Still missing"),
                  N_("Accounted"), N_("Injured"), N_("With us"), N_("Reported at"),
                  N_("Reported by"), N_("Checked by"), N_("Checked at"), N_("Corrected"))
(NAME, STATE, ENROLLED, ABSENT, EXPECTED, PRESENT, MISSING, FOUND, STILL_MISSING, ACCOUNTED,
 INJURED, WITH_US, REPORTED_AT, REPORTED_BY, CHECKED_BY, CHECKED_AT,
 CORRECTED) = range(len(ROLLUP_COLUMNS))


GRADE_TOTAL_FILL = "#eceff1"
SCHOOL_TOTAL_FILL = "#cfd8dc"


@dataclass(frozen=True, slots=True)
class TotalRow:
    name: str
    totals: Totals
    school: bool = False


def _header(columns: Sequence[str], section: int, orientation: Qt.Orientation,
            role: int, rows: int) -> Any:
    if role != Qt.ItemDataRole.DisplayRole:
        return None
    if orientation == Qt.Orientation.Horizontal and 0 <= section < len(columns):
        return _(columns[section])
    if orientation == Qt.Orientation.Vertical and 0 <= section < rows:
        return str(section + 1)
    return None


class RollupTableModel(QAbstractTableModel):
    """Each grade's classes followed by the grade's total; the school's total last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ClassStatus | TotalRow] = []

    def set_rollup(self, rollup: Rollup | None) -> None:
        self.beginResetModel()
        self._rows = []
        if rollup is not None:
            for grade in rollup.grades:
                self._rows.extend(in_class_order(grade.classes))
                self._rows.append(TotalRow(_("{grade} total").format(grade=grade.grade_name),
                                           grade.totals))
            if rollup.grades:
                self._rows.append(TotalRow(_("School total"), rollup.totals, school=True))
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ROLLUP_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return _header(ROLLUP_COLUMNS, section, orientation, role, len(self._rows))

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if isinstance(row, TotalRow):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._total_text(row, column)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(SCHOOL_TOTAL_FILL if row.school else GRADE_TOTAL_FILL))
            if role == Qt.ItemDataRole.TextAlignmentRole and ENROLLED <= column <= WITH_US:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._class_text(row, column)
        if role == CLASS_ID_ROLE:
            return row.info.class_id
        if column == STATE and role in (Qt.ItemDataRole.BackgroundRole,
                                        Qt.ItemDataRole.ForegroundRole):
            fill, text, _edge = tile_colours(tile_state(row))
            return QBrush(fill if role == Qt.ItemDataRole.BackgroundRole else text)
        if role == Qt.ItemDataRole.TextAlignmentRole and ENROLLED <= column <= WITH_US:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _total_text(row: TotalRow, column: int) -> str:
        t = row.totals
        values = {NAME: row.name, STATE: _("{reported} of {classes} reported").format(
            reported=t.reported, classes=t.classes), ENROLLED: t.enrolled, ABSENT: t.absent,
            EXPECTED: t.expected, PRESENT: t.present, MISSING: t.missing, FOUND: t.found,
            STILL_MISSING: t.still_missing, ACCOUNTED: t.accounted, INJURED: t.injured,
            WITH_US: t.with_us}
        value = values.get(column, "")
        return str(value)

    @staticmethod
    def _class_text(status: ClassStatus, column: int) -> str:
        if column == NAME:
            return status.info.name
        if column == STATE:
            return tile_state_label(tile_state(status))
        if column == ENROLLED:
            return str(status.info.enrolled)
        f = status.figures
        if f is None:
            return ""
        correction = status.correction
        values: dict[int, object] = {
            ABSENT: f.absent, EXPECTED: f.expected, PRESENT: f.present, MISSING: f.missing,
            FOUND: status.found, STILL_MISSING: status.still_missing,
            ACCOUNTED: status.accounted, INJURED: f.injured, WITH_US: f.with_us,
            REPORTED_AT: status.reported_at.strftime("%H:%M:%S") if status.reported_at else "",
            REPORTED_BY: status.reported_by, CHECKED_BY: status.verified_by,
            CHECKED_AT: status.verified_at.strftime("%H:%M:%S") if status.verified_at else "",
            CORRECTED: "" if correction is None else _("{stage}: {reason}").format(
                stage=stage_label(correction.stage), reason=correction.reason)}
        return str(values.get(column, ""))


HISTORY_COLUMNS = (N_("Recorded at"), N_("Reported at"), N_("By"), N_("Change"),
                   N_("Stage"), N_("Reason"))
RECORDED, REPORTED, BY, CHANGE, STAGE_COLUMN, REASON = range(len(HISTORY_COLUMNS))


def figures_text(figures: Figures | None) -> str:
    """"present 44 of 45, missing 1, absent 2" (— for no report)."""
    if figures is None:
        return "—"
    text = _("present {present} of {expected}, missing {missing}").format(
        present=figures.present, expected=figures.expected, missing=figures.missing)
    if figures.absent:
        text += _(", absent {n}").format(n=figures.absent)
    if figures.injured:
        text += _(", injured {n}").format(n=figures.injured)
    if figures.with_us:
        text += _(", with us {n}").format(n=figures.with_us)
    if figures.missing_names:
        text += _(" ({names})").format(names=_(", ").join(figures.missing_names))
    return text


def change_text(item: HistoryItem) -> str:
    found = item.found
    if found is not None:
        return ngettext("{n} found at {where}; still missing {old} → {new}",
                        "{n} found at {where}; still missing {old} → {new}",
                        found.count).format(n=found.count, where=found.found_where,
                                            old=item.missing_before, new=item.missing_after)
    if item.verified:
        return _("checked by the grade leader")
    return _("{old} → {new}").format(old=figures_text(item.old), new=figures_text(item.new))


class HistoryModel(ReadOnlyTableModel[HistoryItem]):
    """One class's entries, oldest first."""

    COLUMNS = HISTORY_COLUMNS

    def text(self, item: HistoryItem, column: int) -> str:
        if column == RECORDED:
            return typed_text(item.recorded_at, item.reported_at)
        if column == REPORTED:
            return item.reported_at.strftime("%H:%M:%S")
        if column == BY:
            return item.recorded_by or "—"
        if column == STAGE_COLUMN:
            return stage_label(item.stage)
        if column == REASON:
            return item.reason
        return change_text(item)
