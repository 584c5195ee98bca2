"""``drillplanner headcount``: each class's report at the assembly area, and the roll-up.

After the all clear a drill's record is closed: ``set``, ``verify`` and ``found`` then need
``--reason`` (the change is a correction, an amendment once the record is signed off) and
keep the drill's own times.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING

from drillplanner.cli.context import add_command, opened_database, warn
from drillplanner.cli.drill_records import (
    accountability_record,
    accountability_text,
    after_alarm,
    alert_lines,
    alert_record,
    figures_record,
    figures_text,
    names_text,
    run_heading,
    totals_record,
    totals_text,
)
from drillplanner.cli.drill_times import (
    clock,
    iso,
    local_text,
    parse_moment,
    run_day,
    seconds_of,
)
from drillplanner.cli.drills import load_run
from drillplanner.cli.output import Column, emit, render
from drillplanner.cli.schools import add_format_option
from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.fields import label
from drillplanner.domain.headcount import (
    ClassStatus,
    Figures,
    Rollup,
    Stage,
    Totals,
    report_state_label,
    stage_label,
)
from drillplanner.domain.structure import School
from drillplanner.i18n import _, ngettext

if TYPE_CHECKING:
    from drillplanner.domain.headcount import ClassInfo
    from drillplanner.domain.headcount_history import HistoryItem
    from drillplanner.services.database import Database

# The figures a correction may change, in the order they are shown.
FIGURE_FIELDS = ("enrolled", "absent", "present", "missing", "injured", "with_us",
                 "absent_names", "missing_names", "note")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``headcount`` command group."""
    group = add_command(subparsers, "headcount", _("record and list the classes' headcounts"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    record = add_command(
        actions, "set", _("record (or correct) a class's report"),
        _("Record a class's headcount at the assembly area: present + missing must equal "
          "enrolled − absent. Students of other classes standing with this one are counted "
          "with --with-us, not in --present. Each call is the class's whole report; a second "
          "one is a correction, and both are kept. After the all clear the record is closed: "
          "a correction then needs --reason and keeps the class's report time during the "
          "drill (or --at, between the alarm and the all clear)."))
    _run_and_class(record)
    record.add_argument("--present", metavar=_("COUNT"), type=int, required=True,
                        help=_("students of the class at the assembly area"))
    for option, help_text in (
            ("--absent", _("absent before the drill (default: 0)")),
            ("--missing", _("students not accounted for (default: 0)")),
            ("--injured", _("injured, among those present (default: 0)")),
            ("--with-us", _("students of other classes with this class (default: 0)"))):
        record.add_argument(option, metavar=_("COUNT"), type=int, default=0, help=help_text)
    record.add_argument("--missing-names", metavar=_("NAMES"), default="",
                        help=_("names of the missing students, e.g. 张三,李四"))
    record.add_argument("--absent-names", metavar=_("NAMES"), default="",
                        help=_("names of the absent students"))
    record.add_argument("--note", metavar=_("TEXT"), default="", help=_("a note"))
    record.add_argument("--by", metavar=_("NAME"), default="", help=_("who reports"))
    record.add_argument("--entry-id", metavar=_("ID"),
                        help=_("an id for this report chosen by the sender (e.g. a uuid): "
                               "sent again with the same id, it is recorded once"))
    _at_option(record, _("when the class reported"))
    _reason_option(record)
    record.set_defaults(handler=run_set)

    verify = add_command(actions, "verify", _("the grade leader has checked a class's report"))
    _run_and_class(verify)
    verify.add_argument("--by", metavar=_("NAME"), required=True, help=_("the grade leader"))
    _at_option(verify, _("when it was checked"))
    _reason_option(verify)
    verify.set_defaults(handler=run_verify)

    found = add_command(actions, "found", _("missing students of a class were found"))
    _run_and_class(found)
    found.add_argument("--where", metavar=_("PLACE"), required=True,
                       help=_("where they were found"))
    found.add_argument("--by", metavar=_("NAME"), default="", help=_("who found them"))
    found.add_argument("--count", metavar=_("COUNT"), type=int,
                       help=_("how many were found (default: all still missing)"))
    _at_option(found, _("when they were found (required after the all clear)"))
    _reason_option(found)
    found.set_defaults(handler=run_found)

    listing = add_command(
        actions, "list", _("every class's report with grade and school totals"),
        _("List each class's report (state, figures, minutes after the alarm), then grade "
          "and school totals. Missing students come first. CSV has one row per class, grade "
          "and school (column “level”); JSON uses stable English keys."))
    listing.add_argument("run", metavar=_("RUN"), help=_("the drill's number (drill list)"))
    add_format_option(listing)
    listing.set_defaults(handler=run_list)

    past = add_command(actions, "history", _("every report and correction of a class"))
    _run_and_class(past)
    add_format_option(past)
    past.set_defaults(handler=run_history)


def _run_and_class(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar=_("RUN"), help=_("the drill's number (drill list)"))
    parser.add_argument("--class", dest="class_name", metavar=_("NAME"), required=True,
                        help=_("the class: 一年级2班, 2班 when only one grade has it, or 1-2"))


def _at_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--at", metavar=_("TIME"),
                        help=help_text + " " + _("(default: now; HH:MM[:SS] on the drill's "
                                                 "day, or \"YYYY-MM-DD HH:MM[:SS]\")"))


def _reason_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reason", metavar=_("TEXT"), default="",
                        help=_("why the record is changed: required after the all clear "
                               "(a correction) and after sign-off (an amendment)"))


