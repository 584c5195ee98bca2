"""The main window's Account menu and who is signed in.

The status bar names the user signed in ("张丽 (Teacher)"). The menu changes their own
password, signs out (the window goes away until someone signs in again; Quit there ends
the program) and, for an admin, opens the Users dialog. A database without accounts has
no one to name and nothing to sign out of: only Users… shows, to add the first admin.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu

from drillplanner.domain.permissions import Actor
from drillplanner.i18n import _
from drillplanner.services import authorization
from drillplanner.ui.context import AppContext
from drillplanner.ui.permissions import Guard, describe_user


class AccountMenu(QObject):
    """Builds the menu and the status bar's user label of ``window``."""

    def __init__(self, ctx: AppContext, window: QMainWindow) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.menu = QMenu(_("Acco&unt"), window)
        self.menu.setToolTipsVisible(True)
        self.change_password_action = QAction(_("Change &Password…"), window)
        self.change_password_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.change_password_action.setStatusTip(_("Change your own password"))
        self.change_password_action.triggered.connect(self.change_password)
        self.sign_out_action = QAction(_("Sign &Out"), window)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.sign_out_action.setStatusTip(_("Sign out; the next user signs in"))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.users_action = QAction(_("&Users…"), window)
        self.users_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.users_action.setStatusTip(_("Add users, reset passwords, disable accounts"))
        self.users_action.triggered.connect(self.open_users)
        self.menu.addActions([self.change_password_action, self.sign_out_action])
        self.menu.addSeparator()
        self.menu.addAction(self.users_action)
        window.addActions([self.change_password_action, self.sign_out_action,
                           self.users_action])
        bar = window.statusBar()
        self.user_label = QLabel(bar)
        self.user_label.setAccessibleName(_("Signed in"))
        bar.addPermanentWidget(self.user_label)
        self.guard = Guard(ctx, self)
        ctx.user_changed.connect(self._show_user)
        self._show_user()

    def _show_user(self, *_args: object) -> None:
        actor = authorization.signed_in()
        if actor is not None:
            self.user_label.setText(_("Signed in: {user}").format(user=describe_user(actor)))
        self.user_label.setVisible(actor is not None)
        for action in (self.change_password_action, self.sign_out_action):
            action.setVisible(actor is not None)

    def change_password(self) -> bool:
        from drillplanner.ui.dialogs.sign_in import ChangePasswordDialog

        actor = authorization.signed_in()
        if actor is None:
            return False
        changed = ChangePasswordDialog.ask(self.ctx, actor, self.window)
        if changed:
            self.window.statusBar().showMessage(_("Your password was changed."), 8000)
        return changed

    def sign_out(self) -> Actor | None:
        """Hide the window and ask who signs in next; Quit there ends the program."""
        from drillplanner.ui.dialogs.sign_in import SignInDialog

        self.window.hide()
        self.ctx.set_user(None)
        actor = SignInDialog.ask(self.ctx)
        if actor is None:
            self.window.close()
            QApplication.quit()
            return None
        self.ctx.set_user(actor)
        self.window.show()
        return actor

    def open_users(self) -> None:
        from drillplanner.ui.dialogs.users import UsersDialog

        UsersDialog.show_for(self.ctx, self.window)
