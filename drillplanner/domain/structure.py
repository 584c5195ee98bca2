"""A school's structure as plain immutable values, as services return them."""

from __future__ import annotations

from dataclasses import dataclass, field

from drillplanner.domain.roles import StaffRole

DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_EVACUATION_TARGET_SECONDS = 180


@dataclass(frozen=True, slots=True)
class School:
    id: int
    name: str
    timezone: str = DEFAULT_TIMEZONE
    evacuation_target_seconds: int = DEFAULT_EVACUATION_TARGET_SECONDS
    country: str = "CN"
    parent_id: int | None = None
    address: str = ""
    compliance_profile: str = "cn_moe_2014"


@dataclass(frozen=True, slots=True)
class Building:
    id: int
    school_id: int
    name: str
    floor_count: int


@dataclass(frozen=True, slots=True)
class Floor:
    id: int
    building_id: int
    level: int


@dataclass(frozen=True, slots=True)
class AssemblyArea:
    id: int
    school_id: int
    name: str
    capacity: int | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    id: int
    school_id: int
    name: str
    assembly_area_id: int | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Grade:
    id: int
    school_id: int
    name: str
    ordinal: int
    leader_id: int | None = None


@dataclass(frozen=True, slots=True)
class Staff:
    id: int
    school_id: int
    name: str
    roles: frozenset[StaffRole] = field(default_factory=frozenset)
    phone: str = ""


@dataclass(frozen=True, slots=True)
class SchoolClass:
    """A school class (班级). Names of related records are carried for display."""

    id: int
    school_id: int
    grade_id: int
    grade_name: str
    name: str
    enrolled: int
    room: str = ""
    homeroom_teacher_id: int | None = None
    homeroom_teacher_name: str = ""
    building_id: int | None = None
    building_name: str = ""
    floor_level: int | None = None
    assembly_area_id: int | None = None
    assembly_area_name: str = ""
    route_id: int | None = None
    route_name: str = ""
    #: The stored version this value was read at (optimistic locking).
    version: int = 0

    @property
    def full_name(self) -> str:
        return class_full_name(self.grade_name, self.name)


def class_full_name(grade_name: str, class_name: str) -> str:
    """"一年级" + "2班" -> "一年级2班"; a class name that already holds its grade is kept."""
    if class_name.startswith(grade_name):
        return class_name
    return f"{grade_name}{class_name}"


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key putting "2班" before "10班": runs of digits compare as numbers."""
    parts: list[tuple[int, int | str]] = []
    digits = ""
    for ch in name:
        if ch.isascii() and ch.isdigit():
            digits += ch
            continue
        if digits:
            parts.append((0, int(digits)))
            digits = ""
        parts.append((1, ch))
    if digits:
        parts.append((0, int(digits)))
    return tuple(parts)


def class_sort_key(grade_ordinal: int, grade_name: str, class_name: str) -> tuple[object, ...]:
    """Classes in school order: by grade, then by class number."""
    return (grade_ordinal, natural_key(grade_name), natural_key(class_name))


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                   "七": 7, "八": 8, "九": 9, "十": 10}


def grade_ordinal(name: str) -> int:
    """Sort key of a grade name: "一年级" -> 1, "Grade 3" -> 3, "初二" -> 2; 0 when unknown."""
    digits = "".join(ch for ch in name if ch.isascii() and ch.isdigit())
    if digits:
        return int(digits)
    for ch in name:
        if ch in _CHINESE_DIGITS:
            return _CHINESE_DIGITS[ch]
    return 0
