"""User-facing labels of record fields, shared by table headers, CLI output and messages."""

from __future__ import annotations

from drillplanner.domain.roles import StaffRole
from drillplanner.i18n import N_, _

FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "timezone": N_("Time zone"),
    "evacuation_target_seconds": N_("Evacuation target (s)"),
    "country": N_("Country"),
    "address": N_("Address"),
    "parent_id": N_("Central school"),
    "floor_count": N_("Floors"),
    "capacity": N_("Capacity"),
    "description": N_("Description"),
    "assembly_area_id": N_("Assembly area"),
    "ordinal": N_("Order"),
    "leader_id": N_("Grade leader"),
    "grade_id": N_("Grade"),
    "grade": N_("Grade"),
    "class": N_("Class"),
    "enrolled": N_("Enrolled"),
    "room": N_("Room"),
    "homeroom_teacher_id": N_("Homeroom teacher"),
    "homeroom_teacher": N_("Homeroom teacher"),
    "building_id": N_("Building"),
    "building": N_("Building"),
    "floor_level": N_("Floor"),
    "floor": N_("Floor"),
    "assembly_area": N_("Assembly area"),
    "route_id": N_("Route"),
    "phone": N_("Phone"),
    "roles": N_("Roles"),
    "school": N_("School"),
    "compliance_profile": N_("Compliance profile"),
    "title": N_("Title"),
    "kind": N_("Kind"),
    "start": N_("Start"),
    "end": N_("End"),
    "duration": N_("Duration"),
    "rrule": N_("Repeat rule"),
    "place": N_("Place"),
    "participants": N_("Participants"),
    "organizer_id": N_("Organizer"),
    "as_of": N_("As of"),
    "held": N_("Held drills"),
    "absent": N_("Absent"),
    "present": N_("Present"),
    "missing": N_("Missing"),
    "injured": N_("Injured"),
    "with_us": N_("From other classes"),
    "absent_names": N_("Names of absent students"),
    "missing_names": N_("Names of missing students"),
    "note": N_("Note"),
    "alarm_at": N_("Alarm"),
    "all_clear_at": N_("All clear"),
    "status": N_("Status"),
    "reason": N_("Reason"),
    "found_where": N_("Found where"),
    "due": N_("Due"),
    "owner": N_("Owner"),
}

ROLE_LABELS: dict[StaffRole, str] = {
    StaffRole.HOMEROOM_TEACHER: N_("Homeroom teacher"),
    StaffRole.GRADE_LEADER: N_("Grade leader"),
    StaffRole.FLOOR_POST: N_("Floor post"),
    StaffRole.STAIRWELL_POST: N_("Stairwell post"),
    StaffRole.COMMANDER: N_("Commander"),
    StaffRole.DEPUTY_COMMANDER: N_("Deputy commander"),
    StaffRole.PRINCIPAL: N_("Principal"),
    StaffRole.ADMIN: N_("Administrator"),
}


def label(field: str) -> str:
    """The translated label of ``field`` (the key itself when unknown)."""
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def role_label(role: StaffRole) -> str:
    return _(ROLE_LABELS[role])


def roles_text(roles: frozenset[StaffRole]) -> str:
    """Roles in a stable order, translated, joined for display."""
    ordered = [role for role in StaffRole if role in roles]
    return _(", ").join(role_label(role) for role in ordered)
