"""The schedule: a month-grid calendar (one landscape page a month, weeks from Monday) and an
agenda of the drills and events of the period.

Days without school are shaded (weekends and days outside a term lightly, holidays and
closures darker, with their names); make-up school days are tinted like the calendar page
of the app. A day with more entries than its cell holds ends with "+N more"; the agenda
lists them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from babel.dates import format_skeleton, get_day_names
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from drillplanner import i18n
from drillplanner.domain.events import EventKind, Occurrence, Scope, kind_label
from drillplanner.domain.report_data import ReportOptions, ScheduleReportData
from drillplanner.domain.school_calendar import DayKind, SchoolCalendar, day_kind_label
from drillplanner.i18n import _, ngettext
from drillplanner.reports.formats import DASH, clock_time, period_text, short_day
from drillplanner.reports.page import build_pdf, frame_height, frame_width, report_language
from drillplanner.reports.styles import (
    HEADER_FILL,
    HEADER_INK,
    MUTED,
    RULE,
    Styles,
    grid,
    make_styles,
    para,
)

# The colours of the app's calendar page (ui/calendar_style.py), so paper and screen agree.
KIND_COLOURS: dict[EventKind, str] = {
    EventKind.FIRE: "#c62828",
    EventKind.EARTHQUAKE: "#b34700",
    EventKind.LOCKDOWN: "#ad1457",
    EventKind.SHELTER: "#f9a825",
    EventKind.DRILL_OTHER: "#6d4c41",
    EventKind.TRAINING: "#1565c0",
    EventKind.SPORTS: "#2e7d32",
    EventKind.OTHER: "#546e7a",
}
NO_SCHOOL = colors.HexColor("#e8e8e8")
HOLIDAY = colors.HexColor("#cdcdcd")
MAKEUP = colors.HexColor("#fff3c4")
OTHER_MONTH = colors.HexColor("#f7f7f7")
TITLE_ROOM = 22 * mm  # the month's title and the legend above the grid
WEEKDAY_ROW = 14
CELL_PADDING = 2


def schedule_title() -> str:
    return _("Schedule")


def build_schedule_report(data: ScheduleReportData, out: BinaryIO,
                          options: ReportOptions | None = None) -> int:
    """Write month grids and the agenda of ``data``'s period as PDF; returns the page count."""
    options = options or ReportOptions()
    with report_language(options):
        styles = make_styles()
        width = frame_width(options, wide=True)
        height = frame_height(options, wide=True)
        by_day: dict[date, list[Occurrence]] = defaultdict(list)
        for occurrence in data.occurrences:
            by_day[occurrence.day].append(occurrence)
        story: list[Flowable] = []
        legend = _legend(data, styles)
        for first in _months(data.start, data.end):
            story += [para(_("{title}: {month}").format(title=schedule_title(),
                                                        month=month_name(first)), styles.title),
                      legend,
                      _month_grid(first, data, by_day, styles, width, height - TITLE_ROOM),
                      PageBreak()]
        story += _agenda(data, styles, width)
        return build_pdf(out, story, options, school=data.school_name, title=schedule_title(),
                         wide=True)


