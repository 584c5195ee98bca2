"""Schema revisions: detect, refuse newer, back up, then upgrade with Alembic.

Alembic is imported only when a migration is due, to keep it off the start-up path.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from drillplanner.domain.credentials import mask_credentials
from drillplanner.i18n import _
from drillplanner.storage.errors import DatabaseCorruptError, DatabaseNewerError
from drillplanner.storage.schema import HEAD, KNOWN_REVISIONS

log = logging.getLogger("drillplanner.storage")

VERSION_TABLE = "alembic_version"


def sqlite_revision(path: Path) -> str | None:
    """The revision of a SQLite file, read without writing to it; None for a new file.

    Raises sqlite3.DatabaseError for a damaged file and DatabaseCorruptError for a
    SQLite file that holds tables but no drillplanner schema.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    uri = f"{path.as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if VERSION_TABLE not in tables:
            if tables:
                raise DatabaseCorruptError(
                    _("{where} is an SQLite file but not a drillplanner database.").format(
                        where=path))
            return None
        row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
        return row[0] if row else None
    finally:
        connection.close()


def check_revision(revision: str | None, where: str) -> None:
    """Refuse a database made by a newer drillplanner."""
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseNewerError(
            _("{where} was made by a newer version of drillplanner (schema {revision}). "
              "Install the newer version to open it; the file was not changed.").format(
                where=where, revision=revision))


def connection_revision(connection: Connection) -> str | None:
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    if VERSION_TABLE not in tables:
        if tables - {VERSION_TABLE}:
            raise DatabaseCorruptError(
                _("{where} holds tables but no drillplanner schema.").format(
                    where=mask_credentials(
                        connection.engine.url.render_as_string(hide_password=True))))
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy a SQLite database (consistently, through the backup API) before migrating it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix or '.sqlite3'}")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    log.info("backed up %s to %s before migrating", path, target)
    return target


def ensure_schema(engine: Engine, where: str, path: Path | None) -> Path | None:
    """Bring the schema to HEAD. Returns the backup made, if any."""
    with engine.connect() as connection:
        revision = connection_revision(connection)
        connection.rollback()
    check_revision(revision, where)
    if revision == HEAD:
        return None
    backup = backup_sqlite(path, revision) if path is not None and revision is not None else None
    upgrade(engine, HEAD)
    return backup


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]  # alembic stays lazy
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = HEAD) -> None:
    """Run Alembic's upgrade to ``revision`` on ``engine``."""
    from alembic import command

    log.info("migrating %s to %s",
             mask_credentials(engine.url.render_as_string(hide_password=True)), revision)
    command.upgrade(alembic_config(engine), revision)
