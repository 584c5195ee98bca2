"""Signing in on the command line, and reading passwords without showing them.

A database with user accounts must know who runs a command before it runs: ``--user NAME``
(or ``$DRILLPLANNER_USER``) with the password from ``$DRILLPLANNER_PASSWORD``, from the
system keyring where the user asked to remember it (``--remember``, with the optional
``keyring`` package), or from a prompt on the terminal. ``opened_database`` calls
``sign_in_for`` for every command, reads included. A database without accounts has its
implicit local admin and signs nobody in: ``$DRILLPLANNER_USER`` then only names the audit
log's actor, as it always did.

Passwords are never echoed, logged or printed. The one signed in with is kept in memory for
the length of the command (``user passwd`` of one's own account checks it as the old one)
and forgotten by ``sign_out``.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING

from drillplanner.cli.context import PASSWORD_ENV_VAR, USER_ENV_VAR, warn
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.permissions import PermissionDenied
from drillplanner.domain.users import check_password
from drillplanner.i18n import _

if TYPE_CHECKING:
    from drillplanner.services.database import Database

log = logging.getLogger("drillplanner.cli")

#: A new password (``user add``, ``user passwd``) for scripts; else a prompt or stdin.
NEW_PASSWORD_ENV_VAR = "DRILLPLANNER_NEW_PASSWORD"
#: The keyring service remembered passwords are stored under.
KEYRING_SERVICE = "drillplanner"

_AUTHORIZATION = "drillplanner.services.authorization"
# The password this command signed in with; forgotten when it ends.
_password_used: str | None = None


def interactive() -> bool:
    """Whether a password can be asked for: the standard input is a terminal."""
    return sys.stdin is not None and sys.stdin.isatty()


def ask(prompt: str) -> str:
    """A password typed on the terminal, not echoed ("" when the input ended)."""
    try:
        return getpass.getpass(prompt)
    except EOFError:
        return ""


def login_given(args: argparse.Namespace) -> str:
    """The login the command signs in with: ``--user``, else ``$DRILLPLANNER_USER``."""
    value = getattr(args, "user", None)
    if value is None:
        value = os.environ.get(USER_ENV_VAR, "")
    return str(value).strip()


def sign_in_for(db: Database, args: argparse.Namespace) -> None:
    """Sign the command's user in when ``db`` has accounts (once per command).

    Raises:
        PermissionDenied: no login given, no password to be had, or the service refused
            it (wrong login or password, a locked or disabled account), with its message.
    """
    from drillplanner.services import authorization, users

    global _password_used
    if authorization.signed_in() is not None or not authorization.has_users(db):
        return
    login = login_given(args)
    if not login:
        raise PermissionDenied(_("{where} has user accounts: give --user NAME (or set {env})."
                                 ).format(where=db.display_name, env=USER_ENV_VAR))
    remember = bool(getattr(args, "remember", False))
    password, from_keyring = _password(db, login, remember=remember)
    try:
        actor = users.authenticate(db, login, password).value
    except PermissionDenied as error:
        if not from_keyring:
            raise
        raise PermissionDenied(_(
            "{problem} (The password remembered in the system keyring was used: sign in "
            "once with --remember to replace it.)").format(problem=error)) from None
    authorization.sign_in(actor)
    _password_used = password
    log.info("signed in as %s", actor.login)
    if remember:
        _remember(db, actor.login, password)


def sign_out() -> None:
    """Nobody is signed in any more, and the password is forgotten (end of a command)."""
    global _password_used
    _password_used = None
    authorization = sys.modules.get(_AUTHORIZATION)
    if authorization is not None:  # nothing to undo when no command opened a database
        authorization.sign_in(None)


def signed_in_password() -> str | None:
    """The password this command signed in with (None: nobody signed in)."""
    return _password_used


def _password(db: Database, login: str, *, remember: bool) -> tuple[str, bool]:
    """The password to sign in with, and whether it came from the keyring."""
    given = os.environ.get(PASSWORD_ENV_VAR)
    if given:
        return given, False
    if not remember:
        stored = remembered(db, login)
        if stored:
            return stored, True
    if not interactive():
        raise PermissionDenied(_(
            "No password to sign in as {login}: set {env} (the standard input is not a "
            "terminal to ask on).").format(login=login, env=PASSWORD_ENV_VAR))
    password = ask(_("Password for {login} ({where}): ").format(login=login,
                                                               where=db.display_name))
    if not password:
        raise PermissionDenied(_("No password was given; nobody signed in."))
    return password, False


def new_password(login: str, *, from_stdin: bool) -> str:
    """A new password for ``login``: one line of stdin (``--password-stdin``), else
    ``$DRILLPLANNER_NEW_PASSWORD``, else typed twice on the terminal.

    Raises:
        ValidationError: none given, too short or long, or the two typed differ.
    """
    if from_stdin:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        return check_password(_no_blank(line.rstrip("\r\n")))
    given = os.environ.get(NEW_PASSWORD_ENV_VAR)
    if given:
        return check_password(given)
    if not interactive():
        raise ValidationError("password", _(
            "Give the new password of {login}: set {env} or pipe it with --password-stdin "
            "(the standard input is not a terminal to ask on).").format(
                login=login, env=NEW_PASSWORD_ENV_VAR))
    first = check_password(_no_blank(ask(_("New password for {login}: ").format(login=login))))
    if ask(_("The new password again: ")) != first:
        raise ValidationError("password", _("The two passwords differ; nothing was changed."))
    return first


def _no_blank(password: str) -> str:
    if not password:
        raise ValidationError("password", _("No password was given; nothing was changed."))
    return password


# The system keyring (optional) ---------------------------------------------------------------


def _keyring() -> ModuleType | None:
    """The ``keyring`` package, when it is installed."""
    try:
        return importlib.import_module("keyring")
    except ImportError:
        return None


def _keyring_errors(keyring: ModuleType) -> tuple[type[BaseException], ...]:
    errors = getattr(keyring, "errors", None)
    base = getattr(errors, "KeyringError", None)
    return (OSError, base) if isinstance(base, type) else (OSError,)


def _entry(db: Database, login: str) -> str:
    # One entry per account and database: the same login elsewhere is someone else.
    return f"{login}@{db.display_name}"


def remembered(db: Database, login: str) -> str | None:
    """The password the keyring remembers for ``login`` on ``db``, if any."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, _entry(db, login))
    except _keyring_errors(keyring) as error:
        log.warning("the system keyring could not be read: %s", type(error).__name__)
        return None
    return found if isinstance(found, str) and found else None


def _remember(db: Database, login: str, password: str) -> None:
    keyring = _keyring()
    if keyring is None:
        warn(_("the password cannot be remembered: the keyring package is not installed "
               "(pip install keyring)."))
        return
    try:
        keyring.set_password(KEYRING_SERVICE, _entry(db, login), password)
    except _keyring_errors(keyring) as error:
        warn(_("the system keyring could not remember the password ({error}).").format(
            error=type(error).__name__))
        return
    log.info("the password of %s is remembered in the system keyring", login)


def replace_remembered(db: Database, login: str, password: str) -> None:
    """Keep a remembered password current after it changed (nothing when none is kept)."""
    if remembered(db, login) is not None:
        _remember(db, login, password)
