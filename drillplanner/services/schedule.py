"""Events on the school calendar: add, edit, expand into occurrences, move, cancel, split.

Every write answers ``Done``: its result and the events it changed (``Kind.EVENT``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from drillplanner.domain import recurrence as rec
from drillplanner.domain import validation as v
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.conflicts import Conflict, find_conflicts
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import (
    Event,
    EventKind,
    Occurrence,
    OccurrenceChange,
    Participants,
    Recurrence,
    Scope,
)
from drillplanner.domain.permissions import Op
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.i18n import _
from drillplanner.services.authorization import operation
from drillplanner.services.calendar import load_calendar_in
from drillplanner.services.lookup import check_version, require
from drillplanner.storage.database import Database
from drillplanner.storage.models import (
    AssemblyAreaRow,
    ClassRow,
    GradeRow,
    SchoolRow,
    StaffRow,
)
from drillplanner.storage.models_schedule import (
    EventClassRow,
    EventGradeRow,
    EventRow,
    OccurrenceChangeRow,
)

MAX_DURATION = timedelta(days=7)
CONFLICT_HORIZON = timedelta(days=400)


def _what() -> str:
    return _("Event")


# Conversions -------------------------------------------------------------------------------


def _dates_text(values: Iterable[datetime]) -> str:
    return ",".join(sorted(value.replace(tzinfo=None).isoformat() for value in values))


def _dates(text: str) -> tuple[datetime, ...]:
    return tuple(datetime.fromisoformat(part) for part in text.split(",") if part)


def event_value(row: EventRow) -> Event:
    return Event(
        id=row.id, school_id=row.school_id, kind=EventKind(row.kind), title=row.title,
        start=row.start, duration=timedelta(minutes=row.duration_minutes),
        recurrence=Recurrence(rule=row.rrule, rdates=_dates(row.rdates),
                              exdates=_dates(row.exdates),
                              school_days_only=row.school_days_only),
        description=row.description, place=row.place, assembly_area_id=row.assembly_area_id,
        participants=Participants(scope=Scope(row.scope),
                                  grade_ids=frozenset(g.grade_id for g in row.grades),
                                  class_ids=frozenset(c.class_id for c in row.classes)),
        organizer_id=row.organizer_id, announced=row.announced, uid=row.uid,
        version=row.version)


def change_value(row: OccurrenceChangeRow) -> OccurrenceChange:
    return OccurrenceChange(
        event_id=row.event_id, original_start=row.original_start, cancelled=row.cancelled,
        new_start=row.new_start,
        new_duration=None if row.new_duration_minutes is None else timedelta(
            minutes=row.new_duration_minutes))


def zone_in(session: Session, school_id: int) -> ZoneInfo:
    """The school's time zone, inside an open unit of work."""
    return ZoneInfo(require(session, SchoolRow, school_id, _("School")).timezone)


# Validation --------------------------------------------------------------------------------


def duration_between(start: datetime, end: datetime) -> timedelta:
    """The duration of an event given its end; refuses an end at or before the start."""
    if end <= start:
        raise ValidationError("end", _("The end ({end}) is not after the start ({start}).").format(
            end=end.strftime("%Y-%m-%d %H:%M"), start=start.strftime("%Y-%m-%d %H:%M")))
    return end - start


def check_duration(duration: timedelta) -> int:
    if duration <= timedelta(0):
        raise ValidationError("duration", _("The duration must be more than zero."))
    if duration > MAX_DURATION:
        raise ValidationError("duration", _("An event may last at most 7 days."))
    minutes = duration.total_seconds() / 60
    if not minutes.is_integer():
        raise ValidationError("duration", _("The duration must be whole minutes."))
    return int(minutes)


def _check_refs(session: Session, event: Event) -> None:
    school_id = event.school_id
    people = event.participants
    if people.scope is Scope.GRADES:
        if not people.grade_ids:
            raise ValidationError("participants", _("Choose at least one grade."))
        for grade_id in people.grade_ids:
            grade = require(session, GradeRow, grade_id, _("Grade"))
            if grade.school_id != school_id:
                raise ValidationError("participants", _("Grade belongs to another school."))
    if people.scope is Scope.CLASSES:
        if not people.class_ids:
            raise ValidationError("participants", _("Choose at least one class."))
        for class_id in people.class_ids:
            row = require(session, ClassRow, class_id, _("Class"))
            if row.grade.school_id != school_id:
                raise ValidationError("participants", _("Class belongs to another school."))
    if event.organizer_id is not None:
        organizer = require(session, StaffRow, event.organizer_id, _("Staff member"))
        if organizer.school_id != school_id:
            raise ValidationError("organizer_id", _("The organizer works at another school."))
    if event.assembly_area_id is not None:
        area = require(session, AssemblyAreaRow, event.assembly_area_id, _("Assembly area"))
        if area.school_id != school_id:
            raise ValidationError("place", _("That assembly area belongs to another school."))


