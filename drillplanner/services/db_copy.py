"""Moving up: a database, or one school, copied into another database (``db copy``).

The usual case is a school's SQLite file moving to a PostgreSQL server when several
computers start to use it; any pair of databases works. The source is read in one
snapshot and the target written in one transaction, so a failure leaves the target as it
was. Everything goes only into an empty target and keeps its ids and its audit chain;
one school goes into any target without a school of its name and gets new ids there
(``storage/copy.py`` says why). Afterwards the rows of every table in the copied scope are
counted on both sides, and the target's audit chain is checked.
"""

from __future__ import annotations

import logging

from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.db_copy import CopyRefused, CopyReport, TableCount
from drillplanner.domain.permissions import Op, PermissionDenied
from drillplanner.i18n import _
from drillplanner.services import audit
from drillplanner.services.authorization import current_user, forget_has_users, operation
from drillplanner.services.schools import find_school
from drillplanner.storage.copy import (
    check_target,
    copy_everything,
    copy_school,
    count_rows,
    snapshot,
)
from drillplanner.storage.database import Database

log = logging.getLogger("drillplanner.services")


def plan_copy(source: Database, target: Database | None, *, school: str | None = None,
              target_name: str = "") -> CopyReport:
    """What ``copy_database`` would copy (a dry run): the rows of each table in the scope.

    ``target`` None: the target has no database yet (``target_name`` names it), so nothing
    there can be in the way.

    Raises:
        CopyRefused: the copy would be refused (a school already in the target…).
        NotFoundError: no school of that name in the source.
    """
    if target is not None:
        _check_pair(source, target)
    school_id, name = _school(source, school)
    with source.read() as reading:
        connection = snapshot(reading)
        counts = count_rows(connection, school_id)
        if target is not None:
            with target.read() as theirs:
                check_target(connection, theirs.connection(), school_id,
                             target.display_name)
    return CopyReport(
        source=source.display_name,
        target=target.display_name if target is not None else target_name,
        school=name, counts=tuple(TableCount(t, n) for t, n in counts.items()),
        dry_run=True, target_is_new=target is None)


@operation(Op.SET_UP_SCHOOL)
def copy_database(db: Database, source: Database, *, school: str | None = None
                  ) -> Done[CopyReport]:
    """Copy ``source`` into ``db``: every school, or only the one called ``school``.

    Returns once the copy is committed, with the rows of each table in the copied scope
    counted in the source and in ``db``, and whether ``db``'s audit chain is whole.

    Raises:
        CopyRefused: ``db`` already holds the school (or, for a whole copy, anything), a
            login or event of it, or a value too long for ``db``; or the source's audit
            chain is broken (one school); nothing was written.
        NotFoundError: no school of that name in the source.
        PermissionDenied: the user signed in to ``db`` may not add schools to it.
    """
    _check_pair(source, db)
    _check_reach(db)
    school_id, name = _school(source, school)
    if school_id is not None:
        _check_source_log(source)
    where = db.display_name
    notes: list[str] = []
    copied_id = None
    with source.read() as reading:
        connection = snapshot(reading)
        with db.write() as session:
            target = session.connection()
            check_target(connection, target, school_id, where)
            if school_id is None:
                copy_everything(connection, target, where)
            else:
                copied_id, notes = copy_school(connection, target, school_id, where)
    forget_has_users(db)  # the copy may have brought accounts
    with source.read() as reading:
        ours = count_rows(snapshot(reading), school_id)
    with db.read() as session:
        theirs = count_rows(session.connection(), copied_id)
    chain = audit.check(db)
    report = CopyReport(
        source=source.display_name, target=where, school=name,
        counts=tuple(TableCount(t, n, theirs.get(t, 0)) for t, n in ours.items()),
        notes=tuple(notes), log_rows=chain.rows, log_whole=chain.whole)
    log.info("copied %s from %s to %s: %d rows%s", name or "every school",
             source.display_name, where, report.rows,
             "" if report.ok else f", counts differ in {len(report.differences)} tables")
    return Done(report, Changes.of_kinds(Kind))


def _check_pair(source: Database, target: Database) -> None:
    same = (source.target.path == target.target.path if source.target.path is not None
            else source.target.url == target.target.url)
    if same:
        raise CopyRefused(_("The source and the target are the same database ({where}): "
                            "nothing to copy.").format(where=source.display_name))


def _check_source_log(source: Database) -> None:
    """One school's audit rows are chained anew in the target, which would hide rows
    altered in the source: copy them only from a whole chain. (A whole copy keeps the
    chain as it is, breaks included, and the check of the target shows them.)"""
    problem = audit.check(source).problem
    if problem is not None:
        raise CopyRefused(_(
            "The audit log of {where} is not whole: {problem} Copying one school would chain "
            "its entries anew and hide that, so nothing was copied. Check it with "
            "“drillplanner audit verify”; a copy of the whole database keeps the log as it "
            "is.").format(where=source.display_name, problem=problem.describe()))


def _check_reach(db: Database) -> None:
    """Adding schools is for an admin of every school, not of one."""
    actor = current_user(db)
    if actor.school_id is not None:
        raise PermissionDenied(_(
            "{user} is an admin of one school only: copying schools into {where} is for an "
            "admin of every school.").format(user=actor.name or actor.login,
                                             where=db.display_name))


def _school(source: Database, name: str | None) -> tuple[int | None, str | None]:
    if name is None:
        return None, None
    found = find_school(source, name)
    return found.id, found.name