def _refused(error: ValidationError, name: str) -> ValidationError:
    """The service's refusal, naming the class and the option that answers it."""
    message = _("{name}: {message}").format(name=name, message=error.message)
    if error.field == "reason":
        message += " " + _("Give it with --reason TEXT.")
    elif error.field == "at":
        message += " " + _("(--at TIME)")
    return ValidationError(error.field, message)


def _open(db: Database, args: argparse.Namespace) -> tuple[DrillRun, School, ClassInfo]:
    from drillplanner.services.headcounts import find_class

    run, school = load_run(db, args.run)
    return run, school, find_class(db, run.id, args.class_name)


def _status(roll: Rollup, class_id: int) -> ClassStatus:
    return next(s for s in roll.classes if s.info.class_id == class_id)


# Writing -----------------------------------------------------------------------------------


def run_set(args: argparse.Namespace) -> int:
    from drillplanner.services.headcounts import record_headcount, rollup

    with opened_database(args, create=False) as db:
        run, school, info = _open(db, args)
        at = parse_moment(args.at, "--at", run_day(run, school.timezone)) if args.at else None
        try:
            entry = record_headcount(
                db, run.id, info.class_id, args.present, absent=args.absent,
                missing=args.missing, injured=args.injured, with_us=args.with_us,
                absent_names=args.absent_names, missing_names=args.missing_names,
                note=args.note, at=at, by=args.by, reason=args.reason,
                entry_id=args.entry_id).value
        except ValidationError as error:
            raise _refused(error, info.name) from None
        roll = rollup(db, run.id)
    status = _status(roll, info.class_id)
    print(_class_line(status))
    print("  " + _reported_line(status, run))
    if entry.after_all_clear:
        print("  " + _correction_line(entry.stage, entry.recorded_by, entry.reason,
                                      entry.reported_at, run))
    print(_("School: {totals}").format(totals=totals_text(roll.totals)))
    for line in alert_lines(roll, run):
        print(line)
    if roll.time_to_accountability is not None:
        print(accountability_text(roll))
    return 0


def _class_line(status: ClassStatus) -> str:
    assert status.figures is not None
    return _("{name}: {figures}").format(name=status.info.name,
                                         figures=figures_text(status.figures))