def clean_event_in(session: Session, event: Event, changes: Sequence[OccurrenceChange] = (),
                   calendar: SchoolCalendar | None = None) -> tuple[Event, int]:
    """The event as it will be stored (rule normalised) and its duration in minutes.

    ``calendar``: the school's, when the caller has it loaded already (an import)."""
    require(session, SchoolRow, event.school_id, _("School"))
    minutes = check_duration(event.duration)
    v.in_years("start", event.start)
    for moment in (*event.recurrence.rdates, *event.recurrence.exdates):
        v.in_years("start", moment)
    rule = event.recurrence.rule
    if rule:
        rule = rec.validate_rule(rule, event.start)
    cleaned = replace(event, title=v.name("title", event.title, 200),
                      kind=EventKind(event.kind), start=event.start.replace(tzinfo=None),
                      description=v.text("description", event.description, 5000),
                      place=v.text("place", event.place, 200),
                      recurrence=replace(event.recurrence, rule=rule))
    _check_refs(session, cleaned)
    if calendar is None:
        calendar = load_calendar_in(session, event.school_id)
    if calendar.years and cleaned.recurrence.repeats:
        rec.check_has_occurrence(cleaned, changes, calendar, zone_in(session, event.school_id))
    return cleaned, minutes


def store_event_in(session: Session, row: EventRow, event: Event, minutes: int) -> None:
    row.kind = event.kind.value
    row.title = event.title
    row.description = event.description
    row.start = event.start
    row.duration_minutes = minutes
    row.rrule = event.recurrence.rule
    row.rdates = _dates_text(event.recurrence.rdates)
    row.exdates = _dates_text(event.recurrence.exdates)
    row.school_days_only = event.recurrence.school_days_only
    row.place = event.place
    row.assembly_area_id = event.assembly_area_id
    row.scope = event.participants.scope.value
    row.organizer_id = event.organizer_id
    row.announced = event.announced
    people = event.participants
    grade_ids = people.grade_ids if people.scope is Scope.GRADES else frozenset()
    class_ids = people.class_ids if people.scope is Scope.CLASSES else frozenset()
    row.grades = [EventGradeRow(grade_id=g) for g in sorted(grade_ids)]
    row.classes = [EventClassRow(class_id=c) for c in sorted(class_ids)]


# Events ------------------------------------------------------------------------------------


def list_events(db: Database, school_id: int, ids: Iterable[int] | None = None) -> list[Event]:
    """The school's events (only those with ``ids`` when given), by start."""
    with db.read() as session:
        query = select(EventRow).where(EventRow.school_id == school_id)
        if ids is not None:
            query = query.where(EventRow.id.in_(set(ids)))
        rows = session.scalars(query.order_by(EventRow.start, EventRow.id)).all()
        return [event_value(row) for row in rows]


def get_event(db: Database, event_id: int) -> Event:
    with db.read() as session:
        return event_value(require(session, EventRow, event_id, _what()))


@operation(Op.SCHEDULE)
def add_event(db: Database, event: Event) -> Done[Event]:
    """Add ``event`` (its id is ignored); returns it as stored, with its id and UID, and
    that new event as the change."""
    with db.write() as session:
        added = add_event_in(session, event)
        return Done(added, Changes.of(Kind.EVENT, added.id))


def add_event_in(session: Session, event: Event) -> Event:
    """Add ``event`` inside an open unit of work (imports and demo data use this)."""
    cleaned, minutes = clean_event_in(session, event)
    row = EventRow(school_id=cleaned.school_id,
                   uid=cleaned.uid or f"{uuid.uuid4()}@drillplanner")
    store_event_in(session, row, cleaned, minutes)
    session.add(row)
    session.flush()
    return event_value(row)


