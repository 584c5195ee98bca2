"""The migration revisions this build knows, without importing Alembic.

Start-up compares the database's revision with ``HEAD`` and only imports Alembic when a
migration is due. tests/storage checks these against the migration scripts.
"""

from __future__ import annotations

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial", "0002_staff_routes", "0003_schedule", "0004_drill_runs", "0005_record",
    "0006_users", "0007_phones", "0008_versions")
HEAD = KNOWN_REVISIONS[-1]
