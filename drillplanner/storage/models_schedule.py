"""SQLAlchemy models of the school calendar, events and compliance profiles."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplanner.storage.base import Base, version_column


class SchoolYearRow(Base):
    __tablename__ = "school_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    terms: Mapped[list[TermRow]] = relationship(
        cascade="all, delete-orphan", order_by="TermRow.start", lazy="selectin")

    __table_args__ = (
        UniqueConstraint("school_id", "name"),
        CheckConstraint('"end" >= start', name="ends_after_start"),
    )


class TermRow(Base):
    __tablename__ = "terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year_id: Mapped[int] = mapped_column(
        ForeignKey("school_years.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)

    __table_args__ = (CheckConstraint('"end" >= start', name="ends_after_start"),)


class CalendarDayRow(Base):
    """A holiday, closure, exam day, sports day or make-up school day (a date range)."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (CheckConstraint('"end" >= start', name="ends_after_start"),)


class EventRow(Base):
    """A calendar event; ``start`` is naive local time in the school's time zone."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own hook
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[datetime] = mapped_column(DateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    rrule: Mapped[str] = mapped_column(Text, default="")
    rdates: Mapped[str] = mapped_column(Text, default="")  # ISO local datetimes, comma-separated
    exdates: Mapped[str] = mapped_column(Text, default="")
    school_days_only: Mapped[bool] = mapped_column(Boolean, default=False)
    place: Mapped[str] = mapped_column(String(200), default="")
    assembly_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("assembly_areas.id", ondelete="SET NULL"), nullable=True)
    scope: Mapped[str] = mapped_column(String(10), default="school")
    organizer_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), nullable=True)
    announced: Mapped[bool] = mapped_column(Boolean, default=True)
    grades: Mapped[list[EventGradeRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")
    classes: Mapped[list[EventClassRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")
    changes: Mapped[list[OccurrenceChangeRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin",
        order_by="OccurrenceChangeRow.original_start")

    __table_args__ = (CheckConstraint("duration_minutes > 0", name="duration_positive"),)


class EventGradeRow(Base):
    __tablename__ = "event_grades"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    grade_id: Mapped[int] = mapped_column(
        ForeignKey("grades.id", ondelete="CASCADE"), primary_key=True)


class EventClassRow(Base):
    __tablename__ = "event_classes"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)


class OccurrenceChangeRow(Base):
    """One occurrence of a series moved or cancelled."""

    __tablename__ = "occurrence_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    original_start: Mapped[datetime] = mapped_column(DateTime)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    new_start: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    new_duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (UniqueConstraint("event_id", "original_start"),)


class ComplianceProfileRow(Base):
    """A school-defined (or edited) compliance profile, stored as the profile JSON."""

    __tablename__ = "compliance_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    data: Mapped[str] = mapped_column(Text)