@operation(Op.SCHEDULE)
def update_event(db: Database, event: Event) -> Done[Event]:
    """Change a whole event (every occurrence); moved or cancelled occurrences stay so.

    Returns the event as stored; the event changed.

    Raises:
        StaleEditError: ``event.version`` is not the stored one (someone else changed it
            meanwhile); its ``current`` is the event as stored.
    """
    with db.write() as session:
        row = require(session, EventRow, event.id, _what())
        check_version(row.version, event.version, _what(), lambda: event_value(row))
        cleaned, minutes = clean_event_in(session, replace(event, school_id=row.school_id),
                                  [change_value(c) for c in row.changes])
        store_event_in(session, row, cleaned, minutes)
        session.flush()
        return Done(event_value(row), Changes.of(Kind.EVENT, row.id))


def save_event(db: Database, event: Event) -> Done[Event]:
    """A new event (id 0) is added, one with an id updated."""
    return update_event(db, event) if event.id else add_event(db, event)


@operation(Op.SCHEDULE)
def delete_event(db: Database, event_id: int) -> Done[None]:
    with db.write() as session:
        session.delete(require(session, EventRow, event_id, _what()))
        return Done(None, Changes.of(Kind.EVENT, event_id))


def list_changes(db: Database, event_id: int) -> list[OccurrenceChange]:
    with db.read() as session:
        return [change_value(c) for c in require(session, EventRow, event_id, _what()).changes]


# Occurrences -------------------------------------------------------------------------------


def occurrences(db: Database, school_id: int, start: date, end: date,
                kinds: Iterable[EventKind] | None = None) -> list[Occurrence]:
    """Every occurrence of the school's events on days ``start``..``end`` (inclusive)."""
    with db.read() as session:
        tz = zone_in(session, school_id)
        calendar = load_calendar_in(session, school_id)
        events = events_with_changes_in(session, school_id, kinds, (start, end))
    return expand_all(events, calendar, tz, start, end)


def events_with_changes_in(session: Session, school_id: int,
                           kinds: Iterable[EventKind] | None = None,
                           days: tuple[date, date] | None = None
                           ) -> list[tuple[Event, list[OccurrenceChange]]]:
    """The school's events (of ``kinds``, or all) with their occurrence changes.

    With ``days`` (first, last), events that cannot have an occurrence on those days are
    left in the database: one-off events starting elsewhere (a week of margin for long
    events) and series starting after them, unless they have RDATEs or moved occurrences.
    """
    query = select(EventRow).where(EventRow.school_id == school_id)
    if days is not None:
        first = datetime.combine(days[0] - MAX_DURATION, time.min)
        after = datetime.combine(days[1] + timedelta(days=1), time.min)
        # RDATEs and moved occurrences may lie anywhere, so such events always stay in.
        anywhere = or_(EventRow.rdates != "", EventRow.changes.any())
        query = query.where(
            or_(EventRow.start < after, anywhere),
            or_(EventRow.rrule != "", EventRow.start >= first, anywhere))
    if kinds is not None:
        query = query.where(EventRow.kind.in_([EventKind(k).value for k in kinds]))
    return [(event_value(row), [change_value(c) for c in row.changes])
            for row in session.scalars(query)]


def expand_all(events: Sequence[tuple[Event, Sequence[OccurrenceChange]]],
               calendar: SchoolCalendar, tz: ZoneInfo, start: date, end: date
               ) -> list[Occurrence]:
    window_start = datetime.combine(start, time.min, tz)
    window_end = datetime.combine(end + timedelta(days=1), time.min, tz)
    found: list[Occurrence] = []
    for event, changes in events:
        found.extend(rec.expand(event, changes, calendar, tz, window_start, window_end))
    found.sort(key=lambda o: (o.start, o.event_id))
    return found


def _set_change(db: Database, event_id: int, original_start: datetime, *,
                cancelled: bool, new_start: datetime | None,
                new_duration: timedelta | None) -> Done[None]:
    original = original_start.replace(tzinfo=None)
    with db.write() as session:
        row = require(session, EventRow, event_id, _what())
        minutes = None if new_duration is None else check_duration(new_duration)
        existing = next((c for c in row.changes if c.original_start == original), None)
        if existing is None:
            existing = OccurrenceChangeRow(original_start=original)
            row.changes.append(existing)
        existing.cancelled = cancelled
        existing.new_start = None if new_start is None else new_start.replace(tzinfo=None)
        existing.new_duration_minutes = minutes
        return Done(None, Changes.of(Kind.EVENT, event_id))


