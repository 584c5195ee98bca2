"""Running a command in the test's own process, as the shell would see it."""

from __future__ import annotations

import pytest

from drillplanner.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """The command's (exit status, stdout, stderr); argparse's own usage errors end in
    SystemExit, caught here like the shell would see them."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ok(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    """The command's stdout; it must succeed."""
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out
