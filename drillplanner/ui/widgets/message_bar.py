"""An inline message above a table: why an edit was refused, what an action did."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from drillplanner.i18n import _


class MessageBar(QFrame):
    """A dismissible one-line message; hidden until there is something to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Message"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self._icon = QLabel(self)
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setAccessibleName(_("Message text"))
        close = QToolButton(self)
        close.setAutoRaise(True)
        close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        close.setToolTip(_("Dismiss"))
        close.setAccessibleName(_("Dismiss message"))
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.hide)
        layout.addWidget(self._icon)
        layout.addWidget(self._text, 1)
        layout.addWidget(close)
        self.hide()

    def show_error(self, message: str) -> None:
        self._show(message, QStyle.StandardPixmap.SP_MessageBoxWarning, "#fdecea")

    def show_info(self, message: str) -> None:
        self._show(message, QStyle.StandardPixmap.SP_MessageBoxInformation, "#e8f1fb")

    def text(self) -> str:
        return "" if self.isHidden() else self._text.text()

    def _show(self, message: str, icon: QStyle.StandardPixmap, colour: str) -> None:
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self.setStyleSheet(f"#messageBar {{ background: {colour}; }}")
        self._text.setText(message)
        self._text.setAccessibleDescription(message)
        self.show()
