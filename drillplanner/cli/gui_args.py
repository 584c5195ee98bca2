"""The options the GUI takes, read without loading every command's module (start-up time)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from drillplanner.i18n import LANGUAGES


def gui_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """``--db``, ``--lang`` and ``--demo`` when ``argv`` holds nothing else; otherwise None,
    and the full command-line parser takes over (commands, help, version, mistakes)."""
    if any(token in ("-h", "--help") or token.startswith("--version") for token in argv):
        return None
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    parser.add_argument("--db")
    parser.add_argument("--lang", choices=tuple(LANGUAGES))
    parser.add_argument("--demo", action="store_true")
    try:
        options, rest = parser.parse_known_args(list(argv))
    except argparse.ArgumentError:
        return None
    if rest or (options.demo and options.db):
        return None
    return options
