"""The GUI's save dialogs go through the same output check as the CLI: the open database,
a folder, a device or another kind of file is never written, and the reason is shown."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_sample import Sample

from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import files, messages
from drillplanner.ui.mainwindow import MainWindow
from drillplanner.ui.views.reports_page import ReportsPage

SQLITE_HEADER = b"SQLite format 3\x00"


def _database(ctx: AppContext) -> Path:
    path = ctx.db.target.path
    assert path is not None
    return path


@pytest.fixture
def page(ctx: AppContext, sample: Sample, qtbot: QtBot) -> Iterator[ReportsPage]:
    shown = ReportsPage(ctx)
    qtbot.addWidget(shown)
    # A previewed report, as if Preview had been pressed.
    shown.preview_pane.data = b"%PDF-1.4\n% a report\n"
    yield shown
    shown.detach()


def test_saving_a_report_over_the_database_is_refused(page: ReportsPage,
                                                      ctx: AppContext) -> None:
    database = _database(ctx)
    for target in (database, database.with_name(database.name + "-wal")):
        assert not page.save_to(target)
        assert "open database" in page.message.text()
    assert database.read_bytes().startswith(SQLITE_HEADER)


def test_saving_a_report_over_another_kind_of_file_is_refused(page: ReportsPage,
                                                              tmp_path: Path) -> None:
    notes = tmp_path / "notes.pdf"
    notes.write_text("my notes", encoding="utf-8")
    assert not page.save_to(notes)
    assert "is not a PDF file" in page.message.text()
    assert notes.read_text(encoding="utf-8") == "my notes"
    assert not page.save_to(tmp_path)
    assert "is a folder" in page.message.text()
    if Path(os.devnull).exists():
        assert not page.save_to(Path(os.devnull))
    report = tmp_path / "report.pdf"
    assert page.save_to(report), page.message.text()
    assert page.save_to(report), page.message.text()  # a PDF is replaced


def test_exporting_a_roster_over_the_database_is_refused(
        window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    database = _database(ctx)
    link = database.with_name("roster.csv")
    link.symlink_to(database)
    shown: list[str] = []
    monkeypatch.setattr(files, "choose_roster_to_save", lambda parent, suggested: link)
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, message, title=None: shown.append(message))
    window.export_action.trigger()
    assert len(shown) == 1
    assert "open database" in shown[0]
    assert database.read_bytes().startswith(SQLITE_HEADER)
