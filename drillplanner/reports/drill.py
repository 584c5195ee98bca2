"""The report of one drill run, for the person who conducted it and the principal to sign.

Sections: the drill record (IFC 405.5 fields; a blank notification method is a line to
fill in), what was still open at the all clear, accountability against the target, one
headcount table per grade (totals row last, missing and injured rows highlighted, the
reporter and the verifier of each class), the school totals by grade, missing students and
where they were found, floors cleared, problems, corrective actions, corrections after the
all clear, and signature lines, or who signed it off and amendments after that.

Where the record stands decides what is printed (reports/drill_record.py): a drill in
progress is a DRAFT on every page with no signature lines; a cancelled drill is marked so
on every page, with its reason and no headcount tables.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from drillplanner.domain.drill_runs import (
    Notification,
    RecordStage,
    notification_label,
    run_status_label,
)
from drillplanner.domain.events import kind_label
from drillplanner.domain.headcount import ClassStatus, GradeRollup, ReportState, Stage, Totals
from drillplanner.domain.report_data import DrillReportData, ReportOptions
from drillplanner.i18n import _, ngettext
from drillplanner.reports import drill_record
from drillplanner.reports.drill_record import heading as _heading
from drillplanner.reports.formats import (
    DASH,
    after_alarm,
    clock_time,
    day_and_time,
    day_text,
    minutes_seconds,
    yes_no,
)
from drillplanner.reports.page import build_pdf, frame_width, report_language
from drillplanner.reports.styles import (
    BAD_INK,
    GOOD_INK,
    INJURED_FILL,
    MISSING_FILL,
    MUTED,
    TOTAL_FILL,
    FillIn,
    Styles,
    grid,
    make_styles,
    para,
    text_width,
)

NARROW_HEADER = 7  # font size of the count headings of the class tables


def drill_report_title() -> str:
    return _("Drill report")


def build_drill_report(data: DrillReportData, out: BinaryIO,
                       options: ReportOptions | None = None) -> int:
    """Write the report of one drill run as PDF to ``out``; returns the page count."""
    options = options or ReportOptions()
    with report_language(options):
        styles = make_styles()
        width = frame_width(options)
        story: list[Flowable] = [
            para(drill_report_title(), styles.title),
            para(_("{title} ({kind})").format(title=data.run.title,
                                            kind=kind_label(data.run.kind)), styles.body),
            Spacer(1, 2 * mm),
            _record(data, styles, width),
        ]
        if data.run.stage is RecordStage.CANCELLED:
            story += drill_record.not_held(data, styles, width)
        else:
            story += [
                *drill_record.open_items(data, styles, width),
                *_accountability(data, styles),
                *_headcounts(data, styles, width),
                *_school_totals(data, styles, width),
                *_missing(data, styles, width),
                *_posts(data, styles, width),
            ]
        story += [
            *_problems(data, styles),
            *_actions(data, styles, width),
            *drill_record.corrections(data, styles, width),
            *drill_record.sign_off(data, styles, width),
            *drill_record.amendments(data, styles, width),
        ]
        return build_pdf(out, story, options, school=data.school_name,
                         title=drill_report_title(), mark=drill_record.page_mark(data))


def _record(data: DrillReportData, styles: Styles, width: float) -> Table:
    run, details = data.run, data.run.details
    status = run_status_label(run.status)
    if run.signed:
        status = _("{status}, signed off").format(status=status)
    if run.status_reason:
        status = _("{status}: {reason}").format(status=status, reason=run.status_reason)
    held = run.stage is not RecordStage.CANCELLED

    def written(value: str, hint: str) -> object:
        """A recorded value; a line to fill in when nobody recorded it (a dash when the
        drill was not held)."""
        if value or not held:
            return value or DASH
        return FillIn(hint, styles.font)

    pairs: list[tuple[str, object]] = [
        (_("Kind of drill"), kind_label(run.kind)), (_("Status"), status),
        (_("Date"), day_text(run.day)), (_("Announced in advance"), yes_no(run.announced)),
        (_("Alarm"), clock_time(run.alarm_at)), (_("All clear"), clock_time(run.all_clear_at)),
        (_("Duration"), minutes_seconds(run.duration)),
        (_("Notification"), written(notification_label(details.notification), _(
            "not recorded – write in: {methods}").format(methods=_(", ").join(
                notification_label(method) for method in Notification)))),
        (_("Conducted by"), written(details.conducted_by, _("not recorded – write in"))),
        (_("Weather"), written(details.weather, _("not recorded – write in"))),
    ]
    if run.occurrence_start is not None:
        pairs.append((_("Scheduled for"), day_and_time(run.occurrence_start)))
    long_fields = [(_("Staff on duty"), details.staff_on_duty),
                   (_("Observers"), details.observers),
                   (_("Conditions simulated"), details.conditions), (_("Notes"), details.notes)]
    label_w = width * 0.17
    value_w = width / 2 - label_w
    rows: list[list[Any]] = []
    for i in range(0, len(pairs), 2):
        row: list[Any] = []
        for label, value in pairs[i:i + 2]:
            row += [label, value]
        rows.append(row + [""] * (4 - len(row)))
    spans = []
    for label, value in long_fields:
        if value.strip():
            spans.append(("SPAN", (1, len(rows)), (3, len(rows))))
            rows.append([label, value, "", ""])
    shading = [("BACKGROUND", (0, 0), (0, -1), TOTAL_FILL),
               ("BACKGROUND", (2, 0), (2, len(pairs) // 2 - 1), TOTAL_FILL)]
    return grid(rows, [label_w, value_w, label_w, value_w], styles, header_rows=0,
                commands=[*shading, *spans])


def _accountability(data: DrillReportData, styles: Styles) -> list[Flowable]:
    rollup = data.rollup
    totals = rollup.totals
    lines = [_("Classes reported: {reported} of {classes}").format(
        reported=totals.reported, classes=totals.classes)]
    accounted = _("Accounted for: {accounted} of {expected} expected (present {present}, "
                  "found later {found}); still missing {missing}.").format(
        accounted=totals.accounted, expected=totals.expected, present=totals.present,
        found=totals.found, missing=totals.still_missing)
    target = minutes_seconds(rollup.target)
    if rollup.time_to_accountability is None and drill_record.is_draft(data):
        lines.append(_("Full accountability not reached yet (target {target}).").format(
            target=target))
        colour = BAD_INK
    elif rollup.time_to_accountability is None:
        lines.append(_("Full accountability was not reached (target {target}).").format(
            target=target))
        colour = BAD_INK
    else:
        met = rollup.met_target
        lines.append(_("Time to full accountability: {time} (target {target}) – {verdict}"
                       ).format(time=minutes_seconds(rollup.time_to_accountability),
                                target=target,
                                verdict=_("target met") if met else _("target not met")))
        colour = GOOD_INK if met else BAD_INK
    lines.append(accounted)
    flowables: list[Flowable] = _heading(_("Accountability"), styles)
    for number, line in enumerate(lines):
        style = styles.body
        if number == 1:
            style = styles.body.clone("verdict", textColor=colour, fontSize=10.5, leading=14)
        flowables.append(para(line, style))
    return flowables


def _numbers(f: Totals | ClassStatus) -> list[object]:
    """On roll, absent, expected, present, found later, still missing, injured: on roll =
    absent + expected and expected = present + found + still missing (a class that has
    not reported shows only its roll)."""
    if isinstance(f, Totals):
        return [f.enrolled, f.absent, f.expected, f.present, f.found, f.still_missing,
                f.injured]
    if f.figures is None:
        return [f.info.enrolled, DASH, DASH, DASH, DASH, DASH, DASH]
    g = f.figures
    return [g.enrolled, g.absent, g.expected, g.present, f.found, f.still_missing, g.injured]


def _count_titles() -> list[str]:
    return [_("On roll"), _("Absent"), _("Expected"), _("Present"), _("Found later"),
            _("Still missing"), _("Injured")]


def _class_note(status: ClassStatus, data: DrillReportData) -> str:
    parts = []
    figures = status.figures
    if figures is not None:
        if figures.missing:
            missing = ngettext("{n} reported missing", "{n} reported missing",
                               figures.missing).format(n=figures.missing)
            if figures.missing_names:
                missing += _(" ({names})").format(names=_(", ").join(figures.missing_names))
            parts.append(missing)
        if figures.absent_names:
            parts.append(_("Absent: {names}").format(names=_(", ").join(figures.absent_names)))
        if figures.with_us:
            parts.append(ngettext("{n} student of another class with us",
                                  "{n} students of other classes with us",
                                  figures.with_us).format(n=figures.with_us))
        if figures.note:
            parts.append(figures.note)
    if status.correction is not None:
        parts.append(_("amended after sign-off") if status.correction.stage is Stage.AMENDMENT
                     else _("corrected after the all clear"))
    elif status.corrections:
        parts.append(ngettext("corrected once", "corrected {n} times",
                              status.corrections).format(n=status.corrections))
    return _("; ").join(parts)


def _reporter(status: ClassStatus) -> str:
    if status.state is ReportState.NOT_REPORTED:
        return _("Not reported")
    return status.reported_by or DASH


def _verifier(status: ClassStatus) -> str:
    """Who checked the class's report (the reporter stays in the column before)."""
    return (status.verified_by or DASH) if status.state is ReportState.VERIFIED else DASH


