"""The drill console's tiles: a flat list of grade headers, each followed by its classes.

A flat list (rather than a tree) lets one QListView flow the tiles of all grades, with a
header row as wide as the view starting each grade, so arrow keys move across the whole
school. The model holds the latest roll-up; a reload that keeps the same classes only
reports changed rows, so the selected tile stays selected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.headcount import ClassStatus, GradeRollup, Rollup, Totals, stage_label
from drillplanner.i18n import _, ngettext
from drillplanner.ui.drill_style import TileState, target_text, tile_state, tile_state_label
from drillplanner.ui.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex

#: True for a grade header row, False for a class tile.
IS_GRADE_ROLE = Qt.ItemDataRole.UserRole + 1
#: The class id of a tile (None for a header).
CLASS_ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: The TileState of a tile (None for a header).
STATE_ROLE = Qt.ItemDataRole.UserRole + 3
#: The ClassStatus of a tile, or the GradeRollup of a header.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 4
#: A tile's lines: (short name, "present/expected", third line); a header's: (grade name,
#: totals in one line, "present/expected", what is outstanding).
LINES_ROLE = Qt.ItemDataRole.UserRole + 5
#: True when the row (a tile, or a header's third line) needs attention: someone missing.
ALERT_ROLE = Qt.ItemDataRole.UserRole + 6
#: Why the signed-in user may not record the class's headcount (None: they may).
REFUSAL_ROLE = Qt.ItemDataRole.UserRole + 7
#: True for a class the user may record while others' are refused: one of "theirs".
MINE_ROLE = Qt.ItemDataRole.UserRole + 8

Row = GradeRollup | ClassStatus


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "2班" before "10班" (numbers by value, the rest as text)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", name) if part)


def in_class_order(classes: Iterable[ClassStatus]) -> list[ClassStatus]:
    """A grade's classes in the order people count them (1班, 2班, … 10班)."""
    return sorted(classes, key=lambda s: natural_key(s.info.name))


def short_name(status: ClassStatus) -> str:
    """"2班" for "一年级2班" (the grade header already names the grade)."""
    name, grade = status.info.name, status.info.grade_name
    return name[len(grade):] if name.startswith(grade) and len(name) > len(grade) else name


def count_text(status: ClassStatus) -> str:
    """Accounted for (present, or found later) of expected ("43/45"); before a report, "—/"
    and the enrolment."""
    if status.figures is None:
        return f"—/{status.info.enrolled}"
    return f"{status.accounted}/{status.figures.expected}"


def grade_count_text(totals: Totals) -> str:
    """A grade's accounted for of expected ("280/280"); before any report, "—/" and
    enrolment."""
    if not totals.reported:
        return f"—/{totals.enrolled}"
    return f"{totals.accounted}/{totals.expected}"


def moment_text(moment: datetime | None) -> str:
    """A time of the drill's day ("10:02:11"); "—" for none."""
    return moment.strftime("%H:%M:%S") if moment is not None else "—"


def typed_text(moment: datetime, day: datetime | None) -> str:
    """When something was typed: the time, with the date when it was not the drill's day."""
    if day is not None and moment.date() == day.date():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


def record_lines(status: ClassStatus) -> list[str]:
    """Who reported and when, who verified and when (beside the reporter, never instead),
    and the latest correction of the completed record with its reason."""
    if status.figures is None:
        return []
    reporter = status.reported_by or _("unnamed")
    lines = [_("Reported by {name} at {time}").format(name=reporter,
                                                        time=moment_text(status.reported_at))]
    earlier = status.earlier_check
    if status.verified_by:
        lines.append(_("Verified by {name} at {time}").format(
            name=status.verified_by, time=moment_text(status.verified_at)))
    elif earlier is not None:
        lines.append(_("Not verified since the latest report (an earlier one was verified "
                       "by {name} at {time})").format(name=earlier.recorded_by,
                                                      time=moment_text(earlier.reported_at)))
    else:
        lines.append(_("Not verified yet"))
    if status.found:
        lines.append(ngettext("{n} found later", "{n} found later", status.found).format(
            n=status.found))
    correction = status.correction
    if correction is not None:
        lines.append(_("{stage} by {name} at {when}: {reason}").format(
            stage=stage_label(correction.stage), name=correction.recorded_by or _("unnamed"),
            when=typed_text(correction.recorded_at, status.reported_at),
            reason=correction.reason))
    return lines


