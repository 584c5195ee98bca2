"""iCalendar files for a school: export its events, import events or calendar entries.

Imports are all-or-nothing: the file is read first (no lock held), then every event is
validated and stored in one transaction; any problem in any event rolls all of it back and
is reported with the file's name and the line of the event. Imports answer ``Done``: what
was imported and what changed (the events, or the school's calendar; nothing in a dry run).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain.changes import NOTHING, Changes, Done, Kind
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.events import Event, OccurrenceChange, Participants, Scope
from drillplanner.domain.excerpts import excerpt
from drillplanner.domain.permissions import Op
from drillplanner.domain.school_calendar import CalendarDay
from drillplanner.domain.structure import class_full_name
from drillplanner.i18n import _
from drillplanner.io.ical_calendar import parse_calendar_entries
from drillplanner.io.ical_export import export_events
from drillplanner.io.ical_import import parse_events
from drillplanner.io.ical_model import (
    X_CLASS,
    X_GRADE,
    EventPeople,
    IcsError,
    IcsEvent,
    IcsProblem,
)
from drillplanner.services.authorization import operation
from drillplanner.services.calendar import (
    add_calendar_days_in,
    list_calendar_days,
    load_calendar_in,
)
from drillplanner.services.lookup import require
from drillplanner.services.schedule import (
    check_duration,
    clean_event_in,
    event_value,
    events_with_changes_in,
    store_event_in,
)
from drillplanner.services.schools import get_school
from drillplanner.storage import audit_core
from drillplanner.storage.database import Database
from drillplanner.storage.models import (
    AssemblyAreaRow,
    ClassRow,
    GradeRow,
    SchoolRow,
    StaffRow,
)
from drillplanner.storage.models_schedule import EventRow, OccurrenceChangeRow

log = logging.getLogger("drillplanner.services.ical")
MAX_UID_LENGTH = 200  # events.uid

# The iCalendar property a validation error of an event field is about.
_FIELD_PROPERTIES = {"title": "SUMMARY", "description": "DESCRIPTION", "place": "LOCATION",
                     "duration": "DTEND", "end": "DTEND", "rrule": "RRULE", "rule": "RRULE",
                     "start": "DTSTART"}


@dataclass(frozen=True, slots=True)
class EventImport:
    """What an event import did (or, in a dry run, would do)."""

    added: tuple[Event, ...] = ()
    updated: tuple[Event, ...] = ()
    dry_run: bool = False


def export_school_events(db: Database, school_id: int, *, today: date | None = None) -> bytes:
    """Every event of the school as .ics bytes (see ``io.ical_export.export_events``)."""
    with db.read() as session:
        school = require(session, SchoolRow, school_id, _("School"))
        name, zone = school.name, school.timezone
        calendar = load_calendar_in(session, school_id)
        events = sorted(events_with_changes_in(session, school_id),
                        key=lambda pair: (pair[0].start, pair[0].id))
        names = _Names(session, school_id)
    people = {event.id: names.people_of(event) for event, _changes in events}
    return export_events(events, zone, name, calendar=calendar, today=today, people=people)


class _Names:
    """The names of a school's grades, classes, staff and assembly areas, both ways."""

    def __init__(self, session: Session, school_id: int) -> None:
        grades = session.scalars(select(GradeRow).where(GradeRow.school_id == school_id))
        self.grades = {row.id: row.name for row in grades}
        classes = session.scalars(select(ClassRow).join(GradeRow)
                                  .where(GradeRow.school_id == school_id))
        self.classes = {row.id: class_full_name(row.grade.name, row.name) for row in classes}
        staff = session.scalars(select(StaffRow).where(StaffRow.school_id == school_id))
        self.staff = {row.id: row.name for row in staff}
        self.staff_ids = {name: key for key, name in self.staff.items()}
        areas = session.scalars(select(AssemblyAreaRow)
                                .where(AssemblyAreaRow.school_id == school_id))
        self.area_ids = {row.name: row.id for row in areas}

    def people_of(self, event: Event) -> EventPeople:
        people = event.participants
        return EventPeople(
            scope=people.scope,
            grades=tuple(sorted(self.grades[i] for i in people.grade_ids if i in self.grades))
            if people.scope is Scope.GRADES else (),
            classes=tuple(sorted(self.classes[i] for i in people.class_ids
                                 if i in self.classes))
            if people.scope is Scope.CLASSES else (),
            organizer=self.staff.get(event.organizer_id or 0, ""))

    def participants(self, people: EventPeople) -> tuple[Participants, list[tuple[str, str]]]:
        """The participants ``people`` names, and (property, name) for each unknown name."""
        unknown: list[tuple[str, str]] = []

        def ids(wanted: tuple[str, ...], known: dict[int, str], prop: str) -> frozenset[int]:
            by_name = {name: key for key, name in known.items()}
            unknown.extend((prop, name) for name in wanted if name not in by_name)
            return frozenset(by_name[name] for name in wanted if name in by_name)

        if people.scope is Scope.GRADES:
            found = Participants(Scope.GRADES, grade_ids=ids(people.grades, self.grades,
                                                             X_GRADE))
        elif people.scope is Scope.CLASSES:
            found = Participants(Scope.CLASSES, class_ids=ids(people.classes, self.classes,
                                                              X_CLASS))
        else:
            found = Participants()
        return found, unknown


