"""The central-school summary: every school of the database side by side (compliance, drills
held, average and worst time to full accountability against each school's target)."""

from __future__ import annotations

from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from drillplanner.domain.compliance import Status, status_label
from drillplanner.domain.report_data import DistrictData, ReportOptions, SchoolSummary
from drillplanner.i18n import _, ngettext
from drillplanner.reports.formats import DASH, day_text, minutes_seconds, period_text
from drillplanner.reports.page import build_pdf, frame_width, report_language
from drillplanner.reports.styles import (
    BAD_INK,
    GOOD_INK,
    MISSING_FILL,
    Styles,
    grid,
    make_styles,
    para,
)


def district_title() -> str:
    return _("Central-school summary")


def build_district_summary(data: DistrictData, out: BinaryIO,
                           options: ReportOptions | None = None) -> int:
    """Write the summary of every school as PDF; returns the page count."""
    options = options or ReportOptions()
    with report_language(options):
        styles = make_styles()
        width = frame_width(options, wide=True)
        story: list[Flowable] = [
            para(district_title(), styles.title),
            para(_("Drills held {period}; compliance as of {date}.").format(
                period=period_text(data.start, data.end), date=day_text(data.as_of)),
                styles.body),
        ]
        if data.schools:
            story += [_table(data, styles, width), Spacer(1, 2 * mm)]
            story.append(para(_("Times are minutes:seconds from the alarm until every class "
                                "had reported and every missing student was found, over the "
                                "completed drills that got there."), styles.small))
        else:
            story.append(para(_("The database holds no school."), styles.body))
        return build_pdf(out, story, options, school=data.title_name,
                         title=district_title(), wide=True)


def _compliance_text(school: SchoolSummary) -> str:
    """"Missed (1 period)", "Open (2 periods)", "Met"; missed periods first."""
    if school.status is None:
        return _("No school year")
    label = status_label(school.status)
    count = {Status.MISSED: school.missed, Status.OPEN: school.open}.get(school.status, 0)
    if not count:
        return label
    text = ngettext("{status} ({n} period)", "{status} ({n} periods)", count).format(
        status=label, n=count)
    if school.status is Status.MISSED and school.open:
        text = _("{missed}; {n} open").format(missed=text, n=school.open)
    return text


def district_rows(data: DistrictData, styles: Styles) -> list[list[Any]]:
    """The header and one row per school."""
    rows: list[list[Any]] = [[_("School"), _("Profile"), _("Compliance"), _("Classes"),
                              _("Students"), _("Drills held"), _("Met target"), _("Average"),
                              _("Worst"), _("Target")]]
    for school in data.schools:
        name = school.name
        if school.parent_name:
            name = _("{school} (of {parent})").format(school=name, parent=school.parent_name)
        colour = {Status.MET: GOOD_INK, Status.MISSED: BAD_INK}.get(
            school.status or Status.OPEN)
        status_style = styles.cell if colour is None else styles.cell.clone(
            "status", textColor=colour)
        rows.append([
            name, school.profile.name() if school.profile else DASH,
            para(_compliance_text(school), status_style),
            school.classes, school.students, school.drills_held,
            _("{met} of {n}").format(met=school.met_target, n=school.timed_runs),
            minutes_seconds(school.average), minutes_seconds(school.worst),
            minutes_seconds(school.target)])
    return rows


def _table(data: DistrictData, styles: Styles, width: float) -> Any:
    commands: list[tuple[Any, ...]] = []
    for row, school in enumerate(data.schools, start=1):
        if school.status is Status.MISSED:
            commands.append(("BACKGROUND", (0, row), (-1, row), MISSING_FILL))
        if school.worst is not None and school.worst > school.target:
            commands.append(("TEXTCOLOR", (8, row), (8, row), BAD_INK))
        if school.average is not None and school.average > school.target:
            commands.append(("TEXTCOLOR", (7, row), (7, row), BAD_INK))
        if school.parent_name:
            commands.append(("LEFTPADDING", (0, row), (0, row), 12))
    widths = [0.22, 0.2, 0.13, 0.06, 0.07, 0.07, 0.07, 0.06, 0.06, 0.06]
    return grid(district_rows(data, styles), [w * width for w in widths], styles,
                right=range(3, 10), commands=commands)
