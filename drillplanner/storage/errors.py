"""Storage failures a user can act on, and the mapping from driver errors to them.

Known conditions (locked, read-only, disk full, corrupt, newer schema, server unreachable)
become a StorageError with a clear message; anything else is left to propagate as a bug.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

from drillplanner.domain.errors import ConflictError, DrillplannerError
from drillplanner.i18n import _


class StorageError(DrillplannerError):
    """A database problem the user can act on."""


class DatabaseCorruptError(StorageError):
    pass


class DatabaseNewerError(StorageError):
    pass


class DatabaseReadOnlyError(StorageError):
    pass


class DatabaseLockedError(StorageError):
    pass


class DiskFullError(StorageError):
    pass


class DatabaseUnavailableError(StorageError):
    pass


def corrupt_message(where: str) -> str:
    return _("{where} is damaged or is not a drillplanner database.").format(where=where)


def translate_error(error: sa_exc.DBAPIError, where: str) -> DrillplannerError | None:
    """The user-facing error for a driver error, or None when it is not a known condition."""
    text = str(error.orig).lower() if error.orig is not None else str(error).lower()
    if isinstance(error, sa_exc.IntegrityError):
        return ConflictError(_("This change conflicts with existing data: {detail}").format(
            detail=str(error.orig)))
    if "database is locked" in text or "database table is locked" in text:
        return DatabaseLockedError(
            _("{where} is busy: another program is writing to it. Try again.").format(where=where))
    if "readonly" in text or "read-only" in text:
        return DatabaseReadOnlyError(
            _("{where} cannot be written (read-only file or folder).").format(where=where))
    if "disk is full" in text or "no space" in text:
        return DiskFullError(_("The disk holding {where} is full.").format(where=where))
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return DatabaseCorruptError(corrupt_message(where))
    if "unable to open database" in text:
        return DatabaseReadOnlyError(
            _("{where} cannot be opened: check that the folder exists and is writable.").format(
                where=where))
    if isinstance(error, sa_exc.OperationalError) and (
        "connection" in text or "could not connect" in text or "server" in text
    ):
        return DatabaseUnavailableError(
            _("The database server for {where} cannot be reached: {detail}").format(
                where=where, detail=str(error.orig).strip()))
    return None
