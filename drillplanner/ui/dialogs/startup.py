"""Questions asked while starting: load the demo schools? which database after an error?"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from drillplanner.i18n import _
from drillplanner.ui.dialogs import files


class DemoOfferDialog:
    """Offered once, when the database holds no school yet."""

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> bool:
        """True when the user wants the four demo schools loaded."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Welcome to drillplanner"),
                          _("This database has no school yet."),
                          QMessageBox.StandardButton.NoButton, parent)
        box.setInformativeText(_("Load four demo schools to try the program? You can delete "
                                 "them later, or start empty and add your own school."))
        demo = box.addButton(_("Load &Demo Schools"), QMessageBox.ButtonRole.AcceptRole)
        empty = box.addButton(_("Start &Empty"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(demo)
        box.setEscapeButton(empty)
        box.exec()
        return box.clickedButton() is demo


class DatabaseErrorDialog:
    """Shown when the database cannot be opened: choose another file, or quit."""

    @classmethod
    def ask(cls, message: str, parent: QWidget | None = None) -> Path | None:
        """Another database file chosen by the user, or None to quit."""
        box = QMessageBox(QMessageBox.Icon.Critical, _("Cannot open the database"),
                          message, QMessageBox.StandardButton.NoButton, parent)
        box.setInformativeText(_("Nothing was changed. You can open or create another "
                                 "database file, or quit."))
        other = box.addButton(_("&Open Another File…"), QMessageBox.ButtonRole.AcceptRole)
        quit_button = box.addButton(_("&Quit"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(other)
        box.setEscapeButton(quit_button)
        box.exec()
        if box.clickedButton() is not other:
            return None
        return files.choose_database(parent)
