"""Every model module, imported so that ``Base.metadata`` holds the whole schema.

Import this (not a single models module) wherever all tables must be known: the Alembic
environment, opening a database, and tests that compare or dump the schema. Foreign keys
between modules (``drill_runs.school_id`` → ``schools.id``) resolve only once both
tables are registered.
"""

from __future__ import annotations

from drillplanner.storage import (
    models,
    models_audit,
    models_drills,
    models_schedule,
    models_users,
)
from drillplanner.storage.base import Base

__all__ = ["Base", "models", "models_audit", "models_drills", "models_schedule",
           "models_users"]
