"""Reading an .ics file into icalendar components, with the line each property is on.

The icalendar library parses leniently (a bad value becomes a "broken" property listed in
the component's ``errors``) and keeps no line numbers, so the text is scanned once more
here: each VEVENT block with the (unfolded) lines of its properties, matched to the parsed
components by order. Problems then name the line a user can open in an editor.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any

import icalendar

from drillplanner.domain.excerpts import excerpt
from drillplanner.i18n import _
from drillplanner.io.ical_model import IcsError, IcsProblem

log = logging.getLogger("drillplanner.io.ical")
# name *(";" param) ":" value — RFC 5545 section 3.1 (names are letters, digits and "-").
_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+[;:]")
_ENCODINGS = ("utf-8-sig", "gb18030")
MAX_LISTED_PROBLEMS = 50
# Properties a VEVENT has at most once (RFC 5545 section 3.6.1) that the imports read as
# one value; a second one would be silently dropped or, for times, not read at all.
SINGLE_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID")


@dataclass(slots=True)
class Block:
    """One BEGIN..END component of the file: where it starts and where its properties are."""

    name: str
    line: int
    props: dict[str, list[int]] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)

    def line_of(self, prop: str, index: int = 0) -> int:
        """The line of the ``index``-th ``prop`` property, or of BEGIN when it is absent."""
        lines = self.props.get(prop.upper(), [])
        return lines[min(index, len(lines) - 1)] if lines else self.line


@dataclass(slots=True)
class Parsed:
    """A parsed file: its VEVENTs, each with its block, and the file's name for messages."""

    source: str
    calendar: icalendar.Calendar
    events: list[tuple[icalendar.Component, Block]]

    def problem(self, block: Block | None, prop: str, message: str,
                index: int = 0) -> IcsProblem:
        line = None if block is None else block.line_of(prop, index) if prop else block.line
        return IcsProblem(message, self.source, line, prop)


