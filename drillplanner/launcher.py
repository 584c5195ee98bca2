"""The ``drillplanner`` entry point: no sub-command opens the GUI, a sub-command runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    from drillplanner.cli.gui_args import gui_options

    options = gui_options(arguments)
    if options is not None:
        return _gui(options.db, options.lang, options.demo)
    from drillplanner.cli.main import build_parser, run

    args = build_parser(arguments).parse_args(arguments)
    if getattr(args, "command", None) is None:
        return _gui(args.db, args.lang, args.demo)
    return run(args)


def _gui(db: str | None, language: str | None, demo: bool) -> int:
    # PySide6 inspects the source of every module imported after it (its __feature__
    # hook): importing the storage stack first saves ~70 ms of start-up.
    import drillplanner.services.schools  # noqa: F401
    from drillplanner.ui.app import run_gui

    return run_gui(db=db, language=language, demo=demo)