def _reported_line(status: ClassStatus, run: DrillRun) -> str:
    """Who reported and when, and beside it who verified and when."""
    by = _(" by {name}").format(name=status.reported_by) if status.reported_by else ""
    text = _("Reported {when}{by}.").format(when=after_alarm(status.reported_at, run), by=by)
    if status.verified_by:
        text += " " + _("Verified by {name} {when}.").format(
            name=status.verified_by, when=after_alarm(status.verified_at, run))
    if status.corrections:
        text += " " + ngettext("({n} correction)", "({n} corrections)",
                               status.corrections).format(n=status.corrections)
    return text


def _correction_line(stage: Stage, by: str, reason: str, kept: datetime | None,
                     run: DrillRun) -> str:
    """What a change of the completed record says about itself."""
    if by:
        text = _("{stage} recorded by {name}: {reason}.").format(
            stage=stage_label(stage), name=by, reason=reason)
    else:
        text = _("{stage} recorded: {reason}.").format(stage=stage_label(stage), reason=reason)
    if kept is not None:
        text += " " + _("It keeps the drill's time {when}.").format(
            when=after_alarm(kept, run))
    return text


def run_verify(args: argparse.Namespace) -> int:
    from drillplanner.services.headcounts import verify_headcount

    with opened_database(args, create=False) as db:
        run, school, info = _open(db, args)
        at = parse_moment(args.at, "--at", run_day(run, school.timezone)) if args.at else None
        try:
            entry = verify_headcount(db, run.id, info.class_id, args.by, at,
                                     reason=args.reason).value
        except ValidationError as error:
            raise _refused(error, info.name) from None
    print(_("{name}: report verified by {by} at {when}.").format(
        name=info.name, by=entry.recorded_by, when=after_alarm(entry.reported_at, run)))
    if entry.after_all_clear:
        print("  " + _correction_line(entry.stage, entry.recorded_by, entry.reason, None,
                                      run))
    return 0


def run_found(args: argparse.Namespace) -> int:
    from drillplanner.services.headcounts import resolve_missing, rollup

    with opened_database(args, create=False) as db:
        run, school, info = _open(db, args)
        at = parse_moment(args.at, "--at", run_day(run, school.timezone)) if args.at else None
        try:
            found = resolve_missing(db, run.id, info.class_id, args.where, found_by=args.by,
                                    count=args.count, at=at, reason=args.reason).value
        except ValidationError as error:
            raise _refused(error, info.name) from None
        roll = rollup(db, run.id)
    by = _(", by {name}").format(name=found.found_by) if found.found_by else ""
    print(ngettext("{name}: {n} student found at {where}, {when}{by}.",
                   "{name}: {n} students found at {where}, {when}{by}.", found.count).format(
        name=info.name, n=found.count, where=found.found_where,
        when=after_alarm(found.found_at, run), by=by))
    if found.stage is not Stage.DRILL:
        print("  " + _correction_line(found.stage, found.recorded_by, found.reason, None, run))
    lines = alert_lines(roll, run)
    for line in lines:
        print(line)
    if not lines:
        print(_("Nobody is missing any more."))
    print(accountability_text(roll))
    return 0


# Reading -----------------------------------------------------------------------------------


def class_record(status: ClassStatus, run: DrillRun) -> dict[str, object]:
    """One class's line of ``headcount list`` (keys are the CSV and JSON names)."""
    f = status.figures
    correction = status.correction
    reported = f is not None
    after = (status.reported_at - run.alarm_at) if (
        status.reported_at and run.alarm_at) else None
    return {
        "level": "class", "grade": status.info.grade_name, "class": status.info.name,
        "class_id": status.info.class_id, "state": status.state.value,
        "state_label": report_state_label(status.state), "classes": 1,
        "reported": int(reported), "still_out": int(not reported),
        "enrolled": f.enrolled if f else status.info.enrolled,
        "absent": f.absent if f else None, "expected": f.expected if f else None,
        "present": f.present if f else None, "missing": f.missing if f else None,
        "still_missing": status.still_missing if f else None,
        "injured": f.injured if f else None, "with_us": f.with_us if f else None,
        "found": status.found if f else None, "accounted": status.accounted if f else None,
        "reported_at": iso(status.reported_at), "reported_after_seconds": seconds_of(after),
        "reported_after": clock(after), "reported_by": status.reported_by or None,
        "verified_by": status.verified_by or None, "verified_at": iso(status.verified_at),
        "accounted_at": iso(status.accounted_at), "corrections": status.corrections,
        "corrected_stage": correction.stage.value if correction else None,
        "corrected_by": (correction.recorded_by or None) if correction else None,
        "corrected_at": iso(correction.recorded_at) if correction else None,
        "correction_reason": correction.reason if correction else None,
        "missing_names": names_text(f.missing_names) if f else None,
        "absent_names": names_text(f.absent_names) if f else None,
        "note": (f.note or None) if f else None,
    }


