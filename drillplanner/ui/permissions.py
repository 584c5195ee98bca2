"""Greying out what the signed-in user may not do, and saying why on hover.

``GUARDED`` is the one table of the GUI's writing controls: for each (named
"Owner.attribute", the class that builds it and the attribute holding it) the operation of
the permission table (domain/permissions.py) it performs. An owner makes one ``Guard`` at
the end of its construction, with what its operations are about (``{"school_id": …}``,
``{"run_id": …, "class_id": …}``); the guard finds the owner's rows of the table, asks
``authorization.refusal_for`` once per operation and disables each control the user may
not use, with the refusal (which names the rule) as its tooltip and status tip. A table
view is made read-only instead, so it can still be read and scrolled.

The guard decides again when the user signs in or out, when the current school changes,
and when its owner calls ``refresh`` (a drill's run changed status, another class was
selected). An owner that enables a guarded control for reasons of its own says so through
``set_enabled``; the control is enabled when both the owner and the user's roles allow.

A database without user accounts is used by the implicit local admin: nothing is greyed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QWidget

from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.permissions import ROLE_LABELS, Actor, Op, Role
from drillplanner.i18n import _
from drillplanner.services import authorization
from drillplanner.ui.context import AppContext

log = logging.getLogger("drillplanner.ui")

Arguments = Mapping[str, object]
Control = QAction | QWidget

#: Every control that writes, as "Owner.attribute", and the operation it performs.
GUARDED: dict[str, Op] = {
    # Main window and its Account menu
    "MainWindow.import_action": Op.SET_UP_SCHOOL,
    "AccountMenu.users_action": Op.MANAGE_USERS,
    "UsersDialog.add_button": Op.MANAGE_USERS,
    "UsersDialog.reset_button": Op.MANAGE_USERS,
    "UsersDialog.disable_button": Op.MANAGE_USERS,
    # School page: the rows' buttons and shortcuts, and the tables' cells
    "SchoolPage.add_action": Op.SET_UP_SCHOOL,
    "SchoolPage.delete_action": Op.SET_UP_SCHOOL,
    "TablePane.add_button": Op.SET_UP_SCHOOL,
    "TablePane.delete_button": Op.SET_UP_SCHOOL,
    "TablePane.view": Op.SET_UP_SCHOOL,
    # Calendar page, the school calendar and events
    "CalendarPage.new_action": Op.SCHEDULE,
    "CalendarPage.new_button": Op.SCHEDULE,
    "CalendarPage.start_drill_action": Op.RUN_DRILL,
    "CompliancePanel.profile_combo": Op.SET_UP_SCHOOL,
    "EventDialog.ok_button": Op.SCHEDULE,
    "CalendarEntriesDialog.add_year_button": Op.SET_UP_CALENDAR,
    "CalendarEntriesDialog.terms_button": Op.SET_UP_CALENDAR,
    "CalendarEntriesDialog.delete_year_button": Op.SET_UP_CALENDAR,
    "CalendarEntriesDialog.add_day_button": Op.SET_UP_CALENDAR,
    "CalendarEntriesDialog.delete_day_button": Op.SET_UP_CALENDAR,
    "CalendarEntriesDialog.prefill_button": Op.SET_UP_CALENDAR,
    "CalendarEntriesDialog.import_button": Op.SET_UP_CALENDAR,
    # Drill page and console (a class's entry: see views/console_access.py)
    "DrillPage.start_action": Op.RUN_DRILL,
    "DrillPage.start_button": Op.RUN_DRILL,
    "DrillConsole.all_clear_button": Op.RUN_DRILL,
    "DrillConsole.cancel_button": Op.RUN_DRILL,
    "ConsolePhones.button": Op.RUN_DRILL,
    "DrillConsole.verify_action": Op.VERIFY_HEADCOUNT,
    "DrillConsole.found_action": Op.RECORD_HEADCOUNT,
    "DrillConsole.correct_action": Op.RECORD_HEADCOUNT,
    "ClassHistoryDialog.correct_button": Op.RECORD_HEADCOUNT,
    # A drill's record
    "DrillDetailDialog.save_button": Op.RUN_DRILL,
    "DrillDetailDialog.add_post_button": Op.RUN_DRILL,
    "DrillDetailDialog.add_action_button": Op.RUN_DRILL,
    "DrillDetailDialog.sign_button": Op.SIGN_DRILL,
}


def refusal(ctx: AppContext, op: Op, arguments: Arguments | None = None) -> str | None:
    """Why the signed-in user may not do ``op`` with ``arguments`` (None: they may)."""
    try:
        return authorization.refusal_for(ctx.db, op, dict(arguments or {}))
    except DrillplannerError as error:  # nobody signed in, or the database unreadable
        return str(error)


def guarded_of(owner: object) -> dict[str, Op]:
    """The attributes of ``owner`` (by its class or a base) that ``GUARDED`` names."""
    names = {cls.__name__ for cls in type(owner).__mro__}
    found: dict[str, Op] = {}
    for key, op in GUARDED.items():
        owner_name, attribute = key.split(".", 1)
        if owner_name in names:
            found[attribute] = op
    return found


@dataclass
class _Guarded:
    control: Control
    op: Op
    tip: str
    status_tip: str
    triggers: QAbstractItemView.EditTrigger | None
    wanted: bool = True
    reason: str | None = None


class Guard(QObject):
    """Keeps its owner's guarded controls usable only as far as the user's roles reach."""

    def __init__(self, ctx: AppContext, owner: QObject,
                 arguments: Callable[[], Arguments] | None = None) -> None:
        super().__init__(owner)
        self.ctx = ctx
        self._arguments = arguments or (lambda: {"school_id": ctx.school_id})
        self._controls: dict[int, _Guarded] = {}
        for attribute, op in guarded_of(owner).items():
            control = getattr(owner, attribute)
            self._add(control, op)
        ctx.user_changed.connect(self.refresh)
        ctx.school_changed.connect(self.refresh)
        self.refresh()

    def _add(self, control: Control, op: Op) -> None:
        triggers = control.editTriggers() if isinstance(control, QAbstractItemView) else None
        self._controls[id(control)] = _Guarded(control, op, control.toolTip(),
                                               control.statusTip(), triggers)

    def ops(self) -> set[Op]:
        return {guarded.op for guarded in self._controls.values()}

    def refresh(self, *_args: object) -> None:
        """Ask again what the user may do (once per operation) and show it."""
        arguments = self._arguments()
        reasons = {op: refusal(self.ctx, op, arguments) for op in self.ops()}
        for guarded in self._controls.values():
            guarded.reason = reasons[guarded.op]
            self._show(guarded)

    def reason(self, control: Control) -> str | None:
        """Why the user may not use ``control`` (None: they may, or it is not guarded)."""
        guarded = self._controls.get(id(control))
        return guarded.reason if guarded is not None else None

    def allows(self, control: Control) -> bool:
        return self.reason(control) is None

    def set_enabled(self, control: Control, on: bool) -> None:
        """The owner's own wish for ``control``; the user's roles may still grey it."""
        guarded = self._controls.get(id(control))
        if guarded is None:
            control.setEnabled(on)
            return
        guarded.wanted = on
        self._show(guarded)

    @staticmethod
    def _show(guarded: _Guarded) -> None:
        control, reason = guarded.control, guarded.reason
        if isinstance(control, QAbstractItemView):
            # Still readable and scrollable: only its cells stop taking edits.
            assert guarded.triggers is not None
            control.setEditTriggers(guarded.triggers if reason is None
                                    else QAbstractItemView.EditTrigger.NoEditTriggers)
            control.setAccessibleDescription(reason or "")
            return
        control.setEnabled(guarded.wanted and reason is None)
        control.setToolTip(reason if reason is not None else guarded.tip)
        control.setStatusTip(reason if reason is not None else guarded.status_tip)
        if isinstance(control, QWidget):
            control.setAccessibleDescription(reason or "")


def class_refusals(ctx: AppContext, op: Op, run_id: int,
                   class_ids: Iterable[int]) -> dict[int, str | None]:
    """Per class of a drill run: why the user may not do ``op`` for it (None: they may)."""
    return {class_id: refusal(ctx, op, {"run_id": run_id, "class_id": class_id})
            for class_id in class_ids}


def describe_user(actor: Actor) -> str:
    """"张丽 (Teacher)": the user's name and roles, for the window and its status bar."""
    roles = _(", ").join(_(ROLE_LABELS[role]) for role in Role if role in actor.roles)
    return _("{name} ({roles})").format(name=actor.name or actor.login, roles=roles)
