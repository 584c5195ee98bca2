"""The audit log as a table: when, who, which record, what changed (read-only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from drillplanner.domain.audit import Action, AuditEntry, action_label, change_text, entity_label
from drillplanner.i18n import N_, _
from drillplanner.ui.models.readonly import ReadOnlyTableModel

AUDIT_COLUMNS = (N_("When"), N_("Changed by"), N_("School"), N_("Drill"), N_("Record"),
                 N_("Change"), N_("Old → new"), N_("Reason"))
WHEN, WHO, SCHOOL, DRILL, RECORD, ACTION, CHANGES, REASON = range(len(AUDIT_COLUMNS))
ACTION_COLOURS = {Action.INSERT: "#e8f5e9", Action.DELETE: "#ffebee"}


class AuditModel(ReadOnlyTableModel[AuditEntry]):
    """Audit entries, newest first as the service gives them."""

    COLUMNS = AUDIT_COLUMNS

    def text(self, record: AuditEntry, column: int) -> str:
        if column == WHEN:
            return record.at.strftime("%Y-%m-%d %H:%M:%S")
        if column == WHO:
            return record.actor
        if column == SCHOOL:
            return record.school
        if column == DRILL:
            return "" if record.run_id is None else _("#{id}").format(id=record.run_id)
        if column == RECORD:
            return _("{what} #{id}").format(what=entity_label(record.entity),
                                            id=record.entity_id)
        if column == ACTION:
            return action_label(record.action)
        if column == CHANGES:
            return change_text(record)
        return record.reason

    def extra(self, record: AuditEntry, column: int, role: int) -> Any:
        if column == ACTION and role == Qt.ItemDataRole.BackgroundRole and \
                record.action in ACTION_COLOURS:
            return QBrush(QColor(ACTION_COLOURS[record.action]))
        return None
