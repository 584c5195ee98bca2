"""Copying a whole database, or one school, into another database (``drillplanner db copy``).

Two kinds of copy, chosen so that nothing is ever merged silently:

- **Everything** goes only into an empty database, row for row with the same ids, so
  every reference holds as it is and the audit log is the same chain, hash for hash: the
  hash a signed drill report printed is found in the copy. PostgreSQL's id sequences are
  then set past the highest id copied.
- **One school** (``copy_school``) may go into a database that holds other schools: its
  rows get new ids there and the audit rows of the school are renumbered and chained after
  the target's own (``storage/copy_school.py``). A school, login or event uid already in
  the target is refused by name.

The caller reads the source in one snapshot (``snapshot``) and writes the target in one
write transaction, so a failure half way leaves the target as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Table, UniqueConstraint, bindparam, select, tuple_
from sqlalchemy.orm import Session

from drillplanner.domain.db_copy import CopyRefused
from drillplanner.domain.excerpts import excerpt
from drillplanner.i18n import _
from drillplanner.storage.copy_rows import (
    CHUNK,
    check_lengths,
    chunks,
    insert_chunk,
    is_empty,
    reset_sequence,
)
from drillplanner.storage.copy_school import copy_school
from drillplanner.storage.copy_scope import (
    all_tables,
    copy_order,
    count_rows,
    id_columns,
    scope,
    scoped_rows,
)

__all__ = ["check_target", "copy_everything", "copy_school", "count_rows", "snapshot"]


def snapshot(session: Session) -> Connection:
    """``session``'s connection, reading one consistent state of the database throughout
    (PostgreSQL: REPEATABLE READ; SQLite's read transaction is one already)."""
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return session.connection()


# What the target may already hold ----------------------------------------------------------


def check_target(source: Connection, target: Connection, school_id: int | None,
                 where: str) -> None:
    """Refuse a copy that would meet records already in the target.

    Everything: the target must be empty. One school: no school of its name, and none of
    its logins, event uids or a different compliance profile of the same code there.

    Raises:
        CopyRefused: naming what is already there; nothing has been written.
    """
    if school_id is None:
        _check_empty(source, target, where)
        return
    for table in copy_order():
        for constraint in _unique_values(table):
            _check_clashes(source, target, table, constraint, school_id, where)


def _check_empty(source: Connection, target: Connection, where: str) -> None:
    schools = all_tables()["schools"]
    theirs = set(target.scalars(select(schools.c.name)))
    for name in source.scalars(select(schools.c.name).order_by(schools.c.name)):
        if name in theirs:
            raise CopyRefused(_school_there(name, where))
    filled = [table.name for table in copy_order() if not is_empty(target, table)]
    if filled:
        raise CopyRefused(_(
            "{where} is not empty (it holds {tables}): a whole database is copied only into "
            "an empty one, so that every record keeps its number and the audit log its "
            "chain. Nothing was copied. Copy schools one at a time with --school instead."
        ).format(where=where, tables=", ".join(filled)))


def _school_there(name: str, where: str) -> str:
    return _("The school “{school}” is already in {where}: nothing was copied. A school is "
             "never merged into another; remove it there first if the copy should replace "
             "it.").format(school=name, where=where)


def _unique_values(table: Table) -> Iterator[UniqueConstraint]:
    """Unique constraints the copy cannot avoid by renumbering (names, logins, uids)."""
    renumbered = id_columns(table)
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and not any(
                column.name in renumbered for column in constraint.columns):
            yield constraint


def _check_clashes(source: Connection, target: Connection, table: Table,
                   constraint: UniqueConstraint, school_id: int, where: str) -> None:
    columns = list(constraint.columns)
    key: Any = columns[0] if len(columns) == 1 else tuple_(*columns)
    picked = [table.c[c.name] for c in columns]
    query = select(*picked)
    if (wanted := scope(table, school_id)) is not None:
        query = query.where(wanted)
    values = [tuple(row) for row in source.execute(query)]
    for start in range(0, len(values), CHUNK):
        part = values[start:start + CHUNK]
        chosen = [v[0] for v in part] if len(columns) == 1 else part
        for row in target.execute(select(table).where(key.in_(chosen))).mappings():
            if table.name == "compliance_profiles" and _same_profile(source, table, row):
                continue  # the same profile: the school uses the target's
            value = " / ".join(str(row[c.name]) for c in columns)
            raise CopyRefused(_clash_message(table.name, value, where))


def _same_profile(source: Connection, table: Table, theirs: Any) -> bool:
    ours = source.scalar(select(table.c.data).where(table.c.code == theirs["code"]))
    return bool(ours == theirs["data"])


def _clash_message(table: str, value: str, where: str) -> str:
    shown = excerpt(value)
    if table == "schools":
        return _school_there(shown, where)
    if table == "users":
        return _("The login “{login}” is already taken in {where}: nothing was copied. "
                 "Rename or remove that user on one side first.").format(
                     login=shown, where=where)
    if table == "events":
        return _("An event with the calendar id (UID) “{uid}” is already in {where}; was "
                 "this school copied there before under another name? Nothing was copied."
                 ).format(uid=shown, where=where)
    if table == "compliance_profiles":
        return _("{where} holds another compliance profile called “{code}” than the source: "
                 "nothing was copied. Make them the same, or rename one, first.").format(
                     code=shown, where=where)
    return _("“{value}” ({table}) is already in {where}: nothing was copied.").format(
        value=shown, table=table, where=where)


# Everything ----------------------------------------------------------------------------------


def copy_everything(source: Connection, target: Connection, where: str) -> None:
    """Copy every row of every table, ids and audit chain as they are, into an empty
    ``target`` (``check_target`` first), then let PostgreSQL number new rows after them."""
    for table in copy_order():
        _copy_table(source, target, table, where)
    for table in copy_order():
        if "id" in table.c:
            reset_sequence(target, table)


def _copy_table(source: Connection, target: Connection, table: Table, where: str) -> None:
    # A row may point at a row of its own table that comes later (a school overseen by a
    # school added after it): such columns are written once every row is in.
    own = [key.parent.name for key in table.foreign_keys if key.column.table is table]
    later: list[dict[str, Any]] = []
    for rows in chunks(source, scoped_rows(table, None)):
        check_lengths(target, table, rows, where)
        for row in rows:
            pointing = {name: row[name] for name in own if row[name] is not None}
            if pointing:
                later.append({"key": row["id"], **pointing})
                row.update(dict.fromkeys(pointing))
        insert_chunk(target, table, rows)
    for name in own:
        changes = [{"key": r["key"], "value": r[name]} for r in later if name in r]
        if changes:
            target.execute(table.update().where(table.c.id == bindparam("key"))
                           .values({name: bindparam("value")}), changes)
