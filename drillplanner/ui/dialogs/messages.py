"""Questions and error messages shown as dialogs; tests replace ``confirm`` and ``show_error``."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from drillplanner.i18n import _


def confirm(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    """Ask before a destructive action; ``action`` labels the button that goes ahead."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, question,
                      QMessageBox.StandardButton.NoButton, parent)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


def show_error(parent: QWidget | None, message: str, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or _("drillplanner"), message)


def show_info(parent: QWidget | None, message: str, title: str | None = None) -> None:
    QMessageBox.information(parent, title or _("drillplanner"), message)
