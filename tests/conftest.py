"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL for the storage,
services and CLI suites), English by default, Qt offscreen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Without a display pytest-qt aborts the interpreter; tests never need a real screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from argon2 import PasswordHasher, profiles
from pg_cluster import SKIP_VARIABLE, PostgresCluster, PostgresUnavailableError, find_bin_dir

from drillplanner import i18n
from drillplanner.services import authorization, users
from drillplanner.storage.database import Database, open_database

TESTS = Path(__file__).parent
#: The suites whose database tests run on both engines; the others run on SQLite only.
BOTH_ENGINES = frozenset({"storage", "services", "cli"})
BACKENDS = ("sqlite", "postgresql")
#: Fills an empty database, given as a file path or a URL.
Fill = Callable[[str], None]
#: (template key, how to fill it, file name for SQLite) → a fresh copy's path or URL.
CopyOf = Callable[[str, Fill, str], "Path | str"]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep user config, data and logs out of the real home; start every test in English."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("DRILLPLANNER_DB", raising=False)
    monkeypatch.delenv("DRILLPLANNER_USER", raising=False)
    monkeypatch.delenv("DRILLPLANNER_PASSWORD", raising=False)
    # Argon2 with the library's lowest-cost profile: the same code, a fraction of the time.
    monkeypatch.setattr(users, "HASHER", PasswordHasher.from_parameters(profiles.CHEAPEST))
    i18n.set_language("en")
    yield
    authorization.sign_in(None)  # a sign-in lasts for the process: never into the next test
    i18n.set_language("en")


# Which engine ---------------------------------------------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each database test of the storage, services and CLI suites on both engines.

    A test there that is about SQLite files by nature says so with ``@pytest.mark.
    sqlite_only``; one that asks for ``db_path`` beside a database of either engine
    without that mark is refused, so no test silently runs its PostgreSQL variant
    against a file that is not its database.
    """
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("postgresql_only"):
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
        return
    folder = Path(metafunc.definition.path).relative_to(TESTS).parts[0]
    if folder not in BOTH_ENGINES or metafunc.definition.get_closest_marker("sqlite_only"):
        return  # the backend fixture's default: SQLite
    if "db_path" in metafunc.fixturenames:
        raise pytest.UsageError(
            f"{metafunc.definition.nodeid} uses db_path with a database of either engine: "
            "use db_target (a path or URL) or mark it sqlite_only.")
    metafunc.parametrize("backend", BACKENDS, indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop the PostgreSQL variant of parameter sets marked sqlite_only (``pytest.param(…,
    marks=pytest.mark.sqlite_only)``), which pytest_generate_tests cannot see."""
    keep, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and callspec.params.get("backend") == "postgresql"
        (dropped if on_postgresql and item.get_closest_marker("sqlite_only") else keep
         ).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The engine of this test's database: "sqlite" unless parametrised."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """One PostgreSQL server for the session, started when a test first needs it.

    Without PostgreSQL the tests that need it fail, telling how to install it, unless
    DRILLPLANNER_SKIP_POSTGRESQL=1 (then they are skipped).
    """
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"PostgreSQL variants skipped ({SKIP_VARIABLE}=1)")
    missing = None
    try:
        cluster = PostgresCluster(find_bin_dir())
        cluster.start()
    except PostgresUnavailableError as error:
        missing = str(error)
    if missing is not None:
        pytest.fail(missing, pytrace=False)  # outside the except: one message, no chain
    try:
        yield cluster
    finally:
        cluster.stop()


class _SqliteTemplates:
    """SQLite template files made in this session, by key."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._made: dict[str, Path] = {}

    def get(self, key: str, fill: Fill, filename: str) -> Path:
        template = self._made.get(key)
        if template is None:
            template = self._factory.mktemp(f"template-{key}") / filename
            fill(str(template))
            self._made[key] = template
        return template


@pytest.fixture(scope="session")
def _sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> _SqliteTemplates:
    return _SqliteTemplates(tmp_path_factory)


@pytest.fixture
def copy_of(request: pytest.FixtureRequest, backend: str, tmp_path: Path,
            _sqlite_templates: _SqliteTemplates) -> CopyOf:
    """A fresh database for this test, copied from a template filled once per session.

    On SQLite the copy is a file in tmp_path; on PostgreSQL a database made with CREATE
    DATABASE … TEMPLATE, dropped at the end of the test.
    """

    def copy(key: str, fill: Fill, filename: str) -> Path | str:
        if backend == "postgresql":
            cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
            name = cluster.new_database(cluster.template(key, fill))
            request.addfinalizer(lambda: cluster.drop_database(name))
            return cluster.url(name)
        path = tmp_path / filename
        shutil.copyfile(_sqlite_templates.get(key, fill, filename), path)
        return path

    return copy


def _migrated(target: str) -> None:
    open_database(target).close()


# The test's database ----------------------------------------------------------------------------


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a SQLite test's database file is (not yet made)."""
    return tmp_path / "school.sqlite3"


@pytest.fixture
def db_target(request: pytest.FixtureRequest, backend: str, copy_of: CopyOf) -> Path | str:
    """This test's database with the current schema and nothing in it, not yet opened: a
    SQLite file at ``db_path`` or a PostgreSQL URL. Tests that open a second handle
    (another computer, another process) open this.

    Both are copies of a database migrated once per session: running the migrations
    costs about 0.2 s a test on SQLite and 0.4 s on PostgreSQL, a copy a few ms (SQLite)
    or about 0.1 s (CREATE DATABASE … TEMPLATE). Migrating from empty is
    tests/storage/test_migrations.py's job.
    """
    if backend == "postgresql":
        return copy_of("schema", _migrated, "")
    path: Path = request.getfixturevalue("db_path")
    migrated = copy_of("schema", _migrated, path.name)
    assert migrated == path, "db_path must lie in tmp_path"
    return path


@pytest.fixture
def empty_target(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Path | str:
    """A database that does not exist yet (SQLite: a path in a folder not made yet;
    PostgreSQL: an empty database, which a server's administrator makes), for tests of
    what making one does."""
    if backend == "postgresql":
        cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
        name = cluster.new_database()
        request.addfinalizer(lambda: cluster.drop_database(name))
        return cluster.url(name)
    return tmp_path / "new" / "school.sqlite3"


@pytest.fixture
def db(db_target: Path | str) -> Iterator[Database]:
    database = open_database(db_target)
    yield database
    database.close()
