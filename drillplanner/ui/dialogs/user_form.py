"""An admin adds an account, or sets a new password for one.

The form offers what the services need and checks nothing itself but that a password was
typed the same twice: services.users says what is wrong with a login, a password, the roles
or the classes. An account's school (or every school), its staff member on the roster (whose
homeroom classes and led grade then count as theirs) and further classes and grades are
picked from the school's records.

The first account of a database must be an admin's; whoever adds it (the local admin of a
database without accounts) is signed in as it at once, since from then on every write needs
a signed-in user.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.permissions import ROLE_LABELS, Role
from drillplanner.domain.structure import class_full_name
from drillplanner.domain.users import User
from drillplanner.i18n import _
from drillplanner.services import authorization, classes, schools, staff, users
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.sign_in import password_edit
from drillplanner.ui.widgets.recurrence_editor import error_label, show_error


def _buttons(dialog: QDialog, ok_text: str, ok_name: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, dialog)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setAccessibleName(ok_name)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(_("Cancel"))
    cancel.setAccessibleName(_("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _checklist(parent: QWidget, name: str, lines: int) -> QListWidget:
    widget = QListWidget(parent)
    widget.setAccessibleName(name)
    # A row is a little taller than a line of text (the check box and its margins).
    widget.setFixedHeight(int(parent.fontMetrics().height() * 1.3 * lines) + 4)
    return widget


def _checked(widget: QListWidget) -> list[int]:
    return [int(item.data(Qt.ItemDataRole.UserRole)) for item in
            (widget.item(row) for row in range(widget.count()))
            if item.checkState() == Qt.CheckState.Checked]


class AddUserDialog(QDialog):
    """Login, name, roles, school, staff member, classes and grades, password twice."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user: User | None = None
        self.setWindowTitle(_("Add User"))
        self.setAccessibleName(self.windowTitle())
        self.login_edit = QLineEdit(self)
        self.login_edit.setAccessibleName(_("Login name"))
        self.login_edit.setPlaceholderText(_("e.g. zhangli"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName(_("Name"))
        self.name_edit.setPlaceholderText(_("e.g. 张丽"))
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles_row = QHBoxLayout()
        for role in Role:
            box = QCheckBox(_(ROLE_LABELS[role]), self)
            box.setAccessibleName(_("Role: {role}").format(role=_(ROLE_LABELS[role])))
            roles_row.addWidget(box)
            self.role_boxes[role] = box
        roles_row.addStretch(1)
        self.school_combo = QComboBox(self)
        self.school_combo.setAccessibleName(_("School"))
        self.school_combo.addItem(_("(every school)"), None)
        for school in schools.list_schools(ctx.db):
            self.school_combo.addItem(school.name, school.id)
        self.staff_combo = QComboBox(self)
        self.staff_combo.setAccessibleName(_("Staff member"))
        self.classes_list = _checklist(self, _("Classes"), 10)
        self.grades_list = _checklist(self, _("Grades"), 6)
        self.password_edit = password_edit(self, _("Password"))
        self.again_edit = password_edit(self, _("Password again"))
        self.message = error_label(self, _("Message"))
        self._lay_out(roles_row)
        self.school_combo.currentIndexChanged.connect(self._fill_school)
        index = self.school_combo.findData(ctx.school_id)
        self.school_combo.setCurrentIndex(max(index, 0))
        self._fill_school()
        self.login_edit.setFocus()

    def _lay_out(self, roles_row: QHBoxLayout) -> None:
        form = QFormLayout()
        form.addRow(_("&Login name:"), self.login_edit)
        form.addRow(_("&Name:"), self.name_edit)
        form.addRow(_("Roles:"), roles_row)
        form.addRow(_("&School:"), self.school_combo)
        form.addRow(_("S&taff member:"), self.staff_combo)
        form.addRow(_("&Classes:"), self.classes_list)
        form.addRow(_("&Grades:"), self.grades_list)
        form.addRow(_("&Password:"), self.password_edit)
        form.addRow(_("Password &again:"), self.again_edit)
        hint = QLabel(_("A teacher records the headcounts of their classes (those picked here "
                        "and their homeroom classes on the roster); a grade leader those of "
                        "their grades."), self)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(_buttons(self, _("Add &User"), _("Add the user")))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

    def _fill_school(self, *_args: object) -> None:
        """The staff, classes and grades of the chosen school."""
        school_id = self.school_combo.currentData()
        self.staff_combo.clear()
        self.staff_combo.addItem(_("(none)"), None)
        self.classes_list.clear()
        self.grades_list.clear()
        if school_id is None:
            return
        try:
            members = staff.list_staff(self.ctx.db, school_id)
            found_grades = classes.list_grades(self.ctx.db, school_id)
            found_classes = classes.list_classes(self.ctx.db, school_id)
        except DrillplannerError as error:
            show_error(self.message, str(error))
            return
        for member in members:
            self.staff_combo.addItem(member.name, member.id)
        for grade in found_grades:
            self._add_item(self.grades_list, grade.name, grade.id)
        for school_class in found_classes:
            self._add_item(self.classes_list,
                           class_full_name(school_class.grade_name, school_class.name),
                           school_class.id)

    @staticmethod
    def _add_item(widget: QListWidget, text: str, record_id: int) -> None:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)

    def roles(self) -> list[Role]:
        return [role for role, box in self.role_boxes.items() if box.isChecked()]

    def accept(self) -> None:
        password = self.password_edit.text()
        if password != self.again_edit.text():
            show_error(self.message, _("The password and its repetition differ."))
            self.again_edit.clear()
            self.password_edit.setFocus()
            self.password_edit.selectAll()
            return
        login, name, roles = self.login_edit.text(), self.name_edit.text(), self.roles()
        school_id, staff_id = self.school_combo.currentData(), self.staff_combo.currentData()
        class_ids, grade_ids = _checked(self.classes_list), _checked(self.grades_list)
        first = authorization.signed_in() is None
        done = ops.write(self.ctx, self, lambda db: users.add_user(
            db, login, password, roles, display_name=name, school_id=school_id,
            staff_id=staff_id, class_ids=class_ids, grade_ids=grade_ids),
            on_error=lambda text: show_error(self.message, text))
        if done is None:
            return
        self.user = done.value
        added = done.value.login
        if first:
            # The database's first account: from now on every write needs a signed-in
            # user, and whoever made it is that admin.
            signed = ops.write(self.ctx, self,
                               lambda db: users.authenticate(db, added, password))
            if signed is not None:
                self.ctx.set_user(signed.value)
        super().accept()

    def done(self, result: int) -> None:
        self.password_edit.clear()
        self.again_edit.clear()
        super().done(result)

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> User | None:
        """The account added, or None when cancelled."""
        dialog = cls(ctx, parent)
        try:
            return dialog.user if dialog.exec() else None
        finally:
            dialog.deleteLater()


class ResetPasswordDialog(QDialog):
    """An admin gives an account a new password (which also unlocks it)."""

    def __init__(self, ctx: AppContext, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.login = user.login
        self.setWindowTitle(_("Reset Password"))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(_("A new password for {name} ({login}); tell it to them, and they can "
                         "change it under Account, Change Password.").format(
                             name=user.display_name or user.login, login=user.login), self)
        intro.setWordWrap(True)
        self.password_edit = password_edit(self, _("New password"))
        self.again_edit = password_edit(self, _("New password again"))
        self.message = error_label(self, _("Message"))
        form = QFormLayout()
        form.addRow(_("&New password:"), self.password_edit)
        form.addRow(_("New password &again:"), self.again_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(_buttons(self, _("&Reset Password"), _("Reset the password")))
        self.password_edit.setFocus()

    def accept(self) -> None:
        password, login = self.password_edit.text(), self.login
        if password != self.again_edit.text():
            show_error(self.message, _("The new password and its repetition differ."))
            self.again_edit.clear()
            self.password_edit.setFocus()
            self.password_edit.selectAll()
            return
        if ops.write(self.ctx, self, lambda db: users.reset_password(db, login, password),
                     on_error=lambda text: show_error(self.message, text)) is None:
            return
        super().accept()

    def done(self, result: int) -> None:
        self.password_edit.clear()
        self.again_edit.clear()
        super().done(result)

    @classmethod
    def ask(cls, ctx: AppContext, user: User, parent: QWidget | None = None) -> bool:
        """True when the password was reset."""
        dialog = cls(ctx, user, parent)
        try:
            return bool(dialog.exec())
        finally:
            dialog.deleteLater()
