"""Signing in: the dialog (Enter signs in, wrong passwords and disabled accounts said, the
last login remembered and never a password), the start of the app with and without
accounts, signing out, one's own password, and the first account added from the GUI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from accounts_sample import PASSWORD, Accounts, add_accounts
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QLineEdit

from drillplanner import config
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.permissions import Role
from drillplanner.services import authorization, users
from drillplanner.storage.database import Database
from drillplanner.ui import app as app_module
from drillplanner.ui import state
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.sign_in import ChangePasswordDialog, SignInDialog
from drillplanner.ui.dialogs.startup import DemoOfferDialog
from drillplanner.ui.dialogs.user_form import AddUserDialog
from drillplanner.ui.mainwindow import MainWindow


@pytest.fixture
def accounts(db: Database, sample: Sample) -> Accounts:
    return add_accounts(db, sample)


@pytest.fixture
def dialog(ctx: AppContext, accounts: Accounts, qtbot: QtBot) -> SignInDialog:
    shown = SignInDialog(ctx)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    return shown


def sign_in(qtbot: QtBot, dialog: SignInDialog, login: str, password: str) -> None:
    """Type like a user: the login, Tab, the password, Enter."""
    dialog.login_edit.clear()
    dialog.login_edit.setFocus()
    qtbot.keyClicks(dialog.login_edit, login)
    qtbot.keyClick(dialog.login_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.password_edit
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def test_enter_signs_in_and_only_the_login_is_remembered(dialog: SignInDialog,
                                                          qtbot: QtBot) -> None:
    assert dialog.password_edit.echoMode() is QLineEdit.EchoMode.Password
    assert unnamed_controls(dialog) == []
    sign_in(qtbot, dialog, "zhangli", PASSWORD)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.login == "zhangli"
    assert dialog.actor.roles == frozenset({Role.TEACHER})
    assert dialog.password_edit.text() == ""
    assert state.load_text(state.LAST_LOGIN) == "zhangli"
    # Nothing the program keeps between runs holds the password.
    stored = "".join(path.read_text(encoding="utf-8", errors="replace")
                     for path in config.config_dir().rglob("*") if path.is_file())
    assert "zhangli" in stored and PASSWORD not in stored


def test_the_next_start_offers_the_last_login(ctx: AppContext, accounts: Accounts,
                                              qtbot: QtBot) -> None:
    state.save_text(state.LAST_LOGIN, "wang")
    shown = SignInDialog(ctx)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    assert shown.login_edit.text() == "wang"
    assert shown.password_edit.text() == ""
    assert shown.focusWidget() is shown.password_edit


def test_a_wrong_password_is_said_and_the_dialog_stays(dialog: SignInDialog,
                                                       qtbot: QtBot) -> None:
    sign_in(qtbot, dialog, "zhangli", "not the password")
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.message.isVisible()
    assert dialog.message.text() == "Wrong login name or password."
    assert dialog.password_edit.text() == ""
    assert QApplication.focusWidget() is dialog.password_edit
    assert state.load_text(state.LAST_LOGIN) == ""
    # A second try with the right one goes through.
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.login == "zhangli"


def test_a_disabled_account_is_told_to_ask_an_admin(dialog: SignInDialog, ctx: AppContext,
                                                    accounts: Accounts, qtbot: QtBot) -> None:
    with authorization.acting_as(accounts.admin):
        users.set_disabled(ctx.db, "guest")
    sign_in(qtbot, dialog, "guest", PASSWORD)
    assert dialog.actor is None
    assert "disabled" in dialog.message.text() and "admin" in dialog.message.text()


def test_a_locked_account_says_until_when(dialog: SignInDialog, qtbot: QtBot) -> None:
    for _attempt in range(5):
        sign_in(qtbot, dialog, "wang", "wrong password")
    sign_in(qtbot, dialog, "wang", PASSWORD)
    assert dialog.actor is None
    assert "locked" in dialog.message.text()


def test_an_empty_login_is_asked_for(dialog: SignInDialog, qtbot: QtBot) -> None:
    sign_in(qtbot, dialog, "", PASSWORD)
    assert dialog.message.text() == "Type your login name."
    assert QApplication.focusWidget() is dialog.login_edit


# Starting the app ---------------------------------------------------------------------------

def _run_gui(monkeypatch: pytest.MonkeyPatch, db_path: Path) -> tuple[int, list[MainWindow]]:
    seen: list[MainWindow] = []

    def exec_(self: QApplication) -> int:
        seen.extend(w for w in QApplication.topLevelWidgets()
                    if isinstance(w, MainWindow) and w.isVisible())
        for window in seen:
            window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(DemoOfferDialog, "ask", classmethod(lambda cls, parent=None: False))
    return app_module.run_gui(db=str(db_path), language="en", demo=False), seen


def test_start_asks_for_a_login_and_names_the_user(monkeypatch: pytest.MonkeyPatch,
                                                   db_path: Path, accounts: Accounts,
                                                   qapp: QApplication) -> None:
    asked: list[AppContext] = []

    def ask(cls: type, ctx: AppContext, parent: object = None) -> object:
        asked.append(ctx)
        return users.authenticate(ctx.db, "zhangli", PASSWORD).value

    monkeypatch.setattr(SignInDialog, "ask", classmethod(ask))
    code, seen = _run_gui(monkeypatch, db_path)
    assert code == 0 and len(asked) == 1 and len(seen) == 1
    window = seen[0]
    assert window.account.user_label.text() == "Signed in: 张丽 (Teacher)"
    assert window.account.sign_out_action.isVisible()
    assert not window.school_page.add_action.isEnabled()


def test_quit_at_the_login_ends_the_app(monkeypatch: pytest.MonkeyPatch, db_path: Path,
                                        accounts: Accounts, qapp: QApplication) -> None:
    monkeypatch.setattr(SignInDialog, "ask", classmethod(lambda cls, ctx, parent=None: None))
    code, seen = _run_gui(monkeypatch, db_path)
    assert code == 0 and seen == []
    assert authorization.signed_in() is None


def test_a_database_without_accounts_asks_nothing(monkeypatch: pytest.MonkeyPatch,
                                                  db_path: Path, sample: Sample,
                                                  qapp: QApplication) -> None:
    monkeypatch.setattr(SignInDialog, "ask", classmethod(
        lambda cls, ctx, parent=None: pytest.fail("no sign-in without accounts")))
    code, seen = _run_gui(monkeypatch, db_path)
    assert code == 0 and len(seen) == 1
    account = seen[0].account
    assert not account.user_label.isVisibleTo(seen[0])
    assert not account.sign_out_action.isVisible()
    assert not account.change_password_action.isVisible()
    assert account.users_action.isEnabled()  # the local admin adds the first account


# Signing out, one's own password ------------------------------------------------------------

def test_sign_out_lets_another_user_sign_in(window: MainWindow, ctx: AppContext,
                                            accounts: Accounts,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ctx.set_user(accounts.admin)
    window.show()
    assert window.school_page.add_action.isEnabled()
    ctx.undo_stack.push(QUndoCommand("an edit of the admin"))
    asked: list[bool] = []

    def ask(cls: type, ctx_: AppContext, parent: object = None) -> object:
        asked.append(window.isVisible())
        assert authorization.signed_in() is None
        return accounts.teacher

    monkeypatch.setattr(SignInDialog, "ask", classmethod(ask))
    window.account.sign_out_action.trigger()
    assert asked == [False]  # the window is hidden while nobody is signed in
    assert window.isVisible()
    assert authorization.signed_in() == accounts.teacher
    assert ctx.undo_stack.count() == 0  # one user never undoes another's edits
    assert window.account.user_label.text() == "Signed in: 张丽 (Teacher)"
    assert not window.school_page.add_action.isEnabled()


def test_sign_out_then_quit_closes_the_window(window: MainWindow, ctx: AppContext,
                                              accounts: Accounts,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ctx.set_user(accounts.teacher)
    window.show()
    monkeypatch.setattr(SignInDialog, "ask", classmethod(lambda cls, c, parent=None: None))
    assert window.account.sign_out() is None
    assert not window.isVisible()
    assert authorization.signed_in() is None


def test_change_own_password(ctx: AppContext, accounts: Accounts, qtbot: QtBot) -> None:
    ctx.set_user(accounts.teacher)
    dialog = ChangePasswordDialog(ctx, accounts.teacher)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    dialog.old_edit.setText(PASSWORD)
    dialog.new_edit.setText("a new secret")
    dialog.again_edit.setText("a new secreT")
    dialog.accept()
    assert dialog.isVisible() and "differ" in dialog.message.text()
    dialog.again_edit.setText("a new secret")
    dialog.old_edit.setText("wrong")
    dialog.accept()
    assert dialog.isVisible() and "current password is wrong" in dialog.message.text()
    dialog.old_edit.setText(PASSWORD)
    dialog.again_edit.setText("a new secret")
    dialog.accept()
    assert not dialog.isVisible()
    assert users.authenticate(ctx.db, "zhangli", "a new secret").value.login == "zhangli"
    with pytest.raises(DrillplannerError):
        users.authenticate(ctx.db, "zhangli", PASSWORD)


def test_the_first_account_made_here_signs_its_maker_in(ctx: AppContext, sample: Sample,
                                                        qtbot: QtBot) -> None:
    assert not authorization.has_users(ctx.db)
    changes: list[object] = []
    ctx.user_changed.connect(changes.append)
    dialog = AddUserDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    dialog.login_edit.setText("admin")
    dialog.name_edit.setText("管理员")
    dialog.role_boxes[Role.TEACHER].setChecked(True)
    dialog.password_edit.setText(PASSWORD)
    dialog.again_edit.setText(PASSWORD)
    dialog.accept()
    assert dialog.isVisible() and "must be an admin" in dialog.message.text()
    dialog.role_boxes[Role.ADMIN].setChecked(True)
    dialog.password_edit.setText(PASSWORD)
    dialog.again_edit.setText(PASSWORD)
    dialog.accept()
    assert not dialog.isVisible()
    signed = authorization.signed_in()
    assert signed is not None and signed.login == "admin"
    assert changes == [signed]
