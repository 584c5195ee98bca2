"""File choosers for rosters; tests replace these functions instead of driving QFileDialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from drillplanner.i18n import _
from drillplanner.ui import state


def _folder() -> str:
    return state.load_text(state.LAST_ROSTER_FOLDER, str(Path.home()))


def _remember(path: Path) -> None:
    state.save_text(state.LAST_ROSTER_FOLDER, str(path.parent))


def choose_roster_to_open(parent: QWidget | None) -> Path | None:
    """Ask for a roster file to read (.csv or .xlsx); None when cancelled."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Import Roster"), _folder(),
        _("Rosters (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)"))
    if not name:
        return None
    path = Path(name)
    _remember(path)
    return path


def choose_roster_to_save(parent: QWidget | None, suggested: str) -> Path | None:
    """Ask where to write a roster; the suffix chooses the format (.csv unless .xlsx)."""
    name, chosen = QFileDialog.getSaveFileName(
        parent, _("Export Roster"), str(Path(_folder()) / suggested),
        _("CSV files (*.csv);;Excel workbooks (*.xlsx)"))
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        path = path.with_suffix(".xlsx" if "xlsx" in chosen else ".csv")
    _remember(path)
    return path


def choose_database(parent: QWidget | None) -> Path | None:
    """Ask for a database file to open or create; None when cancelled."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, _("Open or Create a Database"), str(Path.home()),
        _("drillplanner databases (*.sqlite3 *.sqlite *.db);;All files (*)"),
        options=QFileDialog.Option.DontConfirmOverwrite)
    return Path(name) if name else None
