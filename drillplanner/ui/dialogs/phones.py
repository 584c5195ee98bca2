"""Phones: the drill page's QR code and link for teachers to scan, each class's own link,
and the switch that stops serving them.

The dialog shows what the console's phone server (``views/console_phones.py``) is doing and
asks it to start or stop; it owns no server. It is not modal: the commander keeps it beside
the console while teachers scan it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drillplanner.i18n import _
from drillplanner.ui.drill_style import ERROR_COLOUR, set_text_colour
from drillplanner.ui.widgets.qr_code import QrCodePanel

#: Pixels per module of the drill's code (a version-4 code: 287 px) and of a class's.
DRILL_MODULE = 7
CLASS_MODULE = 4


class PhoneLinks(Protocol):
    """What the dialog needs of the console's phone server."""

    @property
    def running(self) -> bool: ...

    @property
    def error(self) -> str: ...

    @property
    def can_start(self) -> bool: ...

    def url(self) -> str: ...

    def class_links(self) -> Sequence[tuple[str, str]]: ...

    def start(self) -> bool: ...

    def stop(self) -> None: ...


class PhonesDialog(QDialog):
    """The drill's code and link, the classes' links, and Start/Stop."""

    def __init__(self, phones: PhoneLinks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phones = phones
        self.setObjectName("phonesDialog")
        self.setWindowTitle(_("Phones"))
        self.setAccessibleName(_("Phones"))

        self.instruction = QLabel(_(
            "Scan with a phone on the school Wi-Fi to report headcounts during the drill. "
            "The page works while the drill runs and closes at the all clear."), self)
        self.instruction.setWordWrap(True)
        # Wide enough for the messages to read as lines, also while no code is shown (on
        # the label: a minimum on the dialog would override its layout's).
        self.instruction.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 44)
        self.message = QLabel(self)
        self.message.setObjectName("phonesMessage")
        self.message.setAccessibleName(_("Phones status"))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._shown_running: bool | None = None
        self._build_drill_box()
        self._build_class_box()

        self.start_button = QPushButton(_("&Start Phones"), self)
        self.start_button.setAccessibleName(_("Start serving the phone page"))
        self.stop_button = QPushButton(_("&Stop Phones"), self)
        self.stop_button.setAccessibleName(_("Stop serving the phone page"))
        self.stop_button.setToolTip(_("Phones can no longer open the page or report"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName(_("Close (phones stay on)"))

        columns = QHBoxLayout()
        columns.addWidget(self.drill_box, 3)
        columns.addWidget(self.class_box, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.instruction)
        layout.addWidget(self.message)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

        self.copy_button.clicked.connect(self.copy_link)
        self.class_list.currentRowChanged.connect(self._show_class)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.refresh()

    def _build_drill_box(self) -> None:
        self.drill_box = QGroupBox(_("The whole drill"), self)
        self.drill_code = QrCodePanel(self.drill_box, DRILL_MODULE)
        self.drill_code.code.setAccessibleName(_("QR code of the drill page"))
        self.drill_code.url_label.hide()  # the line below holds it, to select and copy
        self.url_edit = QLineEdit(self.drill_box)
        self.url_edit.setReadOnly(True)
        self.url_edit.setAccessibleName(_("Link of the drill page"))
        self.url_edit.setMinimumWidth(self.url_edit.fontMetrics().horizontalAdvance("m" * 40))
        self.copy_button = QPushButton(_("&Copy"), self.drill_box)
        self.copy_button.setAccessibleName(_("Copy the link"))
        self.copy_button.setToolTip(_("Copy the link, to send it to teachers by message"))
        self.copied_label = QLabel(self.drill_box)
        self.copied_label.setAccessibleName(_("Copied"))
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.copy_button)
        drill_layout = QVBoxLayout(self.drill_box)
        drill_layout.addWidget(self.drill_code, 1)
        drill_layout.addLayout(url_row)
        drill_layout.addWidget(self.copied_label)

    def _build_class_box(self) -> None:
        self.class_box = QGroupBox(_("One class only"), self)
        self.class_list = QListWidget(self.class_box)
        self.class_list.setAccessibleName(_("Classes"))
        self.class_code = QrCodePanel(self.class_box, CLASS_MODULE)
        self.class_code.code.setAccessibleName(_("QR code of the class's page"))
        self.class_note = QLabel(_(
            "A class's page reports that class alone. Each class's roll-call sheet carries "
            "its own code."), self.class_box)
        self.class_note.setWordWrap(True)
        class_layout = QVBoxLayout(self.class_box)
        class_layout.addWidget(self.class_list, 1)
        class_layout.addWidget(self.class_code)
        class_layout.addWidget(self.class_note)

    @classmethod
    def show_for(cls, phones: PhoneLinks, parent: QWidget | None = None,
                 dialog: PhonesDialog | None = None) -> PhonesDialog:
        """Show ``dialog`` (made when None) without blocking the console; returns it."""
        shown = dialog if dialog is not None else cls(phones, parent)
        shown.refresh()
        shown.show()
        shown.raise_()
        shown.activateWindow()
        return shown

    # What is shown ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the server's state: its links while it runs, else why it does not."""
        running = self.phones.running
        url = self.phones.url() if running else ""
        self.drill_code.set_link(url)
        self.url_edit.setText(url)
        self.drill_box.setVisible(running)
        self.class_box.setVisible(running)
        self.copy_button.setEnabled(running)
        self.copied_label.clear()
        if running:
            self.message.setText(_("Phones are on."))
            set_text_colour(self.message, None)
        elif self.phones.error:
            self.message.setText(self.phones.error)
            set_text_colour(self.message, ERROR_COLOUR)
        else:
            self.message.setText(_("Phones are off.") if self.phones.can_start else _(
                "Phones are off: the drill is over."))
            set_text_colour(self.message, None)
        self.start_button.setVisible(not running)
        self.start_button.setEnabled(self.phones.can_start)
        self.stop_button.setVisible(running)
        self._fill_classes(self.phones.class_links() if running else ())
        if running != self._shown_running:
            self._shown_running = running
            self.adjustSize()  # no empty room where the codes were

    def _fill_classes(self, links: Sequence[tuple[str, str]]) -> None:
        chosen = self.class_list.currentRow()
        self.class_list.clear()
        for name, url in links:
            item = QListWidgetItem(name, self.class_list)
            item.setData(Qt.ItemDataRole.UserRole, url)
        if links:
            self.class_list.setCurrentRow(min(max(chosen, 0), len(links) - 1))
        else:
            self._show_class(-1)

    def _show_class(self, row: int) -> None:
        item = self.class_list.item(row) if row >= 0 else None
        if item is None:
            self.class_code.set_link("")
            return
        self.class_code.set_link(str(item.data(Qt.ItemDataRole.UserRole)), item.text())

    # Actions ----------------------------------------------------------------------------

    def copy_link(self) -> None:
        url = self.url_edit.text()
        if url:
            QGuiApplication.clipboard().setText(url)
            self.copied_label.setText(_("Copied."))

    def start(self) -> None:
        self.phones.start()
        self.refresh()

    def stop(self) -> None:
        self.phones.stop()
        self.refresh()
