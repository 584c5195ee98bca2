"""Schema revisions: detect, refuse newer, back up, then upgrade with Alembic.

Alembic is imported only when a migration is due, to keep it off the start-up path.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from drillplanner.domain.credentials import mask_credentials
from drillplanner.i18n import _, format_size
from drillplanner.storage import sqlite_files
from drillplanner.storage.errors import (
    DatabaseCorruptError,
    DatabaseNewerError,
    DiskFullError,
    StorageError,
    translate_error,
)
from drillplanner.storage.schema import HEAD, KNOWN_REVISIONS

log = logging.getLogger("drillplanner.storage")

VERSION_TABLE = "alembic_version"
BACKUP_MARGIN_BYTES = 1024 * 1024


def sqlite_revision(path: Path) -> str | None:
    """The revision of a SQLite file, read without writing to it; None for a new file.

    Nothing is written beside the file either (no -wal or -shm) unless it already has a
    -wal or -journal: then SQLite needs them to read what is committed.

    Raises sqlite3.DatabaseError for a damaged file and DatabaseCorruptError for a
    SQLite file that holds tables but no drillplanner schema.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    immutable = sqlite_files.can_read_immutable(path)
    try:
        return _read_revision(path, immutable=immutable)
    except sqlite3.DatabaseError:
        if not immutable or sqlite_files.can_read_immutable(path):
            raise
        # Another program started writing while we read the file as if it could not
        # change: read it again through its -wal.
        return _read_revision(path, immutable=False)


def _read_revision(path: Path, *, immutable: bool) -> str | None:
    uri = sqlite_files.read_only_uri(path, immutable=immutable)
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
    """Copy a SQLite database (consistently, through the backup API) before migrating it.

    The copy is written under a temporary name and renamed when complete, so a copy that
    fails half way (a full disk) is removed and never mistaken for a backup.

    Raises:
        DiskFullError: the folder has not room for the copy (checked first, the database
            is not touched) or filled up while copying.
        StorageError: the copy could not be written for another known reason.
    """
    folder = path.parent
    check_room_for_backup(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix or '.sqlite3'}")
    partial = target.with_name(target.name + ".partial")
    try:
        _copy(path, partial)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        sqlite_files.remove_quietly(partial, *sqlite_files.side_files(partial))
        known = translate_error(error, str(path), folder)
        if known is None and isinstance(error, OSError):
            known = StorageError(
                _("A copy of {where} could not be written to {folder} before upgrading it: "
                  "{reason}. The database was not changed.").format(
                    where=path, folder=folder, reason=error.strerror or error))
        if known is None:
            raise
        raise known from error
    except BaseException:
        sqlite_files.remove_quietly(partial, *sqlite_files.side_files(partial))
        raise
    log.info("backed up %s to %s before migrating", path, target)
    return target


def _copy(path: Path, destination_path: Path) -> None:
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(destination_path)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def check_room_for_backup(path: Path) -> None:
    """Refuse to start a copy of ``path`` that cannot fit in its folder.

    The copy needs the database and its -wal, plus a margin (a tenth, at least 1 MB) for
    the migration that follows.
    """
    size = sqlite_files.database_bytes(path)
    needed = size + max(size // 10, BACKUP_MARGIN_BYTES)
    available = sqlite_files.free_bytes(path.parent)
    if available is not None and available < needed:
        raise DiskFullError(
            _("There is not enough free space in {folder} to copy {where} before upgrading "
              "it: {needed} needed, {available} available. Free some space and try again; "
              "the database was not changed.").format(
                folder=path.parent, where=path, needed=format_size(needed),
                available=format_size(available)))


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
