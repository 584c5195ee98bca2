"""Copying one school into a database that may hold others: its rows renumbered.

The target numbers its own rows, so the school's ids would collide with theirs: every row
the copy adds gets a new id from the target (``NewIds``), and every column that holds an id
(foreign keys and ``copy_scope.SOFT_REFERENCES``) is translated through the same table of
old -> new ids. An id that names a row the copy does not hold (a class deleted since, whose
number a past drill kept) gets a new id of its own too, the same one wherever it appears,
so the record still tells that row apart from others but never points at a row of another
school.

The school's audit rows are appended to the target's log: renumbered like the rows they
describe (their school, drill, record id and the ids inside their old/new values), keeping
their time, actor, action and reason, and chained anew after the target's last row, so
``audit verify`` holds on the target. The hashes the source printed (a signed drill's
report) belong to the source's chain and are checked against the source.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, select

from drillplanner.domain.audit import canonical_json, chain_hash, content_of
from drillplanner.i18n import _
from drillplanner.storage.audit import last_link
from drillplanner.storage.copy_rows import NewIds, Row, check_lengths, chunks, insert_chunk
from drillplanner.storage.copy_scope import (
    AUDIT,
    SOFT_REFERENCES,
    all_tables,
    copy_order,
    id_columns,
    own_id,
    references,
    scoped_rows,
)


class Renumbering:
    """Old id -> new id for each table, and where new ids come from."""

    def __init__(self, target: Connection) -> None:
        self._target = target
        self._maps: dict[str, dict[int, int]] = {}
        self._sources: dict[str, NewIds] = {}

    def of(self, table: str) -> dict[int, int]:
        return self._maps.setdefault(table, {})

    def number(self, table: str, old: list[int]) -> list[int]:
        """New ids for rows ``old`` of ``table`` that the copy adds, in order."""
        new = self._new_ids(table).take(len(old))
        self.of(table).update(zip(old, new, strict=True))
        return new

    def cover(self, table: str, old: Iterable[int]) -> None:
        """A new id for each of ``old`` that names no copied row (taken in one go)."""
        known = self.of(table)
        missing = sorted({i for i in old if i not in known})
        if missing:
            self.number(table, missing)

    def _new_ids(self, table: str) -> NewIds:
        found = self._sources.get(table)
        if found is None:
            found = NewIds(self._target, all_tables()[table])
            self._sources[table] = found
        return found


def copy_school(source: Connection, target: Connection, school_id: int, where: str
                ) -> tuple[int, list[str]]:
    """Copy school ``school_id``'s rows from ``source`` into ``target`` with new ids.

    The caller has checked that nothing of it is in the target yet (``copy.check_target``)
    and holds one write transaction on ``target``.

    Returns:
        The school's id in the target, and notes for the user (a link left out).
    """
    numbers = Renumbering(target)
    notes = _link_parent(source, target, school_id, numbers, where)
    for table in copy_order():
        if table.name == AUDIT:
            continue
        for chunk in chunks(source, scoped_rows(table, school_id)):
            rows = (_profiles_missing(target, table, chunk, numbers)
                    if table.name == "compliance_profiles" else chunk)
            _renumber(table, rows, numbers)
            check_lengths(target, table, rows, where)
            insert_chunk(target, table, rows)
    _copy_log(source, target, school_id, numbers, where)
    return numbers.of("schools")[school_id], notes


def _link_parent(source: Connection, target: Connection, school_id: int,
                 numbers: Renumbering, where: str) -> list[str]:
    """A school overseen by another keeps that link when the target has a school of the
    parent's name; otherwise the link is left out (and said)."""
    schools = all_tables()["schools"]
    parent_id = source.scalar(select(schools.c.parent_id).where(schools.c.id == school_id))
    if parent_id is None:
        return []
    names = source.execute(select(schools.c.id, schools.c.name).where(
        schools.c.id.in_([school_id, parent_id]))).all()
    name_of = {row.id: row.name for row in names}
    found = target.scalar(select(schools.c.id).where(schools.c.name == name_of[parent_id]))
    if found is not None:
        numbers.of("schools")[int(parent_id)] = int(found)
        return []
    return [_("“{parent}”, which oversees “{school}”, is not in {where}: the copy is not "
              "linked to it (set the link there once both schools are in).").format(
                  parent=name_of[parent_id], school=name_of[school_id], where=where)]


def _profiles_missing(target: Connection, table: Table, rows: list[Row],
                      numbers: Renumbering) -> list[Row]:
    """The school's stored compliance profile, unless the target holds the same one
    (``check_target`` refused a different one of the same code)."""
    missing = []
    for row in rows:
        found = target.scalar(select(table.c.id).where(table.c.code == row["code"]))
        if found is None:
            missing.append(row)
        else:
            numbers.of(table.name)[int(row["id"])] = int(found)
    return missing


