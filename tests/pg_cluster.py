"""A throwaway PostgreSQL cluster for one test session, and fresh databases in it.

The cluster lives in a temporary folder (data, socket and log), listens on 127.0.0.1 on a
free port with trust authentication, and is stopped and deleted at the end. Each test gets
its own database, copied with ``CREATE DATABASE … TEMPLATE`` from a template that was
filled once (the migrated schema, a demo school…): a copy costs milliseconds where running
the migrations costs a second.

initdb and pg_ctl refuse to run as root: as root they run as the ``postgres`` user through
``runuser``; as anyone else, directly.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

SKIP_VARIABLE = "DRILLPLANNER_SKIP_POSTGRESQL"
#: Debian/Ubuntu put the server's programs here, not on PATH.
_SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin",
           "/opt/homebrew/opt/postgresql*/bin", "/usr/local/opt/postgresql*/bin")
# Durability buys nothing in a cluster that is deleted at the end, and costs most of the time.
_FAST = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
         "-c max_connections=200")
# A server as a Chinese school's administrator might set one up, unlike SQLite in every way
# that can show: the school's time zone and a Chinese collation (pinyin order, Latin after
# Chinese). The app must give the same answers as from a file all the same.
_UNLIKE_SQLITE = "-c timezone=Asia/Shanghai"
_ICU = ("--locale-provider=icu", "--icu-locale=zh-Hans")  # PostgreSQL 15+ built with ICU


class PostgresUnavailableError(Exception):
    """PostgreSQL (server or driver) is missing; the message says how to get it."""


PostgresUnavailable = PostgresUnavailableError  # the name tests/restartable_pg.py imports


def find_bin_dir() -> Path:
    """The folder holding initdb and pg_ctl: PATH first, then the usual install places
    (the newest version)."""
    on_path = shutil.which("initdb")
    if on_path is not None and shutil.which("pg_ctl") is not None:
        return Path(on_path).resolve().parent
    found = [Path(d) for pattern in _SEARCH for d in glob.glob(pattern)
             if (Path(d) / "initdb").is_file() and (Path(d) / "pg_ctl").is_file()]
    if not found:
        raise PostgresUnavailableError(
            "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in "
            "/usr/lib/postgresql/*/bin): run scripts/setup.sh dev, or set "
            f"{SKIP_VARIABLE}=1 to skip the PostgreSQL variants of the tests.")
    return max(found, key=_version_key)


def _version_key(path: Path) -> tuple[int, ...]:
    digits = "".join(c if c.isdigit() else " " for c in str(path)).split()
    return tuple(int(d) for d in digits)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """One running server; ``new_database`` hands out fresh databases in it."""

    def __init__(self, bin_dir: Path) -> None:
        try:
            import psycopg
        except ImportError as error:
            raise PostgresUnavailableError(
                "psycopg is not installed in the virtual environment: run scripts/setup.sh "
                f"dev, or set {SKIP_VARIABLE}=1 to skip the PostgreSQL variants.") from error
        self._psycopg = psycopg
        self.bin_dir = bin_dir
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                raise PostgresUnavailableError("Running as root needs runuser to start PostgreSQL "
                                          "as the postgres user.")
            self._as_postgres = [runuser, "-u", "postgres", "--"]
        # Not under pytest's tmp_path: its folders are private to the user running the
        # tests, and the server (as postgres) must reach its data and socket folder.
        self.root = Path(tempfile.mkdtemp(prefix="drillplanner-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self._names = itertools.count(1)
        self._templates: dict[str, str] = {}
        self._running = False

    # The server ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        initdb = ("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        try:
            self._run(*initdb, *_ICU)
        except PostgresUnavailableError:
            # An older server or one without ICU: byte order, as SQLite (less of a test).
            shutil.rmtree(self.data, ignore_errors=True)
            self._run(*initdb)
        for _attempt in range(3):
            # Another program may take the free port between the probe and the start.
            self.port = _free_port()
            options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                       f"{_FAST} {_UNLIKE_SQLITE}")
            try:
                self._run("pg_ctl", "-D", str(self.data), "-w", "-l",
                          str(self.root / "server.log"), "-o", options, "start")
            except PostgresUnavailableError:
                continue
            self._running = True
            atexit.register(self.stop)  # also when the session ends without its finaliser
            return
        raise PostgresUnavailableError("PostgreSQL did not start: "
                                  + self.log_tail())

    def stop(self) -> None:
        if self._running:
            self._running = False
            with contextlib.suppress(PostgresUnavailableError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 20) -> str:
        log = self.root / "server.log"
        if not log.exists():
            return "(no server log)"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def _run(self, program: str, *args: str) -> None:
        command = [*self._as_postgres, str(self.bin_dir / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=120, cwd=self.root)
        if done.returncode != 0:
            raise PostgresUnavailableError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    # Databases ----------------------------------------------------------------------------

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        with self._psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                                   dbname="postgres", autocommit=True) as connection:
            connection.execute(sql)

    def template(self, key: str, fill: Callable[[str], None]) -> str:
        """The name of the template ``key``, made the first time by ``fill(url)``."""
        name = self._templates.get(key)
        if name is None:
            name = f"template_{key}"
            self.admin(f'CREATE DATABASE "{name}"')
            fill(self.url(name))
            # A template must have no connections when it is copied; fill has closed its own.
            self.admin(f"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS "
                       "false")
            self._templates[key] = name
        return name

    def new_database(self, template: str | None = None) -> str:
        """A fresh database (a copy of ``template``, else empty); its name."""
        name = f"test_{next(self._names)}"
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.admin(f'CREATE DATABASE "{name}"{copy}')
        return name

    def drop_database(self, name: str) -> None:
        # FORCE: a test that leaked a connection must not keep its database (and disk) alive.
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
