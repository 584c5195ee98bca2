"""Tables of drill runs: the History page's list, and a run's posts and corrective actions.

The editable cells save at once through ``ops.write``: a refusal goes to ``ctx.error`` (the
main window's message), a saved cell announces the run's DRILL change with the model as its
source (the model already shows the new value).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from drillplanner import i18n
from drillplanner.domain.drill_runs import (
    CorrectiveAction,
    DrillRun,
    PostAssignment,
    RecordStage,
    open_at_all_clear,
    run_status_label,
)
from drillplanner.domain.events import kind_label
from drillplanner.domain.headcount import Rollup
from drillplanner.i18n import N_, _
from drillplanner.services import drills
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.drill_style import mmss, target_text
from drillplanner.ui.models.readonly import ReadOnlyTableModel
from drillplanner.ui.models.table import ID_ROLE as TABLE_ID_ROLE
from drillplanner.ui.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex

#: The run id of a row of the runs table (the record id in the other tables).
ID_ROLE = TABLE_ID_ROLE


def run_summary(run: DrillRun, rollup: Rollup) -> str:
    """What happened in two lines: kind, title, status, times."""
    first = _("{kind}: {title} — {status}").format(kind=kind_label(run.kind), title=run.title,
                                                  status=run_status_label(run.status))
    if run.status_reason:
        first += _(" ({reason})").format(reason=run.status_reason)
    alarm = run.alarm_at.strftime("%Y-%m-%d %H:%M:%S") if run.alarm_at else "—"
    clear = run.all_clear_at.strftime("%H:%M:%S") if run.all_clear_at else "—"
    second = _("Alarm {alarm}, all clear {clear}, duration {duration}; everyone accounted "
               "for: {accountability}").format(
                   alarm=alarm, clear=clear, duration=mmss(run.duration),
                   accountability=target_text(rollup.time_to_accountability, rollup.target))
    lines = [first, second]
    if run.open_at_all_clear:
        lines.append(_("All clear given before everyone was accounted for: {what}.").format(
            what=open_at_all_clear(run)))
    if run.signed_at is not None:
        lines.append(_("Signed off by {name} on {at}: the record is locked; a change is an "
                       "amendment and needs a reason.").format(
            name=run.signed_by, at=run.signed_at.strftime("%Y-%m-%d %H:%M")))
    elif run.stage is RecordStage.COMPLETED:
        lines.append(_("Not signed off yet. Changing what was recorded is a correction and "
                       "needs a reason."))
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A run with its time to full accountability (from its roll-up)."""

    run: DrillRun
    accountability: timedelta | None
    target: timedelta | None

    @property
    def met_target(self) -> bool | None:
        if self.accountability is None or self.target is None:
            return None
        return self.accountability <= self.target


RUN_COLUMNS = (N_("Date"), N_("Kind"), N_("Title"), N_("Status"), N_("Duration"),
               N_("Time to accountability"), N_("Target met"))
DATE, KIND, TITLE, STATUS, DURATION, ACCOUNTABILITY, MET = range(len(RUN_COLUMNS))
MET_COLOURS = {True: "#c8e6c9", False: "#ffcdd2"}


def met_text(met: bool | None) -> str:
    if met is None:
        return "—"
    return _("Yes") if met else _("No")


class RunsModel(ReadOnlyTableModel[RunSummary]):
    """Drill runs, newest first, with their duration and time to accountability."""

    COLUMNS = RUN_COLUMNS

    def record_id(self, record: RunSummary) -> int:
        return record.run.id

    def summary(self, row: int) -> RunSummary:
        return self._rows[row]

    def text(self, record: RunSummary, column: int) -> str:
        run = record.run
        if column == DATE:
            return run.alarm_at.strftime("%Y-%m-%d %H:%M") if run.alarm_at else "—"
        if column == KIND:
            return kind_label(run.kind)
        if column == TITLE:
            return run.title if run.announced else _("{title} (unannounced)").format(
                title=run.title)
        if column == STATUS:
            label = run_status_label(run.status)
            return _("{status}: {reason}").format(status=label, reason=run.status_reason) \
                if run.status_reason else label
        if column == DURATION:
            return mmss(run.duration)
        if column == ACCOUNTABILITY:
            return mmss(record.accountability)
        return met_text(record.met_target)

    def extra(self, record: RunSummary, column: int, role: int) -> Any:
        met = record.met_target
        if column == MET and role == Qt.ItemDataRole.BackgroundRole and met is not None:
            return QBrush(QColor(MET_COLOURS[met]))
        if column in (DURATION, ACCOUNTABILITY) and \
                role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


