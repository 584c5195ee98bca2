"""The reports the app offers, for the GUI's Reports page and the CLI's ``report`` command.

Each report pairs a build function of this package with a data function of
``services.report_data`` of the same key (``<key>_data``), which this layer cannot import:

    data = report_data.term_data(db, school_id, start, end)
    with open(path, "wb") as out:
        REPORTS["term"].build(data, out, ReportOptions(paper=Paper.LETTER))

Set the language (i18n.set_language, or ReportOptions.language) before building: titles
and every label are translated at build time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from drillplanner.domain.report_data import ReportOptions
from drillplanner.i18n import N_, _
from drillplanner.reports.district import build_district_summary
from drillplanner.reports.drill import build_drill_report
from drillplanner.reports.rollcall import build_rollcall_sheets
from drillplanner.reports.schedule import build_schedule_report
from drillplanner.reports.term import build_term_summary

Builder = Callable[[Any, BinaryIO, ReportOptions], int]


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """One report: ``key`` (CLI name; ``services.report_data.<key>_data`` reads its data),
    what it needs from the user, and its build function.

    ``needs`` holds "school", "run", "period" (from/to dates) and "grade" (optional).
    """

    key: str
    title_msgid: str
    description_msgid: str
    needs: frozenset[str]
    build: Builder

    @property
    def title(self) -> str:
        return _(self.title_msgid)

    @property
    def description(self) -> str:
        return _(self.description_msgid)

    @property
    def data_function(self) -> str:
        """The name of the function of services.report_data that reads its data."""
        return f"{self.key}_data"


_LIST = (
    ReportInfo("drill", N_("Drill report"),
               N_("One drill as it happened: record, headcounts by class, floors cleared, "
                  "problems, corrective actions and signatures."),
               frozenset({"run"}), build_drill_report),
    ReportInfo("term", N_("Drill summary"),
               N_("A term or year of a school: compliance by month, drills held, times to "
                  "full accountability, slowest classes, open corrective actions."),
               frozenset({"school", "period"}), build_term_summary),
    ReportInfo("schedule", N_("Schedule"),
               N_("Month calendars and an agenda of the drills and events of a period."),
               frozenset({"school", "period"}), build_schedule_report),
    ReportInfo("rollcall", N_("Roll-call sheets"),
               N_("One sheet per class for the assembly area, for the whole school or one "
                  "grade."),
               frozenset({"school", "grade"}), build_rollcall_sheets),
    ReportInfo("district", N_("Central-school summary"),
               N_("Every school of the database side by side: compliance, drills held, "
                  "times to full accountability."),
               frozenset({"period"}), build_district_summary),
)

REPORTS: dict[str, ReportInfo] = {info.key: info for info in _LIST}


def list_reports() -> list[ReportInfo]:
    """Every report, in the order a menu shows them."""
    return list(_LIST)
