"""The school calendar: school years with terms, and dated entries (holidays, make-up days…).

Every write answers ``Done``: its result and the calendar of which school changed
(``Kind.CALENDAR`` with the school's id).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from drillplanner.domain import validation as v
from drillplanner.domain.changes import NOTHING, Changes, Done, Kind
from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.permissions import Op
from drillplanner.domain.school_calendar import (
    CalendarDay,
    DayKind,
    SchoolCalendar,
    SchoolYear,
    Term,
)
from drillplanner.i18n import _
from drillplanner.services.authorization import operation
from drillplanner.services.lookup import require
from drillplanner.storage.database import Database
from drillplanner.storage.models import SchoolRow
from drillplanner.storage.models_schedule import CalendarDayRow, SchoolYearRow, TermRow


def _year(row: SchoolYearRow) -> SchoolYear:
    return SchoolYear(name=row.name, start=row.start, end=row.end, id=row.id, terms=tuple(
        Term(name=t.name, start=t.start, end=t.end, id=t.id) for t in row.terms))


def _day(row: CalendarDayRow) -> CalendarDay:
    return CalendarDay(kind=DayKind(row.kind), start=row.start, end=row.end, name=row.name,
                       id=row.id)


def _calendar_of(school_id: int) -> Changes:
    """The change to a school's calendar (the id is the school's)."""
    return Changes.of(Kind.CALENDAR, school_id)


def _check_range(field: str, start: date, end: date) -> None:
    if end < start:
        raise ValidationError(field, _("The end ({end}) is before the start ({start}).").format(
            end=end.isoformat(), start=start.isoformat()))


def _check_terms(year_start: date, year_end: date,
                 terms: Sequence[tuple[str, date, date]]) -> list[tuple[str, date, date]]:
    cleaned: list[tuple[str, date, date]] = []
    for name, start, end in sorted(terms, key=lambda t: t[1]):
        clean = v.name("name", name, 50)
        _check_range("terms", start, end)
        if start < year_start or end > year_end:
            raise ValidationError("terms", _("The term “{name}” lies outside its school year."
                                             ).format(name=clean))
        if cleaned and start <= cleaned[-1][2]:
            raise ValidationError("terms", _("The terms “{a}” and “{b}” overlap.").format(
                a=cleaned[-1][0], b=clean))
        cleaned.append((clean, start, end))
    return cleaned


def list_school_years(db: Database, school_id: int) -> list[SchoolYear]:
    with db.read() as session:
        rows = session.scalars(select(SchoolYearRow).where(SchoolYearRow.school_id == school_id)
                               .order_by(SchoolYearRow.start)).all()
        return [_year(row) for row in rows]


@operation(Op.SET_UP_CALENDAR)
def add_school_year(db: Database, school_id: int, name: str, start: date, end: date,
                    terms: Sequence[tuple[str, date, date]] = ()) -> Done[SchoolYear]:
    """Add a school year with its terms (name, first day, last day; inclusive).

    Returns the year as stored; the school's calendar changed.
    """
    with db.write() as session:
        year = add_school_year_in(session, school_id, name, start, end, terms)
        return Done(year, _calendar_of(school_id))


def add_school_year_in(session: Session, school_id: int, name: str, start: date, end: date,
                       terms: Sequence[tuple[str, date, date]] = ()) -> SchoolYear:
    """Add a school year inside an open unit of work."""
    require(session, SchoolRow, school_id, _("School"))
    clean = v.name("name", name, 50)
    _check_range("end", start, end)
    cleaned = _check_terms(start, end, terms)
    for other in session.scalars(select(SchoolYearRow)
                                 .where(SchoolYearRow.school_id == school_id)):
        if other.name == clean:
            raise ConflictError(_("School year “{name}” already exists.").format(name=clean))
        if start <= other.end and other.start <= end:
            raise ValidationError("start", _(
                "This school year overlaps the school year “{name}”.").format(
                    name=other.name))
    row = SchoolYearRow(school_id=school_id, name=clean, start=start, end=end,
                        terms=[TermRow(name=n, start=s, end=e) for n, s, e in cleaned])
    session.add(row)
    session.flush()
    return _year(row)


@operation(Op.SET_UP_CALENDAR)
def set_terms(db: Database, year_id: int, terms: Sequence[tuple[str, date, date]]
              ) -> Done[SchoolYear]:
    """Replace the terms of a school year; returns the year, its school's calendar changed."""
    with db.write() as session:
        row = require(session, SchoolYearRow, year_id, _("School year"))
        cleaned = _check_terms(row.start, row.end, terms)
        row.terms = [TermRow(name=n, start=s, end=e) for n, s, e in cleaned]
        session.flush()
        return Done(_year(row), _calendar_of(row.school_id))


@operation(Op.SET_UP_CALENDAR)
def delete_school_year(db: Database, year_id: int) -> Done[None]:
    with db.write() as session:
        row = require(session, SchoolYearRow, year_id, _("School year"))
        school_id = row.school_id
        session.delete(row)
        return Done(None, _calendar_of(school_id))