def level_record(level: str, grade: str | None, totals: dict[str, int]) -> dict[str, object]:
    """A grade's or the school's totals as a ``headcount list`` row."""
    return {"level": level, "grade": grade, "class": None, **totals}


def accounting_record(totals: Totals) -> dict[str, int]:
    """The totals with what adds them up: enrolled = absent + accounted + still missing +
    unreported (accounted = present + found)."""
    return {**totals_record(totals), "found": totals.found, "accounted": totals.accounted,
            "unreported": totals.unreported}


def class_columns(fmt: str) -> list[Column]:
    table = fmt == "table"
    counts = [Column(key, head, numeric=True) for key, head in (
        ("enrolled", _("Enrolled")), ("absent", _("Absent")), ("expected", _("Expected")),
        ("present", _("Present")), ("missing", _("Missing")),
        ("still_missing", _("Still missing")), ("injured", _("Injured")),
        ("with_us", _("With us")), ("accounted", _("Accounted")))]
    if table:
        return [Column("grade", _("Grade")), Column("class", _("Class")),
                Column("state_label", _("State")), *counts,
                Column("reported_after", _("Reported"), numeric=True),
                Column("reported_by", _("By"))]
    return [Column("level", "level"), Column("grade", "grade"), Column("class", "class"),
            Column("state", "state"), Column("classes", "classes"),
            Column("reported", "reported"), Column("still_out", "still_out"), *counts,
            *(Column(key, key) for key in (
                "found", "unreported", "reported_at", "reported_after_seconds", "reported_by",
                "verified_by", "verified_at", "accounted_at", "corrections",
                "corrected_stage", "corrected_by", "corrected_at", "correction_reason",
                "missing_names", "absent_names", "note"))]


def total_columns() -> list[Column]:
    return [Column("grade", _("Grade")), *(Column(key, head, numeric=True) for key, head in (
        ("classes", _("Classes")), ("reported", _("Reported")), ("still_out", _("Still out")),
        ("enrolled", _("Enrolled")), ("absent", _("Absent")), ("expected", _("Expected")),
        ("present", _("Present")), ("missing", _("Missing")),
        ("still_missing", _("Still missing")), ("injured", _("Injured")),
        ("with_us", _("With us")), ("accounted", _("Accounted"))))]


def run_list(args: argparse.Namespace) -> int:
    from drillplanner.services.headcounts import rollup

    with opened_database(args, create=False) as db:
        run, school = load_run(db, args.run)
        roll = rollup(db, run.id)
    classes = [class_record(s, run) for s in roll.classes]
    grades = [level_record("grade", g.grade_name, accounting_record(g.totals))
              for g in roll.grades]
    whole = level_record("school", None, accounting_record(roll.totals))
    if args.format == "json":
        emit(json.dumps({
            "run": {"id": run.id, "title": run.title, "school": school.name,
                    "status": run.status.value, "alarm_at": iso(run.alarm_at)},
            "alerts": [alert_record(a, run) for a in roll.open_alerts],
            "classes": classes,
            "grades": [{"grade": g.grade_name, "grade_id": g.grade_id,
                        "totals": accounting_record(g.totals)} for g in roll.grades],
            "school": accounting_record(roll.totals),
            **accountability_record(roll),
        }, ensure_ascii=False, indent=2) + "\n")
        return 0
    alerts = alert_lines(roll, run)
    if args.format == "csv":
        # The CSV stays machine-readable; a person at the terminal still sees the alert.
        for line in alerts:
            warn(line)
        emit(render("csv", class_columns("csv"), [*classes, *grades, whole]))
        return 0
    for line in alerts:
        print(line)
    if alerts:
        print()
    print(run_heading(run, school))
    if not classes:
        print(_("No classes take part in this drill."))
        return 0
    emit(render("table", class_columns("table"), classes))
    print()
    emit(render("table", total_columns(), [*grades, {**whole, "grade": _("School")}]))
    print(accountability_text(roll))
    return 0