@operation(Op.SCHEDULE)
def import_events(db: Database, school_id: int, data: bytes, source: str, *,
                  dry_run: bool = False) -> Done[EventImport]:
    """Add the events of an .ics file to a school, all of them or none.

    Participants and the organizer are found by name (grades, classes and staff of this
    school; a grade or class the school does not have is a problem, an unknown organizer is
    left out); a LOCATION that names an assembly area links it. An event whose UID the school
    already has replaces that event with its moved and cancelled occurrences (its
    participants and organizer stay when the file does not name them); a UID another school
    uses gets a new one.

    The file is parsed and every event checked in a read unit of work; only then is the
    write lock taken, for storing alone (the events are checked again inside it if the
    school's structure, calendar or events were written in between).

    Returns what was added and updated; those events changed (nothing did in a dry run).

    Raises:
        IcsError: the file cannot be read or an event breaks a rule (each problem names
            ``source`` and the line of its VEVENT); nothing is stored.
    """
    tz_name = get_school(db, school_id).timezone
    events = parse_events(data, source, tz_name)
    with db.read() as session:
        mark = audit_core.last_id(session.connection())
        planned = _Import(session, school_id, source).check(events)
    if dry_run:
        return Done(EventImport(tuple(p.event for p in planned if p.row_id is None),
                                tuple(p.event for p in planned if p.row_id is not None),
                                dry_run=True), NOTHING)
    with db.write() as session:
        if audit_core.changed_since(session.connection(), mark, _EVENT_TABLES, school_id):
            planned = _Import(session, school_id, source).check(events)
        result = _store_all(session, school_id, planned)
    ids = [event.id for event in (*result.added, *result.updated)]
    log.info("%s: %d events added, %d updated in school %d", source, len(result.added),
             len(result.updated), school_id)
    return Done(result, Changes.of(Kind.EVENT, *ids) if ids else NOTHING)


#: What checking an event relies on: written since the check, the check is made again.
_EVENT_TABLES = ("schools", "grades", "classes", "staff", "assembly_areas", "school_years",
                 "terms", "calendar_days", "events", "event_grades", "event_classes",
                 "occurrence_changes")


@dataclass(frozen=True, slots=True)
class _Planned:
    """An event checked and ready to store: new (``row_id`` None) or replacing one."""

    row_id: int | None
    event: Event
    minutes: int
    changes: tuple[OccurrenceChange, ...]


