"""Roster import (all-or-nothing, matched by grade + class name) and export."""

from __future__ import annotations

from drillplanner.domain.roster import ImportSummary, RosterRow, RosterTable
from drillplanner.storage.database import Database


def import_roster(db: Database, school_id: int, table: RosterTable, *, dry_run: bool = False,
                  remove_absent: bool = False) -> ImportSummary:
    """Apply a parsed roster to a school in one transaction.

    Raises RosterError listing every problem (unknown building, floor or assembly area, ...)
    with file, line and column; on any error nothing is written. ``dry_run`` computes the
    same summary and writes nothing.
    """
    raise NotImplementedError  # implemented in the roster work


def export_roster(db: Database, school_id: int) -> list[RosterRow]:
    """The school's classes as roster rows, in grade order."""
    raise NotImplementedError  # implemented in the roster work
