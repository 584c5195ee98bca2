"""Where a file the app writes (a PDF report, a roster, an iCalendar file) may go.

Every writer of the CLI and the GUI asks ``check_output`` first, so one set of rules keeps
an output from destroying data:

- never the open database, its ``-wal``, ``-shm`` or ``-journal`` file, nor any SQLite file
  (``--force`` does not change that);
- only a new file or an existing regular file: not a folder, a device (``/dev/full``), a
  pipe or a socket;
- an existing file is replaced only when it already holds the same kind of file (a PDF for
  a report, text for CSV and iCalendar, a zip for a workbook), or with ``force``.

Files are then written with ``write_atomically``: a reader never sees half a file, and a
failed write leaves an existing file as it was.
"""

from __future__ import annotations

import enum
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import _
from drillplanner.storage.database import SQLITE_HEADER, Database

T = TypeVar("T")

#: How much of an existing file is read to tell what it holds.
_SNIFF_BYTES = 8192
_DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


class OutputKind(enum.Enum):
    """The kinds of file the app writes."""

    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"
    ICS = "ics"

    @property
    def label(self) -> str:
        return {OutputKind.PDF: _("a PDF file"), OutputKind.CSV: _("a CSV file"),
                OutputKind.XLSX: _("an Excel workbook"),
                OutputKind.ICS: _("an iCalendar file")}[self]


class OutputFileError(DrillplannerError):
    """The output cannot (or may not) be written where the user asked.

    ``forcible`` is True when the only objection is that an existing file of another kind
    would be replaced: ``--force`` (the CLI) allows that.
    """

    def __init__(self, message: str, *, forcible: bool = False) -> None:
        super().__init__(message)
        self.forcible = forcible


def kind_of(path: Path) -> OutputKind:
    """The kind of roster file ``path`` names by its suffix (.xlsx, else CSV)."""
    return OutputKind.XLSX if path.suffix.lower() == ".xlsx" else OutputKind.CSV


def check_output(db: Database | None, path: str | os.PathLike[str], kind: OutputKind, *,
                 force: bool = False) -> Path:
    """The file ``path`` names, once it is safe to write ``kind`` there.

    Args:
        db: the open database (never written over), or None when none is open.
        path: the file the user chose.
        kind: what will be written.
        force: replace an existing regular file of another kind.

    Raises:
        OutputFileError: an empty name, the database or one of its files, a SQLite file, a
            folder, a device or other special file, or (without ``force``) an existing file
            of another kind.
    """
    text = os.fspath(path)
    if not text.strip():
        raise OutputFileError(_("No output file was given: name the file to write."))
    target = Path(text).expanduser()
    real = Path(os.path.realpath(target))
    if db is not None and _is_database_file(db, real):
        raise OutputFileError(_("{file} is the open database (or one of its files); "
                                "choose another file name.").format(file=target))
    try:
        status = os.stat(real)
    except FileNotFoundError:
        return target  # a new file
    except OSError as error:
        raise OutputFileError(_("Cannot write {file}: {reason}").format(
            file=target, reason=error.strerror or error)) from error
    if stat.S_ISDIR(status.st_mode):
        raise OutputFileError(_("{file} is a folder; choose a file name.").format(file=target))
    if not stat.S_ISREG(status.st_mode):
        raise OutputFileError(_("{file} is not a regular file (a device, a pipe or a socket); "
                                "choose another file name.").format(file=target))
    if db is not None and _same_file(db, status):
        raise OutputFileError(_("{file} is the open database (or one of its files); "
                                "choose another file name.").format(file=target))
    head = _head(real)
    if head.startswith(SQLITE_HEADER):
        raise OutputFileError(_("{file} is a database; it is never replaced. Choose another "
                                "file name.").format(file=target))
    if head and not force and not _holds(head, target, kind):
        raise OutputFileError(_("{file} exists and is not {kind}; it was left as it is. "
                                "Choose another file name.").format(
                                    file=target, kind=kind.label), forcible=True)
    return target


def write_atomically(path: Path, write: Callable[[BinaryIO], T]) -> T:
    """Call ``write`` on a new file beside ``path``, then rename it over ``path``.

    The file is flushed to disk before the rename, so after a crash ``path`` holds either
    the old or the new file whole. On any error the partial file is removed. Callers check
    ``path`` with ``check_output`` first.

    Raises:
        OutputFileError: when the folder cannot be written or the rename fails.
    """
    target = Path(path).expanduser()
    # A name of our own in the same folder (so the rename stays on one file system),
    # opened with "x" so the user's umask gives it the usual permissions.
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        out = partial.open("xb")
    except OSError as error:
        raise _file_error(target, error) from error
    try:
        with out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _file_error(target, error) from error
        raise
    return result


def write_output(db: Database | None, path: str | os.PathLike[str], kind: OutputKind,
                 data: bytes, *, force: bool = False) -> Path:
    """Check ``path`` (``check_output``), then write ``data`` there atomically."""
    target = check_output(db, path, kind, force=force)
    write_atomically(target, lambda out: out.write(data))
    return target


def _file_error(path: Path, error: OSError) -> OutputFileError:
    return OutputFileError(_("Cannot write {file}: {reason}").format(
        file=path, reason=error.strerror or error))


def _database_path(db: Database) -> Path | None:
    path = db.target.path
    return None if path is None else Path(os.path.realpath(path))


def _is_database_file(db: Database, real: Path) -> bool:
    database = _database_path(db)
    if database is None:
        return False
    return any(real == database.with_name(database.name + suffix)
               for suffix in _DATABASE_COMPANIONS)


def _same_file(db: Database, status: os.stat_result) -> bool:
    # A hard link to the database has another name but is the same file.
    database = _database_path(db)
    if database is None:
        return False
    for suffix in _DATABASE_COMPANIONS:
        try:
            other = os.stat(database.with_name(database.name + suffix))
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (status.st_dev, status.st_ino):
            return True
    return False


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except OSError as error:
        raise OutputFileError(_("Cannot write {file}: {reason}").format(
            file=path, reason=error.strerror or error)) from error


def _holds(head: bytes, path: Path, kind: OutputKind) -> bool:
    """Whether a file starting with ``head`` already holds ``kind`` (so replacing it is safe)."""
    suffix = path.suffix.lower()
    if kind is OutputKind.PDF:
        return head.startswith(b"%PDF-")
    if kind is OutputKind.XLSX:
        return head.startswith(b"PK\x03\x04") and suffix == ".xlsx"
    expected = ".csv" if kind is OutputKind.CSV else ".ics"
    return suffix == expected and _is_text(head)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            # The sniffed bytes may end inside a character.
            if error.start >= len(head) - 4:
                return True
            continue
        return True
    return False
