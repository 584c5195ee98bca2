"""Cell editors suited to each column: spin boxes, combo boxes, a checkable list of roles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from drillplanner.domain.fields import label, role_label
from drillplanner.domain.roles import StaffRole
from drillplanner.ui.models.table import CHOICES_ROLE, COLUMN_ROLE, NONE_TEXT, Column, Kind

AnyIndex = QModelIndex | QPersistentModelIndex

#: A combo box with more entries than this gets a search-as-you-type completer.
_LONG_LIST = 30


class RolesEditor(QListWidget):
    """Staff roles as a list of check boxes (Space toggles the current one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for role in StaffRole:
            item = QListWidgetItem(role_label(role), self)
            item.setData(Qt.ItemDataRole.UserRole, role.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.setCurrentRow(0)

    def set_roles(self, roles: object) -> None:
        chosen = {str(r) for r in roles} if isinstance(roles, list | tuple | set) else set()
        for row in range(self.count()):
            item = self.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def roles(self) -> list[str]:
        return [self.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.count())
                if self.item(row).checkState() == Qt.CheckState.Checked]


class FieldDelegate(QStyledItemDelegate):
    """Picks the editor from the model's Column description of the cell."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: AnyIndex) -> QWidget:
        column: Column | None = index.data(COLUMN_ROLE)
        if column is None:
            return super().createEditor(parent, option, index)
        editor: QWidget
        if column.kind in (Kind.NUMBER, Kind.OPTIONAL_NUMBER):
            spin = QSpinBox(parent)
            spin.setRange(column.minimum, column.maximum)
            if column.kind is Kind.OPTIONAL_NUMBER:
                spin.setSpecialValueText(NONE_TEXT)
            spin.setFrame(False)
            editor = spin
        elif column.kind is Kind.CHOICE:
            combo = QComboBox(parent)
            for value, text in index.data(CHOICES_ROLE) or []:
                combo.addItem(text, value)
            if combo.count() > _LONG_LIST:
                combo.setEditable(True)
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                completer = QCompleter(combo.model(), combo)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                combo.setCompleter(completer)
            editor = combo
        elif column.kind is Kind.ROLES:
            editor = RolesEditor(parent)
        else:
            editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(label(column.field))
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        value: Any = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value) if value not in (None, "") else editor.minimum())
        elif isinstance(editor, QComboBox):
            found = editor.findData(value) if value is not None else -1
            if found < 0:
                # None cannot be looked up by findData: it is the entry shown as NONE_TEXT.
                found = editor.findText(NONE_TEXT) if value is None else -1
            editor.setCurrentIndex(max(found, 0))
        elif isinstance(editor, RolesEditor):
            editor.set_roles(value)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QComboBox):
            row = editor.currentIndex()
            if editor.isEditable() and editor.findText(editor.currentText()) >= 0:
                row = editor.findText(editor.currentText())
            if row >= 0:
                model.setData(index, editor.itemData(row), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, RolesEditor):
            model.setData(index, editor.roles(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: AnyIndex) -> None:
        if isinstance(editor, RolesEditor):
            rect = option.rect
            height = editor.sizeHintForRow(0) * editor.count() + 2 * editor.frameWidth()
            view = editor.parentWidget()
            if view is not None:
                height = min(height, view.height())
                top = min(rect.top(), max(0, view.height() - height))
                rect.moveTop(top)
            rect.setHeight(height)
            rect.setWidth(max(rect.width(), editor.sizeHintForColumn(0) + 40))
            editor.setGeometry(rect)
            return
        super().updateEditorGeometry(editor, option, index)


def install_delegate(view: QAbstractItemView) -> FieldDelegate:
    delegate = FieldDelegate(view)
    view.setItemDelegate(delegate)
    return delegate
