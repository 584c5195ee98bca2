"""SQLAlchemy models of a school's structure. Only storage and services see these."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplanner.storage.base import SECRET, Base, version_column


class SchoolRow(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    evacuation_target_seconds: Mapped[int] = mapped_column(Integer, default=180)
    country: Mapped[str] = mapped_column(String(2), default="CN")
    address: Mapped[str] = mapped_column(Text, default="")
    compliance_profile: Mapped[str] = mapped_column(String(50), default="cn_moe_2014")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    #: What the school's drill and class links for phones are derived from (services/
    #: phone_links.py); a new secret makes every printed link stale.
    link_secret: Mapped[str] = mapped_column(
        String(64), default=lambda: secrets.token_hex(32), server_default="",
        info={SECRET: True})

    __table_args__ = (
        CheckConstraint("evacuation_target_seconds > 0", name="target_positive"),
    )


class BuildingRow(Base):
    __tablename__ = "buildings"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    floors: Mapped[list[FloorRow]] = relationship(
        back_populates="building", cascade="all, delete-orphan", order_by="FloorRow.level"
    )

    __table_args__ = (UniqueConstraint("school_id", "name"),)


class FloorRow(Base):
    __tablename__ = "floors"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        ForeignKey("buildings.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)
    building: Mapped[BuildingRow] = relationship(back_populates="floors")

    __table_args__ = (UniqueConstraint("building_id", "level"),)


class AssemblyAreaRow(Base):
    __tablename__ = "assembly_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("school_id", "name"),)


class RouteRow(Base):
    __tablename__ = "routes"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    assembly_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("assembly_areas.id", ondelete="SET NULL"), nullable=True
    )
    description: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("school_id", "name"),)


class StaffRow(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40), default="")
    roles: Mapped[list[StaffRoleRow]] = relationship(
        cascade="all, delete-orphan", order_by="StaffRoleRow.role", lazy="selectin"
    )

    __table_args__ = (UniqueConstraint("school_id", "name"),)


class StaffRoleRow(Base):
    __tablename__ = "staff_roles"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(40), primary_key=True)


class GradeRow(Base):
    __tablename__ = "grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), nullable=True
    )

    __table_args__ = (UniqueConstraint("school_id", "name"),)


class ClassRow(Base):
    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own hook
    grade_id: Mapped[int] = mapped_column(ForeignKey("grades.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    enrolled: Mapped[int] = mapped_column(Integer, default=0)
    room: Mapped[str] = mapped_column(String(50), default="")
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("buildings.id", ondelete="SET NULL"), nullable=True
    )
    floor_id: Mapped[int | None] = mapped_column(
        ForeignKey("floors.id", ondelete="SET NULL"), nullable=True
    )
    assembly_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("assembly_areas.id", ondelete="SET NULL"), nullable=True
    )
    homeroom_teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), nullable=True
    )
    route_id: Mapped[int | None] = mapped_column(
        ForeignKey("routes.id", ondelete="SET NULL"), nullable=True
    )
    grade: Mapped[GradeRow] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("grade_id", "name"),
        CheckConstraint("enrolled >= 0", name="enrolled_not_negative"),
    )

