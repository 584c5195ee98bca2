"""``drillplanner db copy FROM TO``: a database, or one school, copied into another database.

Moving up from a SQLite file to a PostgreSQL server is the usual case. The counts of every
table in the copied scope are printed for both sides; the exit status is 1 when any differ
or the target's audit chain is not whole.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillplanner.cli.context import UsageError, add_command, warn
from drillplanner.cli.output import Column, emit, render
from drillplanner.domain.db_copy import CopyReport
from drillplanner.domain.errors import NotFoundError
from drillplanner.i18n import _, ngettext

if TYPE_CHECKING:
    from drillplanner.services.database import Database


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``db copy`` to the ``db`` command group."""
    copy = add_command(
        actions, "copy", _("copy a database, or one school, into another database"),
        _("Copy every school (or the one named by --school) from FROM into TO, with every "
          "record and the audit log, in one transaction: if anything fails, TO is left as "
          "it was. FROM and TO are SQLite files or database URLs, e.g. "
          "postgresql+psycopg://user@server/drills. TO is created or upgraded first. A "
          "whole database goes only into an empty TO and keeps every record's number and "
          "the audit log's hashes; one school goes into a TO without a school of its name "
          "and gets new numbers there, its audit entries chained after TO's own. Afterwards "
          "the rows of every table are counted on both sides: exit status 1 when any "
          "differ."))
    copy.add_argument("source", metavar=_("FROM"), help=_("the database to copy from"))
    copy.add_argument("target", metavar=_("TO"), help=_("the database to copy into"))
    copy.add_argument("--school", metavar=_("NAME"),
                      help=_("copy only this school (default: every school)"))
    copy.add_argument("--dry-run", action="store_true",
                      help=_("show what would be copied and check that TO can take it; "
                             "write nothing"))
    copy.add_argument("--format", choices=("table", "json"), default="table",
                      help=_("output format (default: %(default)s)"))
    # The databases are FROM and TO; the shared --db names neither, so it is not offered.
    copy._option_string_actions["--db"].help = argparse.SUPPRESS
    copy.set_defaults(handler=run_copy)


def run_copy(args: argparse.Namespace) -> int:
    from drillplanner.cli.signin import sign_in_for
    from drillplanner.services import db_copy
    from drillplanner.services.database import open_database

    if getattr(args, "db", None):
        raise UsageError(_("db copy takes its databases as FROM and TO, not --db."))
    if _is_file(args.source) and not Path(args.source).expanduser().exists():
        raise NotFoundError(_("{where} does not exist: nothing to copy.").format(
            where=args.source))
    source = open_database(args.source, create=False)
    target: Database | None = None
    try:
        new_file = _is_file(args.target) and not Path(args.target).expanduser().exists()
        if not (args.dry_run and new_file):  # a dry run creates nothing
            target = open_database(args.target, create=True)
        if args.dry_run:
            report = db_copy.plan_copy(
                source, target, school=args.school,
                target_name=str(Path(args.target).expanduser().resolve()))
        else:
            assert target is not None
            sign_in_for(target, args)  # a target with accounts: who adds the schools?
            report = db_copy.copy_database(target, source, school=args.school).value
    finally:
        source.close()
        if target is not None:
            target.close()
    return _show(report, args.format)


def _is_file(text: str) -> bool:
    return "://" not in text


def _show(report: CopyReport, fmt: str) -> int:
    if fmt == "json":
        emit(json.dumps(_record(report), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(report)
    for note in report.notes:
        warn(note)
    if report.dry_run:
        return 0
    if report.differences:
        warn(ngettext("the counts differ in {n} table: {tables}.",
                      "the counts differ in {n} tables: {tables}.",
                      len(report.differences)).format(
                          n=len(report.differences),
                          tables=", ".join(c.table for c in report.differences)))
    if not report.log_whole:
        warn(_("the audit log of {where} is not whole after the copy: run “drillplanner "
               "audit verify” on both databases.").format(where=report.target))
    return 0 if report.ok and report.log_whole else 1


def _print_table(report: CopyReport) -> None:
    what = (_("the school “{school}”").format(school=report.school) if report.school
            else _("every school"))
    if report.dry_run:
        print(_("Would copy {what} from {source} to {target}:").format(
            what=what, source=report.source, target=report.target))
        columns = [Column("table", _("Table")), Column("rows", _("Rows"), numeric=True)]
        emit(render("table", columns, [{"table": c.table, "rows": c.source}
                                       for c in report.counts]))
        print(ngettext("{n} row in all.", "{n} rows in all.", report.rows).format(n=report.rows))
        if report.target_is_new:
            print(_("{target} does not exist yet: the copy will create it.").format(
                target=report.target))
        print(_("Nothing was written (a dry run)."))
        return
    print(_("Copied {what} from {source} to {target}:").format(
        what=what, source=report.source, target=report.target))
    columns = [Column("table", _("Table")), Column("source", _("Source"), numeric=True),
               Column("target", _("Target"), numeric=True), Column("check", "")]
    emit(render("table", columns, [
        {"table": c.table, "source": c.source, "target": c.target,
         "check": _("same") if c.matches else _("DIFFERENT")} for c in report.counts]))
    print(ngettext("{n} row in all.", "{n} rows in all.", report.rows).format(n=report.rows))
    if report.log_whole:
        print(ngettext("The audit log of {where} is whole ({n} entry).",
                       "The audit log of {where} is whole ({n} entries).",
                       report.log_rows).format(where=report.target, n=report.log_rows))


def _record(report: CopyReport) -> dict[str, Any]:
    """The report as JSON, with stable English keys."""
    return {
        "source": report.source, "target": report.target, "school": report.school,
        "dry_run": report.dry_run, "target_is_new": report.target_is_new,
        "counts": [{"table": c.table, "source": c.source, "target": c.target}
                   for c in report.counts],
        "rows": report.rows, "ok": report.ok,
        "audit_log": None if report.dry_run else {"rows": report.log_rows,
                                                  "whole": report.log_whole},
        "notes": list(report.notes),
    }
