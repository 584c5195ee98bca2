"""What a signed-in user may not do is greyed, with the rule on hover: a teacher's School
page and drill console, a viewer's and an admin's Users dialog; a database without accounts
greys nothing. The table of guarded controls names controls that exist."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from accounts_sample import PASSWORD, Accounts, add_accounts
from drill_sample import start_fire_drill, type_text
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

import drillplanner.ui
from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.permissions import Role
from drillplanner.services import authorization, drills, headcounts, users
from drillplanner.storage.database import Database
from drillplanner.ui import permissions
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.user_form import AddUserDialog, ResetPasswordDialog
from drillplanner.ui.dialogs.users import UsersDialog
from drillplanner.ui.mainwindow import MainWindow
from drillplanner.ui.models.headcount import MINE_ROLE, REFUSAL_ROLE
from drillplanner.ui.views.drill_console import DrillConsole

# Typing a class shows the completion list; offscreen Qt cannot raise it or grab keys.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

SCHOOL_RULE = "Set up the school (buildings, grades, classes, staff, rosters)"
HEADCOUNT_RULE = "Record a class's headcount or missing students found"


@pytest.fixture
def accounts(db: Database, sample: Sample) -> Accounts:
    return add_accounts(db, sample)


@pytest.fixture
def run(ctx: AppContext, accounts: Accounts) -> DrillRun:
    """A fire drill in progress, started by the principal."""
    with authorization.acting_as(accounts.principal):
        return start_fire_drill(ctx.db, ctx.school_id or 0)


def open_console(ctx: AppContext, run: DrillRun, qtbot: QtBot) -> DrillConsole:
    console = DrillConsole(ctx, run.id)
    qtbot.addWidget(console)
    console.resize(1100, 760)
    console.show()
    qtbot.waitExposed(console)
    console.activateWindow()
    console.entry.class_edit.setFocus()
    if console.entry.isEnabled():
        qtbot.waitUntil(lambda: QApplication.focusWidget() is console.entry.class_edit)
    return console


def tile(console: DrillConsole, class_id: int, role: int) -> object:
    return console.model.index(console.model.row_of_class(class_id), 0).data(role)


# The School page and the menus ------------------------------------------------------------

def test_a_teacher_sees_school_editing_greyed_with_the_rule(ctx: AppContext,
                                                            accounts: Accounts,
                                                            window: MainWindow) -> None:
    ctx.set_user(accounts.teacher)
    page = window.school_page
    for action in (page.add_action, page.delete_action, window.import_action):
        assert not action.isEnabled()
        assert SCHOOL_RULE in action.toolTip() and "is for an admin" in action.toolTip()
        assert action.statusTip() == action.toolTip()
    pane = page.show_tab("classes")
    for button in (pane.add_button, pane.delete_button):
        assert not button.isEnabled()
        assert button.toolTip().startswith("张丽 cannot do this: “" + SCHOOL_RULE)
    # Tables stay readable: only their cells stop taking edits.
    assert pane.view.isEnabled()
    assert pane.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    # Scheduling, starting a drill and managing users are not a teacher's either.
    assert not window.calendar_page.new_button.isEnabled()
    assert "Schedule drills and events" in window.calendar_page.new_action.toolTip()
    assert not window.drill_page.start_button.isEnabled()
    assert not window.account.users_action.isEnabled()
    # Her own password and signing out are hers.
    assert window.account.change_password_action.isEnabled()
    assert window.account.user_label.text() == "Signed in: 张丽 (Teacher)"


def test_signing_in_as_an_admin_ungreys_at_once(ctx: AppContext, accounts: Accounts,
                                               window: MainWindow) -> None:
    ctx.set_user(accounts.teacher)
    pane = window.school_page.panes["classes"]
    assert not pane.add_button.isEnabled()
    ctx.set_user(accounts.admin)
    assert pane.add_button.isEnabled()
    assert pane.add_button.toolTip() == "Add a row (Insert or Ctrl+N)"
    assert pane.view.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    assert window.account.users_action.isEnabled()


def test_a_database_without_accounts_greys_nothing(ctx: AppContext, sample: Sample,
                                                   window: MainWindow, qtbot: QtBot) -> None:
    assert not authorization.has_users(ctx.db)
    guards = window.findChildren(permissions.Guard)
    assert guards
    for guard in guards:
        for guarded in guard._controls.values():
            assert guarded.reason is None, guarded.control
    assert window.school_page.add_action.isEnabled()
    assert window.drill_page.start_button.isEnabled()
    run = start_fire_drill(ctx.db, sample.school.id)
    console = open_console(ctx, run, qtbot)
    assert console.entry.isEnabled() and console.all_clear_button.isEnabled()
    assert not console.access.note.isVisible()
    for status in console.model.class_statuses():
        assert tile(console, status.info.class_id, REFUSAL_ROLE) is None
        assert not tile(console, status.info.class_id, MINE_ROLE)


# The drill console ------------------------------------------------------------------------

def test_a_teacher_records_her_class_and_sees_the_others_greyed(
        ctx: AppContext, accounts: Accounts, sample: Sample, run: DrillRun,
        qtbot: QtBot) -> None:
    ctx.set_user(accounts.teacher)
    console = open_console(ctx, run, qtbot)
    own, other = sample.class_1.id, sample.class_2.id
    # Her tile is marked as hers; the others are faded, with the rule on hover.
    assert tile(console, own, MINE_ROLE) and tile(console, own, REFUSAL_ROLE) is None
    assert "Your class" in str(tile(console, own, Qt.ItemDataRole.ToolTipRole))
    refused = str(tile(console, other, REFUSAL_ROLE))
    assert HEADCOUNT_RULE in refused
    assert refused in str(tile(console, other, Qt.ItemDataRole.ToolTipRole))
    assert not tile(console, other, MINE_ROLE)
    assert console.access.note.isVisible() and "★" in console.access.note.text()
    # Another class typed in the entry: greyed, and why.
    entry = console.entry
    type_text(qtbot, "1-2")
    assert not entry.record_button.isEnabled()
    assert HEADCOUNT_RULE in entry.record_button.toolTip()
    assert HEADCOUNT_RULE in entry.hint.text()
    type_text(qtbot, "\t44\n")
    assert HEADCOUNT_RULE in entry.message_text()
    assert all(s.figures is None for s in headcounts.rollup(ctx.db, run.id).classes)
    # Her own class: enabled, and recorded by the keyboard as ever.
    entry.clear_fields()
    type_text(qtbot, "11")
    assert entry.record_button.isEnabled() and entry.record_button.toolTip() == ""
    type_text(qtbot, "\t45\n")
    assert "Saved 一年级1班" in entry.message_text()
    status = next(s for s in headcounts.rollup(ctx.db, run.id).classes
                  if s.info.class_id == own)
    assert status.figures is not None and status.reported_by == "张丽"
    # Running the drill and verifying are not hers.
    assert not console.all_clear_button.isEnabled()
    assert "Start, run, stop and write up a drill" in console.all_clear_button.toolTip()
    console.tiles.setCurrentIndex(console.model.index(console.model.row_of_class(own), 0))
    assert not console.verify_action.isEnabled()
    assert console.found_action.isEnabled()
    console.tiles.setCurrentIndex(console.model.index(console.model.row_of_class(other), 0))
    assert not console.found_action.isEnabled()


def test_activating_another_class_says_why(ctx: AppContext, accounts: Accounts,
                                          sample: Sample, run: DrillRun, qtbot: QtBot,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from drillplanner.ui.dialogs.headcount_dialog import HeadcountDialog

    ctx.set_user(accounts.teacher)
    console = open_console(ctx, run, qtbot)
    monkeypatch.setattr(HeadcountDialog, "ask", classmethod(
        lambda cls, *args, **kwargs: pytest.fail("no report for another's class")))
    index = console.model.index(console.model.row_of_class(sample.class_2.id), 0)
    console.tiles.setCurrentIndex(index)
    console._on_tile_activated(index)
    assert HEADCOUNT_RULE in console.entry.message_text()


def test_the_console_asks_again_when_the_drill_ends(ctx: AppContext, accounts: Accounts,
                                                    sample: Sample, run: DrillRun,
                                                    qtbot: QtBot) -> None:
    ctx.set_user(accounts.teacher)
    console = open_console(ctx, run, qtbot)
    assert console.entry.isEnabled()
    with authorization.acting_as(accounts.principal):
        done = drills.finish_drill(ctx.db, run.id)
    ctx.notify(done.changes)
    # After the all clear a teacher records nothing more (a principal corrects).
    assert not console.entry.isEnabled()
    refused = tile(console, sample.class_1.id, REFUSAL_ROLE)
    assert refused is not None and "while the drill runs" in str(refused)
    assert not console.access.note.isVisible()
    console.tiles.setCurrentIndex(
        console.model.index(console.model.row_of_class(sample.class_1.id), 0))
    assert not console.correct_action.isEnabled()
    # The principal who signs in next may correct.
    ctx.set_user(accounts.principal)
    assert tile(console, sample.class_1.id, REFUSAL_ROLE) is None
    assert console.correct_action.isEnabled()


def test_a_viewer_cannot_record_at_all(ctx: AppContext, accounts: Accounts, run: DrillRun,
                                       qtbot: QtBot) -> None:
    ctx.set_user(accounts.viewer)
    console = open_console(ctx, run, qtbot)
    assert not console.entry.isEnabled()
    assert HEADCOUNT_RULE in console.entry.toolTip()
    assert HEADCOUNT_RULE in console.access.note.text()
    assert not any(tile(console, s.info.class_id, MINE_ROLE)
                   for s in console.model.class_statuses())


# Users ------------------------------------------------------------------------------------

def test_an_admin_adds_a_teacher_resets_and_disables(ctx: AppContext, accounts: Accounts,
                                                     sample: Sample, window: MainWindow,
                                                     qtbot: QtBot,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ctx.set_user(accounts.admin)
    assert window.account.users_action.isEnabled()
    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    assert dialog.model.rowCount() == 4
    logins = [dialog.model.record(row).login for row in range(dialog.model.rowCount())]
    assert logins == sorted(logins)

    def fill(form: AddUserDialog) -> object:
        form.login_edit.setText("liming")
        form.name_edit.setText("李明")
        form.role_boxes[Role.TEACHER].setChecked(True)
        items = form.classes_list.findItems("一年级2班", Qt.MatchFlag.MatchExactly)
        items[0].setCheckState(Qt.CheckState.Checked)
        form.password_edit.setText(PASSWORD)
        form.again_edit.setText(PASSWORD)
        form.accept()
        assert not form.isVisible(), form.message.text()
        return form.user

    monkeypatch.setattr(AddUserDialog, "ask", classmethod(
        lambda cls, c, parent=None: fill(cls(c, parent))))
    added = dialog.add_user()
    assert added is not None
    assert users.get_user(ctx.db, "liming").classes == ("一年级2班",)
    selected = dialog.selected()
    assert selected is not None and selected.login == "liming"
    assert "Teacher" in dialog.model.index(dialog.view.currentIndex().row(), 2).data()

    def reset(form: ResetPasswordDialog) -> bool:
        form.show()
        assert unnamed_controls(form) == []
        form.password_edit.setText("another secret")
        form.again_edit.setText("another secret")
        form.accept()
        return not form.isVisible()

    monkeypatch.setattr(ResetPasswordDialog, "ask", classmethod(
        lambda cls, c, user, parent=None: reset(cls(c, user, parent))))
    assert dialog.reset_password()
    assert users.authenticate(ctx.db, "liming", "another secret").value.login == "liming"

    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    assert dialog.disable_button.text() == "&Disable"
    assert dialog.toggle_disabled()
    assert users.get_user(ctx.db, "liming").disabled
    assert dialog.disable_button.text() == "&Enable"
    assert dialog.toggle_disabled()
    assert not users.get_user(ctx.db, "liming").disabled


def test_the_last_admin_cannot_be_disabled(ctx: AppContext, accounts: Accounts,
                                           qtbot: QtBot,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ctx.set_user(accounts.admin)
    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reload(select="admin")
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    assert not dialog.toggle_disabled()
    assert "last admin" in dialog.message_bar.text()


def test_a_viewer_cannot_manage_users(ctx: AppContext, accounts: Accounts,
                                      window: MainWindow, qtbot: QtBot) -> None:
    ctx.set_user(accounts.viewer)
    action = window.account.users_action
    assert not action.isEnabled()
    assert "Add users, change their roles" in action.toolTip()
    assert "is for an admin" in action.toolTip()
    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    for button in (dialog.add_button, dialog.reset_button, dialog.disable_button):
        assert not button.isEnabled()
        assert "is for an admin" in button.toolTip()


# The table itself ------------------------------------------------------------------------

def test_every_guarded_control_is_built_by_its_owner() -> None:
    classes: dict[str, type] = {}
    for found in pkgutil.walk_packages(drillplanner.ui.__path__, "drillplanner.ui."):
        module = importlib.import_module(found.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                classes[name] = value
    for key in permissions.GUARDED:
        owner, attribute = key.split(".")
        assert owner in classes, key
        assert f"self.{attribute} = " in inspect.getsource(classes[owner]), key
