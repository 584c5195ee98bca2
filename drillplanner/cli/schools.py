"""``drillplanner school list|add``."""

from __future__ import annotations

import argparse

from drillplanner.cli.context import add_command, opened_database
from drillplanner.cli.output import FORMATS, Column, emit, render
from drillplanner.domain.fields import label
from drillplanner.domain.structure import DEFAULT_EVACUATION_TARGET_SECONDS, DEFAULT_TIMEZONE
from drillplanner.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``school`` command group."""
    group = add_command(subparsers, "school", _("list or add schools"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    listing = add_command(actions, "list", _("list the schools of the database"))
    add_format_option(listing)
    listing.set_defaults(handler=run_list)

    add = add_command(
        actions, "add", _("add a school"),
        _("Add a school. A village school can name the central school that oversees it."))
    add.add_argument("name", metavar=_("NAME"), help=_("the school's name"))
    add.add_argument("--timezone", metavar=_("ZONE"), default=DEFAULT_TIMEZONE,
                     help=_("IANA time zone (default: %(default)s)"))
    add.add_argument("--target", metavar=_("SECONDS"), type=int,
                     default=DEFAULT_EVACUATION_TARGET_SECONDS,
                     help=_("evacuation time target in seconds (default: %(default)s)"))
    add.add_argument("--parent", metavar=_("NAME"),
                     help=_("the central school that oversees this school"))
    add.add_argument("--address", metavar=_("TEXT"), default="", help=_("postal address"))
    add.set_defaults(handler=run_add)


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help=_("output format (default: %(default)s)"))


def run_list(args: argparse.Namespace) -> int:
    from drillplanner.services import classes, schools

    with opened_database(args, create=False) as db:
        all_schools = schools.list_schools(db)
        names = {s.id: s.name for s in all_schools}
        records = []
        for school in all_schools:
            school_classes = classes.list_classes(db, school.id)
            records.append({
                "id": school.id, "name": school.name, "timezone": school.timezone,
                "evacuation_target_seconds": school.evacuation_target_seconds,
                "parent": names.get(school.parent_id) if school.parent_id else None,
                "classes": len(school_classes),
                "enrolled": sum(c.enrolled for c in school_classes),
                "country": school.country, "address": school.address,
            })
    columns = [
        Column("name", label("name")),
        Column("parent", label("parent_id")),
        Column("classes", _("Classes"), numeric=True),
        Column("enrolled", label("enrolled"), numeric=True),
        Column("evacuation_target_seconds", label("evacuation_target_seconds"), numeric=True),
        Column("timezone", label("timezone")),
        Column("address", label("address")),
    ]
    if not records and args.format == "table":
        print(_("No schools yet. Add one with “drillplanner school add NAME” or load the demo "
                "schools with “drillplanner demo”."))
        return 0
    emit(render(args.format, columns, records))
    return 0


def run_add(args: argparse.Namespace) -> int:
    from drillplanner.services import schools

    with opened_database(args, create=True) as db:
        parent_id = schools.find_school(db, args.parent).id if args.parent else None
        school = schools.add_school(db, args.name, timezone=args.timezone,
                                    evacuation_target_seconds=args.target,
                                    address=args.address, parent_id=parent_id).value
    print(_("Added school {name}.").format(name=school.name))
    return 0
