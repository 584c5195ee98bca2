"""The ``drillplanner`` entry point: no sub-command opens the GUI, a sub-command runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from drillplanner.cli.main import build_parser, run

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if getattr(args, "command", None) is None:
        from drillplanner.ui.app import run_gui

        return run_gui(db=args.db, language=args.lang, demo=args.demo)
    return run(args)
