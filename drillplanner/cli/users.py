"""``drillplanner user add|list|passwd|disable|enable|roles``: accounts and who may do what.

A database without accounts has one local administrator and asks nobody to sign in. The
first account, which must be an admin's, turns sign-in on: from then on every command needs
``--user NAME`` and a password (``cli/signin.py``). New passwords are typed twice on a
terminal, or come from ``$DRILLPLANNER_NEW_PASSWORD`` or one line of the standard input
(``--password-stdin``); they are never shown or logged.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from drillplanner.cli.context import (
    PASSWORD_ENV_VAR,
    USER_ENV_VAR,
    add_command,
    choose_school,
    opened_database,
)
from drillplanner.cli.output import FORMATS, Column, emit, render
from drillplanner.cli.schools import add_format_option
from drillplanner.cli.signin import (
    NEW_PASSWORD_ENV_VAR,
    new_password,
    replace_remembered,
    signed_in_password,
)
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.permissions import (
    ROLE_LABELS,
    RULES,
    Op,
    PermissionDenied,
    Role,
)
from drillplanner.domain.users import User, check_login
from drillplanner.i18n import _

if TYPE_CHECKING:
    from typing import TypeAlias

    from drillplanner.domain.structure import School
    from drillplanner.services.database import Database

    Actions: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``user`` command group."""
    group = add_command(
        subparsers, "user", _("user accounts: add people, their roles and passwords"),
        _("User accounts. A database without accounts has one local administrator and asks "
          "nobody to sign in. The first account added (an admin's) turns sign-in on: every "
          "command then needs --user NAME (or ${user}) and the password (${password} or a "
          "prompt).").format(user=USER_ENV_VAR, password=PASSWORD_ENV_VAR))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    _add_add(actions)

    listing = add_command(actions, "list", _("list the user accounts"),
                          _("List the accounts with their roles, school, classes and grades, "
                            "and whether they are disabled or locked. CSV and JSON use "
                            "stable English keys."))
    add_format_option(listing)
    listing.set_defaults(handler=run_list)

    passwd = add_command(
        actions, "passwd", _("change a password"),
        _("An admin sets a new password for anyone (which also unlocks the account); any "
          "other user changes their own, the password they signed in with being the old "
          "one. The new password is asked twice on a terminal, or comes from ${env} or "
          "--password-stdin.").format(env=NEW_PASSWORD_ENV_VAR))
    _login_argument(passwd)
    _password_stdin_option(passwd)
    passwd.set_defaults(handler=run_passwd)

    disable = add_command(actions, "disable", _("stop a user from signing in"),
                          _("Disable an account: it can no longer sign in; what it recorded "
                            "stays. The last admin who can sign in cannot be disabled."))
    _login_argument(disable)
    disable.set_defaults(handler=run_disable, disabled=True)

    enable = add_command(actions, "enable", _("let a disabled user sign in again"))
    _login_argument(enable)
    enable.set_defaults(handler=run_disable, disabled=False)

    roles = add_command(actions, "roles", _("print who may do what"),
                        _("Print the permission table: every operation and who may do it. "
                          "Everyone signed in may read and print every record."))
    roles.add_argument("--format", choices=FORMATS, default="table",
                       help=_("output format (default: %(default)s)"))
    roles.set_defaults(handler=run_roles)


def _add_add(actions: Actions) -> None:
    add = add_command(
        actions, "add", _("add a user"),
        _("Add a user account with one or more roles. The password is asked twice on a "
          "terminal, or comes from ${env} or --password-stdin; it is never shown. A teacher's "
          "classes and a grade leader's grades are given with --class and --grade, or come "
          "from the roster with --staff (the staff member's homeroom classes and the grades "
          "they lead).").format(env=NEW_PASSWORD_ENV_VAR))
    _login_argument(add)
    add.add_argument("--role", dest="roles", action="append", required=True, metavar=_("ROLE"),
                     choices=[role.value for role in Role],
                     help=_("a role: {roles}; repeat it for several").format(
                         roles=", ".join(role.value for role in Role)))
    add.add_argument("--name", default="", metavar=_("NAME"),
                     help=_("the name shown for the user (default: the login)"))
    add.add_argument("--school", metavar=_("NAME"),
                     help=_("the user's school; they change only its records (default: every "
                            "school, or the only school when --class, --grade or --staff is "
                            "given)"))
    add.add_argument("--staff", metavar=_("NAME"),
                     help=_("the staff member of the school's roster this account belongs "
                            "to: their homeroom classes and led grades become the user's"))
    add.add_argument("--class", dest="classes", action="append", default=[],
                     metavar=_("CLASS"),
                     help=_("a class the user teaches, by its full name (e.g. 一年级1班); "
                            "repeat it for several"))
    add.add_argument("--grade", dest="grades", action="append", default=[],
                     metavar=_("GRADE"),
                     help=_("a grade the user leads, by its name (e.g. 一年级); repeat it for "
                            "several"))
    _password_stdin_option(add)
    add.set_defaults(handler=run_add)