def grade_outstanding(totals: Totals) -> str:
    """What a grade still lacks: missing students, else classes out, else nothing."""
    if totals.still_missing:
        return ngettext("{n} missing", "{n} missing", totals.still_missing).format(
            n=totals.still_missing)
    if totals.still_out:
        return ngettext("{n} class out", "{n} classes out", totals.still_out).format(
            n=totals.still_out)
    return _("all reported")


def third_line(status: ClassStatus) -> str:
    state = tile_state(status)
    if state is TileState.MISSING:
        return ngettext("{n} missing", "{n} missing", status.still_missing).format(
            n=status.still_missing)
    return tile_state_label(state)


def totals_text(totals: Totals) -> str:
    """A grade's or the school's figures in one line."""
    if not totals.reported:
        return ngettext("not reported yet: {n} class, {enrolled} enrolled",
                        "not reported yet: {n} classes, {enrolled} enrolled",
                        totals.classes).format(n=totals.classes, enrolled=totals.enrolled)
    parts = [_("accounted for {accounted} of {expected} expected").format(
        accounted=totals.accounted, expected=totals.expected)]
    if totals.found:
        parts.append(ngettext("{n} found later", "{n} found later", totals.found).format(
            n=totals.found))
    if totals.still_missing:
        parts.append(ngettext("{n} missing", "{n} missing", totals.still_missing).format(
            n=totals.still_missing))
    if totals.injured:
        parts.append(ngettext("{n} injured", "{n} injured", totals.injured).format(
            n=totals.injured))
    if totals.still_out:
        parts.append(ngettext("{n} class still out", "{n} classes still out",
                              totals.still_out).format(n=totals.still_out))
    else:
        parts.append(_("all classes reported"))
    return _(" · ").join(parts)


def tile_description(status: ClassStatus) -> str:
    """What a screen reader (and the tooltip) says about a tile."""
    state = tile_state(status)
    if status.figures is None:
        return _("{name}: not reported ({enrolled} enrolled)").format(
            name=status.info.name, enrolled=status.info.enrolled)
    f = status.figures
    text = _("{name}: {state}. Present {present} of {expected} expected "
             "(enrolled {enrolled}, absent {absent}), missing {missing}").format(
                 name=status.info.name, state=tile_state_label(state), present=f.present,
                 expected=f.expected, enrolled=f.enrolled, absent=f.absent,
                 missing=status.still_missing)
    if f.injured:
        text += _(", injured {n}").format(n=f.injured)
    if f.with_us:
        text += _(", {n} from other classes with them").format(n=f.with_us)
    return text + ".\n" + "\n".join(record_lines(status))


def accountability_text(rollup: Rollup) -> str:
    """How far the school is from full accountability, or when it got there."""
    totals = rollup.totals
    if rollup.time_to_accountability is not None and rollup.accounted_at is not None:
        return _("Everyone accounted for at {time}: {elapsed}").format(
            time=rollup.accounted_at.strftime("%H:%M:%S"),
            elapsed=target_text(rollup.time_to_accountability, rollup.target))
    text = _("{reported} of {classes} classes reported").format(
        reported=totals.reported, classes=totals.classes)
    if totals.still_missing:
        text += "\n" + ngettext("{n} student missing", "{n} students missing",
                                totals.still_missing).format(n=totals.still_missing)
    return text


