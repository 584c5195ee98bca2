"""The plain values each PDF report takes, and the options every report shares.

Services build these from the database (services/report_data.py); the reports
(drillplanner/reports) turn them into PDF pages. The values hold data, not wording: dates,
counts, enums and names. Every label is translated when the report is built, so one data
value can be printed in either language.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from drillplanner.domain.compliance import Profile, Requirement, Status
from drillplanner.domain.drill_runs import CorrectiveAction, DrillRun, PostAssignment, RunStatus
from drillplanner.domain.events import EventKind, Occurrence
from drillplanner.domain.headcount import Rollup
from drillplanner.domain.headcount_history import HistoryItem
from drillplanner.domain.qr_matrix import QrMatrix
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.domain.structure import SchoolClass
from drillplanner.i18n import N_, _


class Paper(enum.StrEnum):
    A4 = "a4"
    LETTER = "letter"


PAPER_LABELS: dict[Paper, str] = {Paper.A4: N_("A4"), Paper.LETTER: N_("Letter")}


def paper_label(paper: Paper) -> str:
    return _(PAPER_LABELS[paper])


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What every report shares.

    ``language`` None means the current language (i18n.set_language); another value is
    switched to while the report is built. ``generated_at`` None means now; the footer shows
    it (tests pass a fixed time).
    """

    language: str | None = None
    paper: Paper = Paper.A4
    generated_at: datetime | None = None


# Drill report ------------------------------------------------------------------------------


class RecordField(enum.StrEnum):
    """What a change after the all clear touched, outside the headcounts (stable names)."""

    CONDUCTED_BY = "conducted_by"
    NOTIFICATION = "notification"
    STAFF_ON_DUTY = "staff_on_duty"
    CONDITIONS = "conditions"
    WEATHER = "weather"
    OBSERVERS = "observers"
    PROBLEMS = "problems"
    NOTES = "notes"
    POST_ADDED = "post_added"
    POST_STAFF = "post_staff"
    POST_CLEARED_AT = "post_cleared_at"
    POST_CLEARED_BY = "post_cleared_by"
    ACTION_ADDED = "action_added"


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A field of the written record, a post or a corrective action changed after the all
    clear. ``subject`` names the post or action ("" for the record's own fields); values
    are text, a Notification or an aware time; None is blank. ``recorded_at`` (when it was
    stored) is aware, in the school's zone; ``recorded_by`` who stored it (as the audit log
    names them)."""

    recorded_at: datetime
    recorded_by: str
    reason: str
    field: RecordField
    old: object = None
    new: object = None
    subject: str = ""


#: A change after the all clear: of the written record, a post or an action; or of a
#: class's headcount (a report, verification or finding, from the headcount history).
Change = RecordChange | HistoryItem


@dataclass(frozen=True, slots=True)
class DrillReportData:
    """One drill run as it happened: the record, every class's headcount, posts, actions,
    and its changes after the all clear (``corrections``: before sign-off; ``amendments``:
    after it), oldest first.

    ``audit_hash`` is the hash of the latest audit-log row of the run (printed on a signed
    report so that a paper copy can be checked against the database).
    """

    school_name: str
    run: DrillRun
    rollup: Rollup
    posts: tuple[PostAssignment, ...] = ()
    actions: tuple[CorrectiveAction, ...] = ()
    principal: str = ""  # the staff member with the principal role, for the signature line
    corrections: tuple[Change, ...] = ()
    amendments: tuple[Change, ...] = ()
    audit_hash: str | None = None


# Term or year summary ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComplianceLine:
    """One requirement judged over one period (the part of a ComplianceReport a summary
    shows). ``name`` is the term's or school year's name for those period kinds."""

    requirement: Requirement
    start: date
    end: date
    name: str
    required: int
    held: int
    planned: int
    status: Status
    still_needed: int


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One drill run with the figures a summary needs (aggregated in the database)."""

    id: int
    kind: EventKind
    title: str
    status: RunStatus
    alarm_at: datetime | None
    all_clear_at: datetime | None = None
    announced: bool = True
    classes: int = 0
    reported: int = 0
    missing: int = 0
    injured: int = 0
    time_to_accountability: timedelta | None = None

    @property
    def day(self) -> date | None:
        return self.alarm_at.date() if self.alarm_at else None

    @property
    def duration(self) -> timedelta | None:
        if self.alarm_at is None or self.all_clear_at is None:
            return None
        return self.all_clear_at - self.alarm_at


@dataclass(frozen=True, slots=True)
class ClassDelay:
    """How long a class took to report after the alarm, over the completed runs."""

    class_name: str
    grade_name: str
    runs: int
    average: timedelta
    worst: timedelta


@dataclass(frozen=True, slots=True)
class OpenAction:
    """A corrective action not done yet, with the drill it came from."""

    action: CorrectiveAction
    run_title: str
    run_day: date | None


@dataclass(frozen=True, slots=True)
class TermSummaryData:
    """A school's drills from ``start`` to ``end`` (inclusive): compliance, runs, times.

    ``years_without_calendar`` counts the days of the period that lie in no school year
    (compliance cannot be judged there). ``runs`` are oldest first.
    """

    school_name: str
    start: date
    end: date
    as_of: date
    target: timedelta
    profile: Profile | None
    compliance: tuple[ComplianceLine, ...]
    runs: tuple[RunSummary, ...]
    slowest: tuple[ClassDelay, ...]
    open_actions: tuple[OpenAction, ...]
    days_without_school_year: int = 0


# Schedule ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScheduleReportData:
    """Drills and events from ``start`` to ``end`` (inclusive), with the school calendar for
    shading holidays and naming them."""

    school_name: str
    start: date
    end: date
    calendar: SchoolCalendar
    occurrences: tuple[Occurrence, ...]


# Roll-call sheets --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RollcallSheet:
    """One class's sheet. ``phone_url`` is the class's page for phones
    (services/phone_links) and ``phone_code`` its QR code; "" and None when the school
    has no phone links."""

    school_class: SchoolClass
    grade_leader: str = ""
    phone_url: str = ""
    phone_code: QrMatrix | None = None


@dataclass(frozen=True, slots=True)
class RollcallData:
    """One printable sheet per class; ``grade_name`` is "" when every grade is printed."""

    school_name: str
    sheets: tuple[RollcallSheet, ...]
    grade_name: str = ""


# Central-school summary --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchoolSummary:
    """One school's line in the central-school summary.

    ``status`` is the worst of the compliance periods overlapping the summary's period;
    None when none does (no school year covers it). ``missed``/``open`` count those
    periods.
    ``average``/``worst`` are over the completed runs that reached full accountability.
    """

    name: str
    parent_name: str
    classes: int
    students: int
    profile: Profile | None
    status: Status | None
    missed: int
    open: int
    drills_held: int
    timed_runs: int
    met_target: int
    average: timedelta | None
    worst: timedelta | None
    target: timedelta


@dataclass(frozen=True, slots=True)
class DistrictData:
    """Every school of the database side by side for ``start``..``end``, compliance judged
    as of ``as_of``. ``title_name`` heads the pages (the central school, when there is
    one)."""

    title_name: str
    start: date
    end: date
    as_of: date
    schools: tuple[SchoolSummary, ...]
