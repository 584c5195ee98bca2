"""Many rows in one driver call, for imports and the audit rows that go with them.

SQLAlchemy's executemany prepares every parameter set in Python (about as long as SQLite
takes to store the row); here the statement is written once and the values are passed to
the driver's ``executemany`` as tuples, converted only where a column's type needs it (the
time columns on SQLite). Ids on SQLite are handed out the way SQLite itself would (the
largest id plus one, the tables having no AUTOINCREMENT) by a writer that holds the write
lock; other databases hand them out themselves through ``INSERT … RETURNING``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select


def insert_rows(connection: Connection, table: Table,
                rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` (all with the same keys) into ``table``."""
    if not rows:
        return
    names = list(rows[0])
    dialect = connection.dialect
    processors = [table.c[name].type.bind_processor(dialect) for name in names]
    converted = [(i, p) for i, p in enumerate(processors) if p is not None]
    preparer = dialect.identifier_preparer
    sql = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(
        table=preparer.format_table(table),
        columns=", ".join(preparer.quote(name) for name in names),
        marks=", ".join(_marks(dialect.paramstyle, len(names))))
    values = []
    for row in rows:
        cells = [row[name] for name in names]
        for index, process in converted:
            cells[index] = process(cells[index])
        values.append(tuple(cells))
    connection.exec_driver_sql(sql, values)


def insert_with_ids(connection: Connection, table: Table,
                    rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """INSERT ``rows`` into a table with an integer ``id`` key; their ids, in order.

    On SQLite the caller must hold the write lock (a write unit of work does).
    """
    if not rows:
        return []
    if connection.dialect.name == "sqlite":
        first = int(connection.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
        insert_rows(connection, table, [{"id": i, **row} for i, row in zip(ids, rows,
                                                                          strict=True)])
        return ids
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [int(i) for i in connection.execute(statement, [dict(row) for row in rows]).scalars()]


def _marks(paramstyle: str, count: int) -> list[str]:
    if paramstyle == "qmark":
        return ["?"] * count
    if paramstyle == "numeric":
        return [f":{i}" for i in range(1, count + 1)]
    if paramstyle in ("format", "pyformat"):
        return ["%s"] * count
    raise ValueError(f"no positional placeholders for paramstyle {paramstyle!r}")
