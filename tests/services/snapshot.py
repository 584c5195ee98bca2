"""A full dump of the database for "nothing changed" assertions."""

from __future__ import annotations

from sqlalchemy import select

from drillplanner.storage.database import Database
from drillplanner.storage.tables import Base


def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order: equal dumps mean nothing changed."""
    with db.read() as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }
