"""The drill record: sign-off, what was open at the all clear, reasons for corrections and
amendments, a notification method left blank until recorded, and the hash-chained audit log.

Revision ID: 0005_record
Revises: 0004_drill_runs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_record"
down_revision = "0004_drill_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drill_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_by", sa.String(length=100), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("unreported_at_all_clear", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("missing_at_all_clear", sa.Integer(), nullable=True))
    with op.batch_alter_table("headcounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("missing_found", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("recorded_by", sa.String(length=100), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("old", sa.Text(), nullable=False),
        sa.Column("new", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_school_id"), ["school_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_school_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_run_id"))
    op.drop_table("audit_log")
    with op.batch_alter_table("missing_found", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("recorded_by")
        batch_op.drop_column("recorded_at")
    with op.batch_alter_table("headcounts", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("drill_runs", schema=None) as batch_op:
        batch_op.drop_column("missing_at_all_clear")
        batch_op.drop_column("unreported_at_all_clear")
        batch_op.drop_column("signed_at")
        batch_op.drop_column("signed_by")
