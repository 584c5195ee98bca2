"""The Drill page and the ``drill`` command follow the same rules for a scheduled drill:
postponed on one, started on the other, it is the same run resumed, never a second one."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from calendar_sample import once
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from drillplanner.cli.main import main
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.events import EventKind, Occurrence
from drillplanner.services import drills, drills_today
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.start_drill import StartChoice, StartDrillDialog
from drillplanner.ui.views.drill_page import DrillPage

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture
def page(ctx: AppContext, qtbot: QtBot) -> DrillPage:
    widget = DrillPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def choose(monkeypatch: pytest.MonkeyPatch, postpone: str | None = None) -> None:
    """The start dialog picks today's first scheduled drill (postponing it, if a reason)."""

    def ask(cls: type, occurrences: list[Occurrence], parent: object = None) -> StartChoice:
        first = occurrences[0]
        return StartChoice(first, first.kind, first.title, postpone_reason=postpone)

    monkeypatch.setattr(StartDrillDialog, "ask", classmethod(ask))


def test_postponed_in_the_app_then_started_on_the_command_line(
        page: DrillPage, ctx: AppContext, sample: Sample, db_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    event = once(ctx.db, sample.school.id, "秋季消防演练", datetime.combine(TODAY, time(10)),
                 kind=EventKind.FIRE)
    choose(monkeypatch, postpone="大雨")
    page.start_drill()
    (postponed,) = drills.list_runs(ctx.db, sample.school.id)
    assert postponed.status is RunStatus.POSTPONED

    code, out = cli(capsys, "drill", "start", f"{event.id}@{TODAY.isoformat()}",
                    "--db", db_path)
    assert code == 0, out
    (run,) = drills.list_runs(ctx.db, sample.school.id)  # the same run, no second one
    assert (run.id, run.status, run.status_reason) == (
        postponed.id, RunStatus.IN_PROGRESS, "大雨")
    assert f"#{postponed.id}" in out


def test_postponed_on_the_command_line_then_started_in_the_app(
        page: DrillPage, ctx: AppContext, sample: Sample, db_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    event = once(ctx.db, sample.school.id, "秋季消防演练", datetime.combine(TODAY, time(10)),
                 kind=EventKind.FIRE)
    code, out = cli(capsys, "drill", "postpone", f"{event.id}@{TODAY.isoformat()}",
                    "--reason", "大雨", "--db", db_path)
    assert code == 0, out
    (postponed,) = drills.list_runs(ctx.db, sample.school.id)
    assert postponed.status is RunStatus.POSTPONED
    # Postponed, it is offered again today.
    page.reload()
    assert "秋季消防演练" in page.scheduled_label.text()

    choose(monkeypatch)
    page.start_drill()
    (run,) = drills.list_runs(ctx.db, sample.school.id)
    assert (run.id, run.status) == (postponed.id, RunStatus.IN_PROGRESS)
    assert page.console is not None and page.console.run_id == postponed.id


def test_both_refuse_to_postpone_twice_or_restart_a_held_drill(
        page: DrillPage, ctx: AppContext, sample: Sample, db_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    event = once(ctx.db, sample.school.id, "秋季消防演练", datetime.combine(TODAY, time(10)),
                 kind=EventKind.FIRE)
    occurrence = f"{event.id}@{TODAY.isoformat()}"
    assert cli(capsys, "drill", "postpone", occurrence, "--reason", "大雨",
               "--db", db_path)[0] == 0
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, text, *_a: shown.append(text))
    # The page offers today's drills; the dialog's choice may be stale (made before another
    # computer postponed it): the service still refuses.
    (offered,) = drills_today.drills_to_start(ctx.db, sample.school.id, TODAY)
    page.start(StartChoice(offered, offered.kind, offered.title, postpone_reason="又下雨"))
    code, out = cli(capsys, "drill", "postpone", occurrence, "--reason", "又下雨",
                    "--db", db_path)
    assert shown == ["This drill is already postponed."]
    assert code == 1 and "This drill is already postponed." in out

    (run,) = drills.list_runs(ctx.db, sample.school.id)
    drills.sound_alarm(ctx.db, run.id)
    drills.finish_drill(ctx.db, run.id)
    shown.clear()
    page.start(StartChoice(offered, offered.kind, offered.title))
    code, out = cli(capsys, "drill", "start", occurrence, "--db", db_path)
    assert code == 1 and "already completed" in out
    assert len(shown) == 1 and "already completed" in shown[0]
    assert len(drills.list_runs(ctx.db, sample.school.id)) == 1


def test_a_cancelled_drill_can_be_run_again_from_either(
        page: DrillPage, ctx: AppContext, sample: Sample, db_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    event = once(ctx.db, sample.school.id, "秋季消防演练", datetime.combine(TODAY, time(10)),
                 kind=EventKind.FIRE)
    choose(monkeypatch)
    first = page.start_drill()
    assert first is not None
    drills.cancel_drill(ctx.db, first.id, "误报")
    # Called off: the page offers it again, and the command starts it again, as a new run.
    page._on_console_closed()
    assert "秋季消防演练" in page.scheduled_label.text()
    code, out = cli(capsys, "drill", "start", f"{event.id}@{TODAY.isoformat()}", "-q",
                    "--db", db_path)
    assert code == 0, out
    statuses = {r.id: r.status for r in drills.list_runs(ctx.db, sample.school.id)}
    assert statuses == {first.id: RunStatus.CANCELLED, int(out): RunStatus.IN_PROGRESS}
