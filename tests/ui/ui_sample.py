"""The sample school the GUI tests work on (a module, so tests can name its type)."""

from __future__ import annotations

from dataclasses import dataclass

from drillplanner.domain.structure import School, SchoolClass


@dataclass
class Sample:
    school: School
    class_1: SchoolClass
    class_2: SchoolClass
    grade_id: int
    building_id: int


def unnamed_controls(root: object) -> list[str]:
    """Interactive widgets under ``root`` that carry no accessible name (Qt's own excepted)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QTabBar,
        QWidget,
    )

    assert isinstance(root, QWidget)
    controls = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView)
    return [f"{type(w).__name__} {w.objectName()}" for w in root.findChildren(QWidget)
            if isinstance(w, controls) and not isinstance(w, QTabBar)
            and w.isVisibleTo(root) and not w.accessibleName()
            and not w.objectName().startswith("qt_")]
