"""What a copy between databases takes: the tables in order, which columns point at other
rows, and which rows of each table belong to one school.

Foreign keys say most of it. A few columns hold another row's id without one, so that the
record outlives the row (a drill keeps the classes it had after a class is deleted; the
audit log keeps the school and drill it was about): ``SOFT_REFERENCES`` names them, and
``tests/storage/test_db_copy.py`` fails when a new ``…_id`` column is neither.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Integer, Select, Table, and_, func, select
from sqlalchemy.schema import sort_tables
from sqlalchemy.sql.elements import ColumnElement

from drillplanner.storage import tables as _tables  # noqa: F401  # every model registered
from drillplanner.storage.base import Base

AUDIT = "audit_log"

#: (table, column) -> the table whose id the column holds, where no foreign key says so.
SOFT_REFERENCES: dict[tuple[str, str], str] = {
    ("run_classes", "class_id"): "classes",
    ("run_classes", "grade_id"): "grades",
    ("headcounts", "class_id"): "classes",
    ("missing_found", "class_id"): "classes",
    (AUDIT, "school_id"): "schools",
    (AUDIT, "run_id"): "drill_runs",
}


def all_tables() -> dict[str, Table]:
    return _TABLES


_TABLES: dict[str, Table] = dict(Base.metadata.tables)


def copy_order() -> list[Table]:
    """Every table, each after the tables its rows point at (soft references too), and the
    audit log last: copied rows are renumbered before the log that names them."""
    tables = all_tables()
    extra = [(tables[target], tables[name]) for (name, _column), target
             in SOFT_REFERENCES.items()]
    extra += [(table, tables[AUDIT]) for name, table in tables.items() if name != AUDIT]
    return list(sort_tables(tables.values(), extra_dependencies=extra))


@functools.cache
def references(table: Table) -> dict[str, str]:
    """Column name -> the name of the table whose id it holds (foreign and soft keys).
    Asked for every audit row a copy renumbers: worked out once per table (do not
    change the dict returned)."""
    found = {key.parent.name: key.column.table.name for key in table.foreign_keys}
    found.update({column: target for (name, column), target in SOFT_REFERENCES.items()
                  if name == table.name})
    return found


def own_id(table: Table) -> bool:
    """Whether rows are numbered by a single integer ``id`` (renumbered when copied)."""
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id" and isinstance(keys[0].type, Integer)


@functools.cache
def id_columns(table: Table) -> dict[str, str]:
    """Every column that holds an id, with the table it is an id of: the row's own and its
    references."""
    found = dict(references(table))
    if own_id(table):
        found["id"] = table.name
    return found


def scope(table: Table, school_id: int | None) -> ColumnElement[bool] | None:
    """The rows of ``table`` that belong to school ``school_id`` (None: every row).

    A row belongs to a school through its ``school_id`` or, lacking one, through every
    parent it cannot exist without (a floor through its building, a user's class through
    the user and the class). The log's rows are the school's by their ``school_id``;
    compliance profiles belong to no school, and the one the school uses goes with it.
    """
    if school_id is None:
        return None
    tables = all_tables()
    if table.name == "schools":
        return table.c.id == school_id
    if table.name == "compliance_profiles":
        schools = tables["schools"]
        return table.c.code.in_(select(schools.c.compliance_profile)
                                .where(schools.c.id == school_id))
    if "school_id" in table.c:
        return table.c.school_id == school_id
    clauses = []
    for key in table.foreign_keys:
        if key.parent.nullable:
            continue
        parent = key.column.table
        assert isinstance(parent, Table)
        clauses.append(key.parent.in_(select(key.column).where(_required(parent, school_id))))
    if not clauses:
        raise LookupError(f"no school owns the rows of {table.name}: teach storage/copy_scope")
    return and_(*clauses)


def _required(table: Table, school_id: int) -> ColumnElement[bool]:
    found = scope(table, school_id)
    assert found is not None
    return found


def scoped_rows(table: Table, school_id: int | None) -> Select[Any]:
    """SELECT the rows of ``table`` in the scope, in key order (so that copies and their
    renumbering come out the same every time)."""
    query = select(table).order_by(*table.primary_key.columns)
    where = scope(table, school_id)
    return query if where is None else query.where(where)


def count_rows(connection: Connection, school_id: int | None,
               tables: Sequence[Table] | None = None) -> dict[str, int]:
    """How many rows each table holds in the scope, in copy order."""
    counts = {}
    for table in tables if tables is not None else copy_order():
        query = select(func.count()).select_from(table)
        where = scope(table, school_id)
        if where is not None:
            query = query.where(where)
        counts[table.name] = int(connection.scalar(query) or 0)
    return counts
