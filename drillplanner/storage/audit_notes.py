"""One audit note per changed row: which table and record, its school and drill, old and
new values (secrets masked, bookkeeping columns left out), derived from the schema once per
table so that new tables need nothing here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from drillplanner.domain.audit import Action

#: What the log holds instead of a secret value (see ``_TableInfo.secret``).
HIDDEN = "***"


@dataclass(slots=True)
class Note:
    entity: str
    entity_id: str
    action: Action
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    run_id: int | None
    school_id: int | None
    reason: str
    #: Where the school comes from when the row has none: (parent table, parent id).
    parent: tuple[Table, Any] | None = None


@dataclass(frozen=True, slots=True)
class _TableInfo:
    """How a table's rows find their school and drill run."""

    school_column: str | None
    run_column: str | None
    #: (own column, parent table) for the school: a parent table that has ``school_id``.
    parent: tuple[str, Table] | None
    has_reason: bool
    key_columns: tuple[str, ...]
    #: Columns whose values never enter the log (a password hash): "changed" only.
    secret: frozenset[str]
    #: Columns the app keeps for itself (a row's version): left out of the log.
    bookkeeping: frozenset[str] = frozenset()


_TABLES: dict[str, _TableInfo] = {}


def _table_info(table: Table) -> _TableInfo:
    """Derived from the schema (so new tables need nothing here), once per table."""
    found = _TABLES.get(table.name)
    if found is not None:
        return found
    names = set(table.columns.keys())
    school = "id" if table.name == "schools" else "school_id" if "school_id" in names else None
    run = "id" if table.name == "drill_runs" else "run_id" if "run_id" in names else None
    parent = None
    if school is None:
        # The owning parent: a non-null foreign key to a table that knows its school,
        # preferring ON DELETE CASCADE (the row belongs to it).
        keys = sorted(table.foreign_keys, key=lambda k: (
            (k.ondelete or "").upper() != "CASCADE", k.parent.nullable, k.parent.name))
        for key in keys:
            target = key.column.table
            if isinstance(target, Table) and (
                    target.name == "schools" or "school_id" in target.columns):
                parent = (key.parent.name, target)
                break
    info = _TableInfo(school, run, parent, "reason" in names,
                      tuple(column.name for column in table.primary_key.columns),
                      frozenset(c.name for c in table.columns if c.info.get("secret")),
                      frozenset(c.name for c in table.columns if c.info.get("bookkeeping")))
    _TABLES[table.name] = info
    return info


def make_note(table: Table, action: Action, values: Mapping[str, Any],
              old: dict[str, Any] | None, new: dict[str, Any] | None,
              reason: str = "") -> Note:
    """A note of one change; ``values`` are the row's columns (its school and run)."""
    info = _table_info(table)
    entity_id = ":".join(str(values.get(name)) for name in info.key_columns)
    school_id = run_id = None
    parent = None
    if info.school_column is not None:
        school_id = values.get(info.school_column)
    elif info.parent is not None:
        parent_id = values.get(info.parent[0])
        if parent_id is not None:
            target = info.parent[1]
            if target.name == "schools":
                school_id = parent_id
            else:
                parent = (target, parent_id)
    if info.run_column is not None:
        run_id = values.get(info.run_column)
    if info.has_reason and values.get("reason"):
        reason = str(values["reason"])
    if info.secret:
        old, new = _hidden(old, info.secret), _hidden(new, info.secret)
    if info.bookkeeping:
        old, new = _without(old, info.bookkeeping), _without(new, info.bookkeeping)
    return Note(table.name, entity_id, action, old, new,
                int_or_none(run_id), int_or_none(school_id), reason, parent)


def _without(values: dict[str, Any] | None, names: frozenset[str]) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v for k, v in values.items() if k not in names}


def _hidden(values: dict[str, Any] | None, secret: frozenset[str]) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (HIDDEN if k in secret and v else v) for k, v in values.items()}


def int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