def _legend(data: ScheduleReportData, styles: Styles) -> Table:
    """One row: a swatch and a name for each kind of the period and each day shading."""
    items = [(colors.HexColor(KIND_COLOURS[kind]), kind_label(kind)) for kind in EventKind
             if any(o.kind is kind for o in data.occurrences)]
    items += [(HOLIDAY, _("holiday or closure")), (NO_SCHOOL, _("no school")),
              (MAKEUP, _("make-up school day"))]
    cells: list[object] = []
    widths: list[float] = []
    commands: list[tuple[Any, ...]] = [("FONT", (0, 0), (-1, -1), styles.font, 7),
                                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                       ("TOPPADDING", (0, 0), (-1, -1), 0),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    for colour, text in items:
        column = len(cells)
        commands += [("BACKGROUND", (column, 0), (column, 0), colour),
                     ("BOX", (column, 0), (column, 0), 0.3, RULE)]
        cells += ["", text]
        widths += [8, stringWidth(text, styles.font, 7) + 12]
    table = Table([cells], colWidths=widths, rowHeights=[8], hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    table.spaceAfter = 4
    return table


def month_name(first: date) -> str:
    """"November 2026", "2026年11月"."""
    return format_skeleton("yMMMM", first, locale=i18n.babel_locale())


def _months(start: date, end: date) -> list[date]:
    months = []
    first = start.replace(day=1)
    while first <= end:
        months.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return months


def _weeks(first: date) -> list[list[date]]:
    monday = first - timedelta(days=first.weekday())
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    weeks = []
    while monday <= last:
        weeks.append([monday + timedelta(days=i) for i in range(7)])
        monday += timedelta(days=7)
    return weeks


def day_fill(day: date, calendar: SchoolCalendar) -> colors.Color | None:
    kinds = calendar.kinds_on(day)
    if DayKind.MAKEUP in kinds and calendar.is_school_day(day):
        return MAKEUP
    if DayKind.HOLIDAY in kinds or DayKind.CLOSURE in kinds:
        return HOLIDAY
    if not calendar.is_school_day(day):
        return NO_SCHOOL
    return None


def _day_names(day: date, calendar: SchoolCalendar) -> list[str]:
    names = []
    for entry in calendar.entries:
        if entry.start <= day <= entry.end:
            names.append(entry.name or day_kind_label(entry.kind))
    return names


def entry_text(occurrence: Occurrence) -> str:
    """"■ 10:00 Fire drill title" with the kind's colour on the square (markup)."""
    colour = KIND_COLOURS[occurrence.kind]
    time_text = clock_time(occurrence.start, seconds=False)
    title = escape(occurrence.title)
    return f'<font color="{colour}">■</font> {time_text} {title}'


def _cell(day: date, first: date, data: ScheduleReportData,
          occurrences: Sequence[Occurrence], styles: Styles, width: float,
          height: float) -> list[Flowable]:
    in_month = day.month == first.month
    in_period = data.start <= day <= data.end
    number_style = styles.day if in_month else styles.small
    items: list[Flowable] = [Paragraph(str(day.day), number_style)]
    if not in_month:
        return items
    small = styles.small.clone("entry", fontSize=7, leading=8.4, textColor=colors.black)
    lines = [para(name, styles.small) for name in _day_names(day, data.calendar)]
    if in_period:
        lines += [Paragraph(entry_text(o), small) for o in occurrences]
    room = height - 2 * CELL_PADDING - items[0].wrap(width, height)[1]
    for index, line in enumerate(lines):
        needed = line.wrap(width, height)[1]
        # Keep a line for "+N more" unless this is the last entry.
        rest = len(lines) - index - 1
        reserve = small.leading if rest else 0
        if needed + reserve > room:
            hidden = len(lines) - index
            items.append(para(_("+{n} more").format(n=hidden),
                              styles.small))
            break
        items.append(line)
        room -= needed
    return items


def _month_grid(first: date, data: ScheduleReportData, by_day: dict[date, list[Occurrence]],
                styles: Styles, width: float, height: float) -> Table:
    names = get_day_names("abbreviated", locale=i18n.babel_locale())
    weeks = _weeks(first)
    column = width / 7
    row_height = (height - WEEKDAY_ROW) / len(weeks)
    inner = column - 2 * CELL_PADDING
    rows: list[list[Any]] = [[para(names[i], styles.header) for i in range(7)]]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), styles.font, 8),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("TEXTCOLOR", (0, 0), (-1, 0), HEADER_INK),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    for week in weeks:
        row_number = len(rows)
        row = []
        for column_number, day in enumerate(week):
            row.append(_cell(day, first, data, by_day.get(day, ()), styles, inner,
                             row_height))
            fill = (OTHER_MONTH if day.month != first.month
                    else day_fill(day, data.calendar))
            if fill is not None:
                commands.append(("BACKGROUND", (column_number, row_number),
                                 (column_number, row_number), fill))
        rows.append(row)
    table = Table(rows, colWidths=[column] * 7,
                  rowHeights=[WEEKDAY_ROW] + [row_height] * len(weeks))
    table.setStyle(TableStyle(commands))
    return table


def _participants(occurrence: Occurrence) -> str:
    people = occurrence.participants
    if people.scope is Scope.GRADES:
        return ngettext("{n} grade", "{n} grades", len(people.grade_ids)).format(
            n=len(people.grade_ids))
    if people.scope is Scope.CLASSES:
        return ngettext("{n} class", "{n} classes", len(people.class_ids)).format(
            n=len(people.class_ids))
    return _("Whole school")


def agenda_rows(data: ScheduleReportData, styles: Styles) -> list[list[Any]]:
    """The agenda's header and one row per occurrence."""
    names = get_day_names("abbreviated", locale=i18n.babel_locale())
    rows: list[list[Any]] = [[_("Date"), _("Day"), _("Time"), _("Kind"), _("Title"),
                              _("Place"), _("Who"), _("Notes")]]
    for o in data.occurrences:
        notes = []
        if o.moved:
            notes.append(_("moved"))
        if o.kind.is_drill and not o.announced:
            notes.append(_("unannounced"))
        if not data.calendar.is_school_day(o.day):
            notes.append(_("no school"))
        rows.append([short_day(o.day), names[o.day.weekday()],
                     _("{start}–{end}").format(start=clock_time(o.start, False),
                                              end=clock_time(o.end, False)),
                     Paragraph(f'<font color="{KIND_COLOURS[o.kind]}">■</font> '
                               f"{escape(kind_label(o.kind))}", styles.cell),
                     o.title, o.place or DASH, _participants(o), _(", ").join(notes)])
    return rows


def _agenda(data: ScheduleReportData, styles: Styles, width: float) -> list[Flowable]:
    flowables: list[Flowable] = [
        para(_("Agenda"), styles.title),
        para(period_text(data.start, data.end), styles.body)]
    if not data.occurrences:
        return [*flowables, para(_("Nothing is scheduled in this period."), styles.body)]
    widths = [0.09, 0.05, 0.09, 0.13, 0.26, 0.14, 0.1, 0.14]
    return [*flowables, grid(agenda_rows(data, styles), [w * width for w in widths], styles,
                             commands=[("TEXTCOLOR", (1, 1), (1, -1), MUTED)])]
