"""Read-only places for a database file: a read-only file, a read-only folder or mount.

Permissions are real for an ordinary user (chmod). Root ignores them, so for root a folder
is made read-only by a read-only tmpfs mount (the kernel refuses writes even to root), and
where mounting is not permitted, and for a read-only file, ``os.access`` is made to answer
as it would for an ordinary user; SQLite is then opened read-only by our own choice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

IS_ROOT = os.geteuid() == 0


class ReadOnlyPlaces:
    """Copies of database files made read-only; undone when the test ends."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self._tmp_path = tmp_path
        self._monkeypatch = monkeypatch
        self._unwritable: set[Path] = set()
        self._chmodded: list[tuple[Path, int]] = []
        self._mounts: list[Path] = []
        self.mounted = False  # the last folder() is a read-only mount

    def file(self, *sources: Path) -> Path:
        """Copies of ``sources`` in a writable folder, each file read-only; the first copy."""
        folder = self._tmp_path / "read-only-file"
        folder.mkdir()
        copies = [self._copy(source, folder) for source in sources]
        for copy in copies:
            self._chmod(copy, 0o444)
            self._unwritable.add(copy)
        self._pretend()
        return copies[0]

    def folder(self, *sources: Path) -> Path:
        """Copies of ``sources`` in a folder that cannot be written; the first copy."""
        folder = self._tmp_path / "read-only-folder"
        folder.mkdir()
        self.mounted = IS_ROOT and _mount_tmpfs(folder)
        if self.mounted:
            self._mounts.append(folder)
        copies = [self._copy(source, folder) for source in sources]
        if self.mounted:
            _run("mount", "-o", "remount,ro", folder)
            return copies[0]
        for copy in copies:
            self._chmod(copy, 0o444)
        self._chmod(folder, 0o555)
        self._unwritable.update([folder, *copies])
        self._pretend()
        return copies[0]

    def close(self) -> None:
        for path, mode in reversed(self._chmodded):
            path.chmod(mode)
        for folder in reversed(self._mounts):
            if subprocess.run(["umount", folder], check=False, capture_output=True).returncode:
                subprocess.run(["umount", "-l", folder], check=False, capture_output=True)

    def _copy(self, source: Path, folder: Path) -> Path:
        copy = folder / source.name
        shutil.copyfile(source, copy)
        return copy

    def _chmod(self, path: Path, mode: int) -> None:
        self._chmodded.append((path, path.stat().st_mode & 0o7777))
        path.chmod(mode)

    def _pretend(self) -> None:
        """As root, answer os.access for the read-only paths as for an ordinary user."""
        if not IS_ROOT:
            return
        real_access = os.access
        unwritable = self._unwritable

        def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
            if mode & os.W_OK and isinstance(path, (str, os.PathLike)) and (
                    Path(os.fspath(path)).resolve() in unwritable):
                return False
            return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

        self._monkeypatch.setattr(os, "access", access)


def _mount_tmpfs(folder: Path) -> bool:
    if shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m,mode=0755", "tmpfs", folder],
                          check=False, capture_output=True)
    return done.returncode == 0


def _run(*args: object) -> None:
    subprocess.run([os.fspath(a) if isinstance(a, Path) else str(a) for a in args],
                   check=True, capture_output=True)


@pytest.fixture
def read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReadOnlyPlaces]:
    places = ReadOnlyPlaces(tmp_path, monkeypatch)
    yield places
    places.close()


def files_beside(path: Path) -> set[str]:
    """The names in ``path``'s folder."""
    return {entry.name for entry in path.parent.iterdir()}
