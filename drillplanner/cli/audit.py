"""``drillplanner audit list|verify``: who changed what, and whether the log is whole.

The person at the keyboard is named in every audit row: on a database with user accounts
the user signed in (``cli/signin.py``); on one without, ``$DRILLPLANNER_USER`` when set, else
the operating system's login (``set_command_line_actor``, called before each command).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from drillplanner.cli.context import USER_ENV_VAR, add_command, choose_school, opened_database
from drillplanner.cli.drill_times import run_number
from drillplanner.cli.output import Column, display_width, emit, render
from drillplanner.cli.when import parse_date
from drillplanner.domain.audit import (
    ABSENT,
    AuditEntry,
    ChainCheck,
    action_label,
    change_text,
    entity_label,
)
from drillplanner.domain.errors import ValidationError
from drillplanner.i18n import _, ngettext

if TYPE_CHECKING:
    from typing import TypeAlias

    Actions: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

DEFAULT_LIMIT = 1000
#: A table cell of changes is cut here (JSON has them whole).
CHANGES_WIDTH = 80


def set_command_line_actor(environ: Mapping[str, str] | None = None) -> None:
    """Name who runs this command in the audit rows it writes: ``$DRILLPLANNER_USER``, else
    the OS login."""
    from drillplanner.services.audit import set_actor

    name = (os.environ if environ is None else environ).get(USER_ENV_VAR, "").strip()
    set_actor(name or None)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` command group."""
    group = add_command(
        subparsers, "audit", _("the audit log: who changed what, and whether it is whole"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    _add_list(actions)
    _add_verify(actions)


def _add_list(actions: Actions) -> None:
    listing = add_command(
        actions, "list", _("list the changes, newest first"),
        _("List the audit log, newest first: when (in the school's time zone), who, which "
          "record and its old → new values. Every write appends to it, from the app and "
          "from these commands alike (who: ${env}, else your login). JSON uses stable "
          "English keys.").format(env=USER_ENV_VAR))
    listing.add_argument("--drill", metavar=_("RUN"),
                         help=_("only the changes of this drill (its number)"))
    listing.add_argument("--school", metavar=_("NAME"),
                         help=_("only the changes of this school (default: every school)"))
    listing.add_argument("--since", metavar=_("DATE"),
                         help=_("only changes from this day on (YYYY-MM-DD, in the school's "
                                "time zone)"))
    listing.add_argument("--entity", metavar=_("ENTITY"),
                         help=_("only changes of this kind of record, by its table name "
                                "(e.g. drill_runs, headcounts, events)"))
    listing.add_argument("--limit", metavar=_("ROWS"), type=int, default=DEFAULT_LIMIT,
                         help=_("at most this many changes, the newest (default: "
                                "%(default)s; 0 for all)"))
    listing.add_argument("--format", choices=("table", "json"), default="table",
                         help=_("output format (default: %(default)s)"))
    listing.set_defaults(handler=run_list)


def _add_verify(actions: Actions) -> None:
    verify = add_command(
        actions, "verify", _("check that no change was altered or removed behind the app's "
                             "back"),
        _("Check the audit log's hash chain. Exit status 0 when it is whole; 1 naming the "
          "first row that was altered or removed outside the app (e.g. with a SQLite "
          "shell). Removing the newest rows leaves a shorter chain that is still whole: "
          "--hash checks that the hash printed on a signed drill report is still in the "
          "log."))
    verify.add_argument("--hash", metavar=_("HASH"),
                        help=_("also check that the row with this hash (printed on a signed "
                               "report) is still in the log"))
    verify.add_argument("--format", choices=("table", "json"), default="table",
                        help=_("output format (default: %(default)s)"))
    verify.set_defaults(handler=run_verify)


# Listing ------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    from drillplanner.services.audit import list_entries

    if args.limit < 0:
        raise ValidationError("--limit", _("--limit must be 0 (all) or more."))
    since = parse_date(args.since, "--since") if args.since else None
    run_id = run_number(args.drill, "--drill") if args.drill else None
    with opened_database(args, create=False) as db:
        school_id = choose_school(db, args).id if args.school else None
        entries = list_entries(db, run_id=run_id, school_id=school_id, entity=args.entity,
                               since=since, limit=args.limit or None)
    if args.format == "json":
        emit(json.dumps([entry_record(e) for e in entries], ensure_ascii=False, indent=2)
             + "\n")
        return 0
    if not entries:
        print(_("No changes match.") if (args.drill or args.school or args.since
                                         or args.entity) else _("The audit log is empty."))
        return 0
    columns = [
        Column("id", "#", numeric=True),
        Column("when", _("When")),
        Column("who", _("Changed by")),
        Column("school", _("School")),
        Column("drill", _("Drill"), numeric=True),
        Column("what", _("What")),
        Column("action", _("Change")),
        Column("changes", _("Old → new")),
        Column("reason", _("Reason")),
    ]
    emit(render("table", columns, [_table_record(e) for e in entries]))
    return 0


def entry_record(entry: AuditEntry) -> dict[str, Any]:
    """An entry as JSON: stable English keys; old/new hold the changed columns."""
    old = entry.old_values() if any(f.old is not ABSENT for f in entry.fields) else None
    new = entry.new_values() if any(f.new is not ABSENT for f in entry.fields) else None
    return {
        "id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor,
        "school_id": entry.school_id, "school": entry.school or None, "run_id": entry.run_id,
        "entity": entry.entity, "entity_id": entry.entity_id, "action": entry.action.value,
        "old": old, "new": new, "reason": entry.reason, "hash": entry.hash,
    }


def _table_record(entry: AuditEntry) -> dict[str, object]:
    return {
        "id": entry.id, "when": entry.at.strftime("%Y-%m-%d %H:%M:%S"), "who": entry.actor,
        "school": entry.school, "drill": entry.run_id,
        "what": f"{entity_label(entry.entity)} #{entry.entity_id}",
        "action": action_label(entry.action), "changes": _cut(change_text(entry)),
        "reason": entry.reason,
    }


def _cut(text: str, width: int = CHANGES_WIDTH) -> str:
    if display_width(text) <= width:
        return text
    out = ""
    for char in text:
        if display_width(out + char) > width - 1:
            break
        out += char
    return out + "…"


# Verifying ----------------------------------------------------------------------------------


def run_verify(args: argparse.Namespace) -> int:
    from drillplanner.services.audit import check, find_hash

    with opened_database(args, create=False) as db:
        result = check(db)
        found = find_hash(db, args.hash) if args.hash else None
    hash_missing = bool(args.hash) and found is None
    if args.format == "json":
        emit(json.dumps(verify_record(result, args.hash, found), ensure_ascii=False,
                        indent=2) + "\n")
    else:
        _print_check(result)
        if args.hash:
            if found is None:
                print(_("No row of the audit log has the hash {hash}: the log was changed "
                        "after it was printed.").format(hash=args.hash.strip()))
            else:
                print(_("The hash {hash} is row {id} of the audit log.").format(
                    hash=args.hash.strip(), id=found))
    return 1 if result.problem is not None or hash_missing else 0


def _print_check(result: ChainCheck) -> None:
    if result.problem is None:
        print(ngettext("chain whole: {n} row", "chain whole: {n} rows", result.rows).format(
            n=result.rows))
        if result.latest_hash:
            print(_("latest hash: {hash}").format(hash=result.latest_hash))
        return
    print(_("chain broken: {problem}").format(problem=result.problem.describe()))


def verify_record(result: ChainCheck, digest: str | None, found: int | None
                  ) -> dict[str, Any]:
    """The check as JSON (stable English keys)."""
    problem = result.problem
    record: dict[str, Any] = {
        "whole": problem is None,
        "rows": result.rows if problem is None else None,
        "latest_hash": result.latest_hash if problem is None else None,
        "problem": None if problem is None else {
            "row": problem.row_id, "kind": problem.kind.value, "last_row": problem.last_id,
            "found_at": problem.found_at, "message": problem.describe()},
    }
    if digest:
        record["hash"] = {"hash": digest.strip().lower(), "row": found}
    return record
