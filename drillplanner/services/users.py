"""User accounts: adding people, their roles and classes, passwords and signing in.

Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher``) and rehashed at sign-in
when the parameters have aged; neither a password nor its hash is ever logged (the audit log
records that the hash changed, not its value). ``LOCK_AFTER`` wrong passwords in a row lock an
account for ``LOCK_MINUTES``; an admin's password reset unlocks it.

The first account must be an admin's (or nobody could manage the others); the last enabled
admin cannot be disabled or lose the role.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.permissions import Actor, Op, PermissionDenied, Role
from drillplanner.domain.structure import class_full_name
from drillplanner.domain.users import (
    LOCK_AFTER,
    LOCK_MINUTES,
    User,
    check_login,
    check_password,
)
from drillplanner.i18n import _
from drillplanner.services.authorization import forget_has_users, operation
from drillplanner.services.lookup import require
from drillplanner.storage.collation import binary
from drillplanner.storage.database import Database
from drillplanner.storage.models import ClassRow, GradeRow, SchoolRow, StaffRow
from drillplanner.storage.models_users import UserClassRow, UserGradeRow, UserRoleRow, UserRow

log = logging.getLogger("drillplanner.services.users")

#: The hasher in use (Argon2id with argon2-cffi's current defaults); tests use a cheap one.
HASHER = PasswordHasher()
# Checked against when the login name is unknown, so that a wrong name takes as long as a
# wrong password.
_DUMMY_HASH = HASHER.hash("not a password of anyone")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _row(session: Session, login: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.login == login.strip()))
    if row is None:
        raise NotFoundError(_("There is no user “{login}”.").format(login=login.strip()))
    return row


def _roles(values: Iterable[Role | str]) -> list[Role]:
    roles = []
    for value in values:
        try:
            roles.append(Role(value))
        except ValueError:
            raise ValidationError("roles", _("“{role}” is not a role; roles are: {known}.").format(
                role=value, known=", ".join(r.value for r in Role))) from None
    if not roles:
        raise ValidationError("roles", _("Give the user at least one role."))
    return sorted(set(roles))


def _value(session: Session, row: UserRow) -> User:
    actor = _actor(session, row)
    school = session.get(SchoolRow, row.school_id) if row.school_id is not None else None
    staff = session.get(StaffRow, row.staff_id) if row.staff_id is not None else None
    classes = [class_full_name(grade, name) for grade, name in session.execute(
        select(GradeRow.name, ClassRow.name).join(GradeRow, ClassRow.grade_id == GradeRow.id)
        .where(ClassRow.id.in_(actor.class_ids))
        .order_by(GradeRow.ordinal, GradeRow.name, ClassRow.name))] if actor.class_ids else []
    grades = list(session.scalars(select(GradeRow.name).where(
        GradeRow.id.in_(actor.grade_ids)).order_by(GradeRow.ordinal))) if actor.grade_ids else []
    return User(row.id, row.login, row.display_name, tuple(sorted(actor.roles)),
                row.school_id, school.name if school else "", row.staff_id,
                staff.name if staff else "", tuple(classes), tuple(grades), row.disabled,
                row.locked_until)


def _actor(session: Session, row: UserRow) -> Actor:
    class_ids = {c.class_id for c in row.classes}
    grade_ids = {g.grade_id for g in row.grades}
    if row.staff_id is not None:
        # A homeroom teacher on the roster teaches their classes; a grade's leader leads it.
        class_ids |= set(session.scalars(
            select(ClassRow.id).where(ClassRow.homeroom_teacher_id == row.staff_id)))
        grade_ids |= set(session.scalars(
            select(GradeRow.id).where(GradeRow.leader_id == row.staff_id)))
    return Actor(row.login, row.display_name or row.login,
                 frozenset(Role(r.role) for r in row.roles), row.id, row.school_id,
                 frozenset(class_ids), frozenset(grade_ids))


def list_users(db: Database) -> list[User]:
    with db.read() as session:
        return [_value(session, row) for row in session.scalars(
            select(UserRow).order_by(binary(UserRow.login)))]


def get_user(db: Database, login: str) -> User:
    with db.read() as session:
        return _value(session, _row(session, login))


def actor_of(db: Database, login: str) -> Actor:
    """The signed-in form of an account (its roles and what they reach, as stored now)."""
    with db.read() as session:
        return _actor(session, _row(session, login))


@operation(Op.MANAGE_USERS)
def add_user(db: Database, login: str, password: str, roles: Iterable[Role | str], *,
             display_name: str = "", school_id: int | None = None,
             staff_id: int | None = None, class_ids: Iterable[int] = (),
             grade_ids: Iterable[int] = ()) -> Done[User]:
    """Add an account. The first account of a database must hold the admin role.

    Raises:
        ValidationError: a bad login, password, role, class or grade.
        ConflictError: the login is taken.
    """
    clean = check_login(login)
    check_password(password)
    wanted = _roles(roles)
    with db.write() as session:
        if session.scalar(select(func.count(UserRow.id))) == 0 and Role.ADMIN not in wanted:
            raise ValidationError("roles", _(
                "The first user must be an admin: nobody else could add or manage users."))
        if session.scalar(select(UserRow.id).where(UserRow.login == clean)) is not None:
            raise ValidationError("login", _("The login name “{login}” is taken.").format(
                login=clean))
        row = UserRow(login=clean, display_name=v.text("display_name", display_name, 100),
                      password_hash=HASHER.hash(password), disabled=False, failed_logins=0)
        _place(session, row, school_id, staff_id, class_ids, grade_ids)
        row.roles = [UserRoleRow(role=role.value) for role in wanted]
        session.add(row)
        session.flush()
        done = Done(_value(session, row), Changes.of(Kind.USER, row.id))
    forget_has_users(db)
    log.info("user %s added with roles %s", clean, ",".join(r.value for r in wanted))
    return done


def _place(session: Session, row: UserRow, school_id: int | None, staff_id: int | None,
           class_ids: Iterable[int], grade_ids: Iterable[int]) -> None:
    """Set the school, staff member, classes and grades, checking they belong together."""
    if school_id is not None:
        require(session, SchoolRow, school_id, _("School"))
    if staff_id is not None:
        staff = require(session, StaffRow, staff_id, _("Staff member"))
        school_id = staff.school_id if school_id is None else school_id
        if staff.school_id != school_id:
            raise ValidationError("staff", _("That staff member works at another school."))
    classes = [require(session, ClassRow, i, _("Class")) for i in dict.fromkeys(class_ids)]
    grades = [require(session, GradeRow, i, _("Grade")) for i in dict.fromkeys(grade_ids)]
    schools = {c.grade.school_id for c in classes} | {g.school_id for g in grades}
    if school_id is None and len(schools) == 1:
        school_id = next(iter(schools))
    if schools - {school_id}:
        raise ValidationError("classes", _(
            "A user's classes and grades must all be of their own school."))
    row.school_id, row.staff_id = school_id, staff_id
    row.classes = [UserClassRow(class_id=c.id) for c in classes]
    row.grades = [UserGradeRow(grade_id=g.id) for g in grades]


@operation(Op.MANAGE_USERS)
def update_user(db: Database, login: str, *, roles: Iterable[Role | str] | None = None,
                display_name: str | None = None, class_ids: Iterable[int] | None = None,
                grade_ids: Iterable[int] | None = None) -> Done[User]:
    """Change an account's roles, name, classes or grades (None leaves one as it is)."""
    with db.write() as session:
        row = _row(session, login)
        if display_name is not None:
            row.display_name = v.text("display_name", display_name, 100)
        if roles is not None:
            wanted = _roles(roles)
            if Role.ADMIN not in wanted:
                _keep_an_admin(session, row)
            row.roles = [UserRoleRow(role=role.value) for role in wanted]
        if class_ids is not None or grade_ids is not None:
            _place(session, row, row.school_id, row.staff_id,
                   class_ids if class_ids is not None else [c.class_id for c in row.classes],
                   grade_ids if grade_ids is not None else [g.grade_id for g in row.grades])
        session.flush()
        return Done(_value(session, row), Changes.of(Kind.USER, row.id))


