"""Audit rows for writes made with Core statements, which the ORM's hooks never see.

Hot paths (a headcount entry) and bulk imports write with Core on the session's
connection; they record what they wrote here, in the same transaction, as the same rows
the ORM hooks of ``storage/audit.py`` would have written.

``last_id`` and ``changed_since`` let an operation that planned its work in a read unit of
work ask, inside its write, whether anything it relied on was written in between: every
write appends audit rows, so "no audit row for those tables since" means "unchanged".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select

from drillplanner.domain.audit import Action
from drillplanner.storage.audit import AUDIT_TABLE, write
from drillplanner.storage.audit_notes import Note, make_note
from drillplanner.storage.base import Base

#: (entity id, old values or None, new values or None) of one row written with Core.
CoreChange = tuple[object, Mapping[str, Any] | None, Mapping[str, Any] | None]


def append(connection: Connection, entity: str, entity_id: object, *,
           action: Action | str = Action.INSERT, new: Mapping[str, Any] | None = None,
           old: Mapping[str, Any] | None = None, run_id: int | None = None,
           school_id: int | None = None, reason: str = "") -> str:
    """Record one change made with Core on ``connection`` (inside its write transaction).

    ``entity`` is the table's name; the run and school come from the row's values
    (``new``, else ``old``) as for ORM writes unless given. Returns the row's hash.
    """
    note = _note(entity, Action(action), (entity_id, old, new), run_id, school_id, reason)
    if note.parent is not None and note.school_id is None:
        parent_table, parent_id = note.parent
        found = connection.scalar(_school_of(parent_table), {"parent_id": parent_id})
        note.school_id = None if found is None else int(found)
    return write(connection, [note])


def append_many(connection: Connection, entity: str, action: Action,
                changes: Iterable[CoreChange], *, school_id: int,
                reason: str = "") -> str | None:
    """Record many rows of one table written with Core, all of one school, in one go.

    Returns the last row's hash, or None when there was nothing to record.
    """
    notes = [_note(entity, action, change, None, school_id, reason) for change in changes]
    return write(connection, notes) if notes else None


def _note(entity: str, action: Action, change: CoreChange, run_id: int | None,
          school_id: int | None, reason: str) -> Note:
    entity_id, old, new = change
    table = Base.metadata.tables[entity]
    values = {**(old or {}), **(new or {})}
    note = make_note(table, action, values, None if old is None else dict(old),
                     None if new is None else dict(new), reason)
    note.entity_id = str(entity_id)
    if run_id is not None:
        note.run_id = run_id
    if school_id is not None:
        note.school_id, note.parent = school_id, None
    return note


def last_id(connection: Connection) -> int:
    """The id of the newest audit row (0 for an empty log)."""
    return int(connection.scalar(select(AUDIT_TABLE.c.id).order_by(
        AUDIT_TABLE.c.id.desc()).limit(1)) or 0)


def changed_since(connection: Connection, mark: int, entities: Iterable[str],
                  school_id: int) -> bool:
    """Whether rows of ``entities`` of the school (or of no known school) were written
    after audit row ``mark``."""
    found = connection.scalar(
        select(AUDIT_TABLE.c.id)
        .where(AUDIT_TABLE.c.id > mark, AUDIT_TABLE.c.entity.in_(list(entities)),
               (AUDIT_TABLE.c.school_id == school_id) | AUDIT_TABLE.c.school_id.is_(None))
        .limit(1))
    return found is not None


_SCHOOL_OF: dict[str, Any] = {}


def _school_of(table: Table) -> Any:
    """SELECT school_id FROM table WHERE id = :parent_id, built once per table."""
    found = _SCHOOL_OF.get(table.name)
    if found is None:
        found = select(table.c.school_id).where(table.c.id == bindparam("parent_id"))
        _SCHOOL_OF[table.name] = found
    return found
