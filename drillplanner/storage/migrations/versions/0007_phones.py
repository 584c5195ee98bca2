"""Reports from phones: a headcount carries the id the phone gave it (sent twice, stored
once), and each school a secret its drill and class links are derived from.

Revision ID: 0007_phones
Revises: 0006_users
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007_phones"
down_revision = "0006_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("headcounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entry_id", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_headcounts_run_id_entry_id"),
                                          ["run_id", "entry_id"])
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_secret", sa.String(length=64), nullable=False,
                                      server_default=""))
    schools = sa.table("schools", sa.column("id", sa.Integer),
                       sa.column("link_secret", sa.String))
    connection = op.get_bind()
    for (school_id,) in connection.execute(sa.select(schools.c.id)).all():
        connection.execute(schools.update().where(schools.c.id == school_id)
                           .values(link_secret=secrets.token_hex(32)))


def downgrade() -> None:
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_column("link_secret")
    with op.batch_alter_table("headcounts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_headcounts_run_id_entry_id"), type_="unique")
        batch_op.drop_column("entry_id")