def _renumber(table: Table, rows: list[Row], numbers: Renumbering) -> None:
    """Give ``rows`` their new ids and translate the ids they hold, in place."""
    if not rows:
        return
    if own_id(table):
        for row, number in zip(rows, numbers.number(table.name, [r["id"] for r in rows]),
                               strict=True):
            row["id"] = number
    for column, target_table in references(table).items():
        if (table.name, column) in SOFT_REFERENCES:
            numbers.cover(target_table, (r[column] for r in rows if r[column] is not None))
        mapping = numbers.of(target_table)
        nullable = bool(table.c[column].nullable)
        for row in rows:
            old = row[column]
            if old is None:
                continue
            new = mapping.get(old)
            if new is None and not nullable:
                # The scope takes a row only with every parent it needs.
                raise LookupError(f"{table.name}.{column} = {old} is not among the copied rows")
            # A reference to another school's row (it may be empty) is not carried along.
            row[column] = new


# The audit log -----------------------------------------------------------------------------


def _copy_log(source: Connection, target: Connection, school_id: int,
              numbers: Renumbering, where: str) -> None:
    log = all_tables()[AUDIT]
    last_id, prev_hash = last_link(target)
    next_id = last_id + 1
    for rows in chunks(source, scoped_rows(log, school_id)):
        parsed = [_parse(row) for row in rows]
        _cover_log_ids(rows, parsed, numbers)
        out = []
        for row, (old, new) in zip(rows, parsed, strict=True):
            entity = all_tables().get(row["entity"])
            copied = {
                **row, "id": next_id,
                "school_id": _mapped(numbers, "schools", row["school_id"]),
                "run_id": _mapped(numbers, "drill_runs", row["run_id"]),
                "entity_id": _entity_id(entity, row["entity_id"], numbers),
                "old": _values(entity, old, row["old"], numbers),
                "new": _values(entity, new, row["new"], numbers),
                "prev_hash": prev_hash,
            }
            copied["hash"] = chain_hash(prev_hash, content_of(
                id=next_id, at=copied["at"], actor=copied["actor"],
                school_id=copied["school_id"], run_id=copied["run_id"],
                entity=copied["entity"], entity_id=copied["entity_id"],
                action=copied["action"], old=copied["old"], new=copied["new"],
                reason=copied["reason"]))
            out.append(copied)
            next_id, prev_hash = next_id + 1, copied["hash"]
        check_lengths(target, log, out, where)
        insert_chunk(target, log, out)


def _parse(row: Row) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    def one(text: str) -> dict[str, Any] | None:
        if not text:
            return None
        try:
            found = json.loads(text)
        except ValueError:
            return None  # not the log's JSON (altered): kept as it is
        return found if isinstance(found, dict) else None
    return one(row["old"]), one(row["new"])


def _cover_log_ids(rows: list[Row], parsed: list[tuple[dict[str, Any] | None,
                                                       dict[str, Any] | None]],
                   numbers: Renumbering) -> None:
    """New ids, in one go per table, for what the chunk's rows name that was not copied."""
    wanted: dict[str, set[int]] = {"schools": set(), "drill_runs": set()}
    for row, values in zip(rows, parsed, strict=True):
        for name, table in (("school_id", "schools"), ("run_id", "drill_runs")):
            if row[name] is not None:
                wanted[table].add(int(row[name]))
        entity = all_tables().get(row["entity"])
        if entity is None:
            continue
        columns = id_columns(entity)
        for column, part in _key_parts(entity, row["entity_id"]):
            if column in columns and part.isdigit():
                wanted.setdefault(columns[column], set()).add(int(part))
        for side in values:
            for column, value in (side or {}).items():
                if column in columns and _is_id(value):
                    wanted.setdefault(columns[column], set()).add(value)
    for table, ids in wanted.items():
        numbers.cover(table, ids)


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _mapped(numbers: Renumbering, table: str, old: int | None) -> int | None:
    return None if old is None else numbers.of(table)[int(old)]


def _key_parts(table: Table, entity_id: str) -> list[tuple[str, str]]:
    """(key column, its part) of a record id as the log writes it (``3:principal``)."""
    keys = [c.name for c in table.primary_key.columns]
    parts = entity_id.split(":", len(keys) - 1)
    return list(zip(keys, parts, strict=True)) if len(parts) == len(keys) else []


def _entity_id(table: Table | None, entity_id: str, numbers: Renumbering) -> str:
    if table is None:
        return entity_id
    columns = id_columns(table)
    parts = _key_parts(table, entity_id)
    if not parts:
        return entity_id
    return ":".join(str(numbers.of(columns[c])[int(p)]) if c in columns and p.isdigit()
                    else p for c, p in parts)


def _values(table: Table | None, values: dict[str, Any] | None, stored: str,
            numbers: Renumbering) -> str:
    """A row's old or new values with the ids translated (canonical JSON, as written)."""
    if table is None or values is None:
        return stored
    columns = id_columns(table)
    changed = False
    for column, value in values.items():
        if column in columns and _is_id(value):
            values[column] = numbers.of(columns[column])[value]
            changed = True
    return canonical_json(values) if changed else stored
