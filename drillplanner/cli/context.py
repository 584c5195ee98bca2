"""What every command needs: the options shared by all levels, the database and the school.

Services and storage (and with them SQLAlchemy) are imported when a command runs, not when
the parser is built: ``--help``, ``--version`` and the GUI's start-up do not pay for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from drillplanner import config
from drillplanner.domain.errors import DrillplannerError, NotFoundError
from drillplanner.domain.structure import School
from drillplanner.i18n import LANGUAGES, _

if TYPE_CHECKING:
    from drillplanner.services.database import Database

PROG = "drillplanner"
DEMO_DATABASE_NAME = "demo.sqlite3"
#: Who signs in (a database with accounts) or who the audit log names (one without).
USER_ENV_VAR = "DRILLPLANNER_USER"
#: The password of the user signing in, for scripts (else a prompt).
PASSWORD_ENV_VAR = "DRILLPLANNER_PASSWORD"


class UsageError(DrillplannerError):
    """Options that cannot go together; reported like argparse's own errors (exit 2)."""


def add_shared_options(parser: argparse.ArgumentParser, *, root: bool) -> None:
    """``--db``, ``--lang``, ``--user`` and ``--remember``, accepted before and after each
    sub-command.

    Sub-commands declare them with a suppressed default so that an option given before the
    sub-command is not reset by the sub-command's parser.
    """
    default: object = None if root else argparse.SUPPRESS
    parser.add_argument(
        "--db", metavar=_("PATH|URL"), default=default,
        # argparse %-formats help texts, so a "%" in the path must be doubled.
        help=_("database file or URL (default: ${env} or {path})").format(
            env=config.DB_ENV_VAR,
            path=str(config.default_database_path()).replace("%", "%%")))
    parser.add_argument(
        "--lang", choices=list(LANGUAGES), default=default,
        help=_("language of messages and output (default: the system locale)"))
    parser.add_argument(
        "--user", metavar=_("NAME"), default=default,
        help=_("sign in as this user when the database has user accounts (default: ${env}; "
               "the password from ${password} or a prompt)").format(
                   env=USER_ENV_VAR, password=PASSWORD_ENV_VAR))
    parser.add_argument(
        "--remember", action="store_true", default=False if root else argparse.SUPPRESS,
        help=_("remember the password in the system keyring, so that later commands need "
               "not ask for it (needs the keyring package)"))


def add_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
                summary: str, description: str | None = None) -> argparse.ArgumentParser:
    """A sub-command parser that also takes the shared options."""
    parser = subparsers.add_parser(name, help=summary, description=description or summary)
    add_shared_options(parser, root=False)
    return parser


def demo_database_path() -> Path:
    return config.data_dir() / DEMO_DATABASE_NAME


def database_target(args: argparse.Namespace) -> str:
    """The database the command works on: --db, --demo, $DRILLPLANNER_DB or the default."""
    db = getattr(args, "db", None)
    if getattr(args, "demo", False):
        if db:
            raise UsageError(_("--demo and --db cannot be used together."))
        return str(demo_database_path())
    return config.database_target(db)


@contextmanager
def opened_database(args: argparse.Namespace, *, create: bool) -> Iterator[Database]:
    """Open the command's database for the length of the block.

    Commands that only read pass ``create=False`` so that a mistyped --db path is reported
    instead of silently becoming a new, empty database.
    """
    from drillplanner.services.database import open_database

    target = database_target(args)
    demo = bool(getattr(args, "demo", False))
    create = create or demo  # the demo database is made and filled on first use
    is_file = "://" not in target
    if is_file and not create and not Path(target).expanduser().exists():
        raise NotFoundError(_("{where} does not exist. Create it with “drillplanner init” or "
                              "choose another database with --db.").format(where=target))
    database = open_database(target, create=create)
    try:
        from drillplanner.cli.signin import sign_in_for

        sign_in_for(database, args)  # a database with accounts: who is this?
        if demo:
            _fill_demo(database)
        yield database
    finally:
        database.close()


def _fill_demo(database: Database) -> None:
    from drillplanner.services.demo import load_demo
    from drillplanner.services.schools import list_schools

    if not list_schools(database):
        load_demo(database)


def choose_school(database: Database, args: argparse.Namespace) -> School:
    """The school named by --school, or the only school when there is just one."""
    from drillplanner.services.schools import find_school

    return find_school(database, getattr(args, "school", None))


def add_school_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--school", metavar=_("NAME"),
        help=_("the school (default: the only school in the database)"))


def warn(message: str) -> None:
    """A warning on stderr that does not change the exit status."""
    print(_("{prog}: warning: {message}").format(prog=PROG, message=message), file=sys.stderr)


def add_force_option(parser: argparse.ArgumentParser) -> None:
    """``--force``: replace an existing output file that is not of the kind written."""
    parser.add_argument(
        "--force", action="store_true",
        help=_("replace the output file even when it exists and holds another kind of file "
               "(never a database, a folder or a device)"))


@contextmanager
def forcible_hint() -> Iterator[None]:
    """Add "use --force" to an output check refused only because of an existing file."""
    from drillplanner.services.output_files import OutputFileError

    try:
        yield
    except OutputFileError as error:
        if not error.forcible:
            raise
        raise OutputFileError(_("{problem} To replace it, add --force.").format(
            problem=error), forcible=True) from error
