"""Staff roles in a school's drill organisation."""

from __future__ import annotations

import enum


class StaffRole(enum.StrEnum):
    """What a staff member does in a drill or in the school's structure."""

    HOMEROOM_TEACHER = "homeroom_teacher"
    GRADE_LEADER = "grade_leader"
    FLOOR_POST = "floor_post"
    STAIRWELL_POST = "stairwell_post"
    COMMANDER = "commander"
    DEPUTY_COMMANDER = "deputy_commander"
    PRINCIPAL = "principal"
    ADMIN = "admin"


def parse_roles(text: str) -> frozenset[StaffRole]:
    """Parse a comma-separated list of role values; raises ValueError naming the bad one."""
    roles: set[StaffRole] = set()
    for part in text.replace("，", ",").split(","):
        value = part.strip()
        if not value:
            continue
        try:
            roles.add(StaffRole(value))
        except ValueError:
            raise ValueError(value) from None
    return frozenset(roles)
