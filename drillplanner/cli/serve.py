"""``drillplanner serve``: the phone page of a running drill, from a computer without a
screen. The first line printed is the page's URL (with its token), so a script can pass it
on; a QR code for the terminal follows. The command ends by itself at the all clear."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from drillplanner.cli.context import (
    add_command,
    add_school_option,
    choose_school,
    opened_database,
)
from drillplanner.cli.drill_times import run_number
from drillplanner.domain.drill_runs import DrillRun, RunStatus
from drillplanner.domain.errors import ConflictError, NotFoundError
from drillplanner.i18n import _

if TYPE_CHECKING:
    from drillplanner.services.database import Database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from drillplanner.io.lan import DEFAULT_PORT

    parser = add_command(
        subparsers, "serve", _("serve the phone page of a running drill"),
        _("Serve the page on which class teachers report their headcounts from their phones "
          "on the school's network, until a minute after the drill's all clear or cancel (or "
          "Ctrl+C). "
          "Prints the page's URL (with its token) first, then a QR code to scan. Each "
          "class's roll-call sheet carries its own link, which works while this runs."))
    parser.add_argument("--drill", metavar=_("RUN"),
                        help=_("the drill's number (default: the drill running now)"))
    parser.add_argument("--host", metavar=_("ADDRESS"), default="0.0.0.0",
                        help=_("the address to listen on (default: every network of this "
                               "computer)"))
    parser.add_argument("--port", metavar=_("PORT"), type=int, default=DEFAULT_PORT,
                        help=_("the port to listen on (default: {port}; the roll-call "
                               "sheets' links use it)").format(port=DEFAULT_PORT))
    parser.add_argument("--grace", metavar=_("SECONDS"), type=float, default=None,
                        help=_("how long after the all clear the page still answers that the "
                               "drill is over, before it closes (default: 60)"))
    parser.add_argument("--no-qr", action="store_true",
                        help=_("do not print the QR code"))
    parser.add_argument("--class-links", action="store_true",
                        help=_("also print each class's own link"))
    parser.set_defaults(handler=run_serve)

    links = add_command(
        subparsers, "links", _("list each class's phone link (for its roll-call sheet)"),
        _("List the link each class's teacher opens on a phone to report the class during a "
          "drill (the roll-call sheets print it as a QR code). The links stay the same from "
          "drill to drill; --renew replaces them all, so a link that went astray stops "
          "working (print the roll-call sheets again)."))
    add_school_option(links)
    links.add_argument("--host", metavar=_("ADDRESS"),
                       help=_("the address phones reach this computer at (default: its "
                              "address on the school's network)"))
    links.add_argument("--port", metavar=_("PORT"), type=int, default=DEFAULT_PORT,
                       help=_("the port the page will be served on (default: {port})"
                              ).format(port=DEFAULT_PORT))
    links.add_argument("--renew", action="store_true",
                       help=_("give the school new links; every earlier one stops working"))
    links.set_defaults(handler=run_links)


def _running_drill(db: Database, text: str | None) -> DrillRun:
    from drillplanner.services import drills

    if text:
        run = drills.get_run(db, run_number(text, "--drill"))
        if run.status is not RunStatus.IN_PROGRESS:
            raise ConflictError(_("Drill #{id} is not running: phones can report only while "
                                  "a drill runs.").format(id=run.id))
        return run
    running = drills.list_runs(db, statuses=[RunStatus.IN_PROGRESS])
    if not running:
        raise NotFoundError(_("No drill is running: start one (drillplanner drill start) "
                              "and serve its page then."))
    if len(running) > 1:
        raise ConflictError(_("Several drills are running ({runs}): choose one with "
                              "--drill RUN.").format(runs=", ".join(f"#{r.id}"
                                                                     for r in running)))
    return running[0]


def run_serve(args: argparse.Namespace) -> int:
    from drillplanner.io.qr import qr_matrix
    from drillplanner.services import headcounts
    from drillplanner.web.server import PhoneServer

    with opened_database(args, create=False) as db:
        run = _running_drill(db, args.drill)
        server = PhoneServer(db, run.id, host=args.host, port=args.port,
                             closing_grace=args.grace)
        server.start()
        try:
            print(server.url, flush=True)
            if not args.no_qr:
                print(qr_matrix(server.url).terminal_text(), flush=True)
            if args.class_links:
                names = {c.class_id: c.name for c in headcounts.classes_in_run(db, run.id)}
                for class_id, url in sorted(server.class_urls().items(),
                                            key=lambda item: list(names).index(item[0])):
                    print(f"{names[class_id]}\t{url}", flush=True)
            print(_("Serving the phone page of {drill} (#{id}). It closes after the all "
                    "clear; Ctrl+C stops it sooner.").format(drill=run.title, id=run.id),
                  file=sys.stderr, flush=True)
            server.wait()
        except KeyboardInterrupt:
            print(_("Stopped: phones can no longer report."), file=sys.stderr)
            return 0
        finally:
            server.stop()
    print(_("The drill is over: the phone page is closed."), file=sys.stderr)
    return 0


def run_links(args: argparse.Namespace) -> int:
    from drillplanner.services import classes, phone_links

    with opened_database(args, create=bool(args.renew)) as db:
        school = choose_school(db, args)
        if args.renew:
            phone_links.renew_links(db, school.id)
            print(_("{school} has new phone links: earlier ones no longer work. Print the "
                    "roll-call sheets again.").format(school=school.name), file=sys.stderr)
        urls = phone_links.class_urls(db, school.id,
                                      phone_links.base_url(args.host, args.port))
        for school_class in classes.list_classes(db, school.id):
            print(f"{school_class.full_name}\t{urls[school_class.id]}")
    return 0
