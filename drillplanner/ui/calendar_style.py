"""How the calendar looks: one colour per event kind, day shading, status colours, titles.

Colours are chosen to stay apart on a washed-out projector and when printed in grey:
drills are solid warm fills with white (or, for amber, black) text; other kinds are a pale
tint with a strong coloured edge and dark text, so a drill and a training session differ
in grey too. Every colour carries a text label somewhere (chip text, legend, status word).
"""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from typing import Literal

from babel.dates import format_skeleton, get_day_names

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from drillplanner import i18n
from drillplanner.domain.compliance import Status
from drillplanner.domain.events import EventKind, Occurrence, kind_label
from drillplanner.domain.school_calendar import DayKind, SchoolCalendar
from drillplanner.i18n import _

#: The base colour of each kind; drills warm (red, orange, crimson, amber, brown).
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

#: Kinds whose solid fill is light enough to need black text.
_LIGHT_FILLS = frozenset({EventKind.SHELTER})

#: Day backgrounds.
SCHOOL_DAY = QColor("#ffffff")
NO_SCHOOL = QColor("#e8e8e8")  # weekend or outside a term
HOLIDAY = QColor("#cdcdcd")  # holiday or closure: clearly darker than a weekend
MAKEUP = QColor("#fff3c4")  # 调休: a weekend day that is a school day
OTHER_MONTH_TEXT = QColor("#9e9e9e")
TODAY = QColor("#1565c0")
SELECTION = QColor("#1565c0")

STATUS_COLOURS: dict[Status, str] = {
    Status.MET: "#c8e6c9",
    Status.PLANNED: "#bbdefb",
    Status.OPEN: "#ffe0b2",
    Status.MISSED: "#ffcdd2",
}
#: Strong versions for small marks (text on the pale backgrounds stays black).
STATUS_MARKS: dict[Status, str] = {
    Status.MET: "#2e7d32",
    Status.PLANNED: "#1565c0",
    Status.OPEN: "#ef6c00",
    Status.MISSED: "#c62828",
}
WARNING_BACKGROUND = "#fff4e0"
WARNING_EDGE = "#ef6c00"

#: Hours the week view shows (from the first to the second, exclusive).
FIRST_HOUR = 7
LAST_HOUR = 18


def kind_colour(kind: EventKind) -> QColor:
    return QColor(KIND_COLOURS[EventKind(kind)])


def chip_colours(kind: EventKind) -> tuple[QColor, QColor, QColor]:
    """(fill, text, edge) of an occurrence chip or block."""
    base = kind_colour(kind)
    if EventKind(kind).is_drill:
        text = QColor("#000000") if kind in _LIGHT_FILLS else QColor("#ffffff")
        return base, text, base.darker(140)
    light = QColor.fromHsl(base.hslHue(), min(base.hslSaturation(), 160), 228)
    return light, QColor("#1a1a1a"), base


def day_background(calendar: SchoolCalendar, day: date) -> QColor:
    kinds = calendar.kinds_on(day)
    if DayKind.MAKEUP in kinds and calendar.is_school_day(day):
        return MAKEUP
    if DayKind.HOLIDAY in kinds or DayKind.CLOSURE in kinds:
        return HOLIDAY
    return SCHOOL_DAY if calendar.is_school_day(day) else NO_SCHOOL


def day_badges(calendar: SchoolCalendar, day: date) -> list[str]:
    """Short marks for a day: the names of its entries, "make-up", "exam", "sports day"."""
    badges: list[str] = []
    short = {DayKind.MAKEUP: _("make-up"), DayKind.EXAM: _("exam"),
             DayKind.SPORTS_DAY: _("sports day"), DayKind.HOLIDAY: _("holiday"),
             DayKind.CLOSURE: _("closed")}
    for entry in calendar.entries:
        if entry.start <= day <= entry.end:
            text = short[entry.kind]
            if entry.name and entry.kind is not DayKind.MAKEUP:
                text = entry.name
            if text not in badges:
                badges.append(text)
    return badges


def month_title(day: date) -> str:
    """"November 2026" / "2026年11月"."""
    return format_skeleton("yMMMM", day, locale=i18n.babel_locale())


def day_title(day: date) -> str:
    """"Mon, November 9" / "11月9日周一"."""
    return format_skeleton("MMMEd", day, locale=i18n.babel_locale())


def week_title(monday: date) -> str:
    """The week's first and last day, e.g. "November 9, 2026 – November 15, 2026"."""
    sunday = monday + timedelta(days=6)
    return _("{first} – {last}").format(first=i18n.format_date(monday, "medium"),
                                        last=i18n.format_date(sunday, "medium"))


def weekday_names(width: Literal["abbreviated", "narrow", "short", "wide"] = "abbreviated"
                  ) -> list[str]:
    """Monday first."""
    names = get_day_names(width, locale=i18n.babel_locale())
    return [str(names[number]) for number in range(7)]


def time_text(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def occurrence_text(start: datetime, title: str, moved: bool) -> str:
    """A chip's text: "10:00 Fire drill", with an arrow when moved from its usual time."""
    mark = "→ " if moved else ""
    return f"{mark}{time_text(start)} {title}"


def occurrence_tooltip(occurrence: Occurrence) -> str:
    """Everything a chip cannot show: kind, title, day and times, place, marks."""
    lines = [_("{kind}: {title}").format(kind=kind_label(occurrence.kind),
                                         title=occurrence.title),
             _("{day}, {start}–{end}").format(day=i18n.format_date(occurrence.day),
                                              start=time_text(occurrence.start),
                                              end=time_text(occurrence.end))]
    if occurrence.place:
        lines.append(_("Place: {place}").format(place=occurrence.place))
    if occurrence.moved:
        lines.append(_("Moved from {when}.").format(
            when=occurrence.original_start.strftime("%Y-%m-%d %H:%M")))
    if not occurrence.announced:
        lines.append(_("Unannounced"))
    return "\n".join(lines)


def legend_html() -> str:
    """The kinds and day shadings as one line of coloured squares with names."""
    def item(colour: str, text: str) -> str:
        # One entry never breaks inside: no-break spaces, and a no-break hyphen in "make-up".
        words = html.escape(text).replace(" ", "&nbsp;").replace("-", "\u2011")
        return f"<span style='color:{colour}; font-size:large'>■</span>&nbsp;{words}"

    parts = [item(KIND_COLOURS[kind], kind_label(kind)) for kind in EventKind]
    parts += [item(colour.darker(125).name(), text) for colour, text in (
        (HOLIDAY, _("holiday or closure")), (NO_SCHOOL, _("no school")),
        (MAKEUP, _("make-up school day")))]
    return " &nbsp; ".join(parts)


def make_legend(parent: QWidget | None = None) -> QLabel:
    legend = QLabel(legend_html(), parent)
    legend.setTextFormat(Qt.TextFormat.RichText)
    legend.setWordWrap(True)
    legend.setAccessibleName(_("Legend"))
    return legend
