"""What the event dialog tells the user while they edit: the rule in words, the next ten
dates and conflict warnings (warnings only: saving stays allowed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillplanner import i18n
from drillplanner.domain import recurrence as rec
from drillplanner.domain.events import Event, Occurrence, OccurrenceChange
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.i18n import _, ngettext
from drillplanner.services import schedule
from drillplanner.services.database import Database
from drillplanner.ui import calendar_style as style

PREVIEW_LENGTH = 10
#: Warnings listed one by one; the rest are counted.
MAX_WARNINGS = 30


def preview_text(occurrence: Occurrence) -> str:
    """"Mon, Nov 9 2026 10:00–10:20", marked when moved."""
    text = _("{day} {year} {start}–{end}").format(
        day=style.day_title(occurrence.day), year=occurrence.day.year,
        start=style.time_text(occurrence.start), end=style.time_text(occurrence.end))
    return text + _(" (moved)") if occurrence.moved else text


class FeedbackPanel(QWidget):
    """The right-hand column of the event dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule_label = QLabel(self)
        self.rule_label.setWordWrap(True)
        self.rule_label.setAccessibleName(_("The rule in words"))
        self.rule_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_list = QListWidget(self)
        self.preview_list.setAccessibleName(_("Next ten occurrences"))
        self.preview_note = QLabel(self)
        self.preview_note.setWordWrap(True)
        self.preview_note.setAccessibleName(_("Preview note"))
        preview_box = QGroupBox(_("Next ten occurrences"), self)
        box_layout = QVBoxLayout(preview_box)
        box_layout.addWidget(self.rule_label)
        box_layout.addWidget(self.preview_list, 1)
        box_layout.addWidget(self.preview_note)

        self.conflicts_frame = QFrame(self)
        self.conflicts_frame.setObjectName("conflictsFrame")
        self.conflicts_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.conflicts_frame.setStyleSheet(
            f"#conflictsFrame {{ background: {style.WARNING_BACKGROUND}; "
            f"border: 2px solid {style.WARNING_EDGE}; border-radius: 4px; }}")
        self.conflicts_title = QLabel(self.conflicts_frame)
        self.conflicts_title.setWordWrap(True)
        self.conflicts_title.setStyleSheet("font-weight: bold; color: #8a3c00;")
        self.conflicts_list = QListWidget(self.conflicts_frame)
        self.conflicts_list.setAccessibleName(_("Conflict warnings"))
        self.conflicts_list.setWordWrap(True)
        self.conflicts_list.setStyleSheet("background: transparent; border: none;")
        frame_layout = QVBoxLayout(self.conflicts_frame)
        frame_layout.addWidget(self.conflicts_title)
        frame_layout.addWidget(self.conflicts_list)
        self.conflicts_frame.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(preview_box, 3)
        layout.addWidget(self.conflicts_frame, 2)
        self._occurrences: list[Occurrence] = []

    def show_invalid(self) -> None:
        self.rule_label.setText(_("Fix the marked fields to see the dates."))
        self.preview_list.clear()
        self.preview_note.setText("")
        self._occurrences = []
        self._set_conflicts([])

    def show_event(self, db: Database, event: Event, changes: Sequence[OccurrenceChange],
                   calendar: SchoolCalendar, tz: ZoneInfo, today: date) -> None:
        """Describe ``event``, list its next ten occurrences from ``today`` (or from its start
        when that is later) and its conflicts with the school's other events."""
        self.rule_label.setText(_("Repeats: {rule}").format(
            rule=rec.describe(event.recurrence, event.start, event.duration)))
        first = max(today, event.start.date())
        after = datetime.combine(first, time.min, tz)
        self._occurrences = list(rec.next_occurrences(event, changes, calendar, tz, after,
                                                      limit=PREVIEW_LENGTH))
        self.preview_list.clear()
        for occurrence in self._occurrences:
            item = QListWidgetItem(preview_text(occurrence), self.preview_list)
            item.setData(Qt.ItemDataRole.UserRole, occurrence.start.isoformat())
        if not self._occurrences:
            self.preview_note.setText(_("No occurrence from {day} on.").format(
                day=i18n.format_date(first)))
        elif event.recurrence.repeats and len(self._occurrences) < PREVIEW_LENGTH:
            self.preview_note.setText(ngettext("Only {n} occurrence from {day} on.",
                                               "Only {n} occurrences from {day} on.",
                                               len(self._occurrences)).format(
                n=len(self._occurrences), day=i18n.format_date(first)))
        else:
            self.preview_note.setText("")
        self._set_conflicts([c.message for c in schedule.event_conflicts(db, event)])

    def _set_conflicts(self, messages: list[str]) -> None:
        self.conflicts_list.clear()
        self.conflicts_list.addItems(messages[:MAX_WARNINGS])
        if len(messages) > MAX_WARNINGS:
            self.conflicts_list.addItem(_("… and {n} more").format(
                n=len(messages) - MAX_WARNINGS))
        self.conflicts_title.setText(ngettext(
            "{n} warning (you can still save):", "{n} warnings (you can still save):",
            len(messages)).format(n=len(messages)))
        self.conflicts_frame.setVisible(bool(messages))

    def preview_starts(self) -> list[datetime]:
        return [o.start for o in self._occurrences]

    def conflict_messages(self) -> list[str]:
        return [self.conflicts_list.item(row).text()
                for row in range(self.conflicts_list.count())]
