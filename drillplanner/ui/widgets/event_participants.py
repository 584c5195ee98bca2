"""Who takes part in an event: the whole school, some grades or some classes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Participants, Scope
from drillplanner.domain.structure import Grade, SchoolClass
from drillplanner.i18n import _
from drillplanner.ui.signals import emit
from drillplanner.ui.widgets.recurrence_editor import error_label


def _checkable_list(parent: QWidget, name: str, items: Iterable[tuple[int, str]]) -> QListWidget:
    widget = QListWidget(parent)
    widget.setAccessibleName(name)
    for item_id, text in items:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, item_id)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Unchecked)
    return widget


def _checked(widget: QListWidget) -> frozenset[int]:
    return frozenset(int(widget.item(row).data(Qt.ItemDataRole.UserRole))
                     for row in range(widget.count())
                     if widget.item(row).checkState() == Qt.CheckState.Checked)


def _check(widget: QListWidget, ids: Iterable[int]) -> None:
    chosen = set(ids)
    for row in range(widget.count()):
        item = widget.item(row)
        state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen \
            else Qt.CheckState.Unchecked
        item.setCheckState(state)


class ParticipantsBox(QGroupBox):
    """Three choices; the grade and class lists are checkable and active only when chosen."""

    changed = Signal()

    def __init__(self, grades: Sequence[Grade], classes: Sequence[SchoolClass],
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Participants"), parent)
        self.setAccessibleName(_("Participants"))
        self.school_radio = QRadioButton(_("&Whole school"), self)
        self.grades_radio = QRadioButton(_("&Grades:"), self)
        self.classes_radio = QRadioButton(_("C&lasses:"), self)
        self.school_radio.setAccessibleName(_("Whole school"))
        self.grades_radio.setAccessibleName(_("Some grades"))
        self.classes_radio.setAccessibleName(_("Some classes"))
        self.group = QButtonGroup(self)
        for number, radio in enumerate((self.school_radio, self.grades_radio,
                                        self.classes_radio)):
            self.group.addButton(radio, number)
        self.school_radio.setChecked(True)
        self.grades_list = _checkable_list(self, _("Grades taking part"),
                                           ((g.id, g.name) for g in grades))
        self.classes_list = _checkable_list(self, _("Classes taking part"),
                                            ((c.id, c.full_name) for c in classes))
        for widget in (self.grades_list, self.classes_list):
            widget.itemChanged.connect(self._on_edit)
        self.group.idToggled.connect(self._on_edit)
        self.error = error_label(self, _("Participants error"))

        lists = QHBoxLayout()
        for radio, widget in ((self.grades_radio, self.grades_list),
                              (self.classes_radio, self.classes_list)):
            column = QVBoxLayout()
            column.addWidget(radio)
            column.addWidget(widget)
            lists.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addWidget(self.school_radio)
        layout.addLayout(lists, 1)
        layout.addWidget(self.error)
        if not grades and not classes:
            layout.addWidget(QLabel(_("This school has no grades or classes yet."), self))
        self._update_enabled()

    def scope(self) -> Scope:
        return (Scope.SCHOOL, Scope.GRADES, Scope.CLASSES)[max(self.group.checkedId(), 0)]

    def participants(self) -> Participants:
        """The choice; ValidationError("participants") when a list is chosen but empty."""
        scope = self.scope()
        if scope is Scope.GRADES:
            ids = _checked(self.grades_list)
            if not ids:
                raise ValidationError("participants", _("Tick at least one grade."))
            return Participants(scope, grade_ids=ids)
        if scope is Scope.CLASSES:
            ids = _checked(self.classes_list)
            if not ids:
                raise ValidationError("participants", _("Tick at least one class."))
            return Participants(scope, class_ids=ids)
        return Participants()

    def set_participants(self, participants: Participants) -> None:
        radio = {Scope.SCHOOL: self.school_radio, Scope.GRADES: self.grades_radio,
                 Scope.CLASSES: self.classes_radio}[Scope(participants.scope)]
        radio.setChecked(True)
        _check(self.grades_list, participants.grade_ids)
        _check(self.classes_list, participants.class_ids)
        self._update_enabled()

    def _on_edit(self, *_args: object) -> None:
        self._update_enabled()
        emit(self.changed)

    def _update_enabled(self) -> None:
        self.grades_list.setEnabled(self.grades_radio.isChecked())
        self.classes_list.setEnabled(self.classes_radio.isChecked())