@operation(Op.SCHEDULE)
def cancel_occurrence(db: Database, event_id: int, original_start: datetime) -> Done[None]:
    """Cancel one occurrence (named by its start as the rule generates it); the event
    changed."""
    return _set_change(db, event_id, original_start, cancelled=True, new_start=None,
                       new_duration=None)


@operation(Op.SCHEDULE)
def move_occurrence(db: Database, event_id: int, original_start: datetime,
                    new_start: datetime, new_duration: timedelta | None = None
                    ) -> Done[None]:
    """Move one occurrence to ``new_start`` (naive local time) without touching the rest;
    the event changed."""
    return _set_change(db, event_id, original_start, cancelled=False, new_start=new_start,
                       new_duration=new_duration)


@operation(Op.SCHEDULE)
def restore_occurrence(db: Database, event_id: int, original_start: datetime) -> Done[None]:
    """Undo a move or cancellation of one occurrence; the event changed."""
    original = original_start.replace(tzinfo=None)
    with db.write() as session:
        row = require(session, EventRow, event_id, _what())
        row.changes = [c for c in row.changes if c.original_start != original]
        return Done(None, Changes.of(Kind.EVENT, event_id))


@operation(Op.SCHEDULE)
def split_series(db: Database, event_id: int, at: datetime,
                 following: Event | None = None) -> Done[tuple[Event, Event]]:
    """"This and following": end the series before ``at``; a new event carries the
    occurrences from ``at`` on, with the moves and cancellations there.

    Without ``following`` the new event is a copy starting at ``at`` with the rest of the
    rule (a COUNT is shared out); with it, ``following`` is the new series as the user
    edited it. Returns (the shortened series, the new one); both events changed.
    """
    at_local = at.replace(tzinfo=None)
    with db.write() as session:
        row = require(session, EventRow, event_id, _what())
        event = event_value(row)
        if not event.recurrence.repeats or at_local <= event.start:
            raise ValidationError("start", _(
                "Only a repeating event can be split, at one of its later occurrences."))
        head_rule, tail_rule = rec.split_series(event.recurrence, event.start, at_local)
        if following is None:
            tail = replace(event, id=0, uid="", start=at_local, recurrence=tail_rule)
        else:
            tail = replace(following, id=0, uid="", school_id=row.school_id)
        head = replace(event, recurrence=head_rule)
        head_changes = [change_value(c) for c in row.changes if c.original_start < at_local]
        cleaned_head, head_minutes = clean_event_in(session, head, head_changes)
        cleaned_tail, tail_minutes = clean_event_in(session, tail)
        moved = [c for c in row.changes if c.original_start >= at_local]
        for change in moved:
            row.changes.remove(change)
        store_event_in(session, row, cleaned_head, head_minutes)
        tail_row = EventRow(school_id=row.school_id, uid=f"{uuid.uuid4()}@drillplanner")
        store_event_in(session, tail_row, cleaned_tail, tail_minutes)
        tail_row.changes = [OccurrenceChangeRow(
            original_start=c.original_start, cancelled=c.cancelled, new_start=c.new_start,
            new_duration_minutes=c.new_duration_minutes) for c in moved]
        session.add(tail_row)
        session.flush()
        return Done((event_value(row), event_value(tail_row)),
                    Changes.of(Kind.EVENT, row.id, tail_row.id))


def event_conflicts(db: Database, event: Event) -> list[Conflict]:
    """Warnings for ``event`` (new or edited) against the school's other events and calendar,
    over its occurrences in the next 400 days from its start."""
    with db.read() as session:
        tz = zone_in(session, event.school_id)
        calendar = load_calendar_in(session, event.school_id)
        changes = [] if not event.id else [
            change_value(c) for c in require(session, EventRow, event.id, _what()).changes]
        rows = session.scalars(select(EventRow).where(EventRow.school_id == event.school_id,
                                                      EventRow.id != event.id)).all()
        others = [(event_value(row), [change_value(c) for c in row.changes]) for row in rows]
        # Result.tuples() is deprecated in SQLAlchemy 2.1: rows unpack as tuples.
        grade_of_class = {class_id: grade_id for class_id, grade_id in session.execute(
            select(ClassRow.id, ClassRow.grade_id).join(GradeRow)
            .where(GradeRow.school_id == event.school_id))}
    first = event.start.date()
    last = first + CONFLICT_HORIZON
    mine = expand_all([(event, changes)], calendar, tz, first, last)
    theirs = expand_all(others, calendar, tz, first, last)
    return find_conflicts(mine, theirs, calendar, grade_of_class)
