"""The term or year summary of one school: compliance by period against its profile, the
drills held, a chart of times to full accountability, the slowest classes, open actions.

A period with many drills (a school with a daily drill over several years) lists its drills
by month instead of one by one, and charts monthly averages and worst times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from drillplanner.domain.compliance import PeriodKind, Status, status_label
from drillplanner.domain.compliance_periods import (
    before_label,
    first_days_label,
    month_label,
    quarter_label,
)
from drillplanner.domain.drill_runs import RunStatus, run_status_label
from drillplanner.domain.events import EventKind, kind_label
from drillplanner.domain.report_data import (
    ComplianceLine,
    ReportOptions,
    RunSummary,
    TermSummaryData,
)
from drillplanner.i18n import _, ngettext
from drillplanner.reports.charts import Series, time_chart
from drillplanner.reports.formats import (
    DASH,
    clock_time,
    day_text,
    minutes_seconds,
    period_text,
    short_day,
)
from drillplanner.reports.page import build_pdf, frame_width, report_language
from drillplanner.reports.styles import (
    BAD_INK,
    GOOD_INK,
    MISSING_FILL,
    TOTAL_FILL,
    Styles,
    grid,
    make_styles,
    para,
)

SECTION_ROOM = 40 * mm
DETAIL_LIMIT = 150  # more drills than this are listed by month
CHART_POINTS = 120  # more timed drills than this are charted by month
MARKER_LIMIT = 40  # up to this many drills get a dot each; more read well as a line
STATUS_FILL = {Status.MET: None, Status.PLANNED: None, Status.OPEN: TOTAL_FILL,
               Status.MISSED: MISSING_FILL}


def term_summary_title() -> str:
    return _("Drill summary")


def build_term_summary(data: TermSummaryData, out: BinaryIO,
                       options: ReportOptions | None = None) -> int:
    """Write the summary of a school's drills over a period as PDF; returns the page count."""
    options = options or ReportOptions()
    with report_language(options):
        styles = make_styles()
        width = frame_width(options)
        story: list[Flowable] = [
            para(term_summary_title(), styles.title),
            para(period_text(data.start, data.end), styles.body),
            *_compliance(data, styles, width),
            *_drills(data, styles, width),
            *_chart(data, styles, width),
            *_slowest(data, styles, width),
            *_actions(data, styles, width),
        ]
        return build_pdf(out, story, options, school=data.school_name,
                         title=term_summary_title())


def _heading(text: str, styles: Styles) -> list[Flowable]:
    return [CondPageBreak(SECTION_ROOM), para(text, styles.heading)]


