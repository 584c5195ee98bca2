"""SQL run behind the app's back (no unit of work, no audit row), as a database shell or
another program would, on either engine."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Row, create_engine, inspect, text

from drillplanner.storage.database import POSTGRESQL_WRITE_LOCK, Database

#: An open database, or one given as the CLI's ``--db`` (a SQLite file path or a URL).
Where = Database | Path | str


@contextmanager
def _engine(where: Where) -> Iterator[Engine]:
    if isinstance(where, Database):
        yield where.engine
        return
    text_form = str(where)
    engine = create_engine(text_form if "://" in text_form else f"sqlite:///{text_form}")
    try:
        yield engine
    finally:
        engine.dispose()


def execute(where: Where, sql: str, **params: Any) -> None:
    """Run one statement with ``:name`` parameters and commit it."""
    with _engine(where) as engine, engine.begin() as connection:
        connection.execute(text(sql), params)


def query(where: Where, sql: str, **params: Any) -> list[Row[Any]]:
    """The rows of one SELECT with ``:name`` parameters."""
    with _engine(where) as engine, engine.connect() as connection:
        return list(connection.execute(text(sql), params))


def table_counts(where: Where) -> dict[str, int]:
    """How many rows each table holds."""
    with _engine(where) as engine, engine.connect() as connection:
        names = sorted(inspect(connection).get_table_names())
        return {name: int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
                for name in names}


@contextmanager
def another_writer(db: Database) -> Iterator[None]:
    """Another program in the middle of a write transaction, holding the write lock that
    the app's writers wait for (SQLite's database lock; on PostgreSQL the app's own)."""
    if db.target.path is not None:
        holder = sqlite3.connect(db.target.path, timeout=0, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(db.target.url)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(POSTGRESQL_WRITE_LOCK)
            try:
                yield
            finally:
                connection.rollback()
    finally:
        engine.dispose()


def fingerprint(where: Path | str) -> object:
    """What must stay the same when a command is refused: a SQLite file's bytes (not even
    its header may change), else every row of every table."""
    if isinstance(where, Path) or "://" not in where:
        return Path(where).read_bytes()
    with _engine(where) as engine, engine.connect() as connection:
        names = sorted(inspect(connection).get_table_names())
        return {name: sorted(map(tuple, connection.execute(text(f'SELECT * FROM "{name}"'))),
                             key=repr)
                for name in names}


def revision(where: Where) -> str | None:
    """The schema revision stored in the database (None when it has none)."""
    with _engine(where) as engine, engine.connect() as connection:
        if "alembic_version" not in inspect(connection).get_table_names():
            return None
        value = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if value is None else str(value)
