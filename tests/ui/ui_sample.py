"""The sample school the GUI tests work on (a module, so tests can name its type)."""

from __future__ import annotations

from dataclasses import dataclass

from drillplanner.domain.structure import School, SchoolClass


@dataclass
class Sample:
    school: School
    class_1: SchoolClass
    class_2: SchoolClass
    grade_id: int
    building_id: int
