"""Moving rows between two databases: reading in chunks, writing in bulk, new ids.

The source is read in chunks (a server-side cursor on PostgreSQL) and each chunk is written
with one Core ``INSERT`` executed for all its rows, so a school of 10,000 classes takes seconds and
memory stays flat. Values pass through SQLAlchemy's types on both sides, so a SQLite
file's text times become PostgreSQL timestamps and back unchanged (microseconds included:
the audit log's hashes cover them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Select, String, Table, func, insert, select, text

from drillplanner.domain.db_copy import CopyRefused
from drillplanner.domain.excerpts import excerpt
from drillplanner.i18n import _

#: Rows per read and per INSERT: large enough that round trips do not count, small
#: enough that a chunk's parameters stay a few megabytes.
CHUNK = 5000

Row = dict[str, Any]


def chunks(source: Connection, query: Select[Any], size: int = CHUNK) -> Iterator[list[Row]]:
    """The rows ``query`` selects, as dicts, ``size`` at a time."""
    result = source.execute(query.execution_options(yield_per=size)).mappings()
    for part in result.partitions(size):
        yield [dict(row) for row in part]


def insert_chunk(target: Connection, table: Table, rows: Sequence[Row]) -> None:
    """INSERT ``rows`` (all with the same keys) with one executemany."""
    if rows:
        # psycopg pipelines an executemany: measured 12 times faster than one INSERT with
        # a VALUES list of many rows (which also runs into PostgreSQL's 65,535 parameters).
        target.execute(insert(table), list(rows))


def check_lengths(target: Connection, table: Table, rows: Sequence[Row], where: str) -> None:
    """Refuse text longer than the target's column allows.

    SQLite stores any length in a VARCHAR(n); PostgreSQL refuses the statement with an
    error that names neither the row nor the value. Said here, the user can fix it.
    """
    if target.dialect.name == "sqlite":
        return
    limited = [(c.name, c.type.length) for c in table.columns
               if isinstance(c.type, String) and c.type.length]
    keys = [c.name for c in table.primary_key.columns]
    for row in rows:
        for name, length in limited:
            value = row.get(name)
            if isinstance(value, str) and len(value) > length:
                raise CopyRefused(_(
                    "{table} {key}: the {column} “{value}” has {count} characters, more "
                    "than the {length} {where} allows. Nothing was copied; shorten it in the "
                    "source and copy again.").format(
                        table=table.name, key=":".join(str(row.get(k)) for k in keys),
                        column=name, value=excerpt(value), count=len(value), length=length,
                        where=where))


def is_empty(connection: Connection, table: Table) -> bool:
    return connection.scalar(select(text("1")).select_from(table).limit(1)) is None


def sequence_of(connection: Connection, table: Table) -> str | None:
    """The PostgreSQL sequence that numbers ``table``'s ids (None elsewhere, or none)."""
    if connection.dialect.name != "postgresql":
        return None
    found = connection.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"),
                              {"table": connection.dialect.identifier_preparer.format_table(
                                  table)})
    return None if found is None else str(found)


def reset_sequence(connection: Connection, table: Table) -> None:
    """Let the database number new rows after the highest id copied (PostgreSQL: rows
    written with their ids leave the sequence where it was; SQLite takes the largest id
    plus one by itself)."""
    sequence = sequence_of(connection, table)
    if sequence is None:
        return
    highest = connection.scalar(select(func.max(table.c.id)))
    if highest is None:
        connection.execute(text("SELECT setval(:sequence, 1, false)"), {"sequence": sequence})
    else:
        connection.execute(text("SELECT setval(:sequence, :value)"),
                           {"sequence": sequence, "value": int(highest)})


class NewIds:
    """Ids for rows a copy adds to a table of the target that already holds rows.

    PostgreSQL: taken from the table's sequence, so other computers writing at the same
    time never get the same ones. SQLite: the largest id plus one and on, as SQLite itself
    numbers rows; the write transaction holds the database, so nobody else can.
    """

    def __init__(self, connection: Connection, table: Table) -> None:
        self._connection = connection
        self._sequence = sequence_of(connection, table)
        highest = int(connection.scalar(select(func.max(table.c.id))) or 0)
        self._next = highest + 1
        if self._sequence is not None and highest:
            # A sequence left behind its table (rows written with their ids by another
            # tool) would hand out ids that are taken: move it on, never back.
            connection.execute(text(
                "SELECT setval(:sequence, :highest) WHERE :highest > "
                "COALESCE(pg_sequence_last_value(CAST(:sequence AS regclass)), 0)"),
                {"sequence": self._sequence, "highest": highest})

    def take(self, count: int) -> list[int]:
        """``count`` new ids, never handed out before."""
        if count <= 0:
            return []
        if self._sequence is not None:
            return [int(i) for i in self._connection.scalars(
                text("SELECT nextval(:sequence) FROM generate_series(1, :count)"),
                {"sequence": self._sequence, "count": count})]
        first, self._next = self._next, self._next + count
        return list(range(first, first + count))
