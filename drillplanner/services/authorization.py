"""Enforcing the permission table (domain/permissions.py) on every service write.

Who: the user signed in. A face signs in once (``sign_in``: the desktop app, the CLI) and
every write of the process is theirs; ``acting_as`` names a user for one context (a web
request, a test). The audit log records the same user.

Every public write of the services is decorated with ``@operation(Op.…)``: before it runs,
the user's roles are checked against the table for that operation and for what its
arguments point at (a class, a drill and whether it is running, a school, an account).
A refusal raises ``PermissionDenied`` naming the rule, and nothing is written. A database
without user accounts is used by ``LOCAL_ADMIN`` and nothing is checked.
"""

from __future__ import annotations

import functools
import inspect
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain.changes import Done
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.events import Event
from drillplanner.domain.permissions import (
    LOCAL_ADMIN,
    Actor,
    Op,
    PermissionDenied,
    Target,
    needs_facts,
    refusal,
)
from drillplanner.i18n import _
from drillplanner.storage import audit, notify
from drillplanner.storage.database import Database
from drillplanner.storage.models import (
    AssemblyAreaRow,
    BuildingRow,
    ClassRow,
    GradeRow,
    RouteRow,
    StaffRow,
)
from drillplanner.storage.models_drills import CorrectiveActionRow, DrillRunRow, RunPostRow
from drillplanner.storage.models_schedule import CalendarDayRow, EventRow, SchoolYearRow
from drillplanner.storage.models_users import UserRow

P = ParamSpec("P")
R = TypeVar("R")

# Who ------------------------------------------------------------------------------------

_context_user: ContextVar[Actor | None] = ContextVar("drillplanner_user", default=None)
_process_user: Actor | None = None


def sign_in(actor: Actor | None) -> None:
    """Make ``actor`` the user of every write of this process (None: nobody signed in)."""
    global _process_user
    _process_user = actor
    login = None if actor is None else actor.login
    audit.set_process_actor(login)  # worker threads
    audit.set_actor(login)  # this thread, over any name a face set before signing in


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Make ``actor`` the user of the writes in this block (this thread or task only)."""
    token = _context_user.set(actor)
    actor_token = audit.set_actor(actor.login)
    try:
        yield actor
    finally:
        audit.reset_actor(actor_token)
        _context_user.reset(token)


def signed_in() -> Actor | None:
    """The user signed in here, if any."""
    found = _context_user.get()
    return found if found is not None else _process_user


def current_user(db: Database) -> Actor:
    """Who the next write is made by: the user signed in, or the local admin of a
    database without accounts.

    Raises:
        PermissionDenied: the database has accounts and nobody signed in.
    """
    actor = signed_in()
    if actor is not None:
        return actor
    if has_users(db):
        raise PermissionDenied(_("{where} has user accounts: sign in to change anything "
                                 "(drillplanner --user NAME).").format(where=db.display_name))
    return LOCAL_ADMIN


def who(by: str = "") -> str:
    """The name a record shows for who did something: the signed-in user's, else ``by``."""
    actor = signed_in()
    return (actor.name or actor.login) if actor is not None else by


# Whether the database has accounts: asked before every write, so remembered a moment.
_HAS_USERS_FOR = 2.0  # seconds
_has_users: weakref.WeakKeyDictionary[Database, tuple[bool, float]] = (
    weakref.WeakKeyDictionary())


def has_users(db: Database) -> bool:
    known = _has_users.get(db)
    now = time.monotonic()
    if known is not None and now - known[1] < _HAS_USERS_FOR:
        return known[0]
    with db.read() as session:
        found = session.scalar(select(UserRow.id).limit(1)) is not None
    _has_users[db] = (found, now)
    return found


def forget_has_users(db: Database) -> None:
    """Accounts were added or removed here: ask the database again next time."""
    _has_users.pop(db, None)


# The decorator -----------------------------------------------------------------------------


def operation(op: Op) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a service write as ``op``, check the user may do it before it runs, and tell
    the other computers what it changed when it has committed (``storage/notify``)."""
    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(*args, **kwargs)
            db = bound.arguments["db"]
            check(db, op, bound.arguments)
            result = function(*args, **kwargs)
            if isinstance(result, Done):
                # Its transaction has committed (the write block ended before the return):
                # the other computers may read what the notice names.
                notify.announce(db, result.changes)
            return result

        checked.operation = op  # type: ignore[attr-defined]
        return checked
    return decorate


def check(db: Database, op: Op, arguments: dict[str, Any]) -> None:
    """Raise PermissionDenied unless the current user may do ``op`` with ``arguments``."""
    reason = refusal_for(db, op, arguments)
    if reason is not None:
        raise PermissionDenied(reason)


def refusal_for(db: Database, op: Op, arguments: dict[str, Any] | None = None) -> str | None:
    """Why the current user may not do ``op`` with ``arguments`` (None: they may); what a
    face shows on a greyed-out action."""
    actor = current_user(db)
    if not needs_facts(actor, op):
        return refusal(actor, op, Target())
    with db.read() as session:
        target = target_of(session, arguments or {})
    return refusal(actor, op, target)


# What the arguments point at ---------------------------------------------------------------

# Argument name -> the model whose row knows its school (directly or through a parent).
_SCHOOL_OF: dict[str, Any] = {
    "building_id": BuildingRow, "area_id": AssemblyAreaRow, "route_id": RouteRow,
    "staff_id": StaffRow, "grade_id": GradeRow, "event_id": EventRow,
    "year_id": SchoolYearRow, "day_id": CalendarDayRow,
}


def target_of(session: Session, arguments: dict[str, Any]) -> Target:
    """The facts the rules need about what ``arguments`` name."""
    facts: dict[str, Any] = {}
    schools: set[int] = set()
    school_id = arguments.get("school_id")
    if isinstance(school_id, int):
        schools.add(school_id)
    for name, model in _SCHOOL_OF.items():
        value = arguments.get(name)
        if isinstance(value, int):
            row = session.get(model, value)
            if row is not None:
                schools.add(row.school_id)
    event = arguments.get("event")
    if isinstance(event, Event):
        schools.add(event.school_id)
    run_id = arguments.get("run_id")
    for name, model in (("post_id", RunPostRow), ("action_id", CorrectiveActionRow)):
        value = arguments.get(name)
        if isinstance(value, int):
            found_run = session.scalar(select(model.run_id).where(model.id == value))
            run_id = found_run if found_run is not None else run_id
    if isinstance(run_id, int):
        run = session.get(DrillRunRow, run_id)
        if run is not None:
            schools.add(run.school_id)
            facts["running"] = run.status == RunStatus.IN_PROGRESS.value
    class_id = arguments.get("class_id")
    if isinstance(class_id, int):
        found = session.execute(select(GradeRow.id, GradeRow.school_id)
                                .join(ClassRow, ClassRow.grade_id == GradeRow.id)
                                .where(ClassRow.id == class_id)).first()
        if found is not None:
            facts.update(class_id=class_id, grade_id=found[0])
            schools.add(found[1])
    user = arguments.get("login")
    if isinstance(user, str):
        row = session.scalar(select(UserRow).where(UserRow.login == user))
        if row is not None:
            facts["user_id"] = row.id
            if row.school_id is not None:
                schools.add(row.school_id)
    first = min(schools) if schools else None
    return Target(school_id=first, extra_school_ids=frozenset(schools - {first}), **facts)
