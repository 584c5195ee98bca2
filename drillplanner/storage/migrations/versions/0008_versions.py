"""Edit counters for optimistic locking: events, classes and drill runs (their record)
carry a version, raised by every change, so an edit made from an older version is told
instead of overwriting.

Revision ID: 0008_versions
Revises: 0007_phones
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_versions"
down_revision = "0007_phones"
branch_labels = None
depends_on = None

_TABLES = ("events", "classes", "drill_runs")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False,
                                          server_default="1"))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
