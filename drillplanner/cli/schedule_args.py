"""The options of ``schedule add`` and turning them into an Event.

Names on the command line (grades, classes, the organizer, an assembly area) are looked up
in the school; a name that is not there is reported with the names that are.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from drillplanner.cli.drill_times import id_number
from drillplanner.cli.when import parse_date, parse_datetime, parse_duration
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Event, EventKind, Participants, Recurrence, Scope
from drillplanner.domain.structure import School
from drillplanner.i18n import _

if TYPE_CHECKING:
    from drillplanner.domain.recurrence import Preset
    from drillplanner.services.database import Database

DEFAULT_DURATION = timedelta(minutes=30)

# Command-line name -> Preset member name (the domain module is imported when a command
# runs, not when the parser is built).
PRESETS: dict[str, str] = {
    "once": "ONCE",
    "school-days": "SCHOOL_DAYS",
    "weekly": "WEEKLY",
    "monthly-nth": "MONTHLY_NTH_WEEKDAY",
    "monthly-date": "MONTHLY_DATE",
    "once-per-term": "ONCE_PER_TERM",
}

_WEEKDAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate((
        ("mo", "mon", "monday", "一", "周一", "星期一"),
        ("tu", "tue", "tuesday", "二", "周二", "星期二"),
        ("we", "wed", "wednesday", "三", "周三", "星期三"),
        ("th", "thu", "thursday", "四", "周四", "星期四"),
        ("fr", "fri", "friday", "五", "周五", "星期五"),
        ("sa", "sat", "saturday", "六", "周六", "星期六"),
        ("su", "sun", "sunday", "日", "天", "周日", "星期日", "星期天"))):
    for _name in _names:
        _WEEKDAY_NAMES[_name] = _index

_LIST_SEPARATORS = re.compile(r"[,，、;；]")


def add_event_options(parser: argparse.ArgumentParser) -> None:
    """The options describing an event (``schedule add``)."""
    parser.add_argument("--kind", required=True, choices=[k.value for k in EventKind],
                        help=_("what the event is"))
    parser.add_argument("--title", required=True, metavar=_("TEXT"), help=_("its title"))
    parser.add_argument("--start", required=True, metavar=_("DATE TIME"),
                        help=_("first start in the school's local time, e.g. "
                               "\"2026-11-09 10:00\""))
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--duration", metavar=_("DURATION"),
                        help=_("how long it lasts: 20m, 1h, 1h30m, 90 (minutes), 20分钟 "
                               "(default: 30 minutes)"))
    length.add_argument("--end", metavar=_("DATE TIME"), help=_("when the first one ends"))
    rule = parser.add_mutually_exclusive_group()
    rule.add_argument("--rrule", metavar=_("RULE"),
                      help=_("an RFC 5545 repeat rule, e.g. FREQ=MONTHLY;BYDAY=2TU"))
    rule.add_argument("--preset", choices=list(PRESETS),
                      help=_("a common way to repeat (default: once)"))
    parser.add_argument("--weekdays", metavar=_("DAYS"),
                        help=_("days for --preset weekly, e.g. mo,we"))
    parser.add_argument("--school-days-only", action="store_true",
                        help=_("leave out days without school (always so for school-days)"))
    parser.add_argument("--until", metavar=_("DATE"), help=_("the last day it may repeat on"))
    parser.add_argument("--count", metavar=_("N"), type=int, help=_("how many times it happens"))
    parser.add_argument("--place", metavar=_("TEXT"), default="",
                        help=_("where (an assembly area's name links the area)"))
    people = parser.add_mutually_exclusive_group()
    people.add_argument("--grades", metavar=_("NAMES"),
                        help=_("only these grades, e.g. 一年级,二年级 (default: whole school)"))
    people.add_argument("--classes", metavar=_("NAMES"),
                        help=_("only these classes, e.g. 一年级1班,一年级2班"))
    parser.add_argument("--organizer", metavar=_("NAME"), help=_("the staff member in charge"))
    parser.add_argument("--unannounced", action="store_true",
                        help=_("a drill the pupils are not told about in advance"))
    parser.add_argument("--description", metavar=_("TEXT"), default="",
                        help=_("notes, e.g. the drill plan"))


# Which option to name when the service refuses a field of the event.
OPTION_OF_FIELD = {
    "title": "--title", "start": "--start", "end": "--end", "duration": "--duration",
    "rrule": "--rrule", "until": "--until", "count": "--count", "weekdays": "--weekdays",
    "nth": "--start", "terms": "--preset", "place": "--place", "description": "--description",
    "organizer_id": "--organizer", "kind": "--kind",
}


def with_option(error: ValidationError, args: argparse.Namespace) -> ValidationError:
    """``error`` with the option it is about in front of its message."""
    option = OPTION_OF_FIELD.get(error.field, error.field)
    if error.field == "participants":
        option = "--classes" if args.classes else "--grades"
    if error.field == "rrule" and not args.rrule:
        option = "--preset"
    if not option.startswith("--") or error.message.startswith(option):
        return error
    return ValidationError(error.field, _("{option}: {message}").format(
        option=option, message=error.message))


def event_id(text: str) -> int:
    """An event number as typed ("12" or "#12")."""
    number = id_number(text)
    if number is None:
        raise ValidationError("EVENT", _("“{value}” is not an event number; “schedule list” "
                                         "shows them.").format(value=text))
    return number


def names_of(text: str) -> list[str]:
    """Items of a list typed with commas (also Chinese ones and 、)."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def weekdays_of(text: str) -> tuple[int, ...]:
    """"mo,we" (or "周一,周三", "1,3" with 1 = Monday) as date.weekday() numbers."""
    days: list[int] = []
    for item in names_of(text):
        key = item.lower()
        if key.isdecimal() and 1 <= int(key) <= 7:
            day = int(key) - 1
        elif key in _WEEKDAY_NAMES:
            day = _WEEKDAY_NAMES[key]
        else:
            raise ValidationError("--weekdays", _(
                "--weekdays: “{value}” is not a day of the week; use mo, tu, we, th, fr, sa, "
                "su.").format(value=item))
        if day not in days:
            days.append(day)
    if not days:
        raise ValidationError("--weekdays", _("--weekdays: name at least one day."))
    return tuple(days)


