"""What the calendar does when the user creates, edits or deletes: the questions to ask
about a repeating event and the service call each answer leads to.

Every write runs through ``ops.write``: a refusal is shown, and the other pages (the Drill
page's drills of today, the History page, the compliance panel) hear what changed.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtWidgets import QWidget

from drillplanner.domain import recurrence as rec
from drillplanner.domain.changes import Done
from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.events import Event, Occurrence
from drillplanner.i18n import _
from drillplanner.services import drills, schedule
from drillplanner.services.database import Database
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.event_dialog import EventDialog
from drillplanner.ui.dialogs.occurrence_dialog import (
    DeleteScopeQuestion,
    EditScope,
    EditScopeQuestion,
    MoveOccurrenceDialog,
    occurrence_name,
)
from drillplanner.ui.signals import emit

log = logging.getLogger("drillplanner.ui")


class EventActions:
    """Create, edit and delete through dialogs and services; each returns True on a change."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        self.ctx = ctx
        self.parent = parent
        self.today = date.today()

    def _status(self, text: str) -> None:
        emit(self.ctx.status, text)

    def create(self, start: datetime) -> bool:
        """A new event starting at ``start`` (naive local)."""
        school_id = self.ctx.school_id
        if school_id is None:
            messages.show_error(self.parent, _("Add a school first (School page, Schools tab)."))
            return False
        saved = EventDialog.ask(self.ctx, school_id, start=start, today=self.today,
                                parent=self.parent)
        if saved is None:
            return False
        self._status(_("Added “{title}”.").format(title=saved.title))
        return True

    def edit(self, occurrence: Occurrence) -> bool:
        """Edit an occurrence; for a repeating event ask which part of the series."""
        try:
            event = schedule.get_event(self.ctx.db, occurrence.event_id)
            changes = schedule.list_changes(self.ctx.db, event.id)
        except DrillplannerError as error:
            messages.show_error(self.parent, str(error))
            return False
        scope = EditScope.SERIES
        if event.recurrence.repeats:
            answer = EditScopeQuestion.ask(occurrence, self.parent)
            if answer is None:
                return False
            scope = answer
        original = occurrence.original_start.replace(tzinfo=None)
        if scope is EditScope.FOLLOWING and original <= event.start:
            scope = EditScope.SERIES  # the first occurrence: "following" is everything
        if scope is EditScope.OCCURRENCE:
            return self._move(event, occurrence)
        if scope is EditScope.FOLLOWING:
            return self._edit_following(event, original)
        saved = EventDialog.ask(self.ctx, event.school_id, event=event, changes=changes,
                                today=self.today, parent=self.parent)
        if saved is None:
            return False
        self._status(_("Saved “{title}”.").format(title=saved.title))
        return True

    def _move(self, event: Event, occurrence: Occurrence) -> bool:
        answer = MoveOccurrenceDialog.ask(occurrence, self.parent)
        if answer is None:
            return False
        new_start, new_duration = answer
        if ops.write(self.ctx, self.parent, lambda db: schedule.move_occurrence(
                db, event.id, occurrence.original_start, new_start, new_duration)) is None:
            return False
        self._status(_("Moved one occurrence of “{title}”.").format(title=event.title))
        return True

    def _edit_following(self, event: Event, at: datetime) -> bool:
        _head, tail_rule = rec.split_series(event.recurrence, event.start, at)
        # The draft keeps the series' id so that its conflict check leaves the series alone.
        tail = replace(event, start=at, recurrence=tail_rule)

        def save(db: Database, edited: Event) -> Done[Event]:
            done = schedule.split_series(db, event.id, at,
                                         following=replace(edited, id=0, uid=""))
            return Done(done.value[1], done.changes)

        saved = EventDialog.ask(self.ctx, event.school_id, event=tail, save=save,
                                heading=_("Edit This and Following Occurrences"),
                                today=self.today, parent=self.parent)
        if saved is None:
            return False
        self._status(_("“{title}” changed from {day} on.").format(
            title=saved.title, day=at.date().isoformat()))
        return True

    def delete(self, occurrence: Occurrence) -> bool:
        """Cancel one occurrence or delete the event (after asking)."""
        try:
            event = schedule.get_event(self.ctx.db, occurrence.event_id)
        except DrillplannerError as error:
            messages.show_error(self.parent, str(error))
            return False
        scope = DeleteScopeQuestion.ask(occurrence, event.recurrence.repeats, self.parent)
        if scope is EditScope.OCCURRENCE:
            if ops.write(self.ctx, self.parent, lambda db: schedule.cancel_occurrence(
                    db, event.id, occurrence.original_start)) is None:
                return False
            self._status(_("Cancelled one occurrence of “{title}”.").format(title=event.title))
        elif scope is EditScope.SERIES:
            if ops.write(self.ctx, self.parent,
                         lambda db: schedule.delete_event(db, event.id)) is None:
                return False
            self._status(_("Deleted “{title}”.").format(title=event.title))
        else:
            return False
        return True

    def start_drill(self, occurrence: Occurrence) -> DrillRun | None:
        """Sound the alarm for a scheduled drill now (after asking)."""
        school_id = self.ctx.school_id
        if school_id is None or not occurrence.kind.is_drill:
            return None
        if not messages.confirm(self.parent, _("Start Drill Now"), _(
                "Sound the alarm for {event} now? The drill starts on the Drill page."
                ).format(event=occurrence_name(occurrence)), _("&Start Drill")):
            return None
        # A postponed run of the occurrence is resumed by the service.
        started = ops.write(self.ctx, self.parent, lambda db: drills.start_drill(
            db, school_id, event_id=occurrence.event_id,
            occurrence_start=occurrence.original_start))
        if started is None:
            return None
        run = started.value
        self._status(_("Alarm sounded: {title}.").format(title=run.title))
        return run
