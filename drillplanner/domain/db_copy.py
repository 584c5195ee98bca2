"""What a copy of a database (or of one school) to another database did, as plain values.

``drillplanner db copy`` counts the rows of every table in the copied scope on both sides
after the copy; the faces print the counts and fail when any differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from drillplanner.domain.errors import ConflictError


class CopyRefused(ConflictError):  # noqa: N818 - reads as what happened
    """The copy would mix its records with the target's (a school or login already there,
    a target that is not empty) or cannot keep them whole; nothing was written."""


@dataclass(frozen=True, slots=True)
class TableCount:
    """The rows of one table in the copied scope: in the source, and in the target after
    the copy (None: not copied yet, a dry run)."""

    table: str
    source: int
    target: int | None = None

    @property
    def matches(self) -> bool:
        return self.target is not None and self.target == self.source


@dataclass(frozen=True, slots=True)
class CopyReport:
    """A copy (or a dry run of one) from ``source`` to ``target`` (display names, passwords
    hidden). ``school`` is the school copied, None for the whole database."""

    source: str
    target: str
    school: str | None
    counts: tuple[TableCount, ...]
    dry_run: bool = False
    #: The target had no database yet (a dry run leaves it so).
    target_is_new: bool = False
    #: What the copy left out or changed on the way, said for the user.
    notes: tuple[str, ...] = ()
    #: The target's audit log after the copy: its rows, and whether its chain is whole
    #: (None: not checked, a dry run).
    log_rows: int = 0
    log_whole: bool | None = None

    @property
    def rows(self) -> int:
        return sum(count.source for count in self.counts)

    @property
    def differences(self) -> tuple[TableCount, ...]:
        """Tables whose counts differ after the copy (none in a dry run)."""
        if self.dry_run:
            return ()
        return tuple(count for count in self.counts if not count.matches)

    @property
    def ok(self) -> bool:
        return not self.differences
