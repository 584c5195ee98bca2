"""Drill runs with their classes, append-only headcount history, found students, posts and
corrective actions.

Revision ID: 0004_drill_runs
Revises: 0003_schedule
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_drill_runs"
down_revision = "0003_schedule"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drill_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("occurrence_start", sa.DateTime(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("alarm_at", sa.DateTime(), nullable=True),
        sa.Column("all_clear_at", sa.DateTime(), nullable=True),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("conducted_by", sa.String(length=200), nullable=False),
        sa.Column("notification", sa.String(length=20), nullable=False),
        sa.Column("staff_on_duty", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("weather", sa.String(length=200), nullable=False),
        sa.Column("observers", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_drill_runs_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_drill_runs_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill_runs")),
    )
    with op.batch_alter_table("drill_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drill_runs_alarm_at"), ["alarm_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_drill_runs_school_id"), ["school_id"], unique=False)

    op.create_table(
        "corrective_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["drill_runs.id"],
            name=op.f("fk_corrective_actions_run_id_drill_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrective_actions")),
    )
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_corrective_actions_run_id"), ["run_id"], unique=False)

    op.create_table(
        "headcounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("enrolled", sa.Integer(), nullable=True),
        sa.Column("absent", sa.Integer(), nullable=True),
        sa.Column("present", sa.Integer(), nullable=True),
        sa.Column("missing", sa.Integer(), nullable=True),
        sa.Column("injured", sa.Integer(), nullable=True),
        sa.Column("with_us", sa.Integer(), nullable=True),
        sa.Column("absent_names", sa.Text(), nullable=False),
        sa.Column("missing_names", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["drill_runs.id"],
            name=op.f("fk_headcounts_run_id_drill_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_headcounts")),
    )
    with op.batch_alter_table("headcounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_headcounts_run_id"), ["run_id"], unique=False)

    op.create_table(
        "missing_found",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("found_where", sa.String(length=200), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("found_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["drill_runs.id"],
            name=op.f("fk_missing_found_run_id_drill_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missing_found")),
    )
    with op.batch_alter_table("missing_found", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_missing_found_run_id"), ["run_id"], unique=False)

    op.create_table(
        "run_classes",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("class_name", sa.String(length=100), nullable=False),
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.Column("grade_name", sa.String(length=50), nullable=False),
        sa.Column("grade_order", sa.Integer(), nullable=False),
        sa.Column("enrolled", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["drill_runs.id"],
            name=op.f("fk_run_classes_run_id_drill_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "class_id", name=op.f("pk_run_classes")),
    )
    op.create_table(
        "run_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("post", sa.String(length=200), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("cleared_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["drill_runs.id"],
            name=op.f("fk_run_posts_run_id_drill_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_run_posts_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_posts")),
    )
    with op.batch_alter_table("run_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_posts_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("run_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_posts_run_id"))

    op.drop_table("run_posts")
    op.drop_table("run_classes")
    with op.batch_alter_table("missing_found", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_missing_found_run_id"))

    op.drop_table("missing_found")
    with op.batch_alter_table("headcounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_headcounts_run_id"))

    op.drop_table("headcounts")
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrective_actions_run_id"))

    op.drop_table("corrective_actions")
    with op.batch_alter_table("drill_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drill_runs_school_id"))
        batch_op.drop_index(batch_op.f("ix_drill_runs_alarm_at"))

    op.drop_table("drill_runs")