def change_text(old: Figures | None, new: Figures) -> str:
    """What a report changed: every figure for the first one, old → new for a correction."""
    if old is None:
        return figures_text(new)
    changes = []
    for name in FIGURE_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(_("{field} {old} → {new}").format(
                field=label(name), old=_shown(before), new=_shown(after)))
    return _(", ").join(changes) or _("the same figures again")


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return names_text(value) or "-"
    return str(value) if value != "" else "-"


def history_record(index: int, item: HistoryItem, run: DrillRun) -> dict[str, object]:
    """One history entry; ``stage`` says whether it was made during the drill or is a
    correction or amendment of the completed record, ``reason`` why."""
    what = {"verification": _("verified"), "report": _("report"),
            "correction": _("correction"), "found": _("found")}[item.kind]
    if item.stage is Stage.CORRECTION:
        what = _("{kind}, after the all clear").format(kind=what)
    elif item.stage is Stage.AMENDMENT:
        what = _("{kind}, after sign-off").format(kind=what)
    found = item.found
    return {
        "n": index, "kind": item.kind, "kind_label": what, "stage": item.stage.value,
        "reported_at": iso(item.reported_at), "recorded_at": iso(item.recorded_at),
        "reported": after_alarm(item.reported_at, run),
        "recorded": local_text(item.recorded_at),
        "by": item.recorded_by or None,
        "change": _history_change(item),
        "reason": item.reason or None,
        "old": figures_record(item.old), "new": figures_record(item.new),
        "found": None if found is None else {
            "where": found.found_where, "by": found.found_by or None, "count": found.count,
            "still_missing_before": item.missing_before,
            "still_missing_after": item.missing_after},
    }


def _history_change(item: HistoryItem) -> str:
    found = item.found
    if found is not None:
        by = _(", by {name}").format(name=found.found_by) if found.found_by else ""
        return ngettext("{n} found at {where}{by}; still missing {old} → {new}",
                        "{n} found at {where}{by}; still missing {old} → {new}",
                        found.count).format(n=found.count, where=found.found_where, by=by,
                                            old=item.missing_before, new=item.missing_after)
    return "" if item.new is None else change_text(item.old, item.new)


def run_history(args: argparse.Namespace) -> int:
    from drillplanner.services.headcounts import history

    with opened_database(args, create=False) as db:
        run, _school, info = _open(db, args)
        items = history(db, run.id, info.class_id)
    records = [history_record(i, item, run) for i, item in enumerate(items, 1)]
    if args.format == "json":
        emit(json.dumps({"class": info.name, "class_id": info.class_id, "entries": records},
                        ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.format == "table":
        print(_("{name} in drill #{id}:").format(name=info.name, id=run.id))
        if not records:
            print(_("The class has not reported yet."))
            return 0
    table = args.format == "table"
    emit(render(args.format, [
        Column("n", _("No."), numeric=True),
        Column("kind_label" if table else "kind", _("Entry")),
        Column("reported" if table else "reported_at", _("At")),
        Column("recorded" if table else "recorded_at", _("Stored")),
        Column("by", _("By")), Column("change", _("Change")),
        Column("reason", _("Reason"))], records))
    return 0
