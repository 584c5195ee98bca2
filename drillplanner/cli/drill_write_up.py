"""``drillplanner drill record|action|post|sign``: write up a drill and sign it off.

Before the all clear everything is an entry. After it, changing what was recorded is a
correction, and after sign-off any change is an amendment; both need ``--reason``.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from drillplanner.cli.context import UsageError, add_command, opened_database, warn
from drillplanner.cli.drill_args import at_option, change_reason_option, load_run, run_argument
from drillplanner.cli.drill_records import (
    DETAIL_FIELDS,
    cleared_text,
    detail_labels,
    posts_table,
    run_heading,
    signed_text,
)
from drillplanner.cli.drill_times import parse_moment, run_day, run_number
from drillplanner.cli.output import emit
from drillplanner.cli.when import parse_date
from drillplanner.domain.drill_runs import (
    DrillRun,
    Notification,
    PostAssignment,
    RecordStage,
    notification_label,
)
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.i18n import _

if TYPE_CHECKING:
    from typing import TypeAlias

    Actions: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def add_write_up(actions: Actions) -> None:
    """The ``record``, ``action``, ``post`` and ``sign`` sub-commands of ``drill``."""
    record = add_command(
        actions, "record", _("write up the drill: who, how, weather, problems…"),
        _("Fill in the drill's written record (IFC 405.5; the MoE guideline's summary). "
          "Only the fields given change. After the all clear, changing a field that was "
          "filled in is a correction and after sign-off any change is an amendment: both "
          "need --reason."))
    run_argument(record)
    labels = detail_labels()
    for name in DETAIL_FIELDS:
        option = "--" + name.replace("_", "-")
        if name == "notification":
            record.add_argument(option, choices=[n.value for n in Notification],
                                help=_("how occupants were told to leave"))
        else:
            record.add_argument(option, metavar=_("TEXT"), help=labels[name])
    change_reason_option(record)
    record.set_defaults(handler=run_record_details)

    action = add_command(actions, "action", _("add a corrective action or mark one done"))
    run_argument(action)
    what = action.add_mutually_exclusive_group(required=True)
    what.add_argument("--add", metavar=_("TEXT"), help=_("the action to take"))
    what.add_argument("--done", metavar=_("ACTION"), help=_("the number of an action now done"))
    action.add_argument("--owner", metavar=_("NAME"), default="",
                        help=_("who takes care of it"))
    action.add_argument("--due", metavar=_("DATE"), help=_("by when"))
    change_reason_option(action)
    action.set_defaults(handler=run_action)

    post = add_command(
        actions, "post", _("floor and stairwell posts: assign staff, confirm a floor cleared"),
        _("Without --clear or --assign, list the drill's posts with their numbers."))
    run_argument(post)
    which = post.add_mutually_exclusive_group()
    which.add_argument("--clear", metavar=_("POST"), help=_("the post whose floor is cleared"))
    which.add_argument("--assign", metavar=_("POST"), help=_("the post to assign --staff to"))
    post.add_argument("--staff", metavar=_("NAME"), help=_("the staff member at the post"))
    post.add_argument("--by", metavar=_("NAME"), default="",
                      help=_("who confirmed it (default: the post's staff member)"))
    at_option(post, _("when the floor was cleared (default: now)"))
    change_reason_option(post)
    post.set_defaults(handler=run_post)

    sign = add_command(
        actions, "sign", _("sign off a completed drill's record"),
        _("Sign off a completed drill: the principal (or whoever the school names) vouches "
          "for its record. The record is locked from then on; any later change is an "
          "amendment with a reason, listed on the drill report."))
    run_argument(sign)
    sign.add_argument("--by", metavar=_("NAME"), required=True,
                      help=_("who signs it off, e.g. the principal"))
    sign.set_defaults(handler=run_sign)


@contextmanager
def _reason_hint() -> Iterator[None]:
    """A refusal for want of a reason says which option gives it."""
    try:
        yield
    except ValidationError as error:
        if error.field != "reason":
            raise
        raise ValidationError("reason", _("{message} Give it with --reason TEXT.").format(
            message=error.message)) from None


def _print_reason(run: DrillRun, reason: str) -> None:
    if reason and run.stage not in (RecordStage.PLANNED, RecordStage.RUNNING):
        print("  " + _("Reason for the change: {reason}").format(reason=reason))


def run_record_details(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import update_details

    changes = {name: getattr(args, name) for name in DETAIL_FIELDS
               if getattr(args, name) is not None}
    if "notification" in changes:
        changes["notification"] = Notification(changes["notification"])
    with opened_database(args, create=False) as db:
        run, school = load_run(db, args.run)
        if changes:
            with _reason_hint():
                run = update_details(db, run.id, dataclasses.replace(run.details, **changes),
                                     reason=args.reason).value
    if not changes:
        warn(_("no field was given; the record stays as it is."))
    print(run_heading(run, school))
    labels = detail_labels()
    for name in DETAIL_FIELDS:
        value = getattr(run.details, name)
        shown = notification_label(value) if name == "notification" else value
        print(f"  {labels[name]}: {shown or '-'}")
    if changes:
        _print_reason(run, args.reason)
    return 0


def run_action(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import add_action, list_actions, set_action_done

    due: date | None = parse_date(args.due, "--due") if args.due else None
    if args.done and (args.owner or due or args.reason):
        raise UsageError(_("--owner, --due and --reason go with --add."))
    with opened_database(args, create=False) as db:
        run, _school = load_run(db, args.run)
        if args.add:
            with _reason_hint():
                action = add_action(db, run.id, args.add, owner=args.owner, due=due,
                                    reason=args.reason).value
            print(_("Added corrective action #{id}: {text}").format(
                id=action.id, text=action.description))
            _print_reason(run, args.reason)
            return 0
        number = run_number(args.done, "--done")
        if number not in {a.id for a in list_actions(db, run.id)}:
            raise NotFoundError(_("Drill #{run} has no corrective action #{id}.").format(
                run=run.id, id=number))
        action = set_action_done(db, number).value
    print(_("Corrective action #{id} done: {text}").format(id=action.id,
                                                           text=action.description))
    return 0


def run_post(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import assign_post, clear_floor, list_posts
    from drillplanner.services.staff import list_staff

    if args.assign and not args.staff:
        raise UsageError(_("--assign needs --staff NAME."))
    if args.staff and not args.assign:
        raise UsageError(_("--staff goes with --assign."))
    if not args.clear and (args.by or args.at):
        raise UsageError(_("--by and --at go with --clear."))
    if args.reason and not (args.clear or args.assign):
        raise UsageError(_("--reason goes with --clear or --assign."))
    with opened_database(args, create=False) as db:
        run, school = load_run(db, args.run)
        posts = list_posts(db, run.id)
        if not (args.clear or args.assign):
            return _print_posts(run, posts)
        number = run_number(args.clear or args.assign, "--clear" if args.clear else "--assign")
        if number not in {p.id for p in posts}:
            raise NotFoundError(_("Drill #{run} has no post #{id}; “drillplanner drill post "
                                  "{run}” lists them.").format(run=run.id, id=number))
        if args.assign:
            staff_id = next((s.id for s in list_staff(db, school.id)
                             if s.name == args.staff.strip()), None)
            with _reason_hint():
                post = assign_post(db, number, args.staff, staff_id, reason=args.reason).value
            print(_("Post #{id} {post}: {name}").format(id=post.id, post=post.post,
                                                         name=post.staff_name))
            _print_reason(run, args.reason)
            return 0
        at = parse_moment(args.at, "--at", run_day(run, school.timezone)) if args.at else None
        with _reason_hint():
            post = clear_floor(db, number, by=args.by, at=at, reason=args.reason).value
    by = _(", by {name}").format(name=post.cleared_by) if post.cleared_by else ""
    print(_("Post #{id} {post}: floor cleared at {when}{by}.").format(
        id=post.id, post=post.post, when=cleared_text(post, run), by=by))
    _print_reason(run, args.reason)
    return 0


def _print_posts(run: DrillRun, posts: Sequence[PostAssignment]) -> int:
    if not posts:
        print(_("Drill #{id} has no posts.").format(id=run.id))
        return 0
    emit(posts_table(run, posts))
    return 0


def run_sign(args: argparse.Namespace) -> int:
    from drillplanner.services.drills import sign_drill

    with opened_database(args, create=False) as db:
        run, school = load_run(db, args.run)
        run = sign_drill(db, run.id, args.by).value
    print(run_heading(run, school))
    print("  " + signed_text(run))
    print("  " + _("The record is locked: any later change is an amendment and needs "
                   "--reason."))
    return 0
