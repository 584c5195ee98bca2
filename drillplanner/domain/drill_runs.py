"""Drill runs: what actually happened on a drill day (IFC 405.5 record, MoE phases), and
the record's life cycle: planned → in progress → completed (all clear) → signed off.

Before the all clear everything recorded is an entry. After it, changing what was recorded is
a correction, and once the record is signed off any change is an amendment; both need a
reason (``check_reason``). Filling in what was left blank after the all clear (the write-up
follows the drill) is still an entry until the record is signed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from drillplanner.domain import validation as v
from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.i18n import N_, _, ngettext


class RunStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


RUN_STATUS_LABELS: dict[RunStatus, str] = {
    RunStatus.PLANNED: N_("Planned"),
    RunStatus.IN_PROGRESS: N_("In progress"),
    RunStatus.COMPLETED: N_("Completed"),
    RunStatus.CANCELLED: N_("Cancelled"),
    RunStatus.POSTPONED: N_("Postponed"),
}

# Which status may follow which; a finished run is a record and stays as it is.
TRANSITIONS: dict[RunStatus, frozenset[RunStatus]] = {
    RunStatus.PLANNED: frozenset({RunStatus.IN_PROGRESS, RunStatus.CANCELLED,
                                  RunStatus.POSTPONED}),
    RunStatus.POSTPONED: frozenset({RunStatus.IN_PROGRESS, RunStatus.CANCELLED}),
    RunStatus.IN_PROGRESS: frozenset({RunStatus.COMPLETED, RunStatus.CANCELLED}),
    RunStatus.COMPLETED: frozenset(),
    RunStatus.CANCELLED: frozenset(),
}


def run_status_label(status: RunStatus) -> str:
    return _(RUN_STATUS_LABELS[status])


class Notification(enum.StrEnum):
    """How occupants were told to leave."""

    BELL = "bell"
    WHISTLE = "whistle"
    PA = "pa"
    SIREN = "siren"
    FIRE_ALARM = "fire_alarm"
    OTHER = "other"


NOTIFICATION_LABELS: dict[Notification, str] = {
    Notification.BELL: N_("Bell"),
    Notification.WHISTLE: N_("Whistle"),
    Notification.PA: N_("Public address"),
    Notification.SIREN: N_("Siren"),
    Notification.FIRE_ALARM: N_("Fire alarm"),
    Notification.OTHER: N_("Other"),
}


def notification_label(method: Notification | None) -> str:
    """The method's name; "" when nobody recorded it."""
    return "" if method is None else _(NOTIFICATION_LABELS[method])


@dataclass(frozen=True, slots=True)
class RunDetails:
    """The written record of a drill; every field is optional text a person fills in.
    ``notification`` is None until someone records how occupants were told to leave."""

    conducted_by: str = ""
    notification: Notification | None = None
    staff_on_duty: str = ""
    conditions: str = ""
    weather: str = ""
    observers: str = ""
    problems: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class DrillRun:
    """One drill as it happened. Times are aware datetimes in the school's zone."""

    id: int
    school_id: int
    kind: EventKind
    title: str
    status: RunStatus
    alarm_at: datetime | None
    all_clear_at: datetime | None = None
    status_reason: str = ""
    event_id: int | None = None
    occurrence_start: datetime | None = None  # naive local start of the scheduled occurrence
    announced: bool = True
    details: RunDetails = RunDetails()
    signed_by: str = ""
    signed_at: datetime | None = None  # aware, in the school's zone
    #: What was still open when the all clear was given (None before it, or for runs
    #: completed before this was recorded): classes not reported, students still missing.
    unreported_at_all_clear: int | None = None
    missing_at_all_clear: int | None = None
    #: The stored version this value was read at (optimistic locking of the record).
    version: int = 0

    @property
    def day(self) -> date | None:
        return self.alarm_at.date() if self.alarm_at else None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def stage(self) -> RecordStage:
        if self.status is RunStatus.COMPLETED:
            return RecordStage.SIGNED if self.signed else RecordStage.COMPLETED
        return _STAGES[self.status]

    @property
    def open_at_all_clear(self) -> bool:
        """Whether the all clear was given with classes unreported or students missing."""
        return bool(self.unreported_at_all_clear or self.missing_at_all_clear)

    @property
    def duration(self) -> timedelta | None:
        if self.alarm_at is None or self.all_clear_at is None:
            return None
        return self.all_clear_at - self.alarm_at


