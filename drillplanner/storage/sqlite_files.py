"""The files SQLite keeps beside a database, and the disk space they live on.

A WAL database has a ``-wal`` file (committed changes not yet copied into the database) and
a ``-shm`` index beside it; a reader opened with ``mode=ro`` creates both if they are
missing and leaves them behind. So a file is read without writing anything beside it:
with ``immutable=1`` when it has no ``-wal`` or ``-journal`` (then everything committed is
in the file itself), otherwise with ``mode=ro`` over the files that are already there.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("drillplanner.storage")

WAL_INDEX_SIZE = 32_768  # a -shm any connection has used is at least this long
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
NEARLY_FULL_BYTES = 1024 * 1024  # an I/O error with less free than this: the disk is full


def side_file(path: Path, suffix: str) -> Path:
    """``path`` with SQLite's ``-wal``, ``-shm`` or ``-journal`` appended to its name."""
    return path.with_name(path.name + suffix)


def side_files(path: Path) -> tuple[Path, Path, Path]:
    return side_file(path, "-wal"), side_file(path, "-shm"), side_file(path, "-journal")


def can_read_immutable(path: Path) -> bool:
    """True when nothing committed can be outside the file: no -wal and no -journal."""
    return not side_file(path, "-wal").exists() and not side_file(path, "-journal").exists()


def read_only_uri(path: Path, *, immutable: bool) -> str:
    """A SQLite URI that reads ``path`` and never writes to it or beside it (if immutable)."""
    return f"{path.as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


@contextmanager
def no_new_side_files(path: Path) -> Iterator[None]:
    """When the block fails, remove the -wal/-shm it left beside ``path`` unused.

    Only files that were not there before and that no connection can be using are removed:
    while the -shm is shorter than one index block no connection has read through it (one
    that had would have grown it, e.g. a failure for lack of space), so the -shm and an
    empty -wal are debris. Anything else may be another program's and stays.
    """
    wal, shm = side_file(path, "-wal"), side_file(path, "-shm")
    created = [side for side in (shm, wal) if not side.exists()]
    try:
        yield
    except BaseException:
        if created and _unused_index(shm):
            for side in created:
                with contextlib.suppress(OSError):
                    if side is shm or side.stat().st_size == 0:
                        side.unlink()
                        log.info("removed %s, left by a failed open", side)
        raise


def _unused_index(shm: Path) -> bool:
    try:
        return shm.stat().st_size < WAL_INDEX_SIZE
    except FileNotFoundError:
        return True
    except OSError:
        return False


def remove_quietly(*paths: Path) -> None:
    """Delete ``paths`` that exist; a file that cannot be deleted is logged, not raised."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("cannot remove %s: %s", path, error)


def is_disk_full(error: BaseException) -> bool:
    """An OSError saying the disk (or the user's quota) is full."""
    return isinstance(error, OSError) and error.errno in DISK_FULL_ERRNOS


def free_bytes(folder: Path) -> int | None:
    """Free space for us in ``folder``; None when the system cannot say."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def nearly_full(folder: Path) -> bool:
    """True when the disk holding ``folder`` has (almost) no free space left."""
    free = free_bytes(folder)
    return free is not None and free < NEARLY_FULL_BYTES


def database_bytes(path: Path) -> int:
    """The size of a database with its -wal (what a copy of it can take)."""
    total = 0
    for part in (path, side_file(path, "-wal")):
        with contextlib.suppress(OSError):
            total += os.stat(part).st_size
    return total