def _keep_an_admin(session: Session, row: UserRow) -> None:
    others = session.scalar(
        select(func.count(UserRow.id)).join(UserRoleRow, UserRoleRow.user_id == UserRow.id)
        .where(UserRoleRow.role == Role.ADMIN.value, UserRow.id != row.id,
               UserRow.disabled.is_(False)))
    if not others and any(r.role == Role.ADMIN.value for r in row.roles) and not row.disabled:
        raise ValidationError("roles", _(
            "{login} is the last admin who can sign in: make someone else an admin first."
        ).format(login=row.login))


@operation(Op.MANAGE_USERS)
def reset_password(db: Database, login: str, password: str) -> Done[User]:
    """An admin sets a new password (and so unlocks the account)."""
    check_password(password)
    with db.write() as session:
        row = _row(session, login)
        row.password_hash = HASHER.hash(password)
        row.failed_logins, row.locked_until = 0, None
        return Done(_value(session, row), Changes.of(Kind.USER, row.id))


@operation(Op.OWN_PASSWORD)
def change_password(db: Database, login: str, old: str, new: str) -> Done[User]:
    """A user changes their own password, giving the old one."""
    check_password(new)
    with db.write() as session:
        row = _row(session, login)
        if not _verify(row.password_hash, old):
            raise PermissionDenied(_("The current password is wrong; the password was not "
                                     "changed."))
        row.password_hash = HASHER.hash(new)
        return Done(_value(session, row), Changes.of(Kind.USER, row.id))


