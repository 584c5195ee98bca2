"""What changed in a drill's written record, posts and corrective actions after its all
clear, for the drill report, read from the audit log (services/audit). (Headcounts keep
their own history with reasons: services/headcounts.corrections.)

Only a correction (after the all clear) or an amendment (after sign-off) carries a reason
(services/drills), so the audit rows of the run with a reason are those changes; the ones
stored after the sign-off are amendments. Filling in the write-up after the all clear and
marking a corrective action done need no reason and are not listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from drillplanner.domain.audit import ABSENT, Action, AuditEntry
from drillplanner.domain.drill_runs import CorrectiveAction, DrillRun, Notification, PostAssignment
from drillplanner.domain.report_data import RecordChange, RecordField

_DETAILS = {f.value: f for f in (
    RecordField.CONDUCTED_BY, RecordField.NOTIFICATION, RecordField.STAFF_ON_DUTY,
    RecordField.CONDITIONS, RecordField.WEATHER, RecordField.OBSERVERS,
    RecordField.PROBLEMS, RecordField.NOTES)}
_POST_FIELDS = {"staff_name": RecordField.POST_STAFF,
                "cleared_at": RecordField.POST_CLEARED_AT,
                "cleared_by": RecordField.POST_CLEARED_BY}


def _value(field: RecordField, value: Any, zone: tzinfo | None) -> object:
    """A stored JSON value as the report shows it: None for blank, a Notification, an
    aware time in the school's zone."""
    if value is ABSENT or value is None or value == "":
        return None
    if field is RecordField.NOTIFICATION:
        try:
            return Notification(value)
        except ValueError:
            return str(value)
    if field is RecordField.POST_CLEARED_AT and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.replace(tzinfo=UTC).astimezone(zone) if moment.tzinfo is None else moment
    return value


def record_changes(entries: Sequence[AuditEntry], run: DrillRun,
                   posts: Iterable[PostAssignment], actions: Iterable[CorrectiveAction]
                   ) -> list[RecordChange]:
    """Corrections and amendments of the run's record fields, posts and actions, oldest
    first: each changed field of an audit row that has a reason."""
    zone = run.alarm_at.tzinfo if run.alarm_at else None
    post_names = {str(p.id): p.post for p in posts}
    action_names = {str(a.id): a.description for a in actions}
    found: list[RecordChange] = []
    for entry in sorted(entries, key=lambda e: e.id):
        if not entry.reason:
            continue
        if entry.entity == "drill_runs" and entry.action is Action.UPDATE:
            fields, subject = _DETAILS, ""
        elif entry.entity == "run_posts":
            subject = str(entry.new_values().get("post") or entry.old_values().get("post")
                          or post_names.get(entry.entity_id, ""))
            if entry.action is Action.INSERT:
                found.append(RecordChange(entry.at, entry.actor, entry.reason,
                                          RecordField.POST_ADDED, None, subject, subject))
                continue
            fields = _POST_FIELDS
        elif entry.entity == "corrective_actions" and entry.action is Action.INSERT:
            text = str(entry.new_values().get("description")
                       or action_names.get(entry.entity_id, ""))
            found.append(RecordChange(entry.at, entry.actor, entry.reason,
                                      RecordField.ACTION_ADDED, None, text, text))
            continue
        else:
            continue
        for change in entry.fields:
            field = fields.get(change.name)
            if field is None:
                continue
            old, new = _value(field, change.old, zone), _value(field, change.new, zone)
            if old != new:
                found.append(RecordChange(entry.at, entry.actor, entry.reason, field, old,
                                          new, subject))
    return found
