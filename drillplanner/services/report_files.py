"""Reports from requests: their data read from the database, their PDF built and written.

The one place that knows which ``services.report_data`` function feeds which report and
with what, so the CLI and the GUI (which runs these functions in a worker thread) ask for
reports alike. Files are written atomically: a reader never sees half a PDF, and a failed
build leaves an existing file as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.report_data import TermSummaryData
from drillplanner.domain.report_requests import (
    PeriodPreset,
    ReportRequest,
    current_term,
    default_period,
    month_of,
    preset_period,
)
from drillplanner.i18n import _
from drillplanner.services import report_data, schools
from drillplanner.services.calendar import load_calendar
from drillplanner.services.output_files import (
    OutputFileError,
    OutputKind,
    check_output,
    write_atomically,
)
from drillplanner.services.school_clock import school_today
from drillplanner.storage.database import Database

if TYPE_CHECKING:
    from drillplanner.reports.registry import ReportInfo

#: The PDF could not be written where the user asked (kept for callers of the old name).
ReportFileError = OutputFileError


def report_info(key: str) -> ReportInfo:
    """The registry entry of ``key``.

    Raises:
        ValidationError: when there is no such report.
    """
    # Imported here: reportlab loads when a report is made, not when the GUI starts.
    from drillplanner.reports.registry import REPORTS

    try:
        return REPORTS[key]
    except KeyError:
        raise ValidationError("report", _("There is no report “{key}”. Reports: {keys}").format(
            key=key, keys=", ".join(REPORTS))) from None


def read_data(db: Database, request: ReportRequest) -> object:
    """The data value the requested report is built from (one unit of work or a few)."""
    info = report_info(request.key)
    arguments: list[object] = []
    if "run" in info.needs:
        if request.run_id is None:
            raise ValidationError("run", _("Choose a drill for the drill report."))
        arguments.append(request.run_id)
    if "school" in info.needs:
        if request.school_id is None:
            raise ValidationError("school", _("Choose a school first."))
        arguments.append(request.school_id)
    if "period" in info.needs:
        if request.start is None or request.end is None:
            raise ValidationError("period", _("Choose the first and the last day."))
        arguments += [request.start, request.end]
    if "grade" in info.needs:
        arguments.append(request.grade)
    read: Callable[..., object] = getattr(report_data, info.data_function)
    data = read(db, *arguments)
    if isinstance(data, TermSummaryData):
        _check_school_year(data)
    return data


def _check_school_year(data: TermSummaryData) -> None:
    # A term or year summary judges drills against the school year; with none at all in
    # the period there is nothing to judge, and a signed copy would mislead.
    if data.days_without_school_year > (data.end - data.start).days:
        raise ValidationError("period", _(
            "No school year of {school} covers {start} to {end}, so compliance cannot be "
            "judged. Add the school year and its terms to the school calendar, or choose "
            "dates within a school year.").format(
                school=data.school_name, start=data.start.isoformat(),
                end=data.end.isoformat()))


def build_report(db: Database, request: ReportRequest, out: BinaryIO) -> int:
    """Read the data and write the PDF to ``out``; returns the number of pages."""
    data = read_data(db, request)
    return report_info(request.key).build(data, out, request.options)


def write_report(db: Database, request: ReportRequest, path: str | os.PathLike[str], *,
                 force: bool = False) -> int:
    """Build the requested report into ``path`` atomically; returns the number of pages.

    ``path`` is checked first (``output_files.check_output``): never the open database, a
    folder or a device, nor (without ``force``) an existing file that is not a PDF.

    Raises:
        DrillplannerError: unknown run or school, a bad period, no Chinese font
            (reports.fonts.ReportFontError), or OutputFileError when ``path`` may not or
            cannot be written.
    """
    target = check_output(db, path, OutputKind.PDF, force=force)
    return write_atomically(target, lambda out: build_report(db, request, out))


# Periods -----------------------------------------------------------------------------------


def named_period(db: Database, school_id: int, preset: PeriodPreset,
                 today: date | None = None) -> tuple[date, date]:
    """"This term", "this school year" or "this month" of the school, around ``today``
    (default: today where the school is).

    Raises:
        ValidationError: when the school calendar has no term or year around that day.
    """
    day = today or school_today(db, school_id)
    return preset_period(preset, load_calendar(db, school_id), day)


def usual_period(db: Database, school_id: int | None, today: date | None = None
                 ) -> tuple[date, date]:
    """The period a report covers unless told otherwise: the school's current term, else
    the current month.

    Without a school (the central-school summary), the first school of the database whose
    calendar has a term around today decides.
    """
    if school_id is not None:
        day = today or school_today(db, school_id)
        return default_period(load_calendar(db, school_id), day)
    for school in schools.list_schools(db):
        term = current_term(load_calendar(db, school.id), today or school_today(db, school.id))
        if term is not None:
            return term
    return month_of(today or date.today())
