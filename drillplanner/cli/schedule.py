"""``drillplanner schedule``: drills and other events on the school calendar."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from drillplanner.cli.calendar import read_file
from drillplanner.cli.context import (
    add_command,
    add_force_option,
    add_school_option,
    choose_school,
    forcible_hint,
    opened_database,
    warn,
)
from drillplanner.cli.output import Column, display_width, emit, pad, render
from drillplanner.cli.schedule_args import (
    PRESETS,
    add_event_options,
    event_from_args,
    event_id,
    with_option,
)
from drillplanner.cli.schools import add_format_option
from drillplanner.cli.when import parse_date, parse_datetime, parse_duration, parse_time
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Event, EventKind, Occurrence, kind_label
from drillplanner.domain.structure import School
from drillplanner.i18n import _, format_date, ngettext

if TYPE_CHECKING:
    from drillplanner.services.database import Database

DEFAULT_LIST_DAYS = 30
SHOW_NEXT = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schedule`` command group."""
    group = add_command(subparsers, "schedule", _("plan drills and other events"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    add = add_command(
        actions, "add", _("add an event (once or repeating)"),
        _("Add a drill, training, sports or other event. It repeats by a preset (--preset) "
          "or an RFC 5545 rule (--rrule, e.g. FREQ=WEEKLY;BYDAY=MO); without either it "
          "happens once. Times are the school's local time. Clashes with other events and "
          "non-school days are printed as warnings; the event is added anyway. Presets: {names}."
          ).format(names=", ".join(PRESETS)))
    add_event_options(add)
    add_school_option(add)
    add.set_defaults(handler=run_add)

    listing = add_command(
        actions, "list", _("list the occurrences of events in a date range"),
        _("List every occurrence (repeating events expanded) from --from to --to, both "
          "included; by default the next {n} days. CSV and JSON use stable English keys."
          ).format(n=DEFAULT_LIST_DAYS))
    listing.add_argument("--from", dest="start", metavar=_("DATE"),
                         help=_("first day (default: today)"))
    listing.add_argument("--to", dest="end", metavar=_("DATE"),
                         help=_("last day (default: {n} days from the first)").format(
                             n=DEFAULT_LIST_DAYS - 1))
    listing.add_argument("--kind", choices=[k.value for k in EventKind], action="append",
                         help=_("only events of this kind (repeat for several)"))
    add_school_option(listing)
    add_format_option(listing)
    listing.set_defaults(handler=run_list)

    show = add_command(actions, "show", _("show an event and its next occurrences"))
    show.add_argument("event", metavar=_("EVENT"), help=_("the event's number"))
    show.add_argument("--format", choices=("table", "json"), default="table",
                      help=_("output format (default: %(default)s)"))
    show.set_defaults(handler=run_show)

    cancel = add_command(
        actions, "cancel", _("cancel one occurrence of an event"),
        _("Cancel the occurrence on a date; the rest of the series stays."))
    _occurrence_options(cancel)
    cancel.set_defaults(handler=run_cancel)

    move = add_command(
        actions, "move", _("move one occurrence of an event"),
        _("Move the occurrence on a date to another day or time; the rest stays."))
    _occurrence_options(move)
    move.add_argument("--to", dest="new_start", metavar=_("DATE TIME"), required=True,
                      help=_("the new start, e.g. \"2026-11-10 10:00\""))
    move.add_argument("--duration", metavar=_("DURATION"),
                      help=_("a new length for this occurrence, e.g. 30m"))
    move.set_defaults(handler=run_move)

    delete = add_command(actions, "delete", _("delete an event with all its occurrences"))
    delete.add_argument("event", metavar=_("EVENT"), help=_("the event's number"))
    delete.set_defaults(handler=run_delete)

    export = add_command(
        actions, "export", _("write the school's events to an .ics file"),
        _("Write every event of the school to an iCalendar file that Outlook, Google and "
          "Apple Calendar import: repeating rules, cancelled and moved occurrences and the "
          "school's time zone are kept, and a second export updates the same events."))
    export.add_argument("file", metavar=_("FILE"), help=_("the .ics file to write"))
    add_school_option(export)
    add_force_option(export)
    export.set_defaults(handler=run_export)

    load = add_command(
        actions, "import", _("add events from an .ics file"),
        _("Add the events of an iCalendar file to the school. Events exported from this "
          "school before (same UID) are updated. All or nothing: any problem imports "
          "nothing and every problem is listed with its line."))
    load.add_argument("file", metavar=_("FILE"), type=Path, help=_("the .ics file"))
    load.add_argument("--dry-run", action="store_true",
                      help=_("show what would change without writing anything"))
    add_school_option(load)
    load.set_defaults(handler=run_import)


def _occurrence_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event", metavar=_("EVENT"), help=_("the event's number"))
    parser.add_argument("--on", metavar=_("DATE"), required=True,
                        help=_("the day of the occurrence"))
    parser.add_argument("--at", metavar=_("TIME"),
                        help=_("its start time, when the event happens more than once that day"))


# Adding -----------------------------------------------------------------------------------


def run_add(args: argparse.Namespace) -> int:
    from drillplanner.domain.conflicts import summarise
    from drillplanner.domain.recurrence import describe
    from drillplanner.services.schedule import add_event, event_conflicts

    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        try:
            event = add_event(db, event_from_args(db, school, args)).value
        except ValidationError as error:
            raise with_option(error, args) from None
        conflicts = event_conflicts(db, event)
    print(_("Added event #{id} “{title}” ({kind}) to {school}.").format(
        id=event.id, title=event.title, kind=kind_label(event.kind), school=school.name))
    print("  " + describe(event.recurrence, event.start, event.duration))
    for line in summarise([conflict.message for conflict in conflicts]):
        warn(line)
    return 0


# Listing ----------------------------------------------------------------------------------


def _today(school: School) -> date:
    return datetime.now(ZoneInfo(school.timezone)).date()


def occurrence_record(o: Occurrence) -> dict[str, object]:
    """One occurrence as an output record (the keys are the JSON and CSV column names)."""
    return {
        "date": o.day.isoformat(),
        "weekday": o.day.strftime("%a"),
        "weekday_label": format_date(o.day, "EEE"),
        "start": o.start.strftime("%H:%M"),
        "end": o.end.strftime("%H:%M") if o.end.date() == o.day else o.end.strftime(
            "%Y-%m-%d %H:%M"),
        "time": f"{o.start:%H:%M}–{o.end:%H:%M}",
        "kind": o.kind.value,
        "kind_label": kind_label(o.kind),
        "title": o.title,
        "place": o.place or None,
        "event_id": o.event_id,
        "moved": o.moved,
        "announced": o.announced,
    }


def occurrence_columns(fmt: str) -> list[Column]:
    table = fmt == "table"
    return [
        Column("date", _("Date")),
        Column("weekday_label" if table else "weekday", _("Day")),
        *([Column("time", _("Time"))] if table else
          [Column("start", _("Start")), Column("end", _("End"))]),
        Column("kind_label" if table else "kind", _("Kind")),
        Column("title", _("Title")),
        Column("place", _("Place")),
        Column("event_id", _("Event"), numeric=True),
        Column("moved", _("Moved")),
        Column("announced", _("Announced")),
    ]


def run_list(args: argparse.Namespace) -> int:
    from drillplanner.services.schedule import occurrences

    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        first = parse_date(args.start, "--from") if args.start else _today(school)
        last = (parse_date(args.end, "--to") if args.end
                else first + timedelta(days=DEFAULT_LIST_DAYS - 1))
        if last < first:
            raise ValidationError("--to", _("--to ({end}) is before --from ({start}).").format(
                end=last.isoformat(), start=first.isoformat()))
        kinds = [EventKind(k) for k in args.kind] if args.kind else None
        found = occurrences(db, school.id, first, last, kinds)
    records = [occurrence_record(o) for o in found]
    if args.format == "table":
        print(_("{school}: {start} – {end}").format(
            school=school.name, start=first.isoformat(), end=last.isoformat()))
        if not records:
            print(_("Nothing is planned in these days."))
            return 0
    emit(render(args.format, occurrence_columns(args.format), records))
    return 0


# One event --------------------------------------------------------------------------------


def _load(db: Database, text: str) -> tuple[Event, School]:
    from drillplanner.services.schedule import get_event
    from drillplanner.services.schools import get_school

    event = get_event(db, event_id(text))
    return event, get_school(db, event.school_id)


def run_show(args: argparse.Namespace) -> int:
    from drillplanner.domain.recurrence import describe, next_occurrences
    from drillplanner.services.calendar import load_calendar
    from drillplanner.services.schedule import list_changes

    with opened_database(args, create=False) as db:
        event, school = _load(db, args.event)
        changes = list_changes(db, event.id)
        calendar = load_calendar(db, event.school_id)
        names = _names(db, event)
    zone = ZoneInfo(school.timezone)
    after = datetime.now(zone)
    upcoming = next_occurrences(event, changes, calendar, zone, after, limit=SHOW_NEXT)
    rule_text = describe(event.recurrence, event.start, event.duration)
    details = {
        "id": event.id, "uid": event.uid, "school": school.name, "kind": event.kind.value,
        "title": event.title, "start": event.start.isoformat(timespec="minutes"),
        "duration_minutes": int(event.duration.total_seconds() // 60),
        "rrule": event.recurrence.rule or None, "school_days_only":
        event.recurrence.school_days_only, "recurrence": rule_text,
        "place": event.place or None, "participants": names["participants"],
        "organizer": names["organizer"] or None, "announced": event.announced,
        "description": event.description or None,
        "changes": [{"original_start": c.original_start.isoformat(timespec="minutes"),
                     "cancelled": c.cancelled,
                     "new_start": c.new_start.isoformat(timespec="minutes")
                     if c.new_start else None} for c in changes],
        "next": [occurrence_record(o) for o in upcoming],
    }
    if args.format == "json":
        emit(json.dumps(details, ensure_ascii=False, indent=2) + "\n")
        return 0
    print(_("Event #{id}: {title}").format(id=event.id, title=event.title))
    lines = [
        (_("Kind"), kind_label(event.kind)),
        (_("School"), school.name),
        (_("Starts"), event.start.strftime("%Y-%m-%d %H:%M")),
        (_("Duration"), _duration_text(event.duration)),
        (_("Repeats"), rule_text),
        (_("Place"), event.place),
        (_("Participants"), str(names["participants"])),
        (_("Organizer"), str(names["organizer"])),
        (_("Announced"), _("yes") if event.announced else _("no (unannounced drill)")),
        (_("Description"), event.description),
    ]
    for change in changes:
        when = change.original_start.strftime("%Y-%m-%d %H:%M")
        lines.append((_("Changed"), _("{when} cancelled").format(when=when) if change.cancelled
                      else _("{when} moved to {new}").format(
                          when=when, new=change.new_start.strftime("%Y-%m-%d %H:%M")
                          if change.new_start else "")))
    for name, value in lines:
        if value:
            print(f"  {name}: {value}")
    if upcoming:
        print(_("Next occurrences:"))
        emit(render("table", occurrence_columns("table")[:4], [
            occurrence_record(o) for o in upcoming]))
    else:
        print(_("No further occurrences."))
    return 0


def _duration_text(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)
    if hours:
        return ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


def _names(db: Database, event: Event) -> dict[str, object]:
    from drillplanner.domain.events import Scope
    from drillplanner.services.classes import list_classes, list_grades
    from drillplanner.services.staff import list_staff

    people = event.participants
    if people.scope is Scope.GRADES:
        who = _(", ").join(g.name for g in list_grades(db, event.school_id)
                           if g.id in people.grade_ids)
    elif people.scope is Scope.CLASSES:
        who = _(", ").join(c.full_name for c in list_classes(db, event.school_id)
                           if c.id in people.class_ids)
    else:
        who = _("the whole school")
    organizer = next((s.name for s in list_staff(db, event.school_id)
                      if s.id == event.organizer_id), "")
    return {"participants": who, "organizer": organizer}


# Single occurrences -----------------------------------------------------------------------


def _occurrence_on(db: Database, event: Event, args: argparse.Namespace) -> Occurrence:
    """The event's occurrence on --on (at --at when there are several that day)."""
    from drillplanner.services.schedule import occurrences

    day = parse_date(args.on, "--on")
    found = [o for o in occurrences(db, event.school_id, day, day) if o.event_id == event.id]
    if args.at:
        at = parse_time(args.at, "--at")
        found = [o for o in found if o.start.time().replace(tzinfo=None) == at]
    if not found:
        raise ValidationError("--on", _("Event #{id} has no occurrence on {day}{at}.").format(
            id=event.id, day=day.isoformat(), at=f" {args.at}" if args.at else ""))
    if len(found) > 1:
        times = _(", ").join(o.start.strftime("%H:%M") for o in found)
        raise ValidationError("--at", _(
            "Event #{id} happens {n} times on {day} ({times}); choose one with --at.").format(
                id=event.id, n=len(found), day=day.isoformat(), times=times))
    return found[0]


def run_cancel(args: argparse.Namespace) -> int:
    from drillplanner.services.schedule import cancel_occurrence

    with opened_database(args, create=False) as db:
        event, _school = _load(db, args.event)
        occurrence = _occurrence_on(db, event, args)
        cancel_occurrence(db, event.id, occurrence.original_start)
    print(_("Cancelled “{title}” on {when}.").format(
        title=event.title, when=occurrence.start.strftime("%Y-%m-%d %H:%M")))
    return 0


def run_move(args: argparse.Namespace) -> int:
    from drillplanner.services.schedule import move_occurrence

    new_start = parse_datetime(args.new_start, "--to")
    duration = parse_duration(args.duration, "--duration") if args.duration else None
    with opened_database(args, create=False) as db:
        event, _school = _load(db, args.event)
        occurrence = _occurrence_on(db, event, args)
        move_occurrence(db, event.id, occurrence.original_start, new_start, duration)
    print(_("Moved “{title}” from {old} to {new}.").format(
        title=event.title, old=occurrence.start.strftime("%Y-%m-%d %H:%M"),
        new=new_start.strftime("%Y-%m-%d %H:%M")))
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from drillplanner.services.schedule import delete_event

    with opened_database(args, create=False) as db:
        event, _school = _load(db, args.event)
        delete_event(db, event.id)
    print(_("Deleted event #{id} “{title}”.").format(id=event.id, title=event.title))
    return 0


# Files ------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    from drillplanner.services.ical import export_school_events
    from drillplanner.services.output_files import OutputKind, check_output, write_output
    from drillplanner.services.schedule import list_events

    path = Path(args.file)
    if args.file and path.suffix.lower() != ".ics":
        raise ValidationError("file", _("{path}: an iCalendar file must end in .ics.").format(
            path=path))
    with opened_database(args, create=False) as db, forcible_hint():
        path = check_output(db, args.file, OutputKind.ICS, force=args.force)
        school = choose_school(db, args)
        data = export_school_events(db, school.id)
        count = len(list_events(db, school.id))
        write_output(db, path, OutputKind.ICS, data, force=args.force)
    print(ngettext("Wrote {n} event of {school} to {path}.",
                   "Wrote {n} events of {school} to {path}.", count).format(
        n=count, school=school.name, path=path))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from drillplanner.services.ical import import_events

    path: Path = args.file
    data = read_file(path)
    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        result = import_events(db, school.id, data, str(path), dry_run=args.dry_run).value
    if result.dry_run:
        print(_("Dry run of {path} for {school}: nothing was written.").format(
            path=path, school=school.name))
    else:
        print(_("Imported {path} into {school}.").format(path=path, school=school.name))
    categories = ((_("added"), result.added), (_("updated"), result.updated))
    width = max(display_width(name) for name, _events in categories)
    for name, events in categories:
        # A dry run's numbers were never stored; only the titles mean something.
        titles = [e.title if result.dry_run else f"#{e.id} {e.title}" for e in events]
        joined = _(", ").join(titles)
        print(f"  {pad(name, width)}  {len(events):>3}  {joined}".rstrip())
    return 0

