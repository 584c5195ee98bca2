"""The audit log as values: its canonical form, the hash chain and the check of the chain.

Every write appends audit rows (``storage/audit.py``); each row stores
``hash = sha256(prev_hash ‖ canonical content)``, where the content is the canonical JSON of
the row's id, time, actor, school, run, entity, entity id, action, old and new values and
reason. Canonical JSON has sorted keys, no whitespace, ISO dates and times and keeps
Chinese as it is, so the same row always gives the same bytes. ``check_chain`` walks the
rows in id order and names the first one altered or removed behind the app's back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from drillplanner.i18n import N_, _


class Action(StrEnum):
    """What happened to a record (stable names: they are stored)."""

    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


def plain(value: Any) -> Any:
    """``value`` as JSON can hold it: dates and times in ISO form, enums by value."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def _other(value: Any) -> Any:
    converted = plain(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not a JSON value")
    return converted


# Built once: an import hashes tens of thousands of rows, and building the encoder cost
# as much as encoding.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              default=_other)


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, ISO dates, Chinese kept as it is."""
    # The C encoder walks the value; only what JSON lacks (dates, enums…) comes to _other.
    return _CANONICAL.encode(value)


@dataclass(frozen=True, slots=True)
class ChainRow:
    """One stored audit row, as read back for the check. ``at`` is naive UTC (or the raw
    text when the database holds something that is not a time)."""

    id: int
    at: datetime | str
    actor: str
    school_id: int | None
    run_id: int | None
    entity: str
    entity_id: str
    action: str
    old: str
    new: str
    reason: str
    prev_hash: str
    hash: str

    def content(self) -> str:
        return content_of(id=self.id, at=self.at, actor=self.actor, school_id=self.school_id,
                          run_id=self.run_id, entity=self.entity, entity_id=self.entity_id,
                          action=self.action, old=self.old, new=self.new, reason=self.reason)


def content_of(*, id: int, at: datetime | str, actor: str, school_id: int | None,
               run_id: int | None, entity: str, entity_id: str, action: str, old: str,
               new: str, reason: str) -> str:
    """The canonical content a row's hash covers (``old`` and ``new`` as stored text)."""
    return canonical_json({
        "id": id, "at": at, "actor": actor, "school_id": school_id, "run_id": run_id,
        "entity": entity, "entity_id": entity_id, "action": action, "old": old, "new": new,
        "reason": reason})


def chain_hash(prev_hash: str, content: str) -> str:
    """sha256(previous hash ‖ content), in hex."""
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


class BreakKind(StrEnum):
    #: The row's content no longer matches its hash (or its link to the row before).
    ALTERED = "altered"
    #: Rows are missing: an id gap, or the first rows of the log.
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first place the chain is broken: ``row_id`` is the first row altered or removed
    (for removed rows, ``last_id`` is the last one missing)."""

    row_id: int
    kind: BreakKind
    last_id: int | None = None
    #: The row after the break, where it was found.
    found_at: int | None = None

    def describe(self) -> str:
        if self.kind is BreakKind.REMOVED:
            if self.last_id is not None and self.last_id != self.row_id:
                return _("rows {first}–{last} were removed (the chain resumes at row "
                         "{next}).").format(first=self.row_id, last=self.last_id,
                                            next=self.found_at)
            return _("row {id} was removed (the chain resumes at row {next}).").format(
                id=self.row_id, next=self.found_at)
        if self.found_at is not None and self.found_at != self.row_id:
            return _("row {id} was altered: the next row, {next}, no longer links to its "
                     "hash.").format(id=self.row_id, next=self.found_at)
        return _("row {id} was altered: its content no longer matches its hash.").format(
            id=self.row_id)


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """What a check of the whole chain found."""

    rows: int
    #: The hash of the last row (empty for an empty log).
    latest_hash: str
    problem: ChainBreak | None

    @property
    def whole(self) -> bool:
        return self.problem is None


def check_chain(rows: Iterable[ChainRow]) -> ChainCheck:
    """Walk ``rows`` in id order; the first break, or none.

    Ids start at 1 and have no gaps (the writer numbers them); each row's hash covers its
    content and the hash before it. Removing the *last* rows leaves a shorter chain that
    is still whole: a chain cannot show that; a hash printed elsewhere (a signed report) can.
    """
    count = 0
    previous_id = 0
    previous_hash = ""
    for row in rows:
        count += 1
        if row.id != previous_id + 1:
            return ChainCheck(count, previous_hash, ChainBreak(
                previous_id + 1, BreakKind.REMOVED, last_id=row.id - 1, found_at=row.id))
        if chain_hash(row.prev_hash, row.content()) != row.hash:
            return ChainCheck(count, previous_hash, ChainBreak(row.id, BreakKind.ALTERED))
        if row.prev_hash != previous_hash:
            # This row is intact but does not follow the row before it: that row was
            # changed and its hash written anew.
            return ChainCheck(count, previous_hash, ChainBreak(
                previous_id, BreakKind.ALTERED, found_at=row.id) if previous_id else
                ChainBreak(row.id, BreakKind.ALTERED))
        previous_id, previous_hash = row.id, row.hash
    return ChainCheck(count, previous_hash, None)


# Showing entries -----------------------------------------------------------------------------

#: Sentinel for "no value on this side" (an insert has no old values, a delete no new).
ABSENT: Any = object()


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One column of a record: its old and new values (JSON values, or ABSENT)."""

    name: str
    old: Any = ABSENT
    new: Any = ABSENT


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the log as the faces show it; ``at`` is in the school's time zone (the
    computer's when the row belongs to no school)."""

    id: int
    at: datetime
    actor: str
    school_id: int | None
    school: str
    run_id: int | None
    entity: str
    entity_id: str
    action: Action
    fields: tuple[FieldChange, ...]
    reason: str
    hash: str

    def old_values(self) -> dict[str, Any]:
        return {f.name: f.old for f in self.fields if f.old is not ABSENT}

    def new_values(self) -> dict[str, Any]:
        return {f.name: f.new for f in self.fields if f.new is not ABSENT}


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
                  ) -> tuple[FieldChange, ...]:
    """The columns of ``old`` and ``new`` side by side, in name order."""
    before, after = old or {}, new or {}
    return tuple(FieldChange(name, before.get(name, ABSENT), after.get(name, ABSENT))
                 for name in sorted(set(before) | set(after)))


