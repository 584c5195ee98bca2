"""The audit log for the faces: its entries, the check of its chain, and the hash a signed
drill report prints.

The rows are written by storage (``storage/audit.py``) for every write unit of work; this
module only reads them. ``set_actor`` is re-exported for the GUI and the CLI, which name
the person at the keyboard at start-up but may not import storage.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Generator
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from drillplanner.domain.audit import (
    Action,
    AuditEntry,
    ChainBreak,
    ChainCheck,
    ChainRow,
    check_chain,
    field_changes,
)
from drillplanner.storage.audit import current_actor, os_login, reset_actor, set_actor
from drillplanner.storage.database import Database
from drillplanner.storage.models import SchoolRow
from drillplanner.storage.models_audit import AuditRow
from drillplanner.storage.models_drills import DrillRunRow

__all__ = [
    "DEFAULT_LIMIT",
    "check",
    "current_actor",
    "entities",
    "find_hash",
    "latest_hash",
    "list_entries",
    "os_login",
    "reset_actor",
    "set_actor",
    "verify",
]

#: How many entries a listing shows unless told otherwise (newest first).
DEFAULT_LIMIT = 1000
_BATCH = 2000

# Read as stored: a time altered into something that is not one must not stop the check.
_AT = type_coerce(AuditRow.at, String)
_COLUMNS = (AuditRow.id, _AT, AuditRow.actor, AuditRow.school_id, AuditRow.run_id,
            AuditRow.entity, AuditRow.entity_id, AuditRow.action, AuditRow.old, AuditRow.new,
            AuditRow.reason, AuditRow.prev_hash, AuditRow.hash)


def _parse_at(value: object) -> datetime | str:
    if isinstance(value, datetime):
        return value
    text = str(value)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def _chain_row(row: Any) -> ChainRow:
    (row_id, at, actor, school_id, run_id, entity, entity_id, action, old, new, reason,
     prev_hash, digest) = row
    return ChainRow(id=row_id, at=_parse_at(at), actor=actor, school_id=school_id,
                    run_id=run_id, entity=entity, entity_id=entity_id, action=action, old=old,
                    new=new, reason=reason, prev_hash=prev_hash, hash=digest)


def _rows_in_order(session: Session) -> Generator[ChainRow, None, None]:
    query = select(*_COLUMNS).order_by(AuditRow.id).execution_options(yield_per=_BATCH)
    result = session.execute(query)
    try:
        for row in result:
            yield _chain_row(row)
    finally:
        # The check stops at the first break: on PostgreSQL the rows come from a server-side
        # cursor, which must be closed, not left to the garbage collector.
        result.close()


def check(db: Database) -> ChainCheck:
    """Walk the whole log: how many rows, the latest hash, and the first break if any.

    An altered row (its content no longer matches its hash) and removed rows (an id gap,
    or a row that no longer follows the one before it) are found; rows removed from the
    *end* of the log are not (the shorter chain is whole): compare the hash a signed report
    printed (``find_hash``).
    """
    with db.read() as session, contextlib.closing(_rows_in_order(session)) as rows:
        return check_chain(rows)


def verify(db: Database) -> ChainBreak | None:
    """The first row altered or removed behind the app's back, or None when the chain is
    whole."""
    return check(db).problem


def latest_hash(db: Database, run_id: int) -> str | None:
    """The hash of the latest audit row of drill run ``run_id`` (what a signed report
    prints), or None when the log holds nothing about it."""
    with db.read() as session:
        return session.scalar(select(AuditRow.hash).where(AuditRow.run_id == run_id)
                              .order_by(AuditRow.id.desc()).limit(1))


def find_hash(db: Database, digest: str) -> int | None:
    """The id of the row whose hash is ``digest`` (a paper copy's), or None."""
    cleaned = digest.strip().lower()
    if not cleaned:
        return None
    with db.read() as session:
        return session.scalar(select(AuditRow.id).where(AuditRow.hash == cleaned))


def entities(db: Database) -> list[str]:
    """The entities (table names) the log holds rows of, sorted."""
    with db.read() as session:
        # Sorted here, by code points on every engine (a few table names).
        return sorted(session.scalars(select(AuditRow.entity).distinct()))


def list_entries(db: Database, *, run_id: int | None = None, school_id: int | None = None,
                 entity: str | None = None, since: date | datetime | None = None,
                 limit: int | None = DEFAULT_LIMIT) -> list[AuditEntry]:
    """Entries of the log, newest first, with times in each school's zone.

    ``since`` is a moment (aware, or naive in the zone of the school asked for, the drill's
    school, else the computer's) or a day (from its start in that zone). ``limit`` None
    lists everything.
    """
    with db.read() as session:
        schools = {school_id_: (name, _zone(zone)) for school_id_, name, zone in
                   session.execute(select(SchoolRow.id, SchoolRow.name, SchoolRow.timezone))}
        query = select(*_COLUMNS).order_by(AuditRow.id.desc())
        if run_id is not None:
            query = query.where(AuditRow.run_id == run_id)
        if school_id is not None:
            query = query.where(AuditRow.school_id == school_id)
        if entity is not None:
            query = query.where(AuditRow.entity == entity)
        if since is not None:
            zone = _filter_zone(session, schools, school_id, run_id)
            query = query.where(AuditRow.at >= _utc(since, zone))
        if limit is not None:
            query = query.limit(limit)
        return [_entry(_chain_row(row), schools) for row in session.execute(query)]


def _zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _filter_zone(session: Session, schools: dict[int, tuple[str, tzinfo | None]],
                 school_id: int | None, run_id: int | None) -> tzinfo | None:
    if school_id is None and run_id is not None:
        school_id = session.scalar(select(DrillRunRow.school_id).where(
            DrillRunRow.id == run_id))
    return schools.get(school_id, ("", None))[1] if school_id is not None else None


def _utc(since: date | datetime, zone: tzinfo | None) -> datetime:
    """``since`` as naive UTC; naive values are read in ``zone`` (None: the computer's)."""
    moment = since if isinstance(since, datetime) else datetime.combine(since, time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
    return moment.astimezone(UTC).replace(tzinfo=None)


def _entry(row: ChainRow, schools: dict[int, tuple[str, tzinfo | None]]) -> AuditEntry:
    name, zone = schools.get(row.school_id, ("", None)) if row.school_id is not None else (
        "", None)
    at = row.at if isinstance(row.at, datetime) else datetime(1970, 1, 1)
    moment = at.replace(tzinfo=UTC)
    try:
        action = Action(row.action)
    except ValueError:
        action = Action.UPDATE  # altered behind the app's back; the check will say so
    return AuditEntry(
        id=row.id, at=moment.astimezone(zone) if zone is not None else moment.astimezone(),
        actor=row.actor, school_id=row.school_id, school=name, run_id=row.run_id,
        entity=row.entity, entity_id=row.entity_id, action=action,
        fields=field_changes(_values(row.old), _values(row.new)), reason=row.reason,
        hash=row.hash)


def _values(text: str) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return {"?": text}
    return found if isinstance(found, dict) else {"?": found}
