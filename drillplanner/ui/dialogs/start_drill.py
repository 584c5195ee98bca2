"""Starting a drill: one of today's scheduled drills, or an ad-hoc (unannounced) one; and the
reason asked when a drill is cancelled or postponed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.events import DRILL_KINDS, EventKind, Occurrence, kind_label
from drillplanner.i18n import _
from drillplanner.ui import calendar_style as style

#: The kinds offered for an ad-hoc drill, in the order of EventKind.
ADHOC_KINDS = tuple(k for k in EventKind if k in DRILL_KINDS)


@dataclass(frozen=True, slots=True)
class StartChoice:
    """What to start: ``occurrence`` (scheduled) or an ad-hoc drill of ``kind``.

    With ``postpone_reason`` the scheduled drill is postponed instead of started.
    """

    occurrence: Occurrence | None
    kind: EventKind
    title: str = ""
    announced: bool = False
    postpone_reason: str | None = None


def occurrence_line(occurrence: Occurrence) -> str:
    return _("{time} {kind}: {title}").format(time=style.time_text(occurrence.start),
                                             kind=kind_label(occurrence.kind),
                                             title=occurrence.title)


class StartDrillDialog(QDialog):
    """Pick today's scheduled drill or describe an ad-hoc one; OK sounds the alarm."""

    def __init__(self, occurrences: Sequence[Occurrence], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Start a Drill"))
        self.setAccessibleName(self.windowTitle())
        self.occurrences = list(occurrences)
        self.postpone_reason: str | None = None

        self.list = QListWidget(self)
        self.list.setAccessibleName(_("Drill to start"))
        QListWidgetItem(_("Ad-hoc drill (not on the calendar)"), self.list)
        for occurrence in self.occurrences:
            QListWidgetItem(occurrence_line(occurrence), self.list)
        self.list.setCurrentRow(1 if self.occurrences else 0)

        self.adhoc_box = QGroupBox(_("Ad-hoc drill"), self)
        self.kind_combo = QComboBox(self.adhoc_box)
        self.kind_combo.setAccessibleName(_("Kind of drill"))
        for kind in ADHOC_KINDS:
            self.kind_combo.addItem(kind_label(kind), kind.value)
        self.title_edit = QLineEdit(self.adhoc_box)
        self.title_edit.setAccessibleName(_("Title"))
        self.announced_check = QCheckBox(_("&Announced in advance"), self.adhoc_box)
        self.announced_check.setAccessibleName(_("Announced in advance"))
        self.announced_check.setChecked(False)
        form = QFormLayout(self.adhoc_box)
        form.addRow(_("&Kind:"), self.kind_combo)
        form.addRow(_("&Title:"), self.title_edit)
        form.addRow("", self.announced_check)

        intro = QLabel(_("The alarm time is now. Classes report their headcounts on the "
                         "Drill page."), self)
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Sound the Alarm"))
        ok.setAccessibleName(_("Sound the alarm"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        self.postpone_button = QPushButton(_("&Postpone…"), self)
        self.postpone_button.setAccessibleName(_("Postpone the scheduled drill"))
        buttons.addButton(self.postpone_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.postpone_button.clicked.connect(self._postpone)
        self.list.currentRowChanged.connect(self._update)
        self.kind_combo.currentIndexChanged.connect(self._update)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Today's scheduled drills:"), self))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.adhoc_box)
        layout.addWidget(intro)
        layout.addWidget(buttons)
        self.resize(520, 460)
        self._update()
        self.list.setFocus()

    def _update(self) -> None:
        adhoc = self.list.currentRow() <= 0
        self.adhoc_box.setEnabled(adhoc)
        self.postpone_button.setEnabled(not adhoc)
        self.title_edit.setPlaceholderText(kind_label(self.kind()))

    def kind(self) -> EventKind:
        return EventKind(self.kind_combo.currentData())

    def choice(self) -> StartChoice:
        row = self.list.currentRow()
        if row > 0:
            occurrence = self.occurrences[row - 1]
            return StartChoice(occurrence, occurrence.kind, occurrence.title,
                               occurrence.announced, self.postpone_reason)
        return StartChoice(None, self.kind(), self.title_edit.text().strip(),
                           self.announced_check.isChecked())

    def _postpone(self) -> None:
        reason = ReasonDialog.ask(_("Postpone Drill"), _("Why is the drill postponed?"), self)
        if reason is not None:
            self.postpone_reason = reason
            self.accept()

    @classmethod
    def ask(cls, occurrences: Sequence[Occurrence],
            parent: QWidget | None = None) -> StartChoice | None:
        dialog = cls(occurrences, parent)
        try:
            return dialog.choice() if dialog.exec() else None
        finally:
            dialog.deleteLater()


class ReasonDialog:
    """The reason a drill is cancelled or postponed (required)."""

    @classmethod
    def ask(cls, title: str, question: str, parent: QWidget | None = None) -> str | None:
        text, ok = QInputDialog.getText(parent, title, question, QLineEdit.EchoMode.Normal,
                                        "", Qt.WindowType.Dialog)
        return text.strip() if ok and text.strip() else None
