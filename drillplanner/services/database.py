"""The database handle and storage errors, as the front ends (ui, cli) may see them.

Services own the units of work: each service function opens one Session on the Database it
is given, and nothing outside ``storage`` and ``services`` touches a Session or a model.
The GUI and the CLI only open the database, hold the handle, pass it to services and show
the known storage errors; they import those names from here, never from
``drillplanner.storage`` (an import-linter contract in pyproject.toml checks this).
"""

from __future__ import annotations

from drillplanner.storage.database import Database, open_database
from drillplanner.storage.errors import (
    DatabaseCannotOpenError,
    DatabaseCorruptError,
    DatabaseIOError,
    DatabaseLockedError,
    DatabaseNewerError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    DiskFullError,
    StorageError,
)

__all__ = [
    "Database",
    "DatabaseCannotOpenError",
    "DatabaseCorruptError",
    "DatabaseIOError",
    "DatabaseLockedError",
    "DatabaseNewerError",
    "DatabaseReadOnlyError",
    "DatabaseUnavailableError",
    "DiskFullError",
    "StorageError",
    "open_database",
]
