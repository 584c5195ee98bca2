"""Keyboard-first headcount entry: class ⇥ present ⏎ records one class.

Fields: class (full name, "2班", "12" or "1-2"; completion offers the names), present,
missing and absent (empty means 0). Enter records through the service (``ops.write``, on the
GUI thread: the keyboard flow waits for the answer); the figures must add up (present +
missing = enrolled − absent) or the service's arithmetic shows in red and the cursor goes to
the field to fix, with nothing stored and nothing announced. Only after the service returned
(the entry is committed) does the bar say "saved" and clear itself for the next class; the
service's ``Changes`` (the run's headcounts) tell the console and every other page.
Ctrl+Enter asks for the full report (names, injured, with us, note) instead.

A user who may record only some classes (a teacher: their own) sees, as soon as the class
field names another, why not, with Record and Full report greyed (``set_refusals``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import tzinfo

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from drillplanner.domain.changes import Done
from drillplanner.domain.class_match import match_class
from drillplanner.domain.errors import DrillplannerError, ValidationError
from drillplanner.domain.headcount import MAX_COUNT, ClassInfo, ClassStatus, HeadcountEntry
from drillplanner.i18n import _
from drillplanner.services import headcounts, outbox
from drillplanner.services.database import Database
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.drill_style import ERROR_COLOUR, SAVED_COLOUR, bold_font, set_text_colour
from drillplanner.ui.models.headcount import count_text
from drillplanner.ui.signals import emit
from drillplanner.ui.widgets.outbox_status import WAITING_COLOUR, OutboxStatus

log = logging.getLogger("drillplanner.ui")

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class HeadcountEntryBar(QFrame):
    """The quick-entry row of the drill console."""

    #: A report was committed (HeadcountEntry).
    recorded = Signal(object)
    #: Ctrl+Enter: the full report for this class (ClassInfo, or None when not known yet).
    full_entry_requested = Signal(object)

    def __init__(self, ctx: AppContext, run_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_id = run_id
        self.recorded_by = ""
        self._statuses: dict[int, ClassStatus] = {}
        self._zone: tzinfo | None = None  # the school's time zone
        self._refusals: dict[int, str | None] = {}
        self.setObjectName("headcountEntry")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Record a headcount"))
        self._build_fields()
        self._build_layout()
        self.record_button.clicked.connect(lambda: self.record(None))
        self.full_button.clicked.connect(self.request_full_entry)
        self.class_edit.textChanged.connect(self._update_hint)
        self._fields: dict[str, QLineEdit] = {"class": self.class_edit,
                                              "present": self.present_edit,
                                              "missing": self.missing_edit,
                                              "absent": self.absent_edit}

    def _build_fields(self) -> None:
        self.class_edit = QLineEdit(self)
        self.class_edit.setObjectName("classField")
        self.class_edit.setAccessibleName(_("Class"))
        self.class_edit.setPlaceholderText(_("e.g. 12, 1-2 or 一年级2班"))
        self.class_edit.setClearButtonEnabled(True)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.class_edit.setCompleter(completer)
        self.present_edit = self._count_edit("presentField", _("Present"), "")
        self.missing_edit = self._count_edit("missingField", _("Missing"), "0")
        self.absent_edit = self._count_edit("absentField", _("Absent before the drill"), "0")
        self.record_button = QPushButton(_("Record ⏎"), self)
        self.record_button.setAccessibleName(_("Record headcount"))
        self.record_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.full_button = QPushButton(_("Full report… (Ctrl+Enter)"), self)
        self.full_button.setAccessibleName(_("Full headcount report"))
        self.full_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hint = QLabel(self)
        self.hint.setAccessibleName(_("Class found"))
        self.message = QLabel(self)
        self.message.setAccessibleName(_("Entry result"))
        self.message.setWordWrap(True)
        self.message.setFont(bold_font())
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.waiting = OutboxStatus(self.ctx, self.ctx.outbox, self)

    def _build_layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        labels = (_("&Class"), _("&Present"), _("&Missing"), _("A&bsent"))
        edits = (self.class_edit, self.present_edit, self.missing_edit, self.absent_edit)
        for column, (text, edit) in enumerate(zip(labels, edits, strict=True)):
            label = QLabel(text, self)
            label.setBuddy(edit)
            grid.addWidget(label, 0, column)
            grid.addWidget(edit, 1, column)
            edit.installEventFilter(self)
            edit.returnPressed.connect(lambda e=edit: self.record(e))
        grid.addWidget(self.record_button, 1, 4)
        grid.addWidget(self.full_button, 1, 5)
        grid.addWidget(self.hint, 2, 0, 1, 6)
        grid.addWidget(self.message, 3, 0, 1, 6)
        grid.addWidget(self.waiting, 4, 0, 1, 6)
        grid.setColumnStretch(0, 3)
        for column in (1, 2, 3):
            grid.setColumnStretch(column, 1)
        self.setTabOrder(self.class_edit, self.present_edit)
        self.setTabOrder(self.present_edit, self.missing_edit)
        self.setTabOrder(self.missing_edit, self.absent_edit)

    def _count_edit(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setValidator(QIntValidator(0, MAX_COUNT, edit))
        edit.setMaxLength(4)
        return edit

    # Data ---------------------------------------------------------------------------------

    def set_classes(self, classes: Sequence[ClassInfo],
                    statuses: Mapping[int, ClassStatus] | None = None, *,
                    zone: tzinfo | None = None) -> None:
        """The run's classes (for completion) and their current reports (for the hint);
        ``zone``: the school's, for the times the bar says."""
        self._zone = zone
        names = [c.name for c in classes]
        if names != self._names.stringList():
            self._names.setStringList(names)
        self._statuses = dict(statuses or {})
        self._update_hint(self.class_edit.text())

    def set_refusals(self, refusals: Mapping[int, str | None]) -> None:
        """Per class id, why the user may not record it (None: they may)."""
        self._refusals = dict(refusals)
        reasons = list(refusals.values())
        # Nothing to record at all: the whole bar says why on hover.
        none = bool(reasons) and None not in reasons
        self.setToolTip(next(r for r in reasons if r) if none else "")
        self._update_hint(self.class_edit.text())

    def resolve(self, text: str) -> ClassInfo:
        """The class ``text`` names (raises the service's error when it names none); from
        the classes the console shows when it has them, so a class can be typed while the
        database server is away."""
        if self._statuses:
            return match_class([s.info for s in self._statuses.values()], text)
        return headcounts.find_class(self.ctx.db, self.run_id, text)

    def _update_hint(self, text: str) -> None:
        self._allow(None)
        if not text.strip():
            self.hint.clear()
            return
        try:
            info = self.resolve(text)
        except DrillplannerError as error:
            self.hint.setText(str(error))
            return
        refused = self._refusals.get(info.class_id)
        if refused is not None:
            self.hint.setText(_("→ {name}: {reason}").format(name=info.name, reason=refused))
            self._allow(refused)
            return
        hint = _("→ {name}: {enrolled} enrolled").format(name=info.name,
                                                          enrolled=info.enrolled)
        status = self._statuses.get(info.class_id)
        if status is not None and status.figures is not None:
            hint += _("; reported {count} (a new entry corrects it)").format(
                count=count_text(status))
        self.hint.setText(hint)

    # Recording ----------------------------------------------------------------------------

    def record(self, source: QLineEdit | None = None) -> HeadcountEntry | None:
        """Record the typed report; returns the committed entry, or None with a message."""
        text = self.class_edit.text().strip()
        if not text:
            self._refuse("class", _("Type the class first."))
            return None
        try:
            info = self.resolve(text)
        except DrillplannerError as error:
            self._refuse("class", str(error))
            return None
        if not self.present_edit.text().strip():
            if source is self.class_edit:
                # Enter after the class (e.g. choosing it from the list) goes on to the count.
                self.message.clear()
                self.present_edit.setFocus()
                return None
            self._refuse("present", _("Type how many students of {name} are "
                                             "present.").format(name=info.name))
            return None
        present = self._number(self.present_edit)
        missing = self._number(self.missing_edit)
        absent = self._number(self.absent_edit)
        # The field a refusal points at: the one a ValidationError names, else the class.
        refused = ["class"]

        def op(db: Database) -> Done[HeadcountEntry | outbox.Kept]:
            try:
                return outbox.record_or_keep(db, self.ctx.outbox, self.run_id, info.class_id,
                                             present, missing=missing, absent=absent,
                                             by=self.recorded_by)
            except ValidationError as error:
                refused[0] = error.field
                raise

        done = ops.write(self.ctx, self, op,
                         on_error=lambda message: self._refuse(refused[0], message))
        if done is None:
            return None
        entry = done.value
        if isinstance(entry, outbox.Kept):
            self._say(_("Kept {name} on this computer ({time}): the database cannot be "
                        "reached. It is sent as soon as it is back.").format(
                            name=info.name, time=entry.kept_at.astimezone(
                                self._zone).strftime("%H:%M:%S")), WAITING_COLOUR)
            self.clear_fields()
            self.waiting.refresh()
            return None
        figures = entry.figures
        assert figures is not None
        self._say(_("Saved {name}: present {present} of {expected}, missing {missing} "
                    "({time}).").format(name=info.name, present=figures.present,
                                         expected=figures.expected, missing=figures.missing,
                                         time=entry.recorded_at.strftime("%H:%M:%S")),
                  SAVED_COLOUR)
        self.clear_fields()
        emit(self.recorded, entry)
        return entry

    @staticmethod
    def _number(edit: QLineEdit) -> int:
        text = edit.text().strip()
        return int(text) if text else 0

    def _refuse(self, field: str, message: str) -> None:
        self._say(message, ERROR_COLOUR)
        edit = self._fields.get(field, self.present_edit)
        edit.setFocus()
        edit.selectAll()

    def _allow(self, refused: str | None) -> None:
        """Record and Full report for the class typed: greyed with why, or usable."""
        set_text_colour(self.hint, ERROR_COLOUR if refused else None)
        for button in (self.record_button, self.full_button):
            button.setEnabled(refused is None)
            button.setToolTip(refused or "")

    def show_refusal(self, message: str) -> None:
        """Why a class chosen elsewhere (its tile) cannot be recorded here."""
        self._say(message, ERROR_COLOUR)

    def _say(self, message: str, colour: str) -> None:
        set_text_colour(self.message, colour)
        self.message.setText(message)
        self.message.setAccessibleDescription(message)

    def message_text(self) -> str:
        return self.message.text()

    def clear_fields(self) -> None:
        for edit in self._fields.values():
            edit.clear()
        self.class_edit.setFocus()

    def request_full_entry(self) -> None:
        info = None
        if self.class_edit.text().strip():
            try:
                info = self.resolve(self.class_edit.text())
            except DrillplannerError:
                info = None
        refused = self._refusals.get(info.class_id) if info is not None else None
        if refused is not None:
            self.show_refusal(refused)
            return
        emit(self.full_entry_requested, info)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in _ENTER_KEYS and \
                    event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.request_full_entry()
                return True
            if event.key() == Qt.Key.Key_Escape and isinstance(watched, QLineEdit):
                self.clear_fields()
                self.message.clear()
                return True
        return super().eventFilter(watched, event)
