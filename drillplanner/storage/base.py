"""The declarative base every model registers on, with its constraint naming convention.

Model modules import ``Base`` from here (never from each other), so there is no import
cycle between them. Code that needs every table registered on ``Base.metadata`` (Alembic,
opening a database, schema tests) imports :mod:`drillplanner.storage.tables` instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Named constraints let Alembic's batch mode alter SQLite tables the same way as PostgreSQL.
#: ``Column.info`` key of a value the audit log must not copy.
SECRET = "secret"
#: ``Column.info`` key of a column the app keeps for itself (a row's version), left out of
#: the audit log's old and new values.
BOOKKEEPING = "bookkeeping"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The base of every drillplanner model; one MetaData for the whole schema."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def version_column() -> Any:
    """A row's edit counter for optimistic locking: SQLAlchemy raises it on every UPDATE
    (``__mapper_args__ = {"version_id_col": version}``) and checks it in the UPDATE's WHERE,
    so two transactions that both read version 3 cannot both write version 4; the
    services compare it with the version a user's edit started from."""
    return mapped_column(Integer, nullable=False, default=1, server_default="1",
                         info={BOOKKEEPING: True})
