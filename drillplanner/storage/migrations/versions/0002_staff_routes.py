"""Staff with roles, evacuation routes, grade leaders; homeroom teachers become staff.

Revision ID: 0002_staff_routes
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_staff_routes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], ondelete="CASCADE",
                                name=op.f("fk_staff_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_staff_school_id_name")),
    )
    op.create_index(op.f("ix_staff_school_id"), "staff", ["school_id"])
    op.create_table(
        "staff_roles",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE",
                                name=op.f("fk_staff_roles_staff_id_staff")),
        sa.PrimaryKeyConstraint("staff_id", "role", name=op.f("pk_staff_roles")),
    )
    op.create_table(
        "routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("assembly_area_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], ondelete="CASCADE",
                                name=op.f("fk_routes_school_id_schools")),
        sa.ForeignKeyConstraint(["assembly_area_id"], ["assembly_areas.id"], ondelete="SET NULL",
                                name=op.f("fk_routes_assembly_area_id_assembly_areas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routes")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_routes_school_id_name")),
    )
    op.create_index(op.f("ix_routes_school_id"), "routes", ["school_id"])
    with op.batch_alter_table("grades") as batch:
        batch.add_column(sa.Column("leader_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_grades_leader_id_staff"), "staff", ["leader_id"],
                                 ["id"], ondelete="SET NULL")
    with op.batch_alter_table("classes") as batch:
        batch.add_column(sa.Column("homeroom_teacher_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("route_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_classes_homeroom_teacher_id_staff"), "staff",
                                 ["homeroom_teacher_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key(op.f("fk_classes_route_id_routes"), "routes", ["route_id"],
                                 ["id"], ondelete="SET NULL")
    _teachers_to_staff()
    with op.batch_alter_table("classes") as batch:
        batch.drop_column("homeroom_teacher")


def _teachers_to_staff() -> None:
    """Each distinct homeroom teacher name of a school becomes one staff record."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT c.id, g.school_id, TRIM(c.homeroom_teacher) FROM classes c "
        "JOIN grades g ON g.id = c.grade_id WHERE TRIM(c.homeroom_teacher) <> ''"
    )).all()
    staff_ids: dict[tuple[int, str], int] = {}
    for class_id, school_id, name in rows:
        key = (school_id, name)
        if key not in staff_ids:
            staff_ids[key] = bind.execute(
                sa.text("INSERT INTO staff (school_id, name, phone) VALUES (:s, :n, '') "
                        "RETURNING id"), {"s": school_id, "n": name}).scalar_one()
            bind.execute(sa.text("INSERT INTO staff_roles (staff_id, role) VALUES (:i, :r)"),
                         {"i": staff_ids[key], "r": "homeroom_teacher"})
        bind.execute(sa.text("UPDATE classes SET homeroom_teacher_id = :t WHERE id = :c"),
                     {"t": staff_ids[key], "c": class_id})


def downgrade() -> None:
    with op.batch_alter_table("classes") as batch:
        batch.add_column(sa.Column("homeroom_teacher", sa.String(100), nullable=False,
                                   server_default=""))
    op.execute("UPDATE classes SET homeroom_teacher = COALESCE((SELECT name FROM staff "
               "WHERE staff.id = classes.homeroom_teacher_id), '')")
    with op.batch_alter_table("classes") as batch:
        batch.drop_constraint(op.f("fk_classes_route_id_routes"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_classes_homeroom_teacher_id_staff"), type_="foreignkey")
        batch.drop_column("route_id")
        batch.drop_column("homeroom_teacher_id")
    with op.batch_alter_table("grades") as batch:
        batch.drop_constraint(op.f("fk_grades_leader_id_staff"), type_="foreignkey")
        batch.drop_column("leader_id")
    op.drop_table("routes")
    op.drop_table("staff_roles")
    op.drop_table("staff")
