"""Arguments the ``drill`` sub-commands share (RUN, --at, --reason) and loading the run
they name."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from drillplanner.cli.drill_times import run_number
from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.structure import School
from drillplanner.i18n import _

if TYPE_CHECKING:
    from drillplanner.services.database import Database


def run_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar=_("RUN"), help=_("the drill's number (drill list)"))


def at_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--at", metavar=_("TIME"),
                        help=help_text + " " + _("(HH:MM[:SS] on the drill's day, or "
                                                 "\"YYYY-MM-DD HH:MM[:SS]\")"))


def change_reason_option(parser: argparse.ArgumentParser) -> None:
    """``--reason`` of a change: needed once the drill is completed (a correction) or
    signed off (an amendment)."""
    parser.add_argument("--reason", metavar=_("TEXT"), default="",
                        help=_("why the record changes: required to change what was "
                               "recorded after the all clear (a correction) and for any "
                               "change after sign-off (an amendment)"))


def load_run(db: Database, text: str) -> tuple[DrillRun, School]:
    """The run numbered ``text`` and its school."""
    from drillplanner.services.drills import get_run
    from drillplanner.services.schools import get_school

    run = get_run(db, run_number(text))
    return run, get_school(db, run.school_id)
