"""One order for text on every engine: by code points, as SQLite's BINARY collation sorts.

PostgreSQL sorts text by the database's collation, which its administrator chose: a server
set up with ``zh_CN.UTF-8`` (or ICU ``zh-Hans``) sorts 王 before 张 (by pinyin) and Latin
after Chinese, one with ``en_US.UTF-8`` ignores case and punctuation first. The app's lists
(schools, staff, buildings…) must come out the same from a file and from any server, so
an ORDER BY on text goes through ``binary``: ``name`` on SQLite, ``name COLLATE "C"`` on
PostgreSQL. Equality is not affected: PostgreSQL's collations compare bytes for ties.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal


class binary(ColumnElement[Any]):  # noqa: N801 - reads as a SQL function in queries
    """``expression`` sorted by code points on every engine (see the module's notes)."""

    inherit_cache = True
    _traverse_internals = [("operand", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, expression: ColumnElement[Any] | QueryableAttribute[Any]) -> None:
        operand = (expression.__clause_element__() if isinstance(expression, QueryableAttribute)
                   else expression)
        self.operand = operand
        self.type = operand.type


@compiles(binary)
def _as_is(element: binary, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's default collation (BINARY) is already code-point order.
    return compiler.process(element.operand, **kw)


@compiles(binary, "postgresql")
def _collate_c(element: binary, compiler: SQLCompiler, **kw: Any) -> str:
    return f'{compiler.process(element.operand, **kw)} COLLATE "C"'
