"""Each folder of the GUI holds what its name says: dialogs in dialogs/, pages and views in
views/, reusable widgets in widgets/ (a rule found drifting on review)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

from PySide6.QtWidgets import QDialog, QWidget

import drillplanner.ui


def _classes(folder: str) -> list[tuple[str, type]]:
    package = importlib.import_module(f"drillplanner.ui.{folder}")
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found += [(f"{info.name}.{name}", cls) for name, cls in inspect.getmembers(
            module, inspect.isclass) if cls.__module__ == module.__name__]
    return found


def test_the_folders_exist() -> None:
    assert {"dialogs", "views", "widgets", "models"} <= {
        i.name for i in pkgutil.iter_modules(drillplanner.ui.__path__)}


@pytest.mark.parametrize("folder", ["views", "widgets"])
def test_no_dialog_outside_dialogs(folder: str) -> None:
    dialogs = [name for name, cls in _classes(folder) if issubclass(cls, QDialog)]
    assert not dialogs, f"dialogs in ui/{folder}/: {dialogs}"


def test_dialogs_holds_dialogs_not_widgets() -> None:
    classes = _classes("dialogs")
    widgets = [name for name, cls in classes
               if issubclass(cls, QWidget) and not issubclass(cls, QDialog)]
    assert not widgets, f"widgets in ui/dialogs/: {widgets}"
    assert sum(issubclass(cls, QDialog) for _name, cls in classes) >= 8
