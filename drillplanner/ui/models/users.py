"""The Users dialog's table: one row per account, read from services.users."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from drillplanner.domain.permissions import ROLE_LABELS, Role
from drillplanner.domain.users import User
from drillplanner.i18n import N_, _
from drillplanner.ui.models.readonly import ReadOnlyTableModel

USER_COLUMNS = (N_("Login"), N_("Name"), N_("Roles"), N_("School"), N_("Classes and grades"),
                N_("Status"))
LOGIN, NAME, ROLES, SCHOOL, CLASSES, STATUS = range(len(USER_COLUMNS))

_INACTIVE = QColor("#757575")


def roles_text(roles: tuple[Role, ...]) -> str:
    return _(", ").join(_(ROLE_LABELS[role]) for role in Role if role in roles)


def status_text(user: User) -> str:
    """Active, disabled, or locked until a time."""
    if user.disabled:
        return _("Disabled")
    if user.locked_until is not None:
        return _("Locked until {time}").format(time=user.locked_until.strftime("%H:%M"))
    return _("Active")


class UsersModel(ReadOnlyTableModel[User]):
    """Accounts in login order; disabled ones greyed."""

    COLUMNS = USER_COLUMNS

    def text(self, record: User, column: int) -> str:
        if column == LOGIN:
            return record.login
        if column == NAME:
            return record.display_name
        if column == ROLES:
            return roles_text(record.roles)
        if column == SCHOOL:
            return record.school or _("(every school)")
        if column == CLASSES:
            return _(", ").join((*record.grades, *record.classes))
        return status_text(record)

    def extra(self, record: User, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and record.disabled:
            return QBrush(_INACTIVE)
        return None

    def row_of(self, login: str) -> int:
        return next((row for row, user in enumerate(self._rows) if user.login == login), -1)
