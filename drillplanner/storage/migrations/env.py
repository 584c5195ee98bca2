"""Alembic environment: runs on the engine drillplanner hands over, never from alembic.ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from drillplanner.storage.tables import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode recreates tables; with foreign keys on, dropping the old parent table
        # would cascade-delete its children. The pragma only works outside a transaction.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.execute(text("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
        connection.commit()
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
