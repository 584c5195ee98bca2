"""Storage failures a user can act on, and the mapping from driver errors to them.

Known conditions (locked, read-only, disk full, corrupt, newer schema, server unreachable)
become a StorageError with a clear message; anything else is left to propagate as a bug.

Driver errors are classified by their codes, never by their (English, version-dependent)
text: SQLite errors by the primary result code (``sqlite_errorcode & 0xFF``, with a few
extended I/O codes), PostgreSQL errors by SQLSTATE (psycopg 3 ``sqlstate``). Matching the
message text is only the fallback for drivers that give no code.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import exc as sa_exc

from drillplanner.domain.errors import ConflictError, DrillplannerError
from drillplanner.i18n import _
from drillplanner.storage.sqlite_files import is_disk_full, nearly_full


class StorageError(DrillplannerError):
    """A database problem the user can act on."""


class DatabaseCorruptError(StorageError):
    pass


class DatabaseNewerError(StorageError):
    pass


class DatabaseReadOnlyError(StorageError):
    pass


class DatabaseCannotOpenError(StorageError):
    """The file cannot be opened at all (missing folder, no permission, no temp space)."""


class DatabaseLockedError(StorageError):
    pass


class DiskFullError(StorageError):
    pass


class DatabaseIOError(StorageError):
    """The disk (or network share) failed a read or write: removed, failing or full."""


class DatabaseUnavailableError(StorageError):
    pass


def corrupt_message(where: str) -> str:
    return _("{where} is damaged or is not a drillplanner database.").format(where=where)


def _conflict(detail: object) -> ConflictError:
    return ConflictError(_("This change conflicts with existing data: {detail}").format(
        detail=str(detail)))


def locked_error(where: str) -> DatabaseLockedError:
    return DatabaseLockedError(
        _("{where} is busy: another program is writing to it. Try again.").format(where=where))


def _read_only(where: str) -> DatabaseReadOnlyError:
    return DatabaseReadOnlyError(
        _("{where} cannot be written (read-only file or folder).").format(where=where))


def opened_read_only(where: str) -> DatabaseReadOnlyError:
    """The error of a change to a database that was opened read-only."""
    return DatabaseReadOnlyError(
        _("{where} is open read-only (the file or its folder cannot be written): changes "
          "cannot be saved.").format(where=where))


def disk_full(where: str) -> DiskFullError:
    """The error of a database whose disk is full."""
    return DiskFullError(_("The disk holding {where} is full.").format(where=where))


def _cannot_open(where: str) -> DatabaseCannotOpenError:
    return DatabaseCannotOpenError(
        _("{where} cannot be opened: check that the folder exists and is writable.").format(
            where=where))


def _io_error(where: str, code: str) -> DatabaseIOError:
    return DatabaseIOError(
        _("Reading or writing {where} failed ({code}): check that the disk or network share "
          "is connected and has free space.").format(where=where, code=code))


def _unavailable(where: str, detail: object) -> DatabaseUnavailableError:
    return DatabaseUnavailableError(
        _("The database server for {where} cannot be reached: {detail}").format(
            where=where, detail=str(detail).strip()))


# --- SQLite: result codes (https://sqlite.org/rescode.html) --------------------------------

# Extended I/O codes that mean the file's contents are wrong rather than the disk failing.
_IOERR_CORRUPT = frozenset({
    sqlite3.SQLITE_IOERR_SHORT_READ,  # the file is shorter than its header says: truncated
    sqlite3.SQLITE_IOERR_DATA,  # checksum mismatch (cksumvfs)
    sqlite3.SQLITE_IOERR_CORRUPTFS,  # the file system reports corruption
})


def sqlite_error_code(error: BaseException) -> int | None:
    """The extended SQLite result code of a sqlite3 error (None for other exceptions)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def _sqlite_code_name(error: BaseException, code: int) -> str:
    name = getattr(error, "sqlite_errorname", None)
    return name if isinstance(name, str) and name else f"SQLITE error {code}"


