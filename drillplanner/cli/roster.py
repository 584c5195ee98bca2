"""``drillplanner roster import|export``: class rosters as CSV or XLSX files."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from drillplanner.cli.context import (
    add_command,
    add_force_option,
    add_school_option,
    choose_school,
    forcible_hint,
    opened_database,
    warn,
)
from drillplanner.cli.output import display_width, pad
from drillplanner.domain.errors import DrillplannerError, NotFoundError, ValidationError
from drillplanner.domain.excerpts import excerpt
from drillplanner.domain.fields import label
from drillplanner.domain.roster import ImportSummary, RosterTable
from drillplanner.i18n import _, ngettext

ROSTER_SUFFIXES = (".csv", ".xlsx")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``roster`` command group."""
    group = add_command(subparsers, "roster", _("import or export class rosters (CSV, XLSX)"))
    actions = group.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    load = add_command(
        actions, "import", _("import classes from a roster file"),
        _("Import classes from a .csv or .xlsx roster. Columns are found by their header in "
          "English or Chinese (grade/年级, class/班级, enrolled/人数, homeroom teacher/班主任, "
          "room/教室, floor/楼层, building/楼栋, assembly area/集合区域). The import is "
          "all-or-nothing: any problem imports nothing and every problem is listed with its "
          "line. Classes already in the school (same grade and class name) are updated."))
    load.add_argument("file", metavar=_("FILE"), type=Path, help=_("the roster file"))
    add_school_option(load)
    load.add_argument("--dry-run", action="store_true",
                      help=_("show what would change without writing anything"))
    load.add_argument("--remove-absent", action="store_true",
                      help=_("delete the school's classes that the file does not list"))
    load.add_argument("--sheet", metavar=_("NAME"),
                      help=_("the sheet of an Excel workbook to read (by default the active "
                             "sheet, or the first one that is not hidden)"))
    load.set_defaults(handler=run_import)

    save = add_command(
        actions, "export", _("write a school's classes to a roster file"),
        _("Write a school's classes to a .csv (UTF-8, opens in Excel) or .xlsx file with the "
          "columns that “roster import” reads."))
    save.add_argument("file", metavar=_("FILE"),
                      help=_("the file to write (.csv or .xlsx)"))
    add_school_option(save)
    add_force_option(save)
    save.set_defaults(handler=run_export)


def _read(path: Path, sheet: str | None = None) -> RosterTable:
    from drillplanner.io.roster_files import read_roster

    if not path.exists():
        raise NotFoundError(_("{path} does not exist.").format(path=path))
    if path.is_dir():
        raise ValidationError("file", _("{path} is a folder, not a roster file.").format(
            path=path))
    try:
        return read_roster(path, sheet)
    except OSError as error:
        raise DrillplannerError(_("Cannot read {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from error


def run_import(args: argparse.Namespace) -> int:
    from drillplanner.services.roster import import_roster

    path: Path = args.file
    table = _read(path, args.sheet)
    if table.unknown_columns:
        warn(_("{path}: columns not recognised, ignored: {columns}").format(
            path=path, columns=excerpt(_(", ").join(table.unknown_columns), 200)))
    with opened_database(args, create=False) as db:
        school = choose_school(db, args)
        summary = import_roster(db, school.id, table, dry_run=args.dry_run,
                                remove_absent=args.remove_absent).value
    lines = summary_lines(summary, school.name, path)
    if table.sheet:
        lines.insert(1, "  " + _("Read the sheet “{sheet}”.").format(sheet=table.sheet))
    for line in lines:
        print(line)
    return 0


def summary_lines(summary: ImportSummary, school: str, path: Path) -> list[str]:
    """The import summary as the terminal shows it, one category per line."""
    if summary.dry_run:
        head = _("Dry run of {path} for {school}: nothing was written.")
    else:
        head = _("Imported {path} into {school}.")
    lines = [head.format(path=path, school=school)]
    updated = [_describe_update(name, summary.changed_fields.get(name, ()))
               for name in summary.updated]
    categories: list[tuple[str, Sequence[str]]] = [
        (_("added"), summary.added),
        (_("updated"), updated),
        (_("unchanged"), summary.unchanged),
        (_("absent from the file"), summary.absent),
    ]
    if summary.removed:
        categories.append((_("removed"), summary.removed))
    if summary.grades_added:
        categories.append((_("new grades"), summary.grades_added))
    if summary.staff_added:
        categories.append((_("new staff"), summary.staff_added))
    width = max(display_width(name) for name, _items in categories)
    for name, items in categories:
        names = _(", ").join(items)
        lines.append(f"  {pad(name, width)}  {len(items):>3}  {names}".rstrip())
    kept = [n for n in summary.absent if n not in summary.removed]
    if kept:
        lines.append(ngettext(
            "{n} class that the file does not list was kept; --remove-absent deletes it.",
            "{n} classes that the file does not list were kept; --remove-absent deletes them.",
            len(kept)).format(n=len(kept)))
    return lines


def _describe_update(name: str, fields: Sequence[str]) -> str:
    if not fields:
        return name
    return _("{name} ({fields})").format(
        name=name, fields=_(", ").join(label(field) for field in fields))


def run_export(args: argparse.Namespace) -> int:
    from drillplanner.io.roster_files import write_roster
    from drillplanner.services.output_files import check_output, kind_of
    from drillplanner.services.roster import export_roster

    path = Path(args.file)
    if args.file and path.suffix.lower() not in ROSTER_SUFFIXES:
        raise ValidationError("file", _("{path}: a roster file must end in .csv or .xlsx.").format(
            path=path))
    with opened_database(args, create=False) as db, forcible_hint():
        path = check_output(db, args.file, kind_of(path), force=args.force)
        school = choose_school(db, args)
        rows = export_roster(db, school.id)
    try:
        write_roster(path, rows)
    except OSError as error:
        raise DrillplannerError(_("Cannot write {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from error
    print(ngettext("Wrote {n} class of {school} to {path}.",
                   "Wrote {n} classes of {school} to {path}.", len(rows)).format(
        n=len(rows), school=school.name, path=path))
    return 0