def _login_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("login", metavar=_("LOGIN"),
                        help=_("the login name (one word, e.g. zhangli or 张丽)"))


def _password_stdin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help=_("read the new password from one line of the standard input"))


def roles_text(roles: tuple[Role, ...] | frozenset[Role]) -> str:
    """The roles' names in the current language, in the table's order."""
    return _(", ").join(_(ROLE_LABELS[role]) for role in Role if role in roles)


# Adding ---------------------------------------------------------------------------------------


def run_add(args: argparse.Namespace) -> int:
    from drillplanner.services import authorization, users

    login = check_login(args.login)
    with opened_database(args, create=True) as db:
        first = not authorization.has_users(db)
        placement = _placement(db, args)
        _may_manage(db, placement)
        if first and Role.ADMIN.value not in args.roles:
            raise ValidationError("roles", _(
                "The first user must be an admin: nobody else could add or manage users."))
        password = new_password(login, from_stdin=args.password_stdin)
        user = users.add_user(db, login, password, args.roles, display_name=args.name,
                              **placement).value
        where = db.display_name
    print(_("Added user {login} ({roles}).").format(login=user.login,
                                                    roles=roles_text(user.roles)))
    if user.classes or user.grades:
        print(_("Classes and grades: {names}").format(
            names=_(", ").join((*user.grades, *user.classes))))
    if first:
        print(_("{where} now has user accounts: every command signs in with --user NAME "
                "(or ${user}) and the password (${password} or a prompt).").format(
                    where=where, user=USER_ENV_VAR, password=PASSWORD_ENV_VAR))
    return 0


def _may_manage(db: Database, arguments: dict[str, Any]) -> None:
    """Refuse before any password is asked for when the user may not manage these accounts
    (``arguments`` as the service write takes them: ``login``, ``school_id``…)."""
    from drillplanner.services.authorization import refusal_for

    reason = refusal_for(db, Op.MANAGE_USERS, arguments)
    if reason is not None:
        raise PermissionDenied(reason)


def _placement(db: Database, args: argparse.Namespace) -> dict[str, Any]:
    """The school, staff member, classes and grades of ``user add``, as ids."""
    if not (args.school or args.staff or args.classes or args.grades):
        return {}
    school = choose_school(db, args)
    placement: dict[str, Any] = {"school_id": school.id}
    if args.staff:
        placement["staff_id"] = _staff_id(db, school, args.staff)
    if args.classes:
        placement["class_ids"] = _class_ids(db, school, args.classes)
    if args.grades:
        placement["grade_ids"] = _grade_ids(db, school, args.grades)
    return placement


def _compact(text: str) -> str:
    return "".join(text.split())


def _class_ids(db: Database, school: School, names: list[str]) -> list[int]:
    from drillplanner.services.classes import list_classes

    classes = list_classes(db, school.id)
    found = []
    for name in names:
        wanted = _compact(name)
        matches = [c for c in classes if _compact(c.full_name) == wanted] or [
            c for c in classes if _compact(c.full_name).endswith(wanted)]
        if not matches:
            raise NotFoundError(_("{school} has no class called “{name}” (see “drillplanner "
                                  "classes list”).").format(school=school.name, name=name))
        if len(matches) > 1:
            raise ValidationError("class", _("“{text}” could be {names}: type more of the "
                                             "name.").format(
                text=name, names=", ".join(c.full_name for c in matches)))
        found.append(matches[0].id)
    return found


def _grade_ids(db: Database, school: School, names: list[str]) -> list[int]:
    from drillplanner.services.classes import list_grades

    grades = {_compact(g.name): g.id for g in list_grades(db, school.id)}
    missing = [name for name in names if _compact(name) not in grades]
    if missing:
        raise NotFoundError(_("{school} has no grade called “{name}”. Its grades: {names}"
                              ).format(school=school.name, name=missing[0],
                                       names=_(", ").join(grades) or "-"))
    return [grades[_compact(name)] for name in names]


def _staff_id(db: Database, school: School, name: str) -> int:
    from drillplanner.services.staff import list_staff

    matches = [s for s in list_staff(db, school.id) if s.name == name.strip()]
    if not matches:
        raise NotFoundError(_("{school} has no staff member called “{name}”.").format(
            school=school.name, name=name))
    if len(matches) > 1:
        raise ValidationError("staff", _(
            "{school} has {n} staff members called “{name}”: give the user's classes with "
            "--class and grades with --grade instead.").format(
                school=school.name, n=len(matches), name=name))
    return matches[0].id


