"""Someone else saved the record first: keep theirs, use mine, or reload to edit again
from theirs. Tests replace ``ask``."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QWidget

from drillplanner.domain.events import Event
from drillplanner.i18n import _


class Choice(enum.Enum):
    THEIRS = "theirs"  # drop my edit: their version stands
    MINE = "mine"  # save my edit over theirs, knowingly
    RELOAD = "reload"  # show theirs in the form and edit again


def ask(parent: QWidget | None, message: str, theirs: str) -> Choice:
    """``message``: what happened; ``theirs``: their version, described for the user."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Changed meanwhile"), message,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(_("Their version: {theirs}").format(theirs=theirs))
    keep = box.addButton(_("&Keep theirs"), QMessageBox.ButtonRole.RejectRole)
    mine = box.addButton(_("&Use mine"), QMessageBox.ButtonRole.DestructiveRole)
    reload = box.addButton(_("&Reload"), QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(reload)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is mine:
        return Choice.MINE
    if clicked is reload:
        return Choice.RELOAD
    return Choice.THEIRS


def event_text(event: Event) -> str:
    return _("“{title}”, {start}, {minutes} min").format(
        title=event.title, start=event.start.strftime("%Y-%m-%d %H:%M"),
        minutes=int(event.duration.total_seconds() // 60))
