"""Drill runs: what actually happened on a drill day (IFC 405.5 record, MoE phases)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from drillplanner.domain.events import EventKind
from drillplanner.i18n import N_, _


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


def notification_label(method: Notification) -> str:
    return _(NOTIFICATION_LABELS[method])


@dataclass(frozen=True, slots=True)
class RunDetails:
    """The written record of a drill; every field is optional text a person fills in."""

    conducted_by: str = ""
    notification: Notification = Notification.BELL
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

    @property
    def day(self) -> date | None:
        return self.alarm_at.date() if self.alarm_at else None

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