ENTITY_LABELS: dict[str, str] = {
    "schools": N_("School"),
    "buildings": N_("Building"),
    "floors": N_("Floor"),
    "assembly_areas": N_("Assembly area"),
    "routes": N_("Route"),
    "staff": N_("Staff member"),
    "staff_roles": N_("Staff role"),
    "grades": N_("Grade"),
    "classes": N_("Class"),
    "school_years": N_("School year"),
    "terms": N_("Term"),
    "calendar_days": N_("Calendar entry"),
    "events": N_("Event"),
    "event_grades": N_("Grade of an event"),
    "event_classes": N_("Class of an event"),
    "occurrence_changes": N_("Moved or cancelled occurrence"),
    "compliance_profiles": N_("Compliance profile"),
    "drill_runs": N_("Drill"),
    "run_classes": N_("Class in a drill"),
    "headcounts": N_("Headcount"),
    "missing_found": N_("Students found"),
    "run_posts": N_("Post"),
    "corrective_actions": N_("Corrective action"),
}

ACTION_LABELS: dict[Action, str] = {
    Action.INSERT: N_("added"),
    Action.UPDATE: N_("changed"),
    Action.DELETE: N_("removed"),
}


def entity_label(entity: str) -> str:
    """What a table's records are called ("drill_runs" → "Drill"); the name if unknown."""
    label = ENTITY_LABELS.get(entity)
    return _(label) if label else entity


def action_label(action: Action) -> str:
    return _(ACTION_LABELS[action])


def value_text(value: Any) -> str:
    """A JSON value for reading: text in quotes, nothing as "—"."""
    if value is ABSENT or value is None:
        return "—"
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def change_text(entry: AuditEntry) -> str:
    """What changed, in one line: "notes: “” → “雨天”; weather: …" (for a removal, the old
    values; for an addition, the new ones)."""
    parts = []
    for change in entry.fields:
        if entry.action is Action.UPDATE:
            parts.append(f"{change.name}: {value_text(change.old)} → {value_text(change.new)}")
        elif entry.action is Action.INSERT:
            parts.append(f"{change.name}: {value_text(change.new)}")
        else:
            parts.append(f"{change.name}: {value_text(change.old)}")
    return _("; ").join(parts)
