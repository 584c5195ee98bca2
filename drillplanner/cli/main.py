"""The command line: the parser of every command, and running one with clear exit statuses.

Exit statuses: 0 success; 1 a problem with the user's input or data (one line per problem on
stderr); 2 a mistake in the command line itself (argparse); 3 a bug (traceback in the log).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence

from drillplanner import __version__, i18n
from drillplanner.applog import setup_logging
from drillplanner.cli import (
    audit,
    calendar,
    classes,
    compliance,
    database,
    drills,
    headcount,
    report,
    roster,
    schedule,
    schools,
    serve,
    signin,
    users,
)
from drillplanner.cli.context import PROG, UsageError, add_shared_options, warn
from drillplanner.domain.credentials import mask_command_line, mask_credentials
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.roster import RosterError
from drillplanner.i18n import _
from drillplanner.io.ical_model import IcsError

log = logging.getLogger("drillplanner.cli")

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3


def requested_language(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` wherever it appears in ``argv`` (the last one wins)."""
    found = None
    for index, token in enumerate(argv):
        if token == "--":
            break
        if token == "--lang" and index + 1 < len(argv):
            found = argv[index + 1]
        elif token.startswith("--lang="):
            found = token.partition("=")[2]
    return found


def apply_language(code: str | None) -> str:
    """Make ``code`` (or the system locale's language) current; English when not installed."""
    try:
        return i18n.set_language(code)
    except OSError:
        # A checkout whose catalogue was never compiled: work on in English.
        if code and i18n.normalize_language(code) != i18n.DEFAULT_LANGUAGE:
            warn(_("no translations are installed for {lang}; using English.").format(lang=code))
        return i18n.set_language(i18n.DEFAULT_LANGUAGE)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, with help texts in the requested language.

    The language comes from ``--lang`` in ``argv`` (default: ``sys.argv``) or the system
    locale; it is set here, before any help text is translated.
    """
    apply_language(requested_language(sys.argv[1:] if argv is None else argv))
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_("Plan and run school safety drills. Without a command the app opens; "
                      "with one, it works on the command line."),
        epilog=_("Exit status: 0 success, 1 a problem with your input or data, 2 a mistake "
                 "in the command, 3 an internal error (details in the log)."))
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help=_("show the version and exit"))
    add_shared_options(parser, root=True)
    parser.add_argument("--demo", action="store_true",
                        help=_("use the demo database, filling it with the demo schools on "
                               "first use"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"),
                                     title=_("commands"))
    database.register(commands)
    schools.register(commands)
    roster.register(commands)
    classes.register(commands)
    schedule.register(commands)
    calendar.register(commands)
    compliance.register(commands)
    drills.register(commands)
    headcount.register(commands)
    serve.register(commands)
    report.register(commands)
    audit.register(commands)
    users.register(commands)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the command ``args`` names; returns the exit status (never raises)."""
    if getattr(args, "lang", None):
        apply_language(args.lang)
    _tolerate_unencodable_output()
    setup_logging()
    try:
        audit.set_command_line_actor()  # who the audit log names for this command's writes
        return int(args.handler(args))
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except (RosterError, IcsError) as error:
        for problem in [str(p) for p in error.problems] or [str(error)]:
            _error(problem)
        count = len(error.problems)
        _error(i18n.ngettext("{n} problem; nothing was imported.",
                             "{n} problems; nothing was imported.", count).format(n=count))
        return EXIT_USER_ERROR
    except DrillplannerError as error:
        _error(str(error))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        _error(_("interrupted."))
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. "| head"); nothing left to say to it.
        _silence_stdout()
        return EXIT_USER_ERROR
    except Exception as error:
        return _report_bug(error)
    finally:
        signin.sign_out()  # a sign-in lasts one command


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: ``sys.argv``) and run it; the GUI is the launcher's job."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    return run(args)


def _error(message: str) -> None:
    one_line = mask_credentials(" ".join(message.split("\n")))
    print(_("{prog}: error: {message}").format(prog=PROG, message=one_line), file=sys.stderr)


def _report_bug(error: Exception) -> int:
    path = setup_logging()
    if path is None:
        text = "".join(traceback.format_exception(error))
        print(mask_credentials(text), end="", file=sys.stderr)
        where = _("(the log could not be written; the traceback is above)")
    else:
        log.exception("unexpected error in %s", mask_command_line(sys.argv))
        where = str(path)
    _error(_("internal error: {error}. Please report it with the log: {where}").format(
        error=f"{type(error).__name__}: {error}", where=where))
    return EXIT_BUG


def _tolerate_unencodable_output() -> None:
    # A terminal that cannot show Chinese should get escapes, not a crash mid-table.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
