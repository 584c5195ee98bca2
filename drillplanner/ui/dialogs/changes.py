"""The Changes window (View ▸ Changes…): the whole audit log and the check of its chain."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from drillplanner.i18n import _
from drillplanner.ui.context import AppContext


class ChangesDialog(QDialog):
    """Who changed what, newest first; read-only."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from drillplanner.ui.views.audit_page import ChangesView

        self.setObjectName("changesDialog")
        self.setWindowTitle(_("Changes"))
        self.setAccessibleName(_("Changes"))
        self.view = ChangesView(ctx, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(1100, 600)
        self.finished.connect(lambda _result: self.view.detach())

    @classmethod
    def show_for(cls, ctx: AppContext, parent: QWidget | None = None) -> None:
        """Open the log over ``parent`` until the user closes it."""
        dialog = cls(ctx, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()


def show_changes(parent: QWidget | None, ctx: AppContext) -> None:
    """The main window's View ▸ Changes… action."""
    ChangesDialog.show_for(ctx, parent)
