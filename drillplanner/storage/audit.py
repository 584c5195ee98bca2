"""Writing the audit log: one place that appends a row for every record a write changes.

``install`` hooks a write unit of work's sessionmaker (``Database.write``): the ORM's
mapper events note each row inserted, updated or deleted by a flush (inserts: every
column; updates: the changed columns, old and new; deletes: every old column), and the
session's ``after_flush`` writes those notes as audit rows in the same transaction, with
one SELECT of the last row's hash per flush. ORM-enabled bulk ``update()``/``delete()``
statements run through the session are recorded row by row (the rows are read before and,
for updates, after). Core statements on the connection bypass all of this: code that
writes that way records its rows with ``storage/audit_core`` (the headcount hot path, bulk
imports).

Rows deleted by the database itself (``ON DELETE CASCADE`` / ``SET NULL``) emit no ORM
events: the log records the parent that was deleted, and its children went with it.

Who: ``set_actor`` (a ContextVar) names the person at the keyboard; the faces set it (the
CLI from ``DRILLPLANNER_USER`` or the OS login, the GUI from the OS login); unset, the OS
login. Why: a row's own ``reason`` column (headcount corrections), else ``set_reason``
for the unit of work (amendments).

The chain: ids are numbered here, from the last row's id, and each row stores
``sha256(prev_hash ‖ canonical content)`` (``domain/audit.py``). Writers are serialised
(SQLite ``BEGIN IMMEDIATE``; PostgreSQL locks the table first), so the last hash read in
the transaction is the one to follow. Nothing is cached across transactions.
"""

from __future__ import annotations

import functools
import getpass
from collections.abc import Iterable, Mapping
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Table,
    event,
    insert,
    inspect,
    select,
    tuple_,
)
from sqlalchemy.orm import (
    InstanceState,
    Mapper,
    ORMExecuteState,
    Session,
    UOWTransaction,
    sessionmaker,
)

from drillplanner.domain.audit import Action, canonical_json, chain_hash, content_of, plain
from drillplanner.storage.audit_notes import Note, int_or_none, make_note
from drillplanner.storage.base import Base
from drillplanner.storage.bulk import insert_rows
from drillplanner.storage.models_audit import AuditRow

#: ``Session.info`` key: this session's writes are audited.
AUDITED = "drillplanner.audit"
_PENDING = "drillplanner.audit.pending"
_REASON = "drillplanner.audit.reason"
ACTOR_LENGTH = 100
AUDIT_TABLE: Table = AuditRow.__table__  # type: ignore[assignment]
# Built once: building and cache-keying a statement costs as much as running it. The last
# row is read as plain SQL (half the time of a Core statement; it runs on every write).
_LAST = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
_INSERT = insert(AUDIT_TABLE)

# Who -----------------------------------------------------------------------------------------

_actor: ContextVar[str | None] = ContextVar("drillplanner_audit_actor", default=None)


@functools.cache
def os_login() -> str:
    """The operating system's name for the user at the keyboard ("" when it has none);
    looked up once per process."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


def set_actor(name: str | None) -> Token[str | None]:
    """Name who makes the following writes (in this context: thread or task); None goes
    back to the OS login. Returns a token for ``reset_actor``."""
    return _actor.set(None if name is None else name.strip()[:ACTOR_LENGTH])


def reset_actor(token: Token[str | None]) -> None:
    _actor.reset(token)


_process_actor: str | None = None


def set_process_actor(name: str | None) -> None:
    """Name who makes every write of this process that no context names (the user signed
    in to the desktop app: its worker threads do not inherit context variables)."""
    global _process_actor
    _process_actor = None if name is None else name.strip()[:ACTOR_LENGTH]


def current_actor() -> str:
    """Who the audit rows written now name: the actor set in this context, else the
    process's, else the OS login."""
    name = _actor.get()
    if name is None:
        name = _process_actor
    return name if name is not None else os_login()[:ACTOR_LENGTH]


def set_reason(session: Session, reason: str) -> None:
    """Give the reason (a correction's, an amendment's) for the rest of ``session``'s rows."""
    session.info[_REASON] = reason


# Notes of changed rows -----------------------------------------------------------------------


def _columns(mapper: Mapper[Any]) -> list[tuple[str, str]]:
    """(attribute key, column name) of the mapper's own table."""
    table = mapper.local_table
    pairs = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if isinstance(column, Column) and column.table is table:
            pairs.append((attr.key, column.name))
    return pairs