def closed_text(run: DrillRun) -> str:
    """What the read-only console says about its closed record."""
    clear = run.all_clear_at.strftime("%H:%M:%S") if run.all_clear_at else "—"
    if run.signed_at is not None:
        text = _("This drill is completed (all clear at {time}) and signed off: its "
                 "record is locked.").format(time=clear)
        how = _("To amend a class, select its tile and choose Correct… (C), or open "
                "its history (H); an amendment needs a reason.")
    else:
        text = _("This drill is completed (all clear at {time}): its record is closed "
                 "for entries.").format(time=clear)
        how = _("To correct a class, select its tile and choose Correct… (C), or open "
                "its history (H); a correction needs a reason.")
    return text + " " + how


class TileModel(QAbstractListModel):
    """Grade headers and class tiles of one drill run's roll-up (read-only)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._keys: list[tuple[bool, int]] = []
        self._refusals: dict[int, str | None] = {}
        self._limited = False

    def set_rollup(self, rollup: Rollup | None) -> None:
        rows: list[Row] = []
        for grade in rollup.grades if rollup is not None else ():
            rows.append(grade)
            rows.extend(in_class_order(grade.classes))
        keys = [self._key(row) for row in rows]
        if keys == self._keys and rows:
            self._rows = rows
            emit_changed(self, 0, len(rows) - 1)
            return
        self.beginResetModel()
        self._rows, self._keys = rows, keys
        self.endResetModel()

    def set_refusals(self, refusals: dict[int, str | None]) -> None:
        """Per class id, why the user may not record it (None: they may)."""
        self._refusals = dict(refusals)
        reasons = list(refusals.values())
        # Only when some classes are the user's and others not do tiles say whose.
        self._limited = None in reasons and any(r is not None for r in reasons)
        if self._rows:
            emit_changed(self, 0, len(self._rows) - 1)

    @staticmethod
    def _key(row: Row) -> tuple[bool, int]:
        if isinstance(row, GradeRollup):
            return True, row.grade_id
        return False, row.info.class_id

    def row_of_class(self, class_id: int) -> int:
        try:
            return self._keys.index((False, class_id))
        except ValueError:
            return -1

    def class_statuses(self) -> list[ClassStatus]:
        return [row for row in self._rows if isinstance(row, ClassStatus)]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], GradeRollup):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractListModel.CheckIndexOption.IndexIsValid):
            return None
        row = self._rows[index.row()]
        if isinstance(row, GradeRollup):
            return self._grade_data(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.info.name} {count_text(row)}"
        refused = self._refusals.get(row.info.class_id)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if refused is not None:
                return tile_description(row) + "\n\n" + refused
            if self._limited:
                return tile_description(row) + "\n\n" + _(
                    "Your class: you can record its headcount.")
            return tile_description(row)
        if role == REFUSAL_ROLE:
            return refused
        if role == MINE_ROLE:
            return self._limited and refused is None
        if role == IS_GRADE_ROLE:
            return False
        if role == CLASS_ID_ROLE:
            return row.info.class_id
        if role == STATE_ROLE:
            return tile_state(row)
        if role == RECORD_ROLE:
            return row
        if role == LINES_ROLE:
            return (short_name(row), count_text(row), third_line(row))
        if role == ALERT_ROLE:
            return row.still_missing > 0
        return None

    @staticmethod
    def _grade_data(grade: GradeRollup, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return grade.grade_name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{grade.grade_name}: {totals_text(grade.totals)}"
        if role == IS_GRADE_ROLE:
            return True
        if role == RECORD_ROLE:
            return grade
        if role == LINES_ROLE:
            return (grade.grade_name, totals_text(grade.totals),
                    grade_count_text(grade.totals), grade_outstanding(grade.totals))
        if role == ALERT_ROLE:
            return grade.totals.still_missing > 0
        return None


def emit_changed(model: QAbstractListModel, first: int, last: int) -> None:
    """dataChanged for rows ``first``..``last`` (through the repairing emit)."""
    emit(model.dataChanged, model.index(first, 0), model.index(last, 0))