# Listing --------------------------------------------------------------------------------------


def status_text(user: User, now: datetime) -> str:
    """Active, disabled, or locked until a time."""
    if user.disabled:
        return _("Disabled")
    if user.locked_until is not None and user.locked_until > now:
        return _("Locked until {time}").format(time=user.locked_until.strftime("%H:%M"))
    return _("Active")


def status_key(user: User, now: datetime) -> str:
    """The status as a stable English word (CSV): active, disabled or locked."""
    if user.disabled:
        return "disabled"
    return "locked" if user.locked_until is not None and user.locked_until > now else "active"


def user_record(user: User, now: datetime) -> dict[str, Any]:
    """An account as JSON (stable English keys; never its password or hash)."""
    locked = user.locked_until if user.locked_until and user.locked_until > now else None
    return {
        "login": user.login, "name": user.display_name or None,
        "roles": [role.value for role in user.roles], "school": user.school or None,
        "staff": user.staff_name or None, "classes": list(user.classes),
        "grades": list(user.grades), "disabled": user.disabled,
        "locked_until": locked.isoformat() if locked else None,
    }


def run_list(args: argparse.Namespace) -> int:
    from drillplanner.services.users import list_users

    with opened_database(args, create=False) as db:
        accounts = list_users(db)
    now = datetime.now()
    if args.format == "json":
        emit(render("json", [], [user_record(u, now) for u in accounts]))
        return 0
    if not accounts and args.format == "table":
        print(_("No user accounts: everyone is the local administrator and nobody signs in. "
                "Add the first (an admin) with “drillplanner user add NAME --role admin”."))
        return 0
    csv = args.format == "csv"
    separator = ";" if csv else _(", ")
    records = [{
        "login": u.login, "name": u.display_name,
        "roles": separator.join(r.value for r in u.roles) if csv else roles_text(u.roles),
        "school": u.school if csv or u.school else _("(every school)"),
        "classes": separator.join((*u.grades, *u.classes)),
        "status": status_key(u, now) if csv else status_text(u, now),
    } for u in accounts]
    columns = [Column("login", _("Login")), Column("name", _("Name")),
               Column("roles", _("Roles")), Column("school", _("School")),
               Column("classes", _("Classes and grades")), Column("status", _("Status"))]
    emit(render(args.format, columns, records))
    return 0


# Passwords and disabling ----------------------------------------------------------------------


def run_passwd(args: argparse.Namespace) -> int:
    from drillplanner.services import authorization, users

    with opened_database(args, create=False) as db:
        account = users.get_user(db, args.login)  # an unknown login before any prompt
        me = authorization.signed_in()
        old = signed_in_password()
        own = (me is not None and me.login == account.login and Role.ADMIN not in me.roles
               and old is not None)
        if not own:
            _may_manage(db, {"login": account.login})
        password = new_password(account.login, from_stdin=args.password_stdin)
        if own and old is not None:
            users.change_password(db, account.login, old, password)
        else:
            users.reset_password(db, account.login, password)
        if me is not None and me.login == account.login:
            replace_remembered(db, account.login, password)
    if own:
        print(_("Your password was changed."))
    else:
        print(_("The password of {login} was reset.").format(login=account.login))
    return 0


def run_disable(args: argparse.Namespace) -> int:
    from drillplanner.services.users import set_disabled

    with opened_database(args, create=False) as db:
        user = set_disabled(db, args.login, args.disabled).value
    if user.disabled:
        print(_("{login} is disabled: the account can no longer sign in; what it recorded "
                "stays.").format(login=user.login))
    else:
        print(_("{login} is enabled again.").format(login=user.login))
    return 0


# The permission table -------------------------------------------------------------------------


def rule_record(op: Op) -> dict[str, Any]:
    """One operation of the permission table (JSON keys stable; texts translated)."""
    rule = RULES[op]
    return {
        "operation": op.value, "what": _(rule.what), "who": _(rule.who),
        "grants": [{"role": g.role.value, "reach": g.reach.value,
                    "while_running": g.while_running} for g in rule.grants],
    }


def run_roles(args: argparse.Namespace) -> int:
    records = [rule_record(op) for op in Op]
    if args.format == "json":
        emit(render("json", [], records))
        return 0
    if args.format == "csv":  # the header is the keys
        emit(render("csv", [Column(key, key) for key in ("operation", "what", "who")],
                    records))
        return 0
    emit(render("table", [Column("what", _("Operation")), Column("who", _("Who may do it"))],
                records))
    print(_("Everyone signed in may read and print every record; a user with several roles "
            "may do what any of them may."))
    return 0
