"""``drillplanner report``: write a PDF report (a drill, a term, the schedule, roll-call
sheets, the central-school summary) to a file."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from drillplanner.cli.context import (
    add_command,
    add_force_option,
    add_school_option,
    choose_school,
    forcible_hint,
    opened_database,
)
from drillplanner.cli.drill_times import run_number
from drillplanner.cli.when import parse_date
from drillplanner.domain.errors import NotFoundError
from drillplanner.domain.report_data import Paper, ReportOptions
from drillplanner.domain.report_requests import ReportRequest
from drillplanner.i18n import _, ngettext

if TYPE_CHECKING:
    from typing import TypeAlias

    from drillplanner.services.database import Database

    Actions: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` command group."""
    group = add_command(
        subparsers, "report", _("write a PDF report: a drill, a term, the schedule, "
                                "roll-call sheets, all schools"),
        _("Write a PDF report to a file, in the language of --lang, on A4 or Letter paper. "
          "The file is replaced only once the report is complete."))
    actions = group.add_subparsers(dest="action", metavar=_("REPORT"), required=True)

    drill = _report_command(
        actions, "drill", "drill", _("one drill as it happened, with signature lines"),
        _("The report of one drill: its record, headcounts of every class by grade, floors "
          "cleared, time to full accountability, problems and corrective actions."))
    drill.add_argument("run", metavar=_("RUN"), help=_("the drill's number (drill list)"))

    term = _report_command(
        actions, "term", "term", _("a term's or year's drills: compliance, times, actions"),
        _("A summary of the school's drills over a period: compliance by month, the drills "
          "held, times to full accountability, the slowest classes, open corrective "
          "actions."))
    _period_options(term)

    schedule = _report_command(
        actions, "schedule", "schedule", _("month calendars and an agenda of a period"),
        _("Month calendars and an agenda list of the school's drills and events."))
    _period_options(schedule)

    rollcall = _report_command(
        actions, "rollcall-sheets", "rollcall",
        _("one roll-call sheet per class for the assembly area"),
        _("A printable sheet per class for teachers to carry in a drill: class, teacher, "
          "expected count, boxes for present, missing and injured, and a signature."))
    rollcall.add_argument("--grade", metavar=_("GRADE"),
                          help=_("only this grade (its name or number; default: every grade)"))

    district = _report_command(
        actions, "district", "district", _("every school of the database side by side"),
        _("The central-school summary: every school's compliance, drills held and times to "
          "full accountability. --school only chooses whose calendar gives the default "
          "period."))
    _period_options(district)


def _report_command(actions: Actions, name: str, key: str, summary: str,
                    description: str) -> argparse.ArgumentParser:
    parser = add_command(actions, name, summary, description)
    parser.add_argument("-o", "--output", metavar=_("FILE"), required=True,
                        help=_("the PDF file to write (an existing PDF is replaced)"))
    add_force_option(parser)
    parser.add_argument("--paper", choices=[p.value for p in Paper], default=Paper.A4.value,
                        help=_("paper size (default: %(default)s)"))
    add_school_option(parser)
    parser.set_defaults(handler=run_report, report=key)
    return parser


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", metavar=_("DATE"),
                        help=_("first day of the period (default: the current term, else the "
                               "current month)"))
    parser.add_argument("--to", dest="end", metavar=_("DATE"),
                        help=_("last day of the period (default: the current term, else the "
                               "current month)"))


def run_report(args: argparse.Namespace) -> int:
    from drillplanner.services.output_files import OutputKind, check_output
    from drillplanner.services.report_files import write_report

    with opened_database(args, create=False) as db, forcible_hint():
        # Checked before the report is built, and again (the file may change) when written.
        path = check_output(db, args.output, OutputKind.PDF, force=args.force)
        request = report_request(db, args)
        pages = write_report(db, request, path, force=args.force)
    print(ngettext("Wrote {file}: {n} page.", "Wrote {file}: {n} pages.", pages).format(
        file=path.resolve(), n=pages))
    return 0


def report_request(db: Database, args: argparse.Namespace) -> ReportRequest:
    """The request the command line describes, with the default period filled in."""
    options = ReportOptions(paper=Paper(args.paper))
    key: str = args.report
    if key == "drill":
        from drillplanner.services.drills import get_run

        run = get_run(db, run_number(args.run))
        if args.school:
            school = choose_school(db, args)
            if run.school_id != school.id:
                raise NotFoundError(_("Drill #{run} is not a drill of {school}.").format(
                    run=run.id, school=school.name))
        return ReportRequest(key, school_id=run.school_id, run_id=run.id, options=options)
    if key == "district":
        school_id = choose_school(db, args).id if args.school else None
        start, end = _period(db, args, school_id)
        return ReportRequest(key, school_id=school_id, start=start, end=end, options=options)
    school_id = choose_school(db, args).id
    if key == "rollcall":
        return ReportRequest(key, school_id=school_id, grade=args.grade, options=options)
    start, end = _period(db, args, school_id)
    return ReportRequest(key, school_id=school_id, start=start, end=end, options=options)


def _period(db: Database, args: argparse.Namespace, school_id: int | None
            ) -> tuple[date, date]:
    """--from and --to; what is not given comes from the current term (else month)."""
    start = parse_date(args.start, "--from") if args.start else None
    end = parse_date(args.end, "--to") if args.end else None
    if start is None or end is None:
        from drillplanner.services.report_files import usual_period

        usual_start, usual_end = usual_period(db, school_id)
        start = start or usual_start
        end = end or usual_end
    return start, end
