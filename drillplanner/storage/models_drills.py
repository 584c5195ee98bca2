"""SQLAlchemy models of drill runs, their append-only headcount history, posts and actions.

Times are stored as naive UTC; services convert to and from the school's zone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from drillplanner.storage.base import Base, version_column


class DrillRunRow(Base):
    __tablename__ = "drill_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own hook
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), nullable=True)
    occurrence_start: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    status_reason: Mapped[str] = mapped_column(Text, default="")
    alarm_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    all_clear_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    announced: Mapped[bool] = mapped_column(Boolean, default=True)
    conducted_by: Mapped[str] = mapped_column(String(200), default="")
    #: How occupants were told to leave; empty until someone records it.
    notification: Mapped[str] = mapped_column(String(20), default="")
    staff_on_duty: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    weather: Mapped[str] = mapped_column(String(200), default="")
    observers: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Who signed the completed record off and when (UTC); a signed record is locked and
    #: any later change is an amendment with a reason.
    signed_by: Mapped[str] = mapped_column(String(100), default="")
    signed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: What was still open when the all clear was given (allowed, but on the record):
    #: classes that had not reported and students still missing at that moment.
    unreported_at_all_clear: Mapped[int | None] = mapped_column(Integer, nullable=True)
    missing_at_all_clear: Mapped[int | None] = mapped_column(Integer, nullable=True)


class RunClassRow(Base):
    """The classes taking part in a run, with their enrolment when the run started."""

    __tablename__ = "run_classes"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("drill_runs.id", ondelete="CASCADE"), primary_key=True)
    class_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_name: Mapped[str] = mapped_column(String(100))
    grade_id: Mapped[int] = mapped_column(Integer)
    grade_name: Mapped[str] = mapped_column(String(50))
    grade_order: Mapped[int] = mapped_column(Integer)
    enrolled: Mapped[int] = mapped_column(Integer)


class HeadcountRow(Base):
    """One report, correction or verification of a class in a run; never updated."""

    __tablename__ = "headcounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("drill_runs.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int] = mapped_column(Integer)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    enrolled: Mapped[int | None] = mapped_column(Integer, nullable=True)
    absent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    present: Mapped[int | None] = mapped_column(Integer, nullable=True)
    missing: Mapped[int | None] = mapped_column(Integer, nullable=True)
    injured: Mapped[int | None] = mapped_column(Integer, nullable=True)
    with_us: Mapped[int | None] = mapped_column(Integer, nullable=True)
    absent_names: Mapped[str] = mapped_column(Text, default="")
    missing_names: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    #: Why a completed (correction) or signed (amendment) record was changed.
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The id the device that sent the report gave it (a phone's uuid): a resend of the
    #: same report is stored once. None: typed at this computer.
    entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)

    __table_args__ = (UniqueConstraint("run_id", "entry_id"),)


class ResolutionRow(Base):
    """Missing students found."""

    __tablename__ = "missing_found"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("drill_runs.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=1)
    found_where: Mapped[str] = mapped_column(String(200))
    found_at: Mapped[datetime] = mapped_column(DateTime)
    found_by: Mapped[str] = mapped_column(String(100), default="")
    #: When and by whom it was typed (NULL in rows older than 0005_record), and why, for a
    #: record changed after the all clear (correction) or after sign-off (amendment).
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class RunPostRow(Base):
    """A floor or stairwell post in a run and when it reported the floor cleared."""

    __tablename__ = "run_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("drill_runs.id", ondelete="CASCADE"), index=True)
    post: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(100), default="")
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cleared_by: Mapped[str] = mapped_column(String(100), default="")


class CorrectiveActionRow(Base):
    __tablename__ = "corrective_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("drill_runs.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(100), default="")
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