class _Import:
    """Checks a file's events against the school; writes nothing."""

    def __init__(self, session: Session, school_id: int, source: str) -> None:
        require(session, SchoolRow, school_id, _("School"))
        self.session = session
        self.school_id = school_id
        self.source = source
        self.problems: list[IcsProblem] = []
        self.names = _Names(session, school_id)
        # Loaded once for the whole file, not once per event.
        self.calendar = load_calendar_in(session, school_id)

    def check(self, events: list[IcsEvent]) -> list[_Planned]:
        uids = [e.uid for e in events if e.uid]
        existing = {row.uid: row for row in self.session.scalars(
            select(EventRow).where(EventRow.uid.in_(uids)))} if uids else {}
        planned: list[_Planned] = []
        for parsed in events:
            # A UID longer than we store (other apps' are short) is replaced, not cut.
            item = parsed if len(parsed.uid) <= MAX_UID_LENGTH else replace(parsed, uid="")
            row = existing.get(item.uid)
            if row is not None and row.school_id != self.school_id:
                # The same file imported into a second school: a copy, not a move.
                row, item = None, replace(item, uid="")
            checked = self._check(item, row)
            if checked is not None:
                planned.append(checked)
        if self.problems:
            raise IcsError(self.problems)
        return planned

    def _check(self, item: IcsEvent, row: EventRow | None) -> _Planned | None:
        event = item.to_event(self.school_id, 0 if row is None else row.id)
        if row is not None and item.people is None:
            kept = event_value(row)
            event = replace(event, participants=kept.participants,
                            organizer_id=kept.organizer_id)
        if item.people is not None:
            participants, unknown = self.names.participants(item.people)
            for prop, name in unknown:
                self.problems.append(IcsProblem(
                    _("“{title}”: the school has no “{name}”.").format(title=excerpt(item.title),
                                                                    name=excerpt(name)),
                    self.source, item.line or None, prop))
            if unknown:
                return None
            organizer = self.names.staff_ids.get(item.people.organizer)
            event = replace(event, participants=participants, organizer_id=organizer)
        event = replace(event, assembly_area_id=self.names.area_ids.get(event.place))
        try:
            cleaned, minutes = clean_event_in(self.session, event, item.changes, self.calendar)
            for change in item.changes:
                if change.new_duration is not None:
                    check_duration(change.new_duration)
        except ValidationError as error:
            self.problems.append(IcsProblem(
                _("“{title}”: {message}").format(title=excerpt(item.title),
                                             message=error.message),
                self.source, item.line or None, _FIELD_PROPERTIES.get(error.field, "")))
            return None
        except NotFoundError as error:
            self.problems.append(IcsProblem(str(error), self.source, item.line or None))
            return None
        if row is None:
            cleaned = replace(cleaned, uid=cleaned.uid or f"{uuid.uuid4()}@drillplanner")
        return _Planned(None if row is None else row.id, cleaned, minutes,
                        tuple(item.changes))


def _store_all(session: Session, school_id: int, planned: list[_Planned]) -> EventImport:
    """Store checked events with one flush (two when replaced events had changes)."""
    ids = {p.row_id for p in planned if p.row_id is not None}
    rows = {row.id: row for row in session.scalars(
        select(EventRow).where(EventRow.id.in_(ids)))} if ids else {}
    if any(rows[p.row_id].changes for p in planned if p.row_id is not None):
        # Old changes go first: the new ones may name the same occurrences (unique key).
        for old in rows.values():
            old.changes = []
        session.flush()
    stored: list[tuple[EventRow, bool]] = []
    for item in planned:
        row: EventRow | None = rows.get(item.row_id) if item.row_id is not None else None
        if row is None:
            row = EventRow(school_id=school_id, uid=item.event.uid)
            session.add(row)
        store_event_in(session, row, item.event, item.minutes)
        row.changes = [OccurrenceChangeRow(
            original_start=c.original_start, cancelled=c.cancelled, new_start=c.new_start,
            new_duration_minutes=None if c.new_duration is None else int(
                c.new_duration.total_seconds() // 60)) for c in item.changes]
        stored.append((row, item.row_id is None))
    session.flush()
    values = [(event_value(row), new) for row, new in stored]
    return EventImport(tuple(v for v, new in values if new),
                       tuple(v for v, new in values if not new))


@operation(Op.SET_UP_CALENDAR)
def import_calendar_entries(db: Database, school_id: int, data: bytes, source: str, *,
                            dry_run: bool = False) -> Done[list[CalendarDay]]:
    """Add the holidays, closures, make-up, exam and sports days of an .ics file to the
    school's calendar in one transaction; entries it already has (same kind and dates) are
    skipped. Returns what was (or, in a dry run, would be) added; the school's calendar
    changed (nothing did in a dry run or when nothing was added)."""
    entries = parse_calendar_entries(data, source)
    if not dry_run:
        with db.write() as session:
            added = add_calendar_days_in(session, school_id, entries)
            return Done(added, Changes.of(Kind.CALENDAR, school_id) if added else NOTHING)
    get_school(db, school_id)
    known = {(e.kind, e.start, e.end) for e in list_calendar_days(db, school_id)}
    fresh: list[CalendarDay] = []
    for entry in entries:
        if (entry.kind, entry.start, entry.end) not in known:
            known.add((entry.kind, entry.start, entry.end))
            fresh.append(entry)
    return Done(fresh, NOTHING)
