"""Adding or editing an event: fields, how it repeats, the next ten dates and warnings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, QTime, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain import recurrence as rec
from drillplanner.domain.changes import Done
from drillplanner.domain.errors import DrillplannerError, StaleEditError, ValidationError
from drillplanner.domain.events import Event, EventKind, OccurrenceChange, kind_label
from drillplanner.domain.structure import Grade, SchoolClass
from drillplanner.i18n import _
from drillplanner.services import calendar as calendar_service
from drillplanner.services import classes as class_service
from drillplanner.services import facilities, schedule, schools, staff
from drillplanner.services.database import Database
from drillplanner.ui import calendar_style as style
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import stale_edit
from drillplanner.ui.permissions import Guard
from drillplanner.ui.widgets.event_feedback import FeedbackPanel
from drillplanner.ui.widgets.event_participants import ParticipantsBox
from drillplanner.ui.widgets.recurrence_editor import RecurrenceEditor, error_label, show_error

#: Saves the draft through a service: the event as stored and what changed (raises
#: DrillplannerError to refuse; a ValidationError's field says where to show why).
Saver = Callable[[Database, Event], Done[Event]]

DEFAULT_TIME = time(10, 0)
DEFAULT_MINUTES = 20
_FEEDBACK_DELAY_MS = 150


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _swatch(kind: EventKind) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(style.kind_colour(kind))
    return QIcon(pixmap)


class EventDialog(QDialog):
    """Edits a draft Event; OK saves it through ``save`` and closes only when that succeeds."""

    def __init__(self, ctx: AppContext, school_id: int, *, event: Event | None = None,
                 start: datetime | None = None, save: Saver | None = None,
                 heading: str = "", changes: Sequence[OccurrenceChange] = (),
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.school_id = school_id
        self.original = event
        self._stale: StaleEditError | None = None
        self.changes = list(changes)
        self.today = today or date.today()
        self.saved: Event | None = None
        self._save: Saver = save or schedule.save_event
        #: The field the last refusal named ("" for none: shown under the fields).
        self._refused_field = ""
        self.setObjectName("eventDialog")
        self.setWindowTitle(heading or (_("Edit Event") if event and event.id else
                                        _("New Event")))
        self.setAccessibleName(self.windowTitle())
        db = ctx.db
        self.tz = ZoneInfo(schools.get_school(db, school_id).timezone)
        self.calendar = calendar_service.load_calendar(db, school_id)
        self.areas = facilities.list_areas(db, school_id)
        self.staff = staff.list_staff(db, school_id)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_FEEDBACK_DELAY_MS)
        self._timer.timeout.connect(self.refresh_feedback)
        self._build(class_service.list_grades(db, school_id),
                    class_service.list_classes(db, school_id))
        self._load(event, start)
        self.refresh_feedback()
        self.guard = Guard(ctx, self, lambda: {"school_id": school_id})

    # Construction -----------------------------------------------------------------------

    def _build(self, grades: Sequence[Grade], classes: Sequence[SchoolClass]) -> None:
        self._build_when()
        self._build_what()
        self.recurrence_editor = RecurrenceEditor(self)
        self.participants_box = ParticipantsBox(grades, classes, self)
        self.feedback = FeedbackPanel(self)
        self.general_error = error_label(self, _("Error"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("&Save"))
        self.ok_button.setAccessibleName(_("Save"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._connect()

    def _build_what(self) -> None:
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(_("Kind"))
        for kind in EventKind:
            self.kind_combo.addItem(_swatch(kind), kind_label(kind), kind.value)
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName(_("Title"))
        self.title_error = error_label(self, _("Title error"))
        self.place_combo = QComboBox(self)
        self.place_combo.setEditable(True)
        self.place_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.place_combo.setAccessibleName(_("Place"))
        self.place_combo.addItem("")
        for area in self.areas:
            self.place_combo.addItem(area.name, area.id)
        line_edit = self.place_combo.lineEdit()
        if line_edit is not None:
            line_edit.setAccessibleName(_("Place"))
            line_edit.setPlaceholderText(_("Assembly area, sports ground, hall…"))
        self.place_error = error_label(self, _("Place error"))
        self.organizer_combo = QComboBox(self)
        self.organizer_combo.setAccessibleName(_("Organizer"))
        self.organizer_combo.addItem(_("— nobody —"), None)
        for person in self.staff:
            self.organizer_combo.addItem(person.name, person.id)
        self.organizer_error = error_label(self, _("Organizer error"))
        self.announced_check = QCheckBox(_("&Announced in advance"), self)
        self.announced_check.setAccessibleName(_("Announced in advance"))
        self.announced_check.setToolTip(_("Untick for an unannounced drill: drills should "
                                          "happen at expected and unexpected times."))
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setAccessibleName(_("Description"))
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMaximumHeight(90)

    def _build_when(self) -> None:
        self.date_edit = QDateEdit(self)
        self.date_edit.setAccessibleName(_("Date"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.time_edit = QTimeEdit(self)
        self.time_edit.setAccessibleName(_("Start time"))
        self.time_edit.setDisplayFormat("HH:mm")
        self.start_error = error_label(self, _("Start error"))
        self.end_edit = QTimeEdit(self)
        self.end_edit.setAccessibleName(_("End time"))
        self.end_edit.setDisplayFormat("HH:mm")
        self.duration_spin = QSpinBox(self)
        self.duration_spin.setAccessibleName(_("Duration in minutes"))
        self.duration_spin.setRange(1, 7 * 24 * 60)
        self.duration_spin.setSuffix(_(" min"))
        self.next_day_label = QLabel(self)
        self.end_error = error_label(self, _("End error"))

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(_("&Kind:"), self.kind_combo)
        form.addRow(_("&Title:"), self.title_edit)
        form.addRow("", self.title_error)
        start_row = QHBoxLayout()
        start_row.addWidget(self.date_edit)
        start_row.addWidget(self.time_edit)
        start_row.addStretch(1)
        # A row holding a layout gets no buddy by itself: name the first field.
        start_label = QLabel(_("&Start:"), self)
        start_label.setBuddy(self.date_edit)
        form.addRow(start_label, start_row)
        form.addRow("", self.start_error)
        end_row = QHBoxLayout()
        end_row.addWidget(self.end_edit)
        end_row.addWidget(QLabel(_("or"), self))
        end_row.addWidget(self.duration_spin)
        end_row.addWidget(self.next_day_label)
        end_row.addStretch(1)
        end_label = QLabel(_("&End:"), self)
        end_label.setBuddy(self.end_edit)
        form.addRow(end_label, end_row)
        form.addRow("", self.end_error)
        form.addRow(_("&Place:"), self.place_combo)
        form.addRow("", self.place_error)
        form.addRow(_("&Organizer:"), self.organizer_combo)
        form.addRow("", self.organizer_error)
        form.addRow("", self.announced_check)
        form.addRow(_("&Description:"), self.description_edit)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        event_box = QGroupBox(_("Event"), self)
        event_column = QVBoxLayout(event_box)
        event_column.addLayout(form)
        event_column.addStretch(1)
        repeat_box = QGroupBox(_("Repeats"), self)
        QVBoxLayout(repeat_box).addWidget(self.recurrence_editor)
        middle = QVBoxLayout()
        middle.addWidget(repeat_box)
        middle.addWidget(self.participants_box, 1)
        columns = QHBoxLayout()
        columns.addWidget(event_box, 5)
        columns.addLayout(middle, 5)
        columns.addWidget(self.feedback, 4)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(line)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        order = [self.kind_combo, self.title_edit, self.date_edit, self.time_edit,
                 self.end_edit, self.duration_spin, self.place_combo, self.organizer_combo,
                 self.announced_check, self.description_edit,
                 self.recurrence_editor.preset_combo, *self.recurrence_editor.weekday_boxes,
                 self.recurrence_editor.nth_combo, self.recurrence_editor.nth_weekday_combo,
                 self.recurrence_editor.custom_edit, self.recurrence_editor.end_combo,
                 self.recurrence_editor.until_edit, self.recurrence_editor.count_spin,
                 self.participants_box.school_radio, self.participants_box.grades_radio,
                 self.participants_box.grades_list, self.participants_box.classes_radio,
                 self.participants_box.classes_list, self.feedback.preview_list,
                 self.feedback.conflicts_list, self.ok_button]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)

    def _connect(self) -> None:
        for signal in (self.kind_combo.currentIndexChanged, self.title_edit.textChanged,
                       self.place_combo.currentTextChanged,
                       self.organizer_combo.currentIndexChanged,
                       self.announced_check.toggled, self.recurrence_editor.changed,
                       self.participants_box.changed):
            signal.connect(self._schedule_feedback)
        self.date_edit.dateChanged.connect(self._on_start_changed)
        self.time_edit.timeChanged.connect(self._on_start_changed)
        self.end_edit.timeChanged.connect(self._on_end_changed)
        self.duration_spin.valueChanged.connect(self._on_duration_changed)

    def _load(self, event: Event | None, start: datetime | None) -> None:
        moment = event.start if event is not None else start or datetime.combine(
            self.today, DEFAULT_TIME)
        for widget in (self.date_edit, self.time_edit, self.duration_spin, self.end_edit):
            widget.blockSignals(True)
        self.date_edit.setDate(_qdate(moment.date()))
        self.time_edit.setTime(QTime(moment.hour, moment.minute))
        minutes = DEFAULT_MINUTES if event is None else int(event.duration.total_seconds() // 60)
        self.duration_spin.setValue(minutes)
        for widget in (self.date_edit, self.time_edit, self.duration_spin, self.end_edit):
            widget.blockSignals(False)
        self._sync_end_from_duration()
        self.recurrence_editor.set_start(moment, self.calendar.terms)
        self.announced_check.setChecked(True)
        if event is None:
            return
        self.set_kind(event.kind)
        self.title_edit.setText(event.title)
        self.place_combo.setEditText(event.place)
        self.set_organizer(event.organizer_id)
        self.announced_check.setChecked(event.announced)
        self.description_edit.setPlainText(event.description)
        self.participants_box.set_participants(event.participants)
        self.recurrence_editor.set_recurrence(event.recurrence, moment, self.calendar.terms)

    # Start, end and duration ------------------------------------------------------------

    def start(self) -> datetime:
        value = self.time_edit.time()
        return datetime.combine(_pydate(self.date_edit.date()),
                                time(value.hour(), value.minute()))

    def _sync_end_from_duration(self) -> None:
        end = self.start() + timedelta(minutes=self.duration_spin.value())
        self.end_edit.blockSignals(True)
        self.end_edit.setTime(QTime(end.hour, end.minute))
        self.end_edit.blockSignals(False)
        days = (end.date() - self.start().date()).days
        self.next_day_label.setText(_("(+{n} d)").format(n=days) if days else "")
        show_error(self.end_error, "")

    def _on_start_changed(self, *_args: object) -> None:
        self._sync_end_from_duration()
        self.recurrence_editor.set_start(self.start(), self.calendar.terms)
        self._schedule_feedback()

    def _on_duration_changed(self, *_args: object) -> None:
        self._sync_end_from_duration()
        self._schedule_feedback()

    def _on_end_changed(self, *_args: object) -> None:
        value = self.end_edit.time()
        end = datetime.combine(self.start().date(), time(value.hour(), value.minute()))
        try:
            duration = schedule.duration_between(self.start(), end)
        except ValidationError as error:
            show_error(self.end_error, error.message)
            self._schedule_feedback()
            return
        self.duration_spin.blockSignals(True)
        self.duration_spin.setValue(int(duration.total_seconds() // 60))
        self.duration_spin.blockSignals(False)
        self.next_day_label.setText("")
        show_error(self.end_error, "")
        self._schedule_feedback()

    # Driving the dialog (also used by tests) --------------------------------------------

    def set_kind(self, kind: EventKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(EventKind(kind).value))

    def set_title(self, text: str) -> None:
        self.title_edit.setText(text)

    def set_start(self, moment: datetime) -> None:
        self.date_edit.setDate(_qdate(moment.date()))
        self.time_edit.setTime(QTime(moment.hour, moment.minute))

    def set_end_time(self, moment: time) -> None:
        self.end_edit.setTime(QTime(moment.hour, moment.minute))

    def set_duration(self, minutes: int) -> None:
        self.duration_spin.setValue(minutes)

    def set_place(self, text: str) -> None:
        self.place_combo.setEditText(text)

    def set_organizer(self, staff_id: int | None) -> None:
        self.organizer_combo.setCurrentIndex(max(self.organizer_combo.findData(staff_id), 0)
                                             if staff_id is not None else 0)

    # The draft --------------------------------------------------------------------------

    def draft(self) -> Event:
        """The event as the fields say; ValidationError(field) for the first bad field."""
        title = self.title_edit.text().strip()
        if not title:
            raise ValidationError("title", _("Give the event a title."))
        if self.end_error.text():
            raise ValidationError("end", self.end_error.text())
        start = self.start()
        place = self.place_combo.currentText().strip()
        area_id = next((area.id for area in self.areas if area.name == place), None)
        base = self.original or Event(id=0, school_id=self.school_id, kind=EventKind.FIRE,
                                   title="", start=start, duration=timedelta(minutes=1))
        return replace(base, school_id=self.school_id,
                       kind=EventKind(self.kind_combo.currentData()), title=title,
                       start=start, duration=timedelta(minutes=self.duration_spin.value()),
                       recurrence=self.recurrence_editor.recurrence(),
                       description=self.description_edit.toPlainText().strip(), place=place,
                       assembly_area_id=area_id,
                       participants=self.participants_box.participants(),
                       organizer_id=self.organizer_combo.currentData(),
                       announced=self.announced_check.isChecked())

    def _error_labels(self) -> dict[str, QLabel]:
        rule = self.recurrence_editor.rule_error
        return {"title": self.title_error, "start": self.start_error, "end": self.end_error,
                "duration": self.end_error, "rule": rule, "rrule": rule, "recurrence": rule,
                "until": rule, "count": rule, "place": self.place_error,
                "participants": self.participants_box.error,
                "organizer_id": self.organizer_error}

    def show_field_error(self, error: ValidationError) -> None:
        label = self._error_labels().get(error.field, self.general_error)
        show_error(label, error.message)

    def clear_errors(self, keep_end: bool = True) -> None:
        for field, label in {**self._error_labels(), "": self.general_error}.items():
            if keep_end and field in ("end", "duration"):
                continue
            show_error(label, "")

    def error_text(self, field: str) -> str:
        """The message shown next to ``field`` ("" when none)."""
        label = self._error_labels().get(field, self.general_error)
        return "" if label.isHidden() else label.text()

    # Feedback ---------------------------------------------------------------------------

    def _schedule_feedback(self, *_args: object) -> None:
        self._timer.start()

    def refresh_feedback(self) -> Event | None:
        """Validate, describe the rule, preview ten dates and list conflicts; returns the
        draft when it is valid."""
        self._timer.stop()
        self.clear_errors()
        self.recurrence_editor.check_custom_rule()
        try:
            event = self.draft()
            self._check_calendar(event)
        except ValidationError as error:
            self.show_field_error(error)
            self.feedback.show_invalid()
            return None
        try:
            self.feedback.show_event(self.ctx.db, event, self.changes, self.calendar,
                                     self.tz, self.today)
        except DrillplannerError as error:
            show_error(self.general_error, str(error))
        return event

    def _check_calendar(self, event: Event) -> None:
        if self.calendar.years and event.recurrence.repeats:
            rec.check_has_occurrence(event, self.changes, self.calendar, self.tz)

    def preview_starts(self) -> list[datetime]:
        return self.feedback.preview_starts()

    def conflict_messages(self) -> list[str]:
        return self.feedback.conflict_messages()

    # Saving -----------------------------------------------------------------------------

    def accept(self) -> None:
        """Save (through ``ops.write``: other pages hear it) and close; a refused field is
        shown beside it, an edit someone else overtook asks what to keep."""
        event = self.refresh_feedback()
        if event is None:
            return
        save = self._save

        def op(db: Database) -> Done[Event]:
            self._refused_field, self._stale = "", None
            try:
                return save(db, event)
            except ValidationError as error:
                self._refused_field = error.field  # the message goes to that field
                raise
            except StaleEditError as error:
                self._stale = error
                raise

        done = ops.write(self.ctx, self, op, on_error=self._show_refusal)
        if done is not None:
            self.saved = done.value
            super().accept()
        elif self._stale is not None and isinstance(self._stale.current, Event):
            self._resolve(self._stale, self._stale.current)

    def _resolve(self, error: StaleEditError, theirs: Event) -> None:
        show_error(self.general_error, "")
        choice = stale_edit.ask(self, str(error), stale_edit.event_text(theirs))
        if choice is stale_edit.Choice.MINE:
            self.original = replace(self.original or theirs, version=theirs.version)
            self.accept()
        elif choice is stale_edit.Choice.RELOAD:
            self.original = theirs
            self._load(theirs, None)
            self.refresh_feedback()
        else:
            self.reject()

    def _show_refusal(self, message: str) -> None:
        label = self._error_labels().get(self._refused_field, self.general_error)
        show_error(label, message)

    @classmethod
    def ask(cls, ctx: AppContext, school_id: int, *, event: Event | None = None,
            start: datetime | None = None, save: Saver | None = None, heading: str = "",
            changes: Sequence[OccurrenceChange] = (), today: date | None = None,
            parent: QWidget | None = None) -> Event | None:
        """Show the dialog; the event as saved, or None when cancelled."""
        dialog = cls(ctx, school_id, event=event, start=start, save=save, heading=heading,
                     changes=changes, today=today, parent=parent)
        dialog.resize(1180, 640)
        try:
            return dialog.saved if dialog.exec() else None
        finally:
            dialog.deleteLater()

