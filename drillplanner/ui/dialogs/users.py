"""The admin's Users dialog: every account with its roles, classes and state; adding one,
resetting a password, disabling or enabling an account.

Each change goes through services.users (``ops.write``; a refusal, such as disabling the
last admin, shows in the dialog's message bar). Its buttons are greyed for anyone who may
not manage users (the main window's Users… already is).
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.users import User
from drillplanner.i18n import _
from drillplanner.services import users
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.user_form import AddUserDialog, ResetPasswordDialog
from drillplanner.ui.models.users import UsersModel
from drillplanner.ui.permissions import Guard
from drillplanner.ui.widgets.message_bar import MessageBar


class UsersDialog(QDialog):
    """Accounts in a table, with Add, Reset Password and Disable/Enable."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("usersDialog")
        self.setWindowTitle(_("Users"))
        self.setAccessibleName(_("Users"))
        self.message_bar = MessageBar(self)
        self.model = UsersModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("usersTable")
        self.view.setAccessibleName(_("User accounts"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setAccessibleName(_("Column headers"))
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.add_button = self._button(_("&Add User…"), _("Add a user"), self.add_user)
        self.add_button.setShortcut(QKeySequence("Insert"))
        self.reset_button = self._button(_("&Reset Password…"),
                                         _("Reset the selected user's password"),
                                         self.reset_password)
        self.disable_button = self._button(_("&Disable"), _("Disable or enable the selected "
                                                            "user"), self.toggle_disabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.disable_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.guard = Guard(ctx, self)
        self.view.selectionModel().currentRowChanged.connect(self._show_selected)
        self.reload()
        self.view.setFocus()

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def reload(self, select: str | None = None) -> None:
        """Read the accounts again, keeping (or moving to) a selected login."""
        current = self.selected()
        try:
            self.model.set_rows(users.list_users(self.ctx.db))
        except DrillplannerError as error:
            self.message_bar.show_error(str(error))
            return
        login = select or (current.login if current is not None else None)
        row = self.model.row_of(login) if login else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.view.selectRow(row)
        self._show_selected()

    def selected(self) -> User | None:
        index = self.view.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _show_selected(self, *_args: object) -> None:
        user = self.selected()
        self.disable_button.setText(_("&Enable") if user is not None and user.disabled
                                    else _("&Disable"))
        for button in (self.reset_button, self.disable_button):
            self.guard.set_enabled(button, user is not None)

    def add_user(self) -> User | None:
        user = AddUserDialog.ask(self.ctx, self)
        if user is None:
            return None
        self.reload(select=user.login)
        self.message_bar.show_info(_("Added {login}.").format(login=user.login))
        return user

    def reset_password(self) -> bool:
        user = self.selected()
        if user is None or not ResetPasswordDialog.ask(self.ctx, user, self):
            return False
        self.reload()
        self.message_bar.show_info(_("The password of {login} was reset.").format(
            login=user.login))
        return True

    def toggle_disabled(self) -> bool:
        """Disable the selected account (after asking) or enable it again."""
        user = self.selected()
        if user is None:
            return False
        disable = not user.disabled
        if disable and not messages.confirm(self, _("Disable User"), _(
                "Disable {login}? They can no longer sign in; what they recorded "
                "stays.").format(login=user.login), _("&Disable")):
            return False
        login = user.login
        if ops.write(self.ctx, self, lambda db: users.set_disabled(db, login, disable),
                     on_error=self.message_bar.show_error) is None:
            return False
        self.reload()
        self.message_bar.show_info((_("{login} is disabled.") if disable
                                    else _("{login} is enabled again.")).format(login=login))
        return True

    @classmethod
    def show_for(cls, ctx: AppContext, parent: QWidget | None = None) -> None:
        dialog = cls(ctx, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