def _from_sqlite(code: int, error: BaseException, where: str, folder: Path | None
                 ) -> DrillplannerError | None:
    primary = code & 0xFF
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_PROTOCOL):
        # PROTOCOL: WAL locks kept changing under us; like BUSY, trying again helps.
        return locked_error(where)
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return _read_only(where)
    if primary == sqlite3.SQLITE_FULL:
        return disk_full(where)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DatabaseCorruptError(corrupt_message(where))
    if primary == sqlite3.SQLITE_CANTOPEN:
        return _cannot_open(where)
    if primary == sqlite3.SQLITE_CONSTRAINT:
        return _conflict(error)
    if primary == sqlite3.SQLITE_IOERR:
        if code in _IOERR_CORRUPT:
            return DatabaseCorruptError(corrupt_message(where))
        if code == sqlite3.SQLITE_IOERR_NOMEM:
            return None  # out of memory, not a disk problem: a bug report with a traceback
        # WRITE/FSYNC/TRUNCATE/SHMSIZE are how a full disk often shows up (SQLite keeps the
        # errno to itself), READ/LOCK/ACCESS… a removed drive or a share that went away.
        if folder is not None and nearly_full(folder):
            return disk_full(where)
        return _io_error(where, _sqlite_code_name(error, code))
    return None


# --- PostgreSQL: SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html) --

_SQLSTATE_LOCKED = frozenset({"40P01", "55P03", "40001"})  # deadlock, lock not available,
# serialization failure: another transaction got in the way; trying again helps.
_SQLSTATE_UNAVAILABLE = frozenset({"53300", "57P01", "57P02", "57P03"})  # too many
# connections, admin/crash shutdown, cannot connect now.


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL driver error (psycopg 3 ``sqlstate``, psycopg2 ``pgcode``)."""
    for attribute in ("sqlstate", "pgcode"):
        value = getattr(error, attribute, None)
        if isinstance(value, str) and len(value) == 5:
            return value
    return None


def _from_sqlstate(state: str, error: BaseException, where: str) -> DrillplannerError | None:
    if state.startswith("23"):
        return _conflict(error)
    if state.startswith("08") or state in _SQLSTATE_UNAVAILABLE:
        return _unavailable(where, error)
    if state in _SQLSTATE_LOCKED:
        return locked_error(where)
    if state == "53100":
        return disk_full(where)
    if state == "25006":
        return _read_only(where)
    if state in ("XX001", "XX002"):
        return DatabaseCorruptError(corrupt_message(where))
    if state == "58030":
        return _io_error(where, state)
    return None


# --- Drivers without codes -----------------------------------------------------------------

def _from_message(error: BaseException, orig: BaseException, where: str
                  ) -> DrillplannerError | None:
    text = str(orig).lower()
    if isinstance(error, sa_exc.IntegrityError):
        return _conflict(orig)
    if (isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated
            and not isinstance(orig, sqlite3.Error)):
        return _unavailable(where, orig)
    if "database is locked" in text or "database table is locked" in text:
        return locked_error(where)
    if "readonly" in text or "read-only" in text:
        return _read_only(where)
    if "disk is full" in text or "no space" in text:
        return disk_full(where)
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return DatabaseCorruptError(corrupt_message(where))
    if "unable to open database" in text:
        return _cannot_open(where)
    if isinstance(error, sa_exc.OperationalError) and (
        "connection" in text or "could not connect" in text or "server" in text
        # psycopg 3 resolves host names itself; libpq says "could not translate host name".
        or "resolve host" in text or "host name" in text
    ):
        return _unavailable(where, orig)
    return None


def translate_error(error: BaseException, where: str, folder: Path | None = None
                    ) -> DrillplannerError | None:
    """The user-facing error for a driver error, or None when it is not a known condition.

    Args:
        error: a SQLAlchemy ``DBAPIError`` (its ``orig`` is classified), a driver
            exception itself (e.g. a ``sqlite3.Error`` from the backup API) or an OSError.
        where: the database's display name, for the message.
        folder: the folder of a SQLite file: an I/O error while its disk has no free
            space left is reported as a full disk.

    Returns:
        A StorageError (or ConflictError) to raise instead, or None: then the error is a
        bug and should propagate with its traceback.
    """
    orig = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    if orig is None:
        orig = error
    if is_disk_full(orig):
        return disk_full(where)
    code = sqlite_error_code(orig)
    if code is not None:
        return _from_sqlite(code, orig, where, folder)
    state = sqlstate(orig)
    if state is not None:
        return _from_sqlstate(state, orig, where)
    return _from_message(error, orig, where)
