"""Signing off a completed drill: who signs (the school's principal by default)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from drillplanner.domain.roles import StaffRole
from drillplanner.i18n import _
from drillplanner.services import staff
from drillplanner.ui.context import AppContext


def principal_of(ctx: AppContext, school_id: int) -> str:
    """The school's principal (the first staff member with that role), or ""."""
    found = sorted((member for member in staff.list_staff(ctx.db, school_id)
                    if StaffRole.PRINCIPAL in member.roles), key=lambda member: member.id)
    return found[0].name if found else ""


class SignOffDialog:
    """Who signs off the record; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget | None = None, default: str = "") -> str | None:
        """The signer's name, or None when cancelled or left blank."""
        name, ok = QInputDialog.getText(
            parent, _("Sign Off the Drill"),
            _("Who signs off this drill's record? Once signed, the record is locked: any "
              "later change is an amendment with a reason.\n\nName:"),
            QLineEdit.EchoMode.Normal, default)
        return name.strip() if ok and name.strip() else None
