"""Schools, buildings, floors, assembly areas, grades and classes.

The first schema kept a class's homeroom teacher as text; 0002 turns it into staff records.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("evacuation_target_seconds", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("evacuation_target_seconds > 0",
                           name=op.f("ck_schools_target_positive")),
        sa.ForeignKeyConstraint(["parent_id"], ["schools.id"], ondelete="SET NULL",
                                name=op.f("fk_schools_parent_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
        sa.UniqueConstraint("name", name=op.f("uq_schools_name")),
    )
    op.create_table(
        "buildings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], ondelete="CASCADE",
                                name=op.f("fk_buildings_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_buildings_school_id_name")),
    )
    op.create_index(op.f("ix_buildings_school_id"), "buildings", ["school_id"])
    op.create_table(
        "floors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], ondelete="CASCADE",
                                name=op.f("fk_floors_building_id_buildings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floors")),
        sa.UniqueConstraint("building_id", "level", name=op.f("uq_floors_building_id_level")),
    )
    op.create_index(op.f("ix_floors_building_id"), "floors", ["building_id"])
    op.create_table(
        "assembly_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], ondelete="CASCADE",
                                name=op.f("fk_assembly_areas_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assembly_areas")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_assembly_areas_school_id_name")),
    )
    op.create_index(op.f("ix_assembly_areas_school_id"), "assembly_areas", ["school_id"])
    op.create_table(
        "grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], ondelete="CASCADE",
                                name=op.f("fk_grades_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grades")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_grades_school_id_name")),
    )
    op.create_index(op.f("ix_grades_school_id"), "grades", ["school_id"])
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("enrolled", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(50), nullable=False),
        sa.Column("homeroom_teacher", sa.String(100), nullable=False, server_default=""),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("floor_id", sa.Integer(), nullable=True),
        sa.Column("assembly_area_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("enrolled >= 0", name=op.f("ck_classes_enrolled_not_negative")),
        sa.ForeignKeyConstraint(["grade_id"], ["grades.id"], ondelete="CASCADE",
                                name=op.f("fk_classes_grade_id_grades")),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], ondelete="SET NULL",
                                name=op.f("fk_classes_building_id_buildings")),
        sa.ForeignKeyConstraint(["floor_id"], ["floors.id"], ondelete="SET NULL",
                                name=op.f("fk_classes_floor_id_floors")),
        sa.ForeignKeyConstraint(["assembly_area_id"], ["assembly_areas.id"], ondelete="SET NULL",
                                name=op.f("fk_classes_assembly_area_id_assembly_areas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classes")),
        sa.UniqueConstraint("grade_id", "name", name=op.f("uq_classes_grade_id_name")),
    )
    op.create_index(op.f("ix_classes_grade_id"), "classes", ["grade_id"])


def downgrade() -> None:
    for table in ("classes", "grades", "assembly_areas", "floors", "buildings", "schools"):
        op.drop_table(table)