def _load(connection: Connection, mapper: Mapper[Any], state: InstanceState[Any],
          names: list[str]) -> dict[str, Any]:
    """Columns of the stored row that the object did not have loaded."""
    table: Table = mapper.local_table  # type: ignore[assignment]
    key = [state.dict.get(mapper.get_property_by_column(c).key)
           for c in table.primary_key.columns]
    query = select(*(table.c[name] for name in names)).where(
        tuple_(*table.primary_key.columns) == tuple_(*key))
    found = connection.execute(query).mappings().first()
    return dict(found) if found is not None else {}


def _session_of(state: InstanceState[Any]) -> Session | None:
    session = state.session
    if session is None or not session.info.get(AUDITED):
        return None
    return session


def _pending(session: Session) -> list[Note]:
    notes: list[Note] = session.info.setdefault(_PENDING, [])
    return notes


def _audited(mapper: Mapper[Any]) -> bool:
    return mapper.local_table is not AUDIT_TABLE


@event.listens_for(Base, "after_insert", propagate=True)
def _after_insert(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    state: InstanceState[Any] = inspect(target)
    session = _session_of(state)
    if session is None or not _audited(mapper):
        return
    # Every column: one left unset was stored as NULL, unless the database filled it in
    # (a server default not fetched back), which is read from the row just written.
    new: dict[str, Any] = {}
    fetch = []
    table: Table = mapper.local_table  # type: ignore[assignment]
    for key, name in _columns(mapper):
        if key in state.dict:
            new[name] = state.dict[key]
        elif table.c[name].server_default is None:
            new[name] = None
        else:
            fetch.append(name)
    if fetch:
        new.update(_load(connection, mapper, state, fetch))
    _pending(session).append(make_note(mapper.local_table, Action.INSERT, new,  # type: ignore[arg-type]
                                   None, new, session.info.get(_REASON, "")))


@event.listens_for(Base, "before_update", propagate=True)
def _before_update(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    state: InstanceState[Any] = inspect(target)
    session = _session_of(state)
    if session is None or not _audited(mapper):
        return
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    unknown: list[str] = []
    for key, name in _columns(mapper):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        new[name] = history.added[0] if history.added else None
        if history.deleted:
            old[name] = history.deleted[0]
        else:
            unknown.append(name)  # set without being loaded: read what is stored
    if unknown:
        old.update(_load(connection, mapper, state, unknown))
    for name in [n for n in new if n in old and old[n] == new[n]]:
        del old[name], new[name]
    if not new:
        return  # dirty, but no column changed (a collection did)
    values = {name: state.dict.get(key) for key, name in _columns(mapper)}
    _pending(session).append(make_note(mapper.local_table, Action.UPDATE,  # type: ignore[arg-type]
                                   values, old, new, session.info.get(_REASON, "")))


@event.listens_for(Base, "before_delete", propagate=True)
def _before_delete(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    state: InstanceState[Any] = inspect(target)
    session = _session_of(state)
    if session is None or not _audited(mapper):
        return
    columns = _columns(mapper)
    old = {name: state.dict[key] for key, name in columns if key in state.dict}
    missing = [name for key, name in columns if key not in state.dict]
    if missing:
        old.update(_load(connection, mapper, state, missing))
    note = make_note(mapper.local_table, Action.DELETE, old, old, None,  # type: ignore[arg-type]
                 session.info.get(_REASON, ""))
    note.reason = session.info.get(_REASON, "")  # a deleted row's own reason is not why
    _pending(session).append(note)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    notes = session.info.pop(_PENDING, None)
    if notes:
        connection = session.connection()
        _find_schools(session, connection, notes)
        write(connection, notes)


def _forget(session: Session, _previous: object) -> None:
    # A flush that failed half way (its savepoint rolled back) leaves notes of rows that
    # were never written.
    session.info.pop(_PENDING, None)


def _find_schools(session: Session, connection: Connection, notes: list[Note]) -> None:
    """Fill in the school of rows that know it only through a parent: from the session's
    identity map (a parent deleted in this flush is still there), else one SELECT per
    parent table."""
    wanted: dict[Table, dict[Any, list[Note]]] = {}
    for note in notes:
        if note.parent is None or note.school_id is not None:
            continue
        table, parent_id = note.parent
        school_id = _school_in_session(session, table, parent_id)
        if school_id is not None:
            note.school_id = school_id
        else:
            wanted.setdefault(table, {}).setdefault(parent_id, []).append(note)
    for table, by_id in wanted.items():
        query = select(table.c.id, table.c.school_id).where(table.c.id.in_(list(by_id)))
        for parent_id, school_id in connection.execute(query):
            for note in by_id.get(parent_id, ()):
                note.school_id = int_or_none(school_id)


_MAPPERS: dict[str, Mapper[Any]] = {}


def _mapper_of(table: Table) -> Mapper[Any] | None:
    if not _MAPPERS:
        for mapper in Base.registry.mappers:
            _MAPPERS[mapper.local_table.name] = mapper  # type: ignore[attr-defined]
    return _MAPPERS.get(table.name)


def _school_in_session(session: Session, table: Table, parent_id: Any) -> int | None:
    mapper = _mapper_of(table)
    if mapper is None:
        return None
    found = session.identity_map.get(mapper.identity_key_from_primary_key((parent_id,)))
    if found is None:
        return None
    value = inspect(found).dict.get("school_id")
    return int_or_none(value)


# ORM-enabled bulk UPDATE and DELETE ------------------------------------------------------------


def _on_orm_execute(execute: ORMExecuteState) -> Any:
    if not (execute.is_update or execute.is_delete) or not execute.session.info.get(AUDITED):
        return None
    mapper = execute.bind_mapper
    if mapper is None or not _audited(mapper):
        return None
    table: Table = mapper.local_table  # type: ignore[assignment]
    statement: Any = execute.statement
    connection = execute.session.connection()
    keys = list(table.primary_key.columns)
    parameters = execute.parameters
    if isinstance(parameters, list):
        # Bulk UPDATE by primary key: a list of rows, each naming its key.
        wanted = [tuple(p[c.key] for c in keys) for p in parameters]
        where: Any = tuple_(*keys).in_(wanted) if wanted else None
    else:
        where = statement.whereclause
    query = select(*table.columns)
    if where is not None:
        query = query.where(where)
    before = {_key(row, keys): dict(row) for row in connection.execute(
        query, parameters if isinstance(parameters, dict) else {}).mappings()}
    result = execute.invoke_statement()
    notes: list[Note] = []
    reason = execute.session.info.get(_REASON, "")
    if execute.is_delete:
        notes = [make_note(table, Action.DELETE, old, old, None, reason) for old in before.values()]
    elif before:
        after = {_key(row, keys): dict(row) for row in connection.execute(
            select(*table.columns).where(tuple_(*keys).in_(list(before)))).mappings()}
        for key, old_row in before.items():
            new_row = after.get(key, {})
            changed = sorted(n for n in new_row if new_row[n] != old_row.get(n))
            if changed:
                notes.append(make_note(table, Action.UPDATE, new_row,
                                   {n: old_row.get(n) for n in changed},
                                   {n: new_row[n] for n in changed}, reason))
    if notes:
        _find_schools(execute.session, connection, notes)
        write(connection, notes)
    return result


def _key(row: Mapping[Any, Any], keys: list[Any]) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in keys)


# Installing and writing -------------------------------------------------------------------------


def install(factory: sessionmaker[Session]) -> None:
    """Audit every write of the sessions ``factory`` makes."""
    factory.configure(info={AUDITED: True})
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "after_soft_rollback", _forget)
    event.listen(factory, "do_orm_execute", _on_orm_execute)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _lock(connection: Connection) -> None:
    # SQLite's writers already hold the database (BEGIN IMMEDIATE); elsewhere, take the
    # log for this transaction so that two writers cannot both follow the same last row.
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")


def last_link(connection: Connection) -> tuple[int, str]:
    """The id and hash of the log's newest row ((0, "") for an empty log), with the log
    held for the rest of ``connection``'s transaction, so the next rows can follow it."""
    _lock(connection)
    last = connection.exec_driver_sql(_LAST).first()
    return (int(last[0]), str(last[1])) if last is not None else (0, "")


def write(connection: Connection, notes: Iterable[Note]) -> str:
    """Append ``notes`` as chained rows in ``connection``'s transaction; the last hash."""
    last_id, prev_hash = last_link(connection)
    next_id = last_id + 1
    at = now_utc()
    at_text = plain(at)  # what the hash covers; converted once, not once per row
    actor = current_actor()
    rows = []
    for note in notes:
        old = "" if note.old is None else canonical_json(note.old)
        new = "" if note.new is None else canonical_json(note.new)
        action = note.action.value
        digest = chain_hash(prev_hash, content_of(
            id=next_id, at=at_text, actor=actor, school_id=note.school_id, run_id=note.run_id,
            entity=note.entity, entity_id=note.entity_id, action=action, old=old, new=new,
            reason=note.reason))
        rows.append({"id": next_id, "at": at, "actor": actor, "school_id": note.school_id,
                     "run_id": note.run_id, "entity": note.entity,
                     "entity_id": note.entity_id, "action": action, "old": old, "new": new,
                     "reason": note.reason, "prev_hash": prev_hash, "hash": digest})
        next_id, prev_hash = next_id + 1, digest
    if len(rows) == 1:
        connection.execute(_INSERT, rows[0])
    else:
        # An import's thousands of rows: straight to the driver (storage/bulk.py).
        insert_rows(connection, AUDIT_TABLE, rows)
    return prev_hash