@dataclass(frozen=True, slots=True)
class CorrectiveAction:
    id: int
    run_id: int
    description: str
    owner: str = ""
    due: date | None = None
    done: bool = False


@dataclass(frozen=True, slots=True)
class PostAssignment:
    """A staff member at a floor or stairwell post for one run."""

    id: int
    run_id: int
    post: str
    staff_name: str = ""
    staff_id: int | None = None
    cleared_at: datetime | None = None
    cleared_by: str = ""


# The record's life cycle -----------------------------------------------------------------


class RecordStage(enum.StrEnum):
    """Where a drill's record is in its life; decides how it may change and how it prints."""

    PLANNED = "planned"  # planned or postponed: no alarm yet
    RUNNING = "running"  # in progress: entries as they come; its report is a draft
    COMPLETED = "completed"  # all clear given: changes are corrections
    SIGNED = "signed"  # signed off: locked; any change is an amendment
    CANCELLED = "cancelled"  # called off: a record that no longer changes except by correction


_STAGES: dict[RunStatus, RecordStage] = {
    RunStatus.PLANNED: RecordStage.PLANNED,
    RunStatus.POSTPONED: RecordStage.PLANNED,
    RunStatus.IN_PROGRESS: RecordStage.RUNNING,
    RunStatus.COMPLETED: RecordStage.COMPLETED,
    RunStatus.CANCELLED: RecordStage.CANCELLED,
}


class EditKind(enum.StrEnum):
    """What a change of a drill's record is."""

    ENTRY = "entry"  # recorded as it happens, or a blank filled in before sign-off
    CORRECTION = "correction"  # a recorded value changed after the all clear
    AMENDMENT = "amendment"  # any change after sign-off


def edit_kind(run: DrillRun, *, changes_recorded: bool = True) -> EditKind:
    """What a change of ``run`` is; ``changes_recorded`` False for a change that only fills
    in what was blank (a field, a post's staff) or adds to the record."""
    stage = run.stage
    if stage is RecordStage.SIGNED:
        return EditKind.AMENDMENT
    if stage in (RecordStage.COMPLETED, RecordStage.CANCELLED) and changes_recorded:
        return EditKind.CORRECTION
    return EditKind.ENTRY


def check_reason(run: DrillRun, reason: str, *, changes_recorded: bool = True
                 ) -> tuple[EditKind, str]:
    """The kind of a change of ``run`` and its reason, stripped.

    Raises:
        ValidationError: ("reason") a correction or amendment without a reason.
    """
    kind = edit_kind(run, changes_recorded=changes_recorded)
    text = v.text("reason", reason, 1000)
    if kind is EditKind.ENTRY or text:
        return kind, text
    if kind is EditKind.AMENDMENT:
        raise ValidationError("reason", _(
            "Drill #{id} was signed off by {name}: the record is locked, and any change is "
            "an amendment that needs a reason.").format(id=run.id, name=run.signed_by))
    if run.status is RunStatus.CANCELLED:
        raise ValidationError("reason", _(
            "Drill #{id} was cancelled: changing its record is a correction that needs a "
            "reason.").format(id=run.id))
    raise ValidationError("reason", _(
        "Drill #{id} was completed (the all clear was given): changing what was recorded "
        "is a correction that needs a reason.").format(id=run.id))


def open_at_all_clear(run: DrillRun) -> str:
    """What was still open when the all clear was given, e.g. "1 class had not reported,
    2 students were still missing"; "" when everyone was accounted for."""
    parts = []
    if run.unreported_at_all_clear:
        parts.append(ngettext("{n} class had not reported", "{n} classes had not reported",
                              run.unreported_at_all_clear).format(
                                  n=run.unreported_at_all_clear))
    if run.missing_at_all_clear:
        parts.append(ngettext("{n} student was still missing",
                              "{n} students were still missing",
                              run.missing_at_all_clear).format(n=run.missing_at_all_clear))
    return _(", ").join(parts)


def check_signable(run: DrillRun) -> None:
    """Only a completed drill, not signed yet, can be signed off.

    Raises:
        ConflictError: otherwise, saying why.
    """
    if run.status is not RunStatus.COMPLETED:
        raise ConflictError(_("Only a completed drill can be signed off; drill #{id} is "
                              "{status}.").format(id=run.id,
                                                  status=run_status_label(run.status).lower()))
    if run.signed:
        raise ConflictError(_("Drill #{id} was already signed off by {name}.").format(
            id=run.id, name=run.signed_by))