def list_calendar_days(db: Database, school_id: int, start: date | None = None,
                       end: date | None = None) -> list[CalendarDay]:
    """Dated entries overlapping [start, end] (all when not given), by date."""
    with db.read() as session:
        query = select(CalendarDayRow).where(CalendarDayRow.school_id == school_id)
        if start is not None:
            query = query.where(CalendarDayRow.end >= start)
        if end is not None:
            query = query.where(CalendarDayRow.start <= end)
        rows = session.scalars(query.order_by(CalendarDayRow.start, CalendarDayRow.id)).all()
        return [_day(row) for row in rows]


def add_day_in(session: Session, school_id: int, entry: CalendarDay) -> CalendarDayRow:
    """Add one dated entry inside an open unit of work."""
    _check_range("end", entry.start, entry.end)
    if (entry.end - entry.start).days > 366:
        raise ValidationError("end", _("A calendar entry may cover at most a year."))
    row = CalendarDayRow(school_id=school_id, kind=DayKind(entry.kind).value,
                         start=entry.start, end=entry.end, name=v.text("name", entry.name, 200))
    session.add(row)
    return row


@operation(Op.SET_UP_CALENDAR)
def add_calendar_day(db: Database, school_id: int, kind: DayKind, start: date,
                     end: date | None = None, name: str = "") -> Done[CalendarDay]:
    """Add a holiday, closure, exam day, sports day or make-up school day (or a range).

    Returns the entry as stored; the school's calendar changed.
    """
    with db.write() as session:
        require(session, SchoolRow, school_id, _("School"))
        row = add_day_in(session, school_id, CalendarDay(kind, start, end or start, name))
        session.flush()
        return Done(_day(row), _calendar_of(school_id))


@operation(Op.SET_UP_CALENDAR)
def add_calendar_days(db: Database, school_id: int, entries: Iterable[CalendarDay],
                      *, skip_existing: bool = True) -> Done[list[CalendarDay]]:
    """Add many entries in one transaction; with ``skip_existing`` an entry of the same kind
    and dates already present is not added twice. Returns what was added; the school's
    calendar changed (nothing did when nothing was added)."""
    with db.write() as session:
        added = add_calendar_days_in(session, school_id, entries, skip_existing=skip_existing)
        return Done(added, _calendar_of(school_id) if added else NOTHING)


def add_calendar_days_in(session: Session, school_id: int, entries: Iterable[CalendarDay],
                         *, skip_existing: bool = True) -> list[CalendarDay]:
    """``add_calendar_days`` inside an open unit of work; returns what was added."""
    require(session, SchoolRow, school_id, _("School"))
    existing = {(r.kind, r.start, r.end) for r in session.scalars(
        select(CalendarDayRow).where(CalendarDayRow.school_id == school_id))}
    added = []
    for entry in entries:
        key = (DayKind(entry.kind).value, entry.start, entry.end)
        if skip_existing and key in existing:
            continue
        existing.add(key)
        added.append(add_day_in(session, school_id, entry))
    session.flush()
    return [_day(row) for row in added]


@operation(Op.SET_UP_CALENDAR)
def delete_calendar_day(db: Database, day_id: int) -> Done[None]:
    with db.write() as session:
        row = require(session, CalendarDayRow, day_id, _("Calendar entry"))
        school_id = row.school_id
        session.delete(row)
        return Done(None, _calendar_of(school_id))


@operation(Op.SET_UP_CALENDAR)
def clear_calendar_days(db: Database, school_id: int, kind: DayKind) -> Done[int]:
    """Remove every entry of ``kind``; returns how many (the school's calendar changed when
    there were any)."""
    with db.write() as session:
        result = session.execute(delete(CalendarDayRow).where(
            CalendarDayRow.school_id == school_id, CalendarDayRow.kind == kind.value))
        removed = int(result.rowcount or 0)  # type: ignore[attr-defined]
        return Done(removed, _calendar_of(school_id) if removed else NOTHING)


def load_calendar_in(session: Session, school_id: int) -> SchoolCalendar:
    years = session.scalars(select(SchoolYearRow).where(SchoolYearRow.school_id == school_id)
                            .order_by(SchoolYearRow.start)).all()
    # Plain columns, not ORM objects: a school has hundreds of entries over the years and
    # this runs for every calendar view and expansion.
    days = session.execute(
        select(CalendarDayRow.kind, CalendarDayRow.start, CalendarDayRow.end,
               CalendarDayRow.name, CalendarDayRow.id)
        .where(CalendarDayRow.school_id == school_id).order_by(CalendarDayRow.start)).all()
    return SchoolCalendar(years=tuple(_year(y) for y in years), entries=tuple(
        CalendarDay(DayKind(kind), start, end, name, day_id)
        for kind, start, end, name, day_id in days))


def load_calendar(db: Database, school_id: int) -> SchoolCalendar:
    """The school's whole calendar as one pure value."""
    with db.read() as session:
        return load_calendar_in(session, school_id)


@operation(Op.SET_UP_CALENDAR)
def prefill_public_holidays(db: Database, school_id: int, years: Iterable[int]
                            ) -> Done[list[CalendarDay]]:
    """Add the public holidays (and make-up days) of the school's country for ``years``,
    in one transaction; those already there are skipped. Returns what was added; the
    school's calendar changed (nothing did when nothing was added)."""
    from drillplanner.services.public_holidays import public_holidays

    with db.write() as session:
        country = require(session, SchoolRow, school_id, _("School")).country
        added = add_calendar_days_in(session, school_id, public_holidays(country, years))
        return Done(added, _calendar_of(school_id) if added else NOTHING)
