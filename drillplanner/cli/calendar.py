"""``drillplanner calendar``: school years and terms, holidays, make-up days, .ics import."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from drillplanner.cli.context import add_command, add_school_option, choose_school, opened_database
from drillplanner.cli.output import Column, emit, render
from drillplanner.cli.schools import add_format_option
from drillplanner.cli.when import parse_date
from drillplanner.domain.errors import DrillplannerError, NotFoundError, ValidationError
from drillplanner.domain.school_calendar import CalendarDay, DayKind, SchoolYear, day_kind_label
from drillplanner.i18n import _, ngettext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``calendar`` command group."""
    group = add_command(subparsers, "calendar",
                        _("school years, terms, holidays and make-up school days"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    year = add_command(
        actions, "add-year", _("add a school year with its terms"),
        _("Add a school year (first and last day) with its terms. Each --term is "
          "NAME:FIRST-DAY:LAST-DAY, e.g. \"第一学期:2026-09-01:2027-01-20\"."))
    year.add_argument("name", metavar=_("NAME"), help=_("the school year's name, e.g. 2026-2027"))
    year.add_argument("--start", metavar=_("DATE"), required=True,
                      help=_("first day of the school year"))
    year.add_argument("--end", metavar=_("DATE"), required=True,
                      help=_("last day of the school year"))
    year.add_argument("--term", metavar=_("NAME:START:END"), action="append", default=[],
                      help=_("a term (repeat for each term)"))
    add_school_option(year)
    year.set_defaults(handler=run_add_year)

    listing = add_command(
        actions, "list", _("list school years, terms and calendar entries"),
        _("List the school years with their terms, and the holidays, closures, exam days, "
          "sports days and make-up school days. CSV and JSON use stable English keys."))
    listing.add_argument("--from", dest="start", metavar=_("DATE"),
                         help=_("first day to show (default: everything)"))
    listing.add_argument("--to", dest="end", metavar=_("DATE"),
                         help=_("last day to show (default: everything)"))
    add_school_option(listing)
    add_format_option(listing)
    listing.set_defaults(handler=run_list)

    holiday = add_command(
        actions, "add-holiday", _("add a holiday, closure, exam day or sports day"),
        _("Add a day (or, with --to, a range of days) when there are no lessons, or an exam "
          "or sports day (lessons, but drills on them are warned about)."))
    holiday.add_argument("day", metavar=_("DATE"), help=_("the (first) day"))
    holiday.add_argument("--to", metavar=_("DATE"), help=_("the last day of a range"))
    holiday.add_argument("--name", metavar=_("TEXT"), default="", help=_("what it is called"))
    kinds = holiday.add_mutually_exclusive_group()
    kinds.add_argument("--closure", dest="kind", action="store_const", const=DayKind.CLOSURE,
                       help=_("the school is closed (not a public holiday)"))
    kinds.add_argument("--exam", dest="kind", action="store_const", const=DayKind.EXAM,
                       help=_("an exam day"))
    kinds.add_argument("--sports-day", dest="kind", action="store_const",
                       const=DayKind.SPORTS_DAY, help=_("a sports day"))
    add_school_option(holiday)
    holiday.set_defaults(handler=run_add_holiday, kind=DayKind.HOLIDAY)

    makeup = add_command(
        actions, "add-makeup-day", _("add a make-up school day (调休)"),
        _("Add a Saturday or Sunday that is a school day because a holiday was moved."))
    makeup.add_argument("day", metavar=_("DATE"), help=_("the day"))
    makeup.add_argument("--name", metavar=_("TEXT"), default="", help=_("what it is called"))
    add_school_option(makeup)
    makeup.set_defaults(handler=run_add_makeup)

    prefill = add_command(
        actions, "prefill-holidays", _("add the public holidays of the school's country"),
        _("Add the public holidays of the school's country for the given years, with China's "
          "make-up school days. Entries already in the calendar are not added twice."))
    prefill.add_argument("--year", metavar=_("YEAR"), type=int, action="append", required=True,
                         help=_("a calendar year (repeat for several)"))
    add_school_option(prefill)
    prefill.set_defaults(handler=run_prefill)

    load = add_command(
        actions, "import", _("import holidays and make-up days from an .ics file"),
        _("Import all-day events of an iCalendar file as calendar entries: 调休, 补班, "
          "make-up or workday entries become make-up school days, 考试/exam exam days, "
          "运动会/sports day sports days, 停课/closure closures, everything else holidays. "
          "All or nothing: any problem imports nothing."))
    load.add_argument("file", metavar=_("FILE"), type=Path, help=_("the .ics file"))
    load.add_argument("--dry-run", action="store_true",
                      help=_("show what would be added without writing anything"))
    add_school_option(load)
    load.set_defaults(handler=run_import)


def parse_term(text: str) -> tuple[str, date, date]:
    """"NAME:YYYY-MM-DD:YYYY-MM-DD" (the name may itself hold colons)."""
    parts = text.rsplit(":", 2)
    if len(parts) != 3 or not parts[0].strip():
        raise ValidationError("--term", _(
            "--term: “{value}” is not NAME:START:END, e.g. 第一学期:2026-09-01:2027-01-20."
        ).format(value=text))
    return parts[0].strip(), parse_date(parts[1], "--term"), parse_date(parts[2], "--term")


def run_add_year(args: argparse.Namespace) -> int:
    from drillplanner.services.calendar import add_school_year

    start = parse_date(args.start, "--start")
    end = parse_date(args.end, "--end")
    terms = [parse_term(t) for t in args.term]
    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        year = add_school_year(db, school.id, args.name, start, end, terms).value
    print(_("Added school year {name} ({start} – {end}) to {school}.").format(
        name=year.name, start=year.start.isoformat(), end=year.end.isoformat(),
        school=school.name))
    for term in year.terms:
        print("  " + _("{name}: {start} – {end}").format(
            name=term.name, start=term.start.isoformat(), end=term.end.isoformat()))
    return 0


def _records(years: list[SchoolYear], entries: list[CalendarDay]) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for year in years:
        records.append({"kind": "school_year", "label": _("School year"), "name": year.name,
                        "start": year.start.isoformat(), "end": year.end.isoformat(),
                        "days": (year.end - year.start).days + 1, "id": year.id})
        records.extend({"kind": "term", "label": _("Term"), "name": term.name,
                        "start": term.start.isoformat(), "end": term.end.isoformat(),
                        "days": (term.end - term.start).days + 1, "id": term.id}
                       for term in year.terms)
    records.extend({"kind": entry.kind.value, "label": day_kind_label(entry.kind),
                    "name": entry.name, "start": entry.start.isoformat(),
                    "end": entry.end.isoformat(), "days": (entry.end - entry.start).days + 1,
                    "id": entry.id} for entry in entries)
    return records


def run_list(args: argparse.Namespace) -> int:
    from drillplanner.services.calendar import list_calendar_days, list_school_years

    start = parse_date(args.start, "--from") if args.start else None
    end = parse_date(args.end, "--to") if args.end else None
    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        years = [y for y in list_school_years(db, school.id)
                 if (start is None or y.end >= start) and (end is None or y.start <= end)]
        entries = list_calendar_days(db, school.id, start, end)
    records = _records(years, entries)
    if args.format == "table" and not records:
        print(_("The calendar of {school} is empty. Add a school year with “drillplanner "
                "calendar add-year”.").format(school=school.name))
        return 0
    columns = [Column("label" if args.format == "table" else "kind", _("Kind")),
               Column("name", _("Name")), Column("start", _("From")),
               Column("end", _("To")), Column("days", _("Days"), numeric=True)]
    if args.format == "table":
        print(school.name)
    emit(render(args.format, columns, records))
    return 0


def _add_day(args: argparse.Namespace, kind: DayKind, end: date | None) -> int:
    from drillplanner.services.calendar import add_calendar_day

    day = parse_date(args.day, "DATE")
    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        entry = add_calendar_day(db, school.id, kind, day, end, args.name).value
    print(_("Added {kind} {when} to the calendar of {school}.").format(
        kind=day_kind_label(entry.kind), when=_when(entry), school=school.name))
    return 0


def _when(entry: CalendarDay) -> str:
    """The entry's day or days, and its name."""
    text = entry.start.isoformat()
    if entry.end != entry.start:
        text = _("{start} – {end}").format(start=text, end=entry.end.isoformat())
    return f"{text} {entry.name}".rstrip()


def run_add_holiday(args: argparse.Namespace) -> int:
    end = parse_date(args.to, "--to") if args.to else None
    return _add_day(args, DayKind(args.kind), end)


def run_add_makeup(args: argparse.Namespace) -> int:
    return _add_day(args, DayKind.MAKEUP, None)


def _print_entries(entries: list[CalendarDay]) -> None:
    for entry in entries:
        print(f"  {day_kind_label(entry.kind)}  {_when(entry)}")


def run_prefill(args: argparse.Namespace) -> int:
    from drillplanner.services.calendar import prefill_public_holidays

    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        added = prefill_public_holidays(db, school.id, args.year).value
    print(ngettext("Added {n} entry to the calendar of {school}.",
                   "Added {n} entries to the calendar of {school}.", len(added)).format(
        n=len(added), school=school.name))
    _print_entries(added)
    return 0


def read_file(path: Path) -> bytes:
    """The bytes of a file named on the command line, with errors a user can act on."""
    if not path.exists():
        raise NotFoundError(_("{path} does not exist.").format(path=path))
    if path.is_dir():
        raise ValidationError("file", _("{path} is a folder, not a file.").format(path=path))
    try:
        return path.read_bytes()
    except OSError as error:
        raise DrillplannerError(_("Cannot read {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from error


def run_import(args: argparse.Namespace) -> int:
    from drillplanner.services.ical import import_calendar_entries

    path: Path = args.file
    data = read_file(path)
    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        added = import_calendar_entries(db, school.id, data, str(path), dry_run=args.dry_run).value
    if args.dry_run:
        head = ngettext("Dry run of {path}: {n} entry would be added to {school}; nothing "
                        "was written.", "Dry run of {path}: {n} entries would be added to "
                        "{school}; nothing was written.", len(added))
    else:
        head = ngettext("Imported {path}: {n} entry added to {school}.",
                        "Imported {path}: {n} entries added to {school}.", len(added))
    print(head.format(path=path, n=len(added), school=school.name))
    _print_entries(added)
    return 0
