"""Making a drill run: the row, the classes taking part with their enrolment as it is now,
and one post a floor; and the checks that come before an alarm (one run at a time per
school, one run per scheduled occurrence). Steps inside the caller's unit of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.events import EventKind, Scope, kind_label
from drillplanner.domain.structure import class_full_name
from drillplanner.i18n import _
from drillplanner.services.lookup import require
from drillplanner.services.schedule import event_value
from drillplanner.storage.collation import binary
from drillplanner.storage.models import BuildingRow, ClassRow, FloorRow, GradeRow, SchoolRow
from drillplanner.storage.models_drills import DrillRunRow, RunClassRow, RunPostRow
from drillplanner.storage.models_schedule import EventRow


def _snapshot_classes(session: Session, run: DrillRunRow, event: EventRow | None) -> None:
    """Take part: the event's participants (or the whole school), enrolment as it is now."""
    query = (select(ClassRow, GradeRow).join(GradeRow, ClassRow.grade_id == GradeRow.id)
             .where(GradeRow.school_id == run.school_id))
    if event is not None:
        people = event_value(event).participants
        if people.scope is Scope.GRADES:
            query = query.where(GradeRow.id.in_(people.grade_ids))
        elif people.scope is Scope.CLASSES:
            query = query.where(ClassRow.id.in_(people.class_ids))
    for cls, grade in session.execute(query).all():
        session.add(RunClassRow(run_id=run.id, class_id=cls.id,
                                class_name=class_full_name(grade.name, cls.name),
                                grade_id=grade.id, grade_name=grade.name,
                                grade_order=grade.ordinal, enrolled=cls.enrolled))


def _default_posts(session: Session, run: DrillRunRow) -> None:
    """One post a floor of each building, to confirm the floor cleared."""
    floors = session.execute(
        select(BuildingRow.name, FloorRow.level).join(FloorRow)
        .where(BuildingRow.school_id == run.school_id)
        .order_by(binary(BuildingRow.name), FloorRow.level)).all()
    for building, level in floors:
        # A stored name, read in either language later: "教学楼 3F" as school signs write it.
        session.add(RunPostRow(run_id=run.id, post=f"{building} {level}F"))


def create_run_in(session: Session, school_id: int, *, kind: EventKind | None,
                  event_id: int | None, occurrence_start: datetime | None, title: str,
                  announced: bool | None, status: RunStatus,
                  alarm_at: datetime | None) -> DrillRunRow:
    """A new run of the school (of a scheduled event, or ad hoc of ``kind``), its classes
    and posts; ``alarm_at`` is naive UTC."""
    require(session, SchoolRow, school_id, _("School"))
    event = None
    if event_id is not None:
        event = require(session, EventRow, event_id, _("Event"))
        if event.school_id != school_id:
            raise ValidationError("event", _("That event belongs to another school."))
        kind = EventKind(event.kind)
    if kind is None:
        raise ValidationError("kind", _("Say which kind of drill this is."))
    kind = EventKind(kind)
    if not kind.is_drill:
        raise ValidationError("kind", _("Only drills are run and counted: {kind} is not a "
                                        "drill.").format(kind=kind_label(kind)))
    if status is RunStatus.IN_PROGRESS:
        refuse_second_run_in(session, school_id)
    row = DrillRunRow(
        school_id=school_id, event_id=event_id, kind=kind.value,
        occurrence_start=None if occurrence_start is None else occurrence_start.replace(
            tzinfo=None),
        title=v.name("title", title or (event.title if event else kind_label(kind)), 200),
        status=status.value, alarm_at=alarm_at,
        announced=(event.announced if event else False) if announced is None else announced)
    session.add(row)
    session.flush()
    _snapshot_classes(session, row, event)
    _default_posts(session, row)
    session.flush()
    return row


def run_of_occurrence_in(session: Session, school_id: int, event_id: int,
                         occurrence_start: datetime) -> DrillRunRow | None:
    """The run made for a scheduled occurrence (the newest, should there be several)."""
    return session.scalars(select(DrillRunRow).where(
        DrillRunRow.school_id == school_id, DrillRunRow.event_id == event_id,
        DrillRunRow.occurrence_start == occurrence_start.replace(tzinfo=None))
        .order_by(DrillRunRow.id.desc())).first()


def refuse_second_run_in(session: Session, school_id: int) -> None:
    """Refuse an alarm while another drill of the school is in progress."""
    running = session.scalar(select(DrillRunRow.title).where(
        DrillRunRow.school_id == school_id,
        DrillRunRow.status == RunStatus.IN_PROGRESS.value))
    if running is not None:
        raise ConflictError(_("“{title}” is still in progress at this school: give the "
                              "all clear or cancel it first.").format(title=running))