def period_label(line: ComplianceLine) -> str:
    """The period's name in the current language ("2026年11月", "Q4 2026", a term's name)."""
    kind = line.requirement.period
    if kind is PeriodKind.MONTH:
        return month_label(line.start.year, line.start.month)
    if kind is PeriodKind.QUARTER:
        return quarter_label(line.start.year, (line.start.month - 1) // 3 + 1)
    if kind is PeriodKind.FIRST_DAYS:
        return first_days_label(line.requirement.days or 0)
    if kind is PeriodKind.BEFORE_DATE:
        return before_label(line.end)
    return line.name


def _to_do(line: ComplianceLine) -> str:
    if line.status is Status.MET:
        return DASH
    if line.status is Status.MISSED:
        return ngettext("{n} drill not held", "{n} drills not held", line.still_needed).format(
            n=line.still_needed)
    return ngettext("{n} more drill needed", "{n} more drills needed",
                    line.still_needed).format(n=line.still_needed)


def _compliance(data: TermSummaryData, styles: Styles, width: float) -> list[Flowable]:
    flowables = _heading(_("Compliance"), styles)
    if data.profile is not None:
        flowables.append(para(_("Profile: {name}. Judged as of {date}.").format(
            name=data.profile.name(), date=day_text(data.as_of)), styles.body))
    if data.days_without_school_year:
        flowables.append(para(ngettext(
            "{n} day of the period lies in no school year of the calendar: compliance is "
            "judged only within school years.",
            "{n} days of the period lie in no school year of the calendar: compliance is "
            "judged only within school years.", data.days_without_school_year).format(
                n=data.days_without_school_year), styles.small))
    if not data.compliance:
        return [*flowables, para(_("No requirement of the profile falls in this period."),
                                 styles.body)]
    counts = Counter(line.status for line in data.compliance)
    flowables.append(para(_("Met: {met}, planned: {planned}, open: {open}, missed: {missed}"
                            ).format(met=counts[Status.MET], planned=counts[Status.PLANNED],
                                     open=counts[Status.OPEN], missed=counts[Status.MISSED]),
                          styles.body))
    rows: list[list[Any]] = [[_("Period"), _("Requirement"), _("Required"), _("Held"),
                              _("Planned"), _("Status"), _("What is missing")]]
    commands: list[tuple[Any, ...]] = []
    for line in data.compliance:
        row = len(rows)
        colour = {Status.MET: GOOD_INK, Status.MISSED: BAD_INK}.get(line.status)
        if colour is not None:
            commands.append(("TEXTCOLOR", (5, row), (5, row), colour))
        rows.append([period_label(line), line.requirement.label(), line.required, line.held,
                     line.planned, status_label(line.status), _to_do(line)])
        fill = STATUS_FILL[line.status]
        if fill is not None:
            commands.append(("BACKGROUND", (0, row), (-1, row), fill))
    widths = [0.14, 0.32, 0.08, 0.07, 0.08, 0.1, 0.21]
    return [*flowables, grid(rows, [w * width for w in widths], styles, right=(2, 3, 4),
                             commands=commands)]


def _kinds_text(kinds: Sequence[EventKind]) -> str:
    return _(", ").join(f"{kind_label(kind)} × {n}" for kind, n in
                        sorted(Counter(kinds).items(), key=lambda item: item[0].value))


def _drills(data: TermSummaryData, styles: Styles, width: float) -> list[Flowable]:
    flowables = _heading(_("Drills"), styles)
    runs = data.runs
    completed = [r for r in runs if r.status is RunStatus.COMPLETED]
    flowables.append(para(_("{held} drills held ({kinds}); {other} cancelled, postponed or "
                            "unfinished.").format(held=len(completed),
                                                  kinds=_kinds_text([r.kind for r in completed])
                                                  or DASH, other=len(runs) - len(completed)),
                          styles.body))
    if not runs:
        return flowables
    if len(runs) > DETAIL_LIMIT:
        flowables.append(para(_("Listed by month: the period holds more than {n} drills."
                                ).format(n=DETAIL_LIMIT), styles.small))
        return [*flowables, _months_table(runs, styles, width)]
    return [*flowables, _runs_table(runs, styles, width)]


def run_rows(runs: Sequence[RunSummary]) -> list[list[Any]]:
    """The header and one row per drill, as the summary lists them."""
    rows: list[list[Any]] = [[_("Date"), _("Alarm"), _("Kind"), _("Drill"), _("Status"),
                              _("Duration"), _("Time to accountability"),
                              _("Classes reported"), _("Missing")]]
    for run in runs:
        rows.append([short_day(run.day) if run.day else DASH, clock_time(run.alarm_at, False),
                     kind_label(run.kind), run.title, run_status_label(run.status),
                     minutes_seconds(run.duration), minutes_seconds(run.time_to_accountability),
                     f"{run.reported}/{run.classes}", run.missing])
    return rows


def _runs_table(runs: Sequence[RunSummary], styles: Styles, width: float) -> Any:
    widths = [0.11, 0.07, 0.12, 0.2, 0.11, 0.09, 0.12, 0.1, 0.08]
    return grid(run_rows(runs), [w * width for w in widths], styles, right=range(5, 9))


@dataclass
class _Month:
    first: date
    runs: list[RunSummary] = field(default_factory=list)

    def times(self) -> list[timedelta]:
        return [r.time_to_accountability for r in self.runs
                if r.time_to_accountability is not None]


def _by_month(runs: Sequence[RunSummary]) -> list[_Month]:
    months: dict[date, _Month] = {}
    for run in runs:
        if run.day is None:
            continue
        first = run.day.replace(day=1)
        months.setdefault(first, _Month(first)).runs.append(run)
    return [months[key] for key in sorted(months)]


def _average(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=sum(v.total_seconds() for v in values) / len(values))


def month_rows(runs: Sequence[RunSummary]) -> list[list[Any]]:
    """The header and one row per month, for long periods."""
    rows: list[list[Any]] = [[_("Month"), _("Kinds"), _("Drills held"), _("Not completed"),
                              _("Average duration"), _("Average time to accountability"),
                              _("Worst")]]
    for month in _by_month(runs):
        completed = [r for r in month.runs if r.status is RunStatus.COMPLETED]
        durations = [r.duration for r in completed if r.duration is not None]
        times = month.times()
        rows.append([month_label(month.first.year, month.first.month),
                     _kinds_text([r.kind for r in completed]) or DASH,
                     len(completed), len(month.runs) - len(completed),
                     minutes_seconds(_average(durations)), minutes_seconds(_average(times)),
                     minutes_seconds(max(times) if times else None)])
    return rows


def _months_table(runs: Sequence[RunSummary], styles: Styles, width: float) -> Any:
    widths = [0.1, 0.3, 0.1, 0.1, 0.12, 0.16, 0.12]
    return grid(month_rows(runs), [w * width for w in widths], styles, right=range(2, 7))


def _chart(data: TermSummaryData, styles: Styles, width: float) -> list[Flowable]:
    flowables = _heading(_("Time to full accountability"), styles)
    timed = [r for r in data.runs if r.time_to_accountability is not None and r.day]
    if not timed:
        return [*flowables, para(_("No drill of the period reached full accountability."),
                                 styles.body)]
    if len(timed) <= CHART_POINTS:
        series = [Series(_("Drill"), [(r.day, r.time_to_accountability.total_seconds())
                                      for r in timed if r.day and r.time_to_accountability],
                         markers=len(timed) <= MARKER_LIMIT)]
    else:
        months = [(m.first, m.times()) for m in _by_month(timed)]
        series = [
            Series(_("Monthly average"), [(d, _average(t).total_seconds())  # type: ignore[union-attr]
                                          for d, t in months], markers=False),
            Series(_("Monthly worst"), [(d, max(t).total_seconds()) for d, t in months],
                   colour=BAD_INK, markers=False)]
    met = sum(1 for r in timed if r.time_to_accountability and r.time_to_accountability
              <= data.target)
    flowables.append(para(_("{met} of {n} timed drills met the target of {target}.").format(
        met=met, n=len(timed), target=minutes_seconds(data.target)), styles.body))
    flowables.append(time_chart(series, data.target.total_seconds(), width=width,
                                height=62 * mm, font=styles.font, target_label=_("Target"),
                                axis_label=_("minutes:seconds after the alarm")))
    return flowables


def _slowest(data: TermSummaryData, styles: Styles, width: float) -> list[Flowable]:
    flowables = _heading(_("Slowest classes"), styles)
    if not data.slowest:
        return [*flowables, para(_("No class reported in a completed drill of the period."),
                                 styles.body)]
    flowables.append(para(_("By the average time from the alarm to the class's report."),
                          styles.small))
    rows: list[list[Any]] = [["#", _("Class"), _("Grade"), _("Drills"), _("Average"),
                              _("Worst")]]
    for rank, delay in enumerate(data.slowest, start=1):
        rows.append([rank, delay.class_name, delay.grade_name, delay.runs,
                     minutes_seconds(delay.average), minutes_seconds(delay.worst)])
    widths = [0.06, 0.3, 0.2, 0.12, 0.16, 0.16]
    return [*flowables, Spacer(1, 1 * mm),
            grid(rows, [w * width for w in widths], styles, right=(3, 4, 5))]


def _actions(data: TermSummaryData, styles: Styles, width: float) -> list[Flowable]:
    flowables = _heading(_("Open corrective actions"), styles)
    if not data.open_actions:
        return [*flowables, para(_("None."), styles.body)]
    rows: list[list[Any]] = [[_("Action"), _("Responsible"), _("Due"), _("From the drill")]]
    commands: list[tuple[Any, ...]] = []
    for item in data.open_actions:
        action = item.action
        if action.due is not None and action.due < data.as_of:
            commands.append(("TEXTCOLOR", (2, len(rows)), (2, len(rows)), BAD_INK))
        rows.append([action.description, action.owner or DASH, day_text(action.due),
                     _("{date} {title}").format(date=day_text(item.run_day),
                                                title=item.run_title)])
    widths = [0.42, 0.16, 0.14, 0.28]
    return [*flowables, grid(rows, [w * width for w in widths], styles, commands=commands)]