def _grade_table(grade: GradeRollup, data: DrillReportData, styles: Styles,
                 width: float) -> Table:
    alarm = data.run.alarm_at
    header = [_("Class"), *_count_titles(), _("After alarm"), _("Reported by"),
              _("Verified by"), _("Notes")]
    caption = ngettext("{grade}: {n} class", "{grade}: {n} classes", len(grade.classes)).format(
        grade=grade.grade_name, n=len(grade.classes))
    rows: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = []
    for status in grade.classes:
        row_number = len(rows) + 1  # after the caption
        rows.append([status.info.name, *_numbers(status), after_alarm(status.reported_at, alarm),
                     _reporter(status), _verifier(status), _class_note(status, data)])
        figures = status.figures
        if figures is not None and figures.missing:
            commands.append(("BACKGROUND", (0, row_number), (-1, row_number), MISSING_FILL))
        elif figures is not None and figures.injured:
            commands.append(("BACKGROUND", (0, row_number), (-1, row_number), INJURED_FILL))
        elif figures is None:
            commands.append(("TEXTCOLOR", (0, row_number), (-1, row_number), MUTED))
    rows.append([_("Total {grade}").format(grade=grade.grade_name), *_numbers(grade.totals),
                 "", "", "", ""])
    commands += [("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                 ("NOSPLIT", (0, -2), (-1, -1))]
    # Count headings in a smaller size, each column as wide as the longest word of its
    # heading (headings wrap between words) and the figures; names and notes wrap.
    words = [word for title in _count_titles() for word in title.split()]
    number_w = max(width * 0.05, text_width(words, styles.font, NARROW_HEADER, 6),
                   text_width(["0000"], styles.font))
    after_w = max(text_width(_("After alarm").split(), styles.font, NARROW_HEADER, 6),
                  text_width(["00:00"], styles.font))
    widths = [width * 0.1, *[number_w] * 7, after_w, width * 0.08, width * 0.08]
    widths.append(width - sum(widths))
    small = styles.header_right.clone("narrow_header", fontSize=NARROW_HEADER,
                                      leading=NARROW_HEADER + 1.5)
    rows[0] = [header[0], *[para(t, small) for t in header[1:9]], *header[9:]]
    return grid(rows, widths, styles, caption=caption, right=range(1, 9), commands=commands)


def _headcounts(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    flowables: list[Flowable] = _heading(_("Headcounts by class"), styles)
    flowables.append(para(_("The After alarm column is when the class reported, in "
                            "minutes:seconds after the alarm. Expected = present + found "
                            "later + still missing. Rows of classes that reported missing "
                            "students are red, rows with injured students orange."),
                          styles.small))
    for grade in data.rollup.grades:
        flowables += [Spacer(1, 2 * mm), _grade_table(grade, data, styles, width)]
    if not data.rollup.grades:
        flowables.append(para(_("No class takes part in this drill."), styles.body))
    return flowables


def _school_totals(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    """Each grade and the school: on roll = absent + present + found later + still missing
    + the roll of classes that have not reported."""
    header = [_("Grade"), _("Classes reported"), *_count_titles(), _("Not reported")]
    rows: list[list[Any]] = [header]

    def line(name: str, t: Totals) -> list[Any]:
        return [name, f"{t.reported}/{t.classes}", *_numbers(t), t.unreported]

    rows += [line(g.grade_name, g.totals) for g in data.rollup.grades]
    rows.append(line(_("School total"), data.rollup.totals))
    first_w = width * 0.16
    widths = [first_w] + [(width - first_w) / 9] * 9
    table = grid(rows, widths, styles, right=range(1, 10),
                 commands=[("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                           ("NOSPLIT", (0, -2), (-1, -1))])
    return [*_heading(_("Grade and school totals"), styles),
            para(_("On roll = absent + present + found later + still missing + the roll of "
                   "classes that have not reported."), styles.small), table]


def _missing(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    alerts = data.rollup.alerts
    if not alerts:
        return []
    alarm = data.run.alarm_at
    rows: list[list[Any]] = [[_("Class"), _("Missing"), _("Names"), _("Found where"),
                              _("Found after alarm"), _("Found by")]]
    for alert in alerts:
        found = alert.found or ()
        rows.append([
            alert.class_name, alert.missing, _(", ").join(alert.names) or DASH,
            _("; ").join(r.found_where for r in found) or _("Not found yet"),
            _(", ").join(after_alarm(r.found_at, alarm) for r in found) or DASH,
            _("; ").join(r.found_by for r in found if r.found_by) or DASH])
    widths = [0.16, 0.08, 0.22, 0.24, 0.13, 0.17]
    return [*_heading(_("Missing students"), styles),
            grid(rows, [w * width for w in widths], styles, right=(1,))]


def _posts(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    flowables = _heading(_("Floors cleared"), styles)
    if not data.posts:
        return [*flowables, para(_("No floor or stairwell posts were recorded."), styles.body)]
    alarm = data.run.alarm_at
    rows: list[list[Any]] = [[_("Post"), _("Staff"), _("Cleared after alarm"), _("Cleared at"),
                              _("Confirmed by")]]
    for post in data.posts:
        rows.append([post.post, post.staff_name or DASH, after_alarm(post.cleared_at, alarm),
                     clock_time(post.cleared_at) if post.cleared_at else _("Not confirmed"),
                     post.cleared_by or DASH])
    widths = [0.3, 0.2, 0.16, 0.14, 0.2]
    return [*flowables, grid(rows, [w * width for w in widths], styles)]


def _problems(data: DrillReportData, styles: Styles) -> list[Flowable]:
    text = data.run.details.problems.strip()
    return [*_heading(_("Problems encountered"), styles),
            para(text or _("None recorded."), styles.body)]


def _actions(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    flowables = _heading(_("Corrective actions"), styles)
    if not data.actions:
        return [*flowables, para(_("None recorded."), styles.body)]
    rows: list[list[Any]] = [["#", _("Action"), _("Responsible"), _("Due"), _("Done")]]
    for number, action in enumerate(data.actions, start=1):
        rows.append([str(number), action.description, action.owner or DASH,
                     day_text(action.due), yes_no(action.done)])
    widths = [0.05, 0.5, 0.18, 0.17, 0.1]
    return [*flowables, grid(rows, [w * width for w in widths], styles)]
