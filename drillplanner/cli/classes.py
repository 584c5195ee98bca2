"""``drillplanner classes list``."""

from __future__ import annotations

import argparse

from drillplanner.cli.context import add_command, add_school_option, choose_school, opened_database
from drillplanner.cli.output import Column, emit, render
from drillplanner.cli.schools import add_format_option
from drillplanner.domain.fields import label
from drillplanner.domain.structure import SchoolClass
from drillplanner.i18n import _, ngettext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``classes`` command group."""
    group = add_command(subparsers, "classes", _("show a school's classes"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    listing = add_command(
        actions, "list", _("list the classes of a school"),
        _("List the classes of a school in grade order with their homeroom teacher, room, "
          "assembly area and evacuation route. CSV and JSON use stable English keys."))
    add_school_option(listing)
    add_format_option(listing)
    listing.set_defaults(handler=run_list)


def class_record(c: SchoolClass) -> dict[str, object]:
    """A class as one output record (the keys are the JSON and CSV column names)."""
    return {
        "id": c.id, "grade": c.grade_name, "class": c.name, "full_name": c.full_name,
        "enrolled": c.enrolled, "homeroom_teacher": c.homeroom_teacher_name or None,
        "building": c.building_name or None, "floor": c.floor_level, "room": c.room or None,
        "assembly_area": c.assembly_area_name or None, "route": c.route_name or None,
    }


def class_columns() -> list[Column]:
    return [
        Column("grade", label("grade")),
        Column("class", label("class")),
        Column("enrolled", label("enrolled"), numeric=True),
        Column("homeroom_teacher", label("homeroom_teacher")),
        Column("building", label("building")),
        Column("floor", label("floor"), numeric=True),
        Column("room", label("room")),
        Column("assembly_area", label("assembly_area")),
        Column("route", label("route_id")),
    ]


def run_list(args: argparse.Namespace) -> int:
    from drillplanner.services.classes import list_classes

    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        school_classes = list_classes(db, school.id)
    records = [class_record(c) for c in school_classes]
    if args.format != "table":
        emit(render(args.format, class_columns(), records))
        return 0
    if not records:
        print(_("{school} has no classes yet.").format(school=school.name))
        return 0
    print(school.name)
    emit(render("table", class_columns(), records))
    pupils = sum(c.enrolled for c in school_classes)
    print(_("{classes}, {pupils}").format(
        classes=ngettext("{n} class", "{n} classes", len(records)).format(n=len(records)),
        pupils=ngettext("{n} pupil", "{n} pupils", pupils).format(n=pupils)))
    return 0
