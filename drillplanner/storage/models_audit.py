"""The audit log: one row per change of a record, chained by hashes so that a row altered
or removed behind the app's back (with a SQLite shell, say) can be found.

A row holds when (naive UTC), who, what (entity and id, and the drill run and school it
belongs to, kept as plain numbers so the log outlives what it describes), the old and new
values as canonical JSON, the reason for a correction or amendment, and
``hash = sha256(prev_hash ‖ canonical content)``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from drillplanner.storage.base import Base


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100), default="")
    school_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    #: "insert", "update" or "delete".
    action: Mapped[str] = mapped_column(String(10))
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))