POST_COLUMNS = (N_("Post"), N_("Staff"), N_("Cleared at"), N_("Cleared by"))


STAFF = 1


class PostsModel(ReadOnlyTableModel[PostAssignment]):
    """A run's floor and stairwell posts; with a context, the Staff column is editable
    (saved at once through ``drills.assign_post``, with the reason ``reason`` gives for a
    correction or amendment of a completed run)."""

    COLUMNS = POST_COLUMNS

    def __init__(self, parent: QObject | None = None, ctx: AppContext | None = None, *,
                 reason: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reason = reason

    def text(self, record: PostAssignment, column: int) -> str:
        values = (record.post, record.staff_name,
                  record.cleared_at.strftime("%H:%M:%S") if record.cleared_at else "—",
                  record.cleared_by)
        return values[column]

    def extra(self, record: PostAssignment, column: int, role: int) -> Any:
        if column == STAFF and role == Qt.ItemDataRole.EditRole:
            return record.staff_name
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.ctx is not None and index.isValid() and index.column() == STAFF:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if self.ctx is None or not index.isValid() or index.column() != STAFF or \
                role != Qt.ItemDataRole.EditRole:
            return False
        record: PostAssignment = self._rows[index.row()]
        staff_name = str(value).strip()
        reason = self.reason() if self.reason is not None else ""
        done = ops.write(self.ctx, None,
                         lambda db: drills.assign_post(db, record.id, staff_name,
                                                       reason=reason),
                         on_error=self._refused, source=self)
        if done is None:
            return False
        self._rows[index.row()] = done.value
        emit(self.dataChanged, index, index)
        return True

    def _refused(self, message: str) -> None:
        assert self.ctx is not None
        emit(self.ctx.error, message)


ACTION_COLUMNS = (N_("Done"), N_("Corrective action"), N_("Owner"), N_("Due"))
DONE, DESCRIPTION, OWNER, DUE = range(len(ACTION_COLUMNS))


class ActionsModel(ReadOnlyTableModel[CorrectiveAction]):
    """A run's corrective actions; the Done column is a check box saved at once."""

    COLUMNS = ACTION_COLUMNS

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def text(self, record: CorrectiveAction, column: int) -> str:
        if column == DONE:
            return ""
        if column == DESCRIPTION:
            return record.description
        if column == OWNER:
            return record.owner
        return i18n.format_date(record.due, "medium") if record.due else "—"

    def extra(self, record: CorrectiveAction, column: int, role: int) -> Any:
        if column == DONE and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if record.done else Qt.CheckState.Unchecked
        if column == DONE and role == Qt.ItemDataRole.AccessibleTextRole:
            return _("Done") if record.done else _("Not done")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == DONE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: AnyIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != DONE or \
                role != Qt.ItemDataRole.CheckStateRole:
            return False
        done = Qt.CheckState(value) == Qt.CheckState.Checked
        record: CorrectiveAction = self._rows[index.row()]
        saved = ops.write(self.ctx, None,
                          lambda db: drills.set_action_done(db, record.id, done),
                          on_error=self._refused, source=self)
        if saved is None:
            return False
        self._rows[index.row()] = saved.value
        emit(self.dataChanged, self.index(index.row(), DONE), self.index(index.row(), DUE))
        return True

    def _refused(self, message: str) -> None:
        emit(self.ctx.error, message)
