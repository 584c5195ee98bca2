"""``drillplanner drill``: start a drill, give the all clear, write up the record."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING

from drillplanner.cli.context import (
    UsageError,
    add_command,
    add_school_option,
    choose_school,
    opened_database,
    warn,
)
from drillplanner.cli.drill_args import at_option, load_run, run_argument
from drillplanner.cli.drill_records import (
    accountability_text,
    print_run,
    run_record,
)
from drillplanner.cli.drill_times import (
    clock,
    iso,
    local_text,
    parse_moment,
    parse_occurrence,
    run_day,
    seconds_of,
    today_in,
)
from drillplanner.cli.drill_write_up import add_write_up
from drillplanner.cli.output import Column, emit, render
from drillplanner.cli.schools import add_format_option
from drillplanner.cli.when import parse_date
from drillplanner.domain.drill_runs import (
    DrillRun,
    RunStatus,
    run_status_label,
)
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.events import DRILL_KINDS, EventKind, Occurrence, kind_label
from drillplanner.domain.headcount import Rollup
from drillplanner.domain.structure import School
from drillplanner.i18n import _, ngettext

if TYPE_CHECKING:
    from typing import TypeAlias

    from drillplanner.services.database import Database

    Actions: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

DRILL_KIND_NAMES = [k.value for k in EventKind if k in DRILL_KINDS]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``drill`` command group."""
    group = add_command(subparsers, "drill", _("run drills and keep their record"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    _add_start_and_stop(actions)
    _add_reading(actions)
    add_write_up(actions)


def _add_start_and_stop(actions: Actions) -> None:
    start = add_command(
        actions, "start", _("sound the alarm: start a scheduled or an unannounced drill"),
        _("Start a drill run: a scheduled occurrence (EVENT@YYYY-MM-DD, or EVENT for its "
          "occurrence on the day of --at, by default today) or an ad-hoc drill (--adhoc "
          "--kind KIND, unannounced unless --announced). The classes taking part and their "
          "enrolment are fixed now. Prints the drill's number, which the headcount commands "
          "take."))
    start.add_argument("occurrence", nargs="?", metavar=_("OCCURRENCE"),
                       help=_("EVENT@YYYY-MM-DD or EVENT (the event's number)"))
    start.add_argument("--adhoc", action="store_true",
                       help=_("a drill that is not on the schedule"))
    start.add_argument("--kind", choices=DRILL_KIND_NAMES, help=_("the kind of ad-hoc drill"))
    start.add_argument("--announced", action="store_true",
                       help=_("the ad-hoc drill was announced in advance"))
    start.add_argument("--title", metavar=_("TEXT"), default="",
                       help=_("its title (default: the event's title or the kind)"))
    at_option(start, _("when the alarm sounded (default: now; for an occurrence on another "
                        "day, its scheduled start)"))
    start.add_argument("-q", "--quiet", action="store_true",
                       help=_("print only the drill's number"))
    add_school_option(start)
    start.set_defaults(handler=run_start)

    finish = add_command(actions, "finish", _("give the all clear: the drill is completed"))
    run_argument(finish)
    at_option(finish, _("when the all clear was given (default: now)"))
    finish.set_defaults(handler=run_finish)

    cancel = add_command(actions, "cancel", _("cancel a drill, with the reason"))
    run_argument(cancel)
    _reason_option(cancel)
    cancel.set_defaults(handler=run_stop, status="cancel")

    postpone = add_command(
        actions, "postpone", _("postpone a drill, with the reason"),
        _("Postpone a planned drill before its alarm: a drill's number, or a scheduled "
          "occurrence (EVENT@YYYY-MM-DD). “drill start” with the same occurrence later "
          "resumes it, as the Drill page does."))
    postpone.add_argument("run", metavar=_("RUN|OCCURRENCE"),
                          help=_("the drill's number, or EVENT@YYYY-MM-DD"))
    _reason_option(postpone)
    add_school_option(postpone)
    postpone.set_defaults(handler=run_stop, status="postpone", at=None)


def _reason_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reason", metavar=_("TEXT"), required=True,
                        help=_("why (kept with the record)"))


def _add_reading(actions: Actions) -> None:
    show = add_command(
        actions, "show", _("show a drill's record, roll-up, posts and actions"),
        _("Show everything recorded about a drill: its record, headcount totals, time to full "
          "accountability against the school's target, missing students, posts and "
          "corrective actions. JSON uses stable English keys."))
    run_argument(show)
    show.add_argument("--format", choices=("table", "json"), default="table",
                      help=_("output format (default: %(default)s)"))
    show.set_defaults(handler=run_show)

    listing = add_command(
        actions, "list", _("list drill runs, newest first"),
        _("List the drills that were run (or planned, cancelled, postponed), newest first. "
          "Without --school, every school's drills."))
    add_school_option(listing)
    listing.add_argument("--kind", choices=DRILL_KIND_NAMES, action="append",
                         help=_("only drills of this kind (repeat for several)"))
    listing.add_argument("--from", dest="start", metavar=_("DATE"),
                         help=_("first day of the alarm"))
    listing.add_argument("--to", dest="end", metavar=_("DATE"), help=_("last day of the alarm"))
    listing.add_argument("--status", choices=[s.value for s in RunStatus], action="append",
                         help=_("only drills in this status (repeat for several)"))
    add_format_option(listing)
    listing.set_defaults(handler=run_list)


# Starting and stopping ---------------------------------------------------------------------


def _check_start_options(args: argparse.Namespace) -> None:
    if args.occurrence and args.adhoc:
        raise UsageError(_("give a scheduled OCCURRENCE or --adhoc, not both."))
    if not args.occurrence and not args.adhoc:
        raise UsageError(_("say which drill: a scheduled OCCURRENCE (EVENT@YYYY-MM-DD) or "
                           "--adhoc --kind KIND."))
    if args.adhoc and not args.kind:
        raise UsageError(_("--adhoc needs --kind, e.g. --kind fire."))
    if args.occurrence and (args.kind or args.announced):
        raise UsageError(_("--kind and --announced go with --adhoc: a scheduled drill takes "
                           "them from its event."))


def run_start(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import start_drill

    _check_start_options(args)
    with opened_database(args, create=False) as db:
        if args.adhoc:
            school = choose_school(db, args)
            at = parse_moment(args.at, "--at", today_in(school.timezone)) if args.at else None
            run = start_drill(db, school.id, kind=EventKind(args.kind), at=at,
                              title=args.title, announced=True if args.announced else None).value
        else:
            school, occurrence, at = _scheduled(db, args)
            run = start_drill(db, school.id, event_id=occurrence.event_id,
                              occurrence_start=occurrence.original_start, at=at,
                              title=args.title).value
        classes = _class_count(db, run.id)
    if args.quiet:
        print(run.id)
        return 0
    print(_("Started drill #{id} “{title}” ({kind}) at {school}; alarm {alarm}.").format(
        id=run.id, title=run.title, kind=kind_label(run.kind), school=school.name,
        alarm=local_text(run.alarm_at)))
    print("  " + ngettext("{n} class takes part.", "{n} classes take part.", classes).format(
        n=classes) + " " + _("Record headcounts with: drillplanner headcount set {id} --class "
                             "NAME --present N").format(id=run.id))
    return 0


def _class_count(db: Database, run_id: int) -> int:
    from drillplanner.services.headcounts import classes_in_run

    return len(classes_in_run(db, run_id))


def _scheduled(db: Database, args: argparse.Namespace
               ) -> tuple[School, Occurrence, datetime | None]:
    """The school, the occurrence OCCURRENCE names and the alarm time to record."""
    from drillplanner.services.schedule import get_event, occurrences
    from drillplanner.services.schools import get_school

    event_id, day = parse_occurrence(args.occurrence)
    event = get_event(db, event_id)
    school = get_school(db, event.school_id)
    if args.school is not None and choose_school(db, args).id != school.id:
        raise ValidationError("--school", _("Event #{id} belongs to {school}.").format(
            id=event.id, school=school.name))
    today = today_in(school.timezone)
    if day is None:
        day = parse_moment(args.at, "--at", today).date() if args.at else today
    at = parse_moment(args.at, "--at", day) if args.at else None
    found = [o for o in occurrences(db, school.id, day, day) if o.event_id == event.id]
    if not found:
        raise NotFoundError(_("Event #{id} “{title}” has no occurrence on {day}.").format(
            id=event.id, title=event.title, day=day.isoformat()))
    if at is None and day != today:
        # Written up on another day: the alarm sounded when it was scheduled.
        return school, found[0], found[0].start.replace(tzinfo=None)
    moment = at or datetime.now(found[0].start.tzinfo).replace(tzinfo=None)
    # Several that day: the one scheduled nearest the alarm.
    nearest = min(found, key=lambda o: abs(o.start.replace(tzinfo=None) - moment))
    return school, nearest, at


def run_finish(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import finish_drill
    from drillplanner.services.headcounts import rollup

    with opened_database(args, create=False) as db:
        run, school = load_run(db, args.run)
        at = parse_moment(args.at, "--at", run_day(run, school.timezone)) if args.at else None
        run = finish_drill(db, run.id, at).value
        roll = rollup(db, run.id)
    print(_("Drill #{id} “{title}” completed: all clear at {at}, {elapsed} after the alarm."
            ).format(id=run.id, title=run.title, at=local_text(run.all_clear_at),
                     elapsed=clock(run.duration)))
    text = accountability_text(roll)
    if run.open_at_all_clear:
        warn(text + " " + _("That is kept with the drill's record and printed on its "
                            "report."))
    elif roll.time_to_accountability is None and roll.totals.classes:
        warn(text)
    else:
        print(text)
    return 0


def run_stop(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import cancel_drill, postpone_drill, postpone_occurrence

    with opened_database(args, create=False) as db:
        if args.status == "postpone" and "@" in args.run:
            args.occurrence = args.run
            school, occurrence, _at = _scheduled(db, args)
            run = postpone_occurrence(db, school.id, event_id=occurrence.event_id,
                                      occurrence_start=occurrence.original_start,
                                      reason=args.reason).value
        else:
            stop = cancel_drill if args.status == "cancel" else postpone_drill
            run, _school = load_run(db, args.run)
            run = stop(db, run.id, args.reason).value
    print(_("Drill #{id} “{title}”: {status} ({reason}).").format(
        id=run.id, title=run.title, status=run_status_label(run.status),
        reason=run.status_reason))
    return 0


# Reading -----------------------------------------------------------------------------------


def run_show(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import list_actions, list_posts
    from drillplanner.services.headcounts import rollup

    with opened_database(args, create=False) as db:
        run, school = load_run(db, args.run)
        roll = rollup(db, run.id)
        posts = list_posts(db, run.id)
        actions = list_actions(db, run.id)
    if args.format == "json":
        emit(json.dumps(run_record(run, school, roll, posts, actions), ensure_ascii=False,
                        indent=2) + "\n")
    else:
        print_run(run, school, roll, posts, actions)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import list_runs
    from drillplanner.services.headcounts import rollup
    from drillplanner.services.schools import list_schools

    first = parse_date(args.start, "--from") if args.start else None
    last = parse_date(args.end, "--to") if args.end else None
    if first and last and last < first:
        raise ValidationError("--to", _("--to ({end}) is before --from ({start}).").format(
            end=last.isoformat(), start=first.isoformat()))
    with opened_database(args, create=False) as db:
        school_id = choose_school(db, args).id if args.school else None
        names = {s.id: s.name for s in list_schools(db)}
        runs = list_runs(db, school_id, start=first, end=last,
                         kinds=[EventKind(k) for k in args.kind] if args.kind else None,
                         statuses=[RunStatus(s) for s in args.status] if args.status else None)
        records = [_list_record(run, names[run.school_id], rollup(db, run.id)) for run in runs]
    if not records and args.format == "table":
        print(_("No drills have been run yet.") if not (args.kind or args.status or first
                                                        or last or args.school)
              else _("No drills match."))
        return 0
    table = args.format == "table"
    columns = [
        Column("id", _("No."), numeric=True), Column("date", _("Date")),
        *([Column("school", _("School"))] if not (table and args.school) else []),
        Column("kind_label" if table else "kind", _("Kind")), Column("title", _("Title")),
        Column("status_label" if table else "status", _("Status")),
        Column("alarm" if table else "alarm_at", _("Alarm")),
        Column("all_clear" if table else "all_clear_at", _("All clear")),
        Column("accounted" if table else "time_to_accountability_seconds",
               _("Accounted for"), numeric=True),
        Column("met_target", _("Target met")),
    ]
    emit(render(args.format, columns, records))
    return 0


def _list_record(run: DrillRun, school: str, roll: Rollup) -> dict[str, object]:
    return {
        "id": run.id, "date": run.day.isoformat() if run.day else None, "school": school,
        "kind": run.kind.value, "kind_label": kind_label(run.kind), "title": run.title,
        "status": run.status.value, "status_label": run_status_label(run.status),
        "alarm_at": iso(run.alarm_at), "alarm": local_text(run.alarm_at, with_date=False),
        "all_clear_at": iso(run.all_clear_at),
        "all_clear": local_text(run.all_clear_at, with_date=False),
        "time_to_accountability_seconds": seconds_of(roll.time_to_accountability),
        "accounted": clock(roll.time_to_accountability),
        "met_target": roll.met_target,
    }
