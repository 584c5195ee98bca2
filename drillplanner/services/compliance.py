"""Compliance: which profile a school follows, and how its drills measure up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.compliance import (
    ComplianceReport,
    HeldDrill,
    PlannedDrill,
    Profile,
    evaluate,
)
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.events import DRILL_KINDS
from drillplanner.domain.permissions import Op
from drillplanner.i18n import _
from drillplanner.io.compliance_profiles import (
    load_builtin_profiles,
    profile_from_json,
    profile_to_json,
)
from drillplanner.services.authorization import operation
from drillplanner.services.calendar import load_calendar_in
from drillplanner.services.drills import held_drills_in
from drillplanner.services.lookup import require
from drillplanner.services.schedule import events_with_changes_in, expand_all, zone_in
from drillplanner.storage.collation import binary
from drillplanner.storage.database import Database
from drillplanner.storage.models import SchoolRow
from drillplanner.storage.models_schedule import ComplianceProfileRow


def _profiles_in(session: Session) -> dict[str, Profile]:
    profiles = {p.code: p for p in load_builtin_profiles()}
    query = select(ComplianceProfileRow).order_by(binary(ComplianceProfileRow.code))
    for row in session.scalars(query):
        profiles[row.code] = profile_from_json(row.data, f"database profile {row.code}")
    return profiles


def list_profiles(db: Database) -> list[Profile]:
    """Built-in profiles, with the school-edited versions replacing them, then custom ones."""
    with db.read() as session:
        return list(_profiles_in(session).values())


def get_profile(db: Database, code: str) -> Profile:
    with db.read() as session:
        return profile_in(session, code)


def profile_in(session: Session, code: str) -> Profile:
    """The profile called ``code`` (stored or built in); NotFoundError lists the others."""
    profiles = _profiles_in(session)
    if code not in profiles:
        raise NotFoundError(_("No compliance profile is called “{code}”. Profiles: {codes}"
                              ).format(code=code, codes=", ".join(profiles)))
    return profiles[code]


@operation(Op.SET_UP_SCHOOL)
def save_profile(db: Database, profile: Profile) -> Done[Profile]:
    """Store a new profile or an edited copy of one (a built-in keeps its original).

    Returns:
        The profile as stored, and what changed (that profile, by code).
    """
    text = profile_to_json(profile)
    checked = profile_from_json(text, profile.code)
    with db.write() as session:
        row = session.scalar(select(ComplianceProfileRow)
                             .where(ComplianceProfileRow.code == checked.code))
        if row is None:
            session.add(ComplianceProfileRow(code=checked.code, data=text))
        else:
            row.data = text
        return Done(checked, Changes.of(Kind.PROFILE, checked.code))


def import_profile(db: Database, text: str, source: str) -> Done[Profile]:
    """Add or replace a profile from its JSON text (errors name ``source`` and the field).

    Returns:
        The profile as stored, and what changed (that profile, by code).
    """
    return save_profile(db, profile_from_json(text, source))


@operation(Op.SET_UP_SCHOOL)
def delete_profile(db: Database, code: str) -> Done[None]:
    """Remove a stored profile; an edited built-in goes back to its original.

    Returns:
        Nothing, and what changed (that profile, by code).
    """
    with db.write() as session:
        row = session.scalar(select(ComplianceProfileRow)
                             .where(ComplianceProfileRow.code == code))
        if row is None:
            raise NotFoundError(_("There is no stored profile “{code}” to delete.").format(
                code=code))
        session.delete(row)
        return Done(None, Changes.of(Kind.PROFILE, code))


@operation(Op.SET_UP_SCHOOL)
def set_school_profile(db: Database, school_id: int, code: str) -> Done[None]:
    with db.write() as session:
        school = require(session, SchoolRow, school_id, _("School"))
        school.compliance_profile = profile_in(session, code).code
        return Done(None, Changes.of(Kind.SCHOOL, school_id))


def evaluate_school(db: Database, school_id: int, as_of: date, *,
                    profile_code: str | None = None,
                    held: Sequence[HeldDrill] = ()) -> ComplianceReport:
    """Evaluate the school's (or the named) profile for the school year holding ``as_of``.

    Held drills are the school's completed drill runs plus any ``held`` the caller adds
    (drills recorded elsewhere); planned drills are its scheduled drill occurrences from
    ``as_of`` to the end of the school year.
    """
    with db.read() as session:
        school = require(session, SchoolRow, school_id, _("School"))
        profile = profile_in(session, profile_code or school.compliance_profile)
        calendar = load_calendar_in(session, school_id)
        year = calendar.year_of(as_of)
        if year is None:
            raise ValidationError("as_of", _(
                "No school year of {school} contains {day}: add the school year and its "
                "terms to the calendar first.").format(school=school.name,
                                                       day=as_of.isoformat()))
        tz = zone_in(session, school_id)
        events = events_with_changes_in(session, school_id, DRILL_KINDS)
        recorded = [HeldDrill(day, kind, ref) for day, kind, ref in
                    held_drills_in(session, school_id, year.start, year.end)]
    planned = [PlannedDrill(o.day, o.kind, ref=f"{o.title} {o.start:%Y-%m-%d %H:%M}")
               for o in expand_all(events, calendar, tz, as_of, year.end)
               if o.day >= as_of]
    return evaluate(profile, calendar, [*recorded, *held], planned, as_of, year)


def held_from_text(values: Sequence[str]) -> list[HeldDrill]:
    """Parse "YYYY-MM-DD:kind" items (the CLI's --held) into held drills."""
    from drillplanner.domain.events import EventKind

    held = []
    for value in values:
        day_text, _sep, kind_text = value.partition(":")
        try:
            day = date.fromisoformat(day_text.strip())
            kind = EventKind((kind_text or "fire").strip())
        except ValueError:
            raise ValidationError("held", _(
                "“{value}” is not a held drill; write DATE:KIND such as 2026-11-09:fire."
            ).format(value=value)) from None
        held.append(HeldDrill(day, kind, ref=value))
    return held

