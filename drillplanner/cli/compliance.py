"""``drillplanner compliance``: which required drills are met, planned, open or missed."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from drillplanner.cli.context import add_command, add_school_option, choose_school, opened_database
from drillplanner.cli.output import Column, emit, render
from drillplanner.cli.schools import add_format_option
from drillplanner.cli.when import parse_date
from drillplanner.domain.compliance import (
    ComplianceReport,
    HeldDrill,
    PeriodResult,
    PlannedDrill,
    Profile,
    describe_requirement,
    status_label,
)
from drillplanner.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``compliance`` command (a report) and ``compliance profiles``."""
    report = add_command(
        subparsers, "compliance", _("show which required drills are met, planned or missing"),
        _("Judge the school's drills against its compliance profile for the school year "
          "holding --as-of: one row per requirement and period, met (by which held drills), "
          "planned (scheduled, not yet held), open (N days left) or missed. Until drill days "
          "are recorded, give the drills that were held with --held. The exit status is 0 "
          "even when something is missed: this is a report."))
    add_school_option(report)
    report.add_argument("--profile", metavar=_("CODE"),
                        help=_("the profile to judge by (default: the school's)"))
    report.add_argument("--as-of", metavar=_("DATE"),
                        help=_("the day of the report (default: today)"))
    report.add_argument("--held", metavar=_("DATE:KIND"), action="append", default=[],
                        help=_("a drill that was held, e.g. 2026-11-09:fire (repeat for each)"))
    add_format_option(report)
    report.set_defaults(handler=run_report)
    actions = report.add_subparsers(dest="action", metavar=_("ACTION"), required=False)

    profiles = add_command(
        actions, "profiles", _("list the compliance profiles"),
        _("List the built-in and the school-made compliance profiles with their "
          "requirements."))
    add_format_option(profiles)
    profiles.set_defaults(handler=run_profiles)


def _dates(items: Sequence[HeldDrill | PlannedDrill]) -> list[str]:
    return [item.day.isoformat() for item in items]


def period_record(result: PeriodResult) -> dict[str, object]:
    """One requirement period as an output record (keys are the JSON and CSV names)."""
    return {
        "requirement": result.requirement.code,
        "requirement_label": result.requirement.label(),
        "period": result.label,
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "required": result.required,
        "held": _dates(result.held),
        "planned": _dates(result.planned),
        "status": result.status.value,
        "status_label": status_label(result.status),
        "still_needed": result.still_needed,
        "days_left": result.days_left,
    }


# A table cell lists this many dates; the rest are counted (CSV and JSON list them all).
TABLE_DATES = 3


def _joined(record: dict[str, object], separator: str, limit: int | None = None
            ) -> dict[str, object]:
    """The record with its lists as one text each (for tables and CSV)."""
    joined: dict[str, object] = {}
    for key, value in record.items():
        if isinstance(value, list):
            shown = [str(v) for v in value[:limit]]
            if limit is not None and len(value) > limit:
                shown.append(_("… (+{n})").format(n=len(value) - limit))
            joined[key] = separator.join(shown)
        else:
            joined[key] = value
    return joined


def run_report(args: argparse.Namespace) -> int:
    from drillplanner.services.compliance import evaluate_school, held_from_text

    held = held_from_text(args.held)
    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        as_of = (parse_date(args.as_of, "--as-of") if args.as_of
                 else datetime.now(ZoneInfo(school.timezone)).date())
        report = evaluate_school(db, school.id, as_of, profile_code=args.profile, held=held)
    records = [period_record(r) for r in report.periods]
    if args.format == "json":
        emit(render("json", [], records))
        return 0
    if args.format == "csv":
        emit(render("csv", _columns(csv=True), [_joined(r, " ") for r in records]))
        return 0
    print(_heading(report, school.name))
    emit(render("table", _columns(csv=False), [_joined(r, _(", "), TABLE_DATES) for r in records]))
    return 0


def _heading(report: ComplianceReport, school: str) -> str:
    year = report.school_year.name if report.school_year else ""
    return _("{school}: {profile}, school year {year}, as of {day}: {status}").format(
        school=school, profile=report.profile.name(), year=year,
        day=report.as_of.isoformat(), status=status_label(report.overall))


def _columns(*, csv: bool) -> list[Column]:
    return [
        Column("requirement" if csv else "requirement_label", _("Requirement")),
        Column("period", _("Period")),
        *([Column("start", _("From")), Column("end", _("To"))] if csv else []),
        Column("required", _("Required"), numeric=True),
        Column("held", _("Held")),
        Column("planned", _("Planned")),
        Column("status" if csv else "status_label", _("Status")),
        Column("still_needed", _("Still needed"), numeric=True),
        Column("days_left", _("Days left"), numeric=True),
    ]


def profile_record(profile: Profile) -> dict[str, object]:
    return {
        "code": profile.code,
        "name": profile.name(),
        "builtin": profile.builtin,
        "requirements": [describe_requirement(r) for r in profile.requirements],
    }


def run_profiles(args: argparse.Namespace) -> int:
    from drillplanner.services.compliance import list_profiles

    with opened_database(args, create=False) as db:
        profiles = list_profiles(db)
    records = [profile_record(p) for p in profiles]
    if args.format == "json":
        emit(render("json", [], records))
        return 0
    columns = [Column("code", _("Code")), Column("name", _("Name")),
               Column("requirements", _("Requirements"))]
    separator = "; " if args.format == "csv" else _("; ")
    emit(render(args.format, columns, [_joined(r, separator) for r in records]))
    return 0
