"""``drillplanner init``, ``drillplanner demo`` and the ``db`` group: the database as a
whole."""

from __future__ import annotations

import argparse

from drillplanner.cli import db_copy
from drillplanner.cli.context import add_command, opened_database
from drillplanner.i18n import _, ngettext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``init`` and ``demo`` commands and the ``db`` group."""
    init = add_command(
        subparsers, "init", _("create or upgrade the database and show where it is"),
        _("Create the database if it does not exist, upgrade it if it was made by an older "
          "version (a copy is kept first), and print where it is."))
    init.set_defaults(handler=run_init)

    demo = add_command(
        subparsers, "demo", _("add the four demo schools"),
        _("Add the demo schools (聊城市实验小学, 道口铺街道中心学校, 道口铺街道中心学校高马小学, "
          "郑家镇东小学) with their buildings, assembly areas, routes, staff and classes. "
          "Schools that already exist are left alone."))
    demo.set_defaults(handler=run_demo)

    group = add_command(subparsers, "db", _("the database as a whole: copy it to another"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    db_copy.register(actions)


def run_init(args: argparse.Namespace) -> int:
    from drillplanner.services import schools

    with opened_database(args, create=True) as db:
        count = len(schools.list_schools(db))
        print(_("Database ready: {where}").format(where=db.display_name))
        print(ngettext("It holds {n} school.", "It holds {n} schools.", count).format(n=count))
        if db.read_only:
            print(_("It is read-only (the file or its folder cannot be written): it can be "
                    "read, but changes cannot be saved."))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from drillplanner.services import classes, staff
    from drillplanner.services.demo import load_demo

    with opened_database(args, create=True) as db:
        added = load_demo(db).value
        if not added:
            print(_("The demo schools are already in {where}; nothing was added.").format(
                where=db.display_name))
            return 0
        print(ngettext("Added {n} demo school to {where}:", "Added {n} demo schools to {where}:",
                       len(added)).format(n=len(added), where=db.display_name))
        for school in added:
            school_classes = classes.list_classes(db, school.id)
            pupils = sum(c.enrolled for c in school_classes)
            people = len(staff.list_staff(db, school.id))
            print("  " + _("{school}: {classes}, {pupils}, {staff}").format(
                school=school.name,
                classes=ngettext("{n} class", "{n} classes", len(school_classes)).format(
                    n=len(school_classes)),
                pupils=ngettext("{n} pupil", "{n} pupils", pupils).format(n=pupils),
                staff=ngettext("{n} staff member", "{n} staff members", people).format(
                    n=people)))
    return 0