def decode(data: bytes, source: str) -> str:
    """The file's text: UTF-8 (with or without BOM) as RFC 5545 says, else GB18030."""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IcsError([IcsProblem(_("The file is neither UTF-8 nor GB18030 text."), source)])


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded lines (a line starting with a space or tab continues the one before), each
    with the number of the physical line it starts on."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and lines:
            start, previous = lines[-1]
            lines[-1] = (start, previous + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


def scan(text: str, source: str) -> tuple[list[Block], list[IcsProblem]]:
    """The VEVENT blocks of ``text`` and problems with its structure (lines that are not
    content lines, BEGIN/END that do not pair up)."""
    problems: list[IcsProblem] = []
    lines = _logical_lines(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        first = lines[0][0] if lines else None
        return [], [IcsProblem(_("This is not an iCalendar file: it does not begin with "
                                 "BEGIN:VCALENDAR."), source, first)]
    stack: list[Block] = []
    events: list[Block] = []
    for number, line in lines:
        if not _CONTENT_LINE.match(line):
            problems.append(IcsProblem(_("This line is not an iCalendar property: “{text}”."
                                         ).format(text=excerpt(line)), source, number))
            continue
        name, _sep, value = line.partition(":")
        name = name.split(";")[0].upper()
        if name == "BEGIN":
            stack.append(Block(value.strip().upper(), number))
        elif name == "END":
            ended = value.strip().upper()
            if not stack or stack[-1].name != ended:
                # Component names are the file's text: quoted as excerpts.
                message = (_("END:{name} does not close BEGIN:{open}.").format(
                    name=excerpt(ended), open=excerpt(stack[-1].name)) if stack else
                    _("END:{name} has no BEGIN:{name} before it.").format(name=excerpt(ended)))
                problems.append(IcsProblem(message, source, number))
                continue
            block = stack.pop()
            if block.name == "VEVENT":
                events.append(block)
        elif stack:
            stack[-1].props.setdefault(name, []).append(number)
            stack[-1].values.setdefault(name, []).append(value)
    for block in stack:
        problems.append(IcsProblem(_("BEGIN:{name} is never closed by END:{name}.").format(
            name=excerpt(block.name)), source, block.line))
    return events, problems


def read_ics(data: bytes, source: str) -> Parsed:
    """Parse ``data``; raises IcsError when the file is not a readable iCalendar file or a
    VEVENT holds a value that does not parse (each problem names its line)."""
    text = decode(data, source)
    blocks, problems = scan(text, source)
    if problems:
        raise IcsError(problems[:MAX_LISTED_PROBLEMS])
    try:
        components = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as error:  # the library fails in many ways on text it does not expect
        # ValueError is its word for a bad file; others (AttributeError on a VTIMEZONE
        # with two TZIDs) are its own slips on text it did not expect: the file is still
        # what cannot be read.
        if not isinstance(error, ValueError):
            log.info("%s: icalendar failed on the file", source, exc_info=True)
        raise IcsError([IcsProblem(_("The file cannot be read as iCalendar: {reason}"
                                     ).format(reason=excerpt(error, 200)), source)]
                       ) from None
    calendars = [c for c in components if c.name == "VCALENDAR"]
    if len(calendars) != 1:
        raise IcsError([IcsProblem(_("The file must hold exactly one VCALENDAR."), source)])
    calendar = calendars[0]
    vevents = list(calendar.walk("VEVENT"))
    if len(vevents) == len(blocks):
        pairs = list(zip(vevents, blocks, strict=True))
    else:  # cannot happen for text the scan accepted; keep going without line numbers
        pairs = [(event, Block("VEVENT", 0)) for event in vevents]
    parsed = Parsed(source, calendar, pairs)
    for event, block in pairs:
        for single in SINGLE_PROPERTIES:
            if len(block.props.get(single, ())) > 1:
                problems.append(parsed.problem(block, single, _(
                    "{prop} appears more than once in this event.").format(prop=single), 1))
        seen: dict[str, int] = {}
        for prop, reason in event.errors:
            name = (prop or "").upper()
            index = seen.get(name, 0)
            seen[name] = index + 1
            problems.append(parsed.problem(block, name, _("Invalid value: {reason}").format(
                reason=excerpt(reason, 200)), index))
    if problems:
        raise IcsError(problems[:MAX_LISTED_PROBLEMS])
    return parsed


def to_local(value: date | datetime, zone: tzinfo) -> datetime:
    """A DATE, floating DATE-TIME or zoned DATE-TIME as a naive time in ``zone``.

    A DATE is its midnight; a floating time is taken as already local to the school.
    """
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min)
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        # Within hours of year 1 or 9999: outside every school's years, refused as such.
        return value.replace(tzinfo=None)


def zone_problem(parsed: Parsed, block: Block, prop: str, params: object, moment: object,
                 index: int = 0) -> IcsProblem | None:
    """A problem when a time names a TZID that neither the file nor the system knows
    (icalendar then reads the time as floating, which would silently shift it)."""
    tzid = params.get("TZID") if isinstance(params, dict) else None
    if tzid and isinstance(moment, datetime) and moment.tzinfo is None:
        return parsed.problem(block, prop, _("Unknown time zone “{tzid}”.").format(
            tzid=excerpt(tzid)), index)
    return None


def text_of(component: icalendar.Component, prop: str) -> str:
    """A TEXT property's value ("" when absent), stripped."""
    value = component.get(prop)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).strip()


def texts_of(component: icalendar.Component, prop: str) -> tuple[str, ...]:
    """Every value of a TEXT property that may appear on several lines."""
    values = component.get(prop)
    items = values if isinstance(values, list) else [values] if values is not None else []
    return tuple(text for text in (str(item).strip() for item in items) if text)


def categories_of(component: icalendar.Component) -> list[str]:
    """Every CATEGORIES value of the component, over all its CATEGORIES lines."""
    found: list[str] = []
    values = component.get("CATEGORIES")
    for item in values if isinstance(values, list) else [values] if values else []:
        found.extend(str(category).strip() for category in getattr(item, "cats", []))
    return [c for c in found if c]


def date_lists(component: icalendar.Component, prop: str) -> list[tuple[int, object]]:
    """The RDATE or EXDATE lines of the component: (index of the line, its value)."""
    values = component.get(prop)
    if values is None:
        return []
    return list(enumerate(values if isinstance(values, list) else [values]))


def dt_of(component: icalendar.Component, prop: str) -> Any:
    """The parsed value (date, datetime, timedelta…) of a property, or None when absent."""
    value = component.get(prop)
    return None if value is None else getattr(value, "dt", None)