@operation(Op.MANAGE_USERS)
def set_disabled(db: Database, login: str, disabled: bool = True) -> Done[User]:
    """Disable an account (it can no longer sign in; its records stay) or enable it."""
    with db.write() as session:
        row = _row(session, login)
        if disabled:
            _keep_an_admin(session, row)
        row.disabled = disabled
        return Done(_value(session, row), Changes.of(Kind.USER, row.id))


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(db: Database, login: str, password: str) -> Done[Actor]:
    """Check a login and password; the account as signed in.

    A wrong password counts towards the lock (committed even though sign-in fails).

    Raises:
        PermissionDenied: unknown login or wrong password (which one is not said), a
            disabled account, or a locked one (with the time it unlocks).
    """
    wrong = PermissionDenied(_("Wrong login name or password."))
    if db.read_only:
        return _authenticate_read_only(db, login, password, wrong)
    with db.write() as session:
        row = session.scalar(select(UserRow).where(UserRow.login == login.strip()))
        if row is None:
            _verify("", password)  # as long as for a known name
            raise wrong
        now = _now()
        if row.disabled:
            raise PermissionDenied(_("The account {login} is disabled: ask an admin.").format(
                login=row.login))
        if row.locked_until is not None and row.locked_until > now:
            raise PermissionDenied(_(
                "The account {login} is locked after {n} wrong passwords until {time}: try "
                "again then, or ask an admin to reset the password.").format(
                    login=row.login, n=LOCK_AFTER, time=row.locked_until.strftime("%H:%M")))
        if _verify(row.password_hash, password):
            row.failed_logins, row.locked_until = 0, None
            if HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = HASHER.hash(password)
            return Done(_actor(session, row), Changes.of(Kind.USER, row.id))
        row.failed_logins += 1
        if row.failed_logins >= LOCK_AFTER:
            row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            row.failed_logins = 0
            log.warning("account %s locked after %d wrong passwords", row.login, LOCK_AFTER)
    raise wrong


def _authenticate_read_only(db: Database, login: str, password: str,
                            wrong: PermissionDenied) -> Done[Actor]:
    """Sign in to a database that cannot be written: nobody can change anything, so a
    wrong password is refused without being counted (it could not be stored)."""
    with db.read() as session:
        row = session.scalar(select(UserRow).where(UserRow.login == login.strip()))
        if row is None or not _verify(row.password_hash if row else "", password):
            raise wrong
        if row.disabled:
            raise PermissionDenied(_("The account {login} is disabled: ask an admin.").format(
                login=row.login))
        return Done(_actor(session, row), Changes())
