"""Signing in to a database with user accounts, and changing one's own password.

The login name last signed in with is remembered (ui/state.py); the password never is: it
lives in the field until the dialog closes and goes only to the service, which checks it
(``users.authenticate``) and says why a sign-in failed (wrong password, a locked or
disabled account). Enter signs in; Quit leaves the program.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.permissions import Actor
from drillplanner.i18n import _
from drillplanner.services import users
from drillplanner.ui import ops, state
from drillplanner.ui.context import AppContext
from drillplanner.ui.widgets.recurrence_editor import error_label, show_error


def password_edit(parent: QWidget, name: str) -> QLineEdit:
    """A field that shows dots, not the password."""
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class SignInDialog(QDialog):
    """Login name and password; ``actor`` is the user signed in once accepted."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self.setObjectName("signInDialog")
        self.setWindowTitle(_("Sign In — drillplanner"))
        self.setAccessibleName(_("Sign in"))
        self.intro = QLabel(_("{database} has user accounts: sign in with your login name "
                              "and password.").format(
                                  database=Path(ctx.db.display_name).name), self)
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName(_("About signing in"))
        self.login_edit = QLineEdit(self)
        self.login_edit.setObjectName("loginField")
        self.login_edit.setAccessibleName(_("Login name"))
        self.login_edit.setText(state.load_text(state.LAST_LOGIN))
        self.password_edit = password_edit(self, _("Password"))
        self.password_edit.setObjectName("passwordField")
        self.message = error_label(self, _("Sign-in message"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_in_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(_("&Sign In"))
        self.sign_in_button.setAccessibleName(_("Sign in"))
        self.sign_in_button.setDefault(True)
        self.quit_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.quit_button.setText(_("&Quit"))
        self.quit_button.setAccessibleName(_("Quit drillplanner"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("&Login name:"), self.login_edit)
        form.addRow(_("&Password:"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus()

    def accept(self) -> None:
        """Check the login and password with the service; stay open with its answer."""
        login, password = self.login_edit.text().strip(), self.password_edit.text()
        if not login:
            self._refused(_("Type your login name."), self.login_edit)
            return
        done = ops.write(self.ctx, self, lambda db: users.authenticate(db, login, password),
                         on_error=self._refused)
        if done is None:
            return
        self.actor = done.value
        state.save_text(state.LAST_LOGIN, self.actor.login)
        super().accept()

    def _refused(self, message: str, field: QLineEdit | None = None) -> None:
        show_error(self.message, message)
        self.password_edit.clear()
        (field or self.password_edit).setFocus()

    def done(self, result: int) -> None:
        self.password_edit.clear()  # not kept in memory longer than needed
        super().done(result)

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> Actor | None:
        """The user who signed in, or None when they chose Quit."""
        dialog = cls(ctx, parent)
        try:
            return dialog.actor if dialog.exec() else None
        finally:
            dialog.deleteLater()


class ChangePasswordDialog(QDialog):
    """The signed-in user's own password: the current one, then the new one twice."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.setWindowTitle(_("Change Password"))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(_("Change the password of {name} ({login}).").format(
            name=actor.name or actor.login, login=actor.login), self)
        intro.setWordWrap(True)
        self.old_edit = password_edit(self, _("Current password"))
        self.new_edit = password_edit(self, _("New password"))
        self.again_edit = password_edit(self, _("New password again"))
        self.message = error_label(self, _("Password message"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("C&hange Password"))
        ok.setAccessibleName(_("Change password"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("C&urrent password:"), self.old_edit)
        form.addRow(_("&New password:"), self.new_edit)
        form.addRow(_("New password &again:"), self.again_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.old_edit.setFocus()

    def accept(self) -> None:
        old, new = self.old_edit.text(), self.new_edit.text()
        if new != self.again_edit.text():
            show_error(self.message, _("The new password and its repetition differ."))
            self.again_edit.clear()
            self.new_edit.setFocus()
            self.new_edit.selectAll()
            return
        login = self.actor.login
        if ops.write(self.ctx, self, lambda db: users.change_password(db, login, old, new),
                     on_error=lambda text: show_error(self.message, text)) is None:
            return
        super().accept()

    def done(self, result: int) -> None:
        for edit in (self.old_edit, self.new_edit, self.again_edit):
            edit.clear()
        super().done(result)

    @classmethod
    def ask(cls, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> bool:
        """True when the password was changed."""
        dialog = cls(ctx, actor, parent)
        try:
            return bool(dialog.exec())
        finally:
            dialog.deleteLater()