def _pick(option: str, wanted: Sequence[str], known: dict[str, int]) -> frozenset[int]:
    ids: set[int] = set()
    for name in wanted:
        if name not in known:
            raise ValidationError(option, _("{option}: the school has no “{name}”. It has: "
                                            "{names}").format(
                option=option, name=name, names=_(", ").join(known) or "-"))
        ids.add(known[name])
    return frozenset(ids)


def participants_of(db: Database, school: School, args: argparse.Namespace) -> Participants:
    from drillplanner.services.classes import list_classes, list_grades

    if args.grades:
        grades = {g.name: g.id for g in list_grades(db, school.id)}
        return Participants(Scope.GRADES, grade_ids=_pick("--grades", names_of(args.grades),
                                                          grades))
    if args.classes:
        classes = {c.full_name: c.id for c in list_classes(db, school.id)}
        return Participants(Scope.CLASSES, class_ids=_pick("--classes",
                                                           names_of(args.classes), classes))
    return Participants()


def recurrence_of(db: Database, school: School, args: argparse.Namespace,
                  start: datetime) -> tuple[Preset, Recurrence]:
    """The preset the options name and the recurrence it builds."""
    from drillplanner.domain.recurrence import Preset, build_recurrence
    from drillplanner.services.calendar import load_calendar

    preset = Preset.CUSTOM if args.rrule else Preset[PRESETS[args.preset or "once"]]
    if preset is Preset.ONCE:
        for option, value in (("--until", args.until), ("--count", args.count),
                              ("--weekdays", args.weekdays)):
            if value is not None:
                raise ValidationError(option, _(
                    "{option} needs a repeating event: add --preset or --rrule.").format(
                        option=option))
    if args.weekdays and preset is not Preset.WEEKLY:
        raise ValidationError("--weekdays", _("--weekdays goes with --preset weekly."))
    until = parse_date(args.until, "--until") if args.until else None
    terms = load_calendar(db, school.id).terms if preset is Preset.ONCE_PER_TERM else ()
    weekdays = weekdays_of(args.weekdays) if args.weekdays else ()
    rule = args.rrule or ""
    if preset is Preset.CUSTOM:
        # The custom rule takes the limits as rule parts; a part given twice is refused by
        # the rule's validation, naming it.
        if until is not None:
            rule += ";UNTIL=" + until.strftime("%Y%m%dT235959")
        if args.count is not None:
            rule += f";COUNT={args.count}"
    recurrence = build_recurrence(preset, start, weekdays=weekdays, until=until,
                                  count=args.count, terms=terms, custom_rule=rule,
                                  school_days_only=args.school_days_only)
    return preset, recurrence


def event_from_args(db: Database, school: School, args: argparse.Namespace) -> Event:
    """The event ``schedule add`` describes (not yet stored)."""
    from drillplanner.services.facilities import list_areas
    from drillplanner.services.schedule import duration_between
    from drillplanner.services.staff import list_staff

    start = parse_datetime(args.start, "--start")
    if args.end:
        duration = duration_between(start, parse_datetime(args.end, "--end"))
    elif args.duration:
        duration = parse_duration(args.duration, "--duration")
    else:
        duration = DEFAULT_DURATION
    _preset, recurrence = recurrence_of(db, school, args, start)
    organizer_id = None
    if args.organizer:
        staff = {s.name: s.id for s in list_staff(db, school.id)}
        organizer_id = next(iter(_pick("--organizer", [args.organizer.strip()], staff)))
    place = args.place.strip()
    area_id = next((a.id for a in list_areas(db, school.id) if place and a.name == place), None)
    return Event(id=0, school_id=school.id, kind=EventKind(args.kind), title=args.title,
                 start=start, duration=duration, recurrence=recurrence,
                 description=args.description, place=place, assembly_area_id=area_id,
                 participants=participants_of(db, school, args), organizer_id=organizer_id,
                 announced=not args.unannounced)
