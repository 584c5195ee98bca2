"""The entry point: GUI options reach the GUI without loading the command-line modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from drillplanner.cli.gui_args import gui_options

PROBE = """
import sys
import drillplanner.ui.app as app
seen = {}
def fake_run_gui(db, language, demo):
    seen.update(db=db, language=language, demo=demo,
                cli=any(m.startswith("drillplanner.cli.main") for m in sys.modules))
    return 0
app.run_gui = fake_run_gui
from drillplanner.launcher import main
code = main(sys.argv[1:])
print(code, seen)
"""


def test_gui_start_skips_the_command_modules() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, "--db", "x.sqlite3", "--lang", "zh_CN"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == (
        "0 {'db': 'x.sqlite3', 'language': 'zh_CN', 'demo': False, 'cli': False}")


@pytest.mark.parametrize("argv", [
    ["school", "list"], ["--version"], ["-h"], ["--lang", "fr"], ["--db"],
    ["--demo", "--db", "x"], ["--unknown"],
])
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert gui_options(argv) is None


def test_gui_options_read_the_three_options() -> None:
    options = gui_options(["--demo", "--lang=en"])
    assert options is not None
    assert (options.db, options.lang, options.demo) == (None, "en", True)
