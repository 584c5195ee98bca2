"""What a user asks a report for: which report, for what, and the periods offered by name.

The GUI's Reports page and the CLI's ``report`` command both fill a ``ReportRequest`` and
hand it to ``services.report_files``; the named periods ("this term", "this school year",
"this month") are worked out here from the school calendar.
"""

from __future__ import annotations

import calendar as month_calendar
import enum
from dataclasses import dataclass, field
from datetime import date

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.report_data import ReportOptions
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.i18n import N_, _


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """One report to build. Which fields matter depends on the report's ``needs``
    (reports.registry): ``school_id`` for "school", ``run_id`` for "run", ``start``/``end``
    (inclusive) for "period", ``grade`` (a grade's id, name or number; None for all) for
    "grade"."""

    key: str
    school_id: int | None = None
    run_id: int | None = None
    start: date | None = None
    end: date | None = None
    grade: int | str | None = None
    options: ReportOptions = field(default_factory=ReportOptions)


class PeriodPreset(enum.StrEnum):
    TERM = "term"
    SCHOOL_YEAR = "school_year"
    MONTH = "month"


PRESET_LABELS: dict[PeriodPreset, str] = {
    PeriodPreset.TERM: N_("This term"),
    PeriodPreset.SCHOOL_YEAR: N_("This school year"),
    PeriodPreset.MONTH: N_("This month"),
}


def preset_label(preset: PeriodPreset) -> str:
    return _(PRESET_LABELS[preset])


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month."""
    last = month_calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def current_term(calendar: SchoolCalendar, today: date) -> tuple[date, date] | None:
    """The term holding ``today``; between two terms of a school year (a winter break),
    the term that ended last, since that is the one a summary is printed for. None when
    ``today`` is in no school year or before its first term."""
    term = calendar.term_of(today)
    if term is not None:
        return term.start, term.end
    year = calendar.year_of(today)
    if year is None:
        return None
    started = [t for t in year.terms if t.start <= today]
    if not started:
        return None
    latest = max(started, key=lambda t: t.start)
    return latest.start, latest.end


def current_school_year(calendar: SchoolCalendar, today: date) -> tuple[date, date] | None:
    """The school year holding ``today``, or None."""
    year = calendar.year_of(today)
    return (year.start, year.end) if year is not None else None


def preset_period(preset: PeriodPreset, calendar: SchoolCalendar, today: date
                  ) -> tuple[date, date]:
    """The dates of a named period around ``today``.

    Raises:
        ValidationError: for a term or school year when the calendar has none around today.
    """
    if preset is PeriodPreset.MONTH:
        return month_of(today)
    if preset is PeriodPreset.TERM:
        found = current_term(calendar, today)
        if found is None:
            raise ValidationError("period", _(
                "No term of the school calendar holds {day}. Add the school year and its "
                "terms to the school calendar first, or choose the dates."
            ).format(day=today.isoformat()))
        return found
    year = current_school_year(calendar, today)
    if year is None:
        raise ValidationError("period", _(
            "No school year of the school calendar holds {day}. Add it to the school "
            "calendar first, or choose the dates.").format(day=today.isoformat()))
    return year


def default_period(calendar: SchoolCalendar, today: date) -> tuple[date, date]:
    """The period a report covers when none is given: the current term, else the month."""
    return current_term(calendar, today) or month_of(today)
