"""Which of a day's scheduled drills can still be started (the Drill page offers them; the
``drill start`` command accepts the same ones through ``drills.start_drill``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.events import DRILL_KINDS, Occurrence
from drillplanner.services.calendar import load_calendar_in
from drillplanner.services.schedule import events_with_changes_in, expand_all, zone_in
from drillplanner.storage.database import Database
from drillplanner.storage.models_drills import DrillRunRow

#: Runs that use up their occurrence: it is not offered again.
_TAKEN = (RunStatus.IN_PROGRESS.value, RunStatus.COMPLETED.value)


def drills_to_start(db: Database, school_id: int, day: date) -> list[Occurrence]:
    """The school's drills scheduled on ``day`` that can still be started: not running or
    held already (a planned, postponed or cancelled one is offered again, as
    ``start_drill`` accepts it)."""
    with db.read() as session:
        events = events_with_changes_in(session, school_id, DRILL_KINDS, (day, day))
        found = expand_all(events, load_calendar_in(session, school_id),
                           zone_in(session, school_id), day, day)
        taken = {(event_id, start) for event_id, start in session.execute(
            select(DrillRunRow.event_id, DrillRunRow.occurrence_start).where(
                DrillRunRow.school_id == school_id, DrillRunRow.event_id.is_not(None),
                DrillRunRow.status.in_(_TAKEN)))}
    return [o for o in found
            if (o.event_id, o.original_start.replace(tzinfo=None)) not in taken]
