"""Roster rows and import problems: the plain data between roster files and the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from drillplanner.domain.errors import DrillplannerError


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One class as a roster file describes it. ``line`` is the 1-based line in the file."""

    grade: str
    class_name: str
    enrolled: int
    homeroom_teacher: str = ""
    room: str = ""
    floor: int | None = None
    building: str = ""
    assembly_area: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class RosterProblem:
    """Something wrong in a roster, located as precisely as is known."""

    message: str
    file: str = ""
    line: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where = f"{where}:{self.line}" if where else str(self.line)
        if self.column:
            where = f"{where} [{self.column}]" if where else f"[{self.column}]"
        return f"{where}: {self.message}" if where else self.message


class RosterError(DrillplannerError):
    """A roster cannot be imported; ``problems`` lists every reason, none is left out."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "invalid roster"
        more = len(self.problems) - 1
        super().__init__(first if more <= 0 else f"{first} (+{more})")


@dataclass(frozen=True, slots=True)
class RosterTable:
    """A parsed roster file: its rows plus columns the reader did not know."""

    rows: tuple[RosterRow, ...]
    source: str = ""
    unknown_columns: tuple[str, ...] = ()
    sheet: str = ""  # the workbook sheet read ("" for a CSV file)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did (or, in a dry run, would do). Names are full class names."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    staff_added: tuple[str, ...] = ()
    grades_added: tuple[str, ...] = ()
    unknown_columns: tuple[str, ...] = ()
    dry_run: bool = False
    changed_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
