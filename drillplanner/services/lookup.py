"""Fetching rows by id inside a unit of work, with NotFound/Conflict messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.errors import ConflictError, NotFoundError, StaleEditError
from drillplanner.i18n import _

RowT = TypeVar("RowT")


def require(session: Session, model: type[RowT], row_id: int, what: str) -> RowT:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(_("{what} #{id} does not exist.").format(what=what, id=row_id))
    return row


def check_version(stored: int, expected: int | None, what: str,
                  current: Callable[[], object]) -> None:
    """Refuse an edit that started from another version of the record than the stored
    one (None or 0: the caller did not read one, e.g. a command that reads and writes in
    one go). ``current`` builds the record as it is now, for the message's reader."""
    if expected and expected != stored:
        raise StaleEditError(_(
            "{what} was changed by someone else while you were editing it. Keep their "
            "version, use yours, or reload to see what changed.").format(what=what),
            current())


def ensure_unique(session: Session, model: Any, scope: dict[str, object], name: str,
                  what: str, exclude_id: int | None = None) -> None:
    """Raise ConflictError when another ``model`` row in ``scope`` is called ``name``."""
    query = select(model.id).where(model.name == name)
    for column, value in scope.items():
        query = query.where(getattr(model, column) == value)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    # Without no_autoflush the pending change itself is flushed first and the database's
    # UNIQUE constraint answers instead of this clear message.
    with session.no_autoflush:
        taken = session.scalar(query) is not None
    if taken:
        raise ConflictError(_("{what} “{name}” already exists.").format(what=what, name=name))


def ids_of(session: Session, kind: Kind, query: Any) -> Changes:
    """The records of ``kind`` whose ids ``query`` selects; nothing when there are none
    (``Changes.of`` without ids would mean "some, unknown which")."""
    ids = set(session.scalars(query))
    return Changes.of(kind, *ids) if ids else Changes()
