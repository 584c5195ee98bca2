"""How an event repeats, as the event dialog edits it: presets, weekdays, an end, or RRULE."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from drillplanner.domain import recurrence as rec
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Recurrence
from drillplanner.domain.recurrence_presets import nth_weekday_of, preset_label, read_preset
from drillplanner.domain.school_calendar import Term
from drillplanner.i18n import N_, _
from drillplanner.ui import calendar_style as style
from drillplanner.ui.signals import emit

NTH_LABELS: tuple[tuple[int, str], ...] = (
    (1, N_("first")), (2, N_("second")), (3, N_("third")), (4, N_("fourth")),
    (5, N_("fifth")), (-1, N_("last")))

NO_END, UNTIL, COUNT = range(3)
_ERROR_STYLE = "color: #b00020;"


def error_label(parent: QWidget, name: str) -> QLabel:
    """A red, wrapping label under a field; empty and hidden until there is an error."""
    label = QLabel(parent)
    label.setStyleSheet(_ERROR_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


def show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


class RecurrenceEditor(QWidget):
    """The preset, its options and the end of the series; ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._start = datetime.combine(date.today(), time(10, 0))
        self._terms: tuple[Term, ...] = ()
        self._shown_preset: rec.Preset | None = None
        self._build()
        self._update_visibility()

    def _build(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.preset_combo = QComboBox(self)
        self.preset_combo.setAccessibleName(_("Repeats"))
        for preset in rec.Preset:
            self.preset_combo.addItem(preset_label(preset), preset.value)
        self.preset_combo.currentIndexChanged.connect(self._on_edit)
        form.addRow(_("&Repeats:"), self.preset_combo)
        self.form = form
        self._build_weekdays()
        self._build_custom()
        self._build_end()

    def _build_weekdays(self) -> None:
        form = self.form
        self.weekday_row = QWidget(self)
        row = QHBoxLayout(self.weekday_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.weekday_boxes: list[QCheckBox] = []
        for number, name in enumerate(style.weekday_names()):
            box = QCheckBox(name, self.weekday_row)
            box.setAccessibleName(style.weekday_names("wide")[number])
            box.toggled.connect(self._on_edit)
            row.addWidget(box)
            self.weekday_boxes.append(box)
        row.addStretch(1)
        self.weekday_label = QLabel(_("On:"), self)
        form.addRow(self.weekday_label, self.weekday_row)

        self.nth_row = QWidget(self)
        row = QHBoxLayout(self.nth_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.nth_combo = QComboBox(self.nth_row)
        self.nth_combo.setAccessibleName(_("Which week of the month"))
        for number, text in NTH_LABELS:
            self.nth_combo.addItem(_(text), number)
        self.nth_weekday_combo = QComboBox(self.nth_row)
        self.nth_weekday_combo.setAccessibleName(_("Day of the week"))
        for number, name in enumerate(style.weekday_names("wide")):
            self.nth_weekday_combo.addItem(name, number)
        for combo in (self.nth_combo, self.nth_weekday_combo):
            combo.currentIndexChanged.connect(self._on_edit)
            row.addWidget(combo)
        row.addStretch(1)
        self.nth_label = QLabel(_("On the:"), self)
        form.addRow(self.nth_label, self.nth_row)

        self.month_day_combo = QComboBox(self)
        self.month_day_combo.setAccessibleName(_("Day of the month"))
        for day in range(1, 32):
            self.month_day_combo.addItem(str(day), day)
        self.month_day_combo.addItem(_("last day"), -1)
        self.month_day_combo.setToolTip(_("A month without this day is skipped; choose "
                                          "“last day” for the end of every month."))
        self.month_day_combo.currentIndexChanged.connect(self._on_edit)
        self.month_day_label = QLabel(_("On &day:"), self)
        self.month_day_label.setBuddy(self.month_day_combo)
        form.addRow(self.month_day_label, self.month_day_combo)

    def _build_custom(self) -> None:
        form = self.form
        self.custom_edit = QLineEdit(self)
        self.custom_edit.setAccessibleName(_("Custom rule"))
        self.custom_edit.setPlaceholderText("FREQ=WEEKLY;BYDAY=MO,WE")
        self.custom_edit.setToolTip(_("An RFC 5545 rule, e.g. FREQ=MONTHLY;BYDAY=2TU"))
        self.custom_edit.textChanged.connect(self._on_edit)
        self.custom_label = QLabel(_("R&ule:"), self)
        self.custom_label.setBuddy(self.custom_edit)
        form.addRow(self.custom_label, self.custom_edit)
        self.rule_error = error_label(self, _("Rule error"))

    def _build_end(self) -> None:
        self.end_row = QWidget(self)
        row = QHBoxLayout(self.end_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.end_combo = QComboBox(self.end_row)
        self.end_combo.setAccessibleName(_("Series ends"))
        self.end_combo.addItems([_("Never (while the school calendar runs)"), _("On a date"),
                                 _("After a number of times")])
        self.until_edit = QDateEdit(self.end_row)
        self.until_edit.setAccessibleName(_("Last date"))
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setDisplayFormat("yyyy-MM-dd")
        self.count_spin = QSpinBox(self.end_row)
        self.count_spin.setAccessibleName(_("Number of times"))
        self.count_spin.setRange(1, 999)
        self.count_spin.setValue(10)
        self.end_combo.currentIndexChanged.connect(self._on_edit)
        self.until_edit.dateChanged.connect(self._on_edit)
        self.count_spin.valueChanged.connect(self._on_edit)
        for widget in (self.end_combo, self.until_edit, self.count_spin):
            row.addWidget(widget)
        row.addStretch(1)
        self.end_label = QLabel(_("&Ends:"), self)
        self.end_label.setBuddy(self.end_combo)
        self.form.addRow(self.end_label, self.end_row)
        self.school_days_check = QCheckBox(_("Only on school &days"), self)
        self.school_days_check.setAccessibleName(_("Only on school days"))
        self.school_days_check.setToolTip(_("Leave out dates that are holidays, closures or "
                                            "weekends without make-up lessons."))
        self.school_days_check.setChecked(True)
        self.school_days_check.toggled.connect(self._on_edit)
        self.form.addRow("", self.school_days_check)
        self.form.addRow("", self.rule_error)

    # Values -----------------------------------------------------------------------------

    def preset(self) -> rec.Preset:
        return rec.Preset(self.preset_combo.currentData())

    def set_start(self, start: datetime, terms: Sequence[Term] = ()) -> None:
        """The series' first start (the default weekday and day of month come from it)."""
        self._start = start
        self._terms = tuple(terms)
        self._update_visibility()

    def set_preset(self, preset: rec.Preset, *, weekdays: Sequence[int] = (),
                   nth: int | None = None, custom_rule: str = "") -> None:
        """Choose a preset. ``weekdays`` are 0 (Monday) to 6: the days of WEEKLY, or the
        weekday of MONTHLY_NTH_WEEKDAY; ``nth`` the week of the month (1..5, -1 last) or,
        for MONTHLY_DATE, the day of the month (-1 for the last day)."""
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(rec.Preset(preset).value))
        if preset is rec.Preset.WEEKLY:
            for number, box in enumerate(self.weekday_boxes):
                box.setChecked(number in weekdays)
        if preset is rec.Preset.MONTHLY_NTH_WEEKDAY:
            wanted = nth if nth is not None else nth_weekday_of(self._start.date())
            self.nth_combo.setCurrentIndex(max(self.nth_combo.findData(wanted), 0))
            day = weekdays[0] if weekdays else self._start.weekday()
            self.nth_weekday_combo.setCurrentIndex(day)
        if preset is rec.Preset.MONTHLY_DATE:
            wanted = nth if nth is not None else self._start.day
            self.month_day_combo.setCurrentIndex(max(self.month_day_combo.findData(wanted), 0))
        if preset is rec.Preset.CUSTOM:
            self.custom_edit.setText(custom_rule)

    def set_until(self, day: date | None) -> None:
        if day is None:
            self.end_combo.setCurrentIndex(NO_END)
            return
        self.until_edit.setDate(QDate(day.year, day.month, day.day))
        self.end_combo.setCurrentIndex(UNTIL)

    def set_count(self, count: int | None) -> None:
        if count is None:
            self.end_combo.setCurrentIndex(NO_END)
            return
        self.count_spin.setValue(count)
        self.end_combo.setCurrentIndex(COUNT)

    def set_school_days_only(self, only: bool) -> None:
        self.school_days_check.setChecked(only)

    def weekdays(self) -> tuple[int, ...]:
        return tuple(n for n, box in enumerate(self.weekday_boxes) if box.isChecked())

    def until(self) -> date | None:
        if self.end_combo.currentIndex() != UNTIL:
            return None
        value = self.until_edit.date()
        return date(value.year(), value.month(), value.day())

    def count(self) -> int | None:
        return self.count_spin.value() if self.end_combo.currentIndex() == COUNT else None

    def recurrence(self) -> Recurrence:
        """The rule as chosen; ValidationError (field "rrule", "weekdays", "until"...) when
        it cannot be built."""
        preset = self.preset()
        weekdays = self.weekdays()
        nth = None
        if preset is rec.Preset.MONTHLY_NTH_WEEKDAY:
            nth = int(self.nth_combo.currentData())
            weekdays = (int(self.nth_weekday_combo.currentData()),)
        elif preset is rec.Preset.MONTHLY_DATE:
            nth = int(self.month_day_combo.currentData())
        elif preset is rec.Preset.WEEKLY and not weekdays:
            raise ValidationError("weekdays", _("Choose at least one day of the week."))
        custom = self.custom_edit.text().strip()
        if preset is rec.Preset.CUSTOM and not custom:
            raise ValidationError("rrule", _("Write a rule, e.g. FREQ=WEEKLY;BYDAY=MO."))
        ends = preset not in (rec.Preset.ONCE, rec.Preset.ONCE_PER_TERM)
        return rec.build_recurrence(
            preset, self._start, weekdays=weekdays, nth=nth,
            until=self.until() if ends else None, count=self.count() if ends else None,
            terms=self._terms, custom_rule=custom,
            school_days_only=self.school_days_check.isChecked() and preset not in (
                rec.Preset.ONCE, rec.Preset.SCHOOL_DAYS))

    def set_recurrence(self, recurrence: Recurrence, start: datetime,
                       terms: Sequence[Term] = ()) -> None:
        """Show an existing rule as its preset and options (an unusual rule as RRULE)."""
        self.blockSignals(True)
        try:
            self.set_start(start, terms)
            choice = read_preset(recurrence, start, terms=terms)
            self.set_preset(choice.preset, weekdays=choice.weekdays, nth=choice.nth,
                            custom_rule=choice.custom_rule or recurrence.rule)
            if choice.count is not None:
                self.set_count(choice.count)
            else:
                self.set_until(choice.until)
            self.set_school_days_only(choice.school_days_only)
        finally:
            self.blockSignals(False)
        self._update_visibility()

    # Feedback ---------------------------------------------------------------------------

    def check_custom_rule(self) -> str:
        """Validate the custom rule as typed; shows and returns the message ("" when fine)."""
        message = ""
        if self.preset() is rec.Preset.CUSTOM and self.custom_edit.text().strip():
            try:
                rec.validate_rule(self.custom_edit.text().strip(), self._start)
            except ValidationError as error:
                message = error.message
        show_error(self.rule_error, message)
        return message

    def _on_edit(self, *_args: object) -> None:
        self._update_visibility()
        self.check_custom_rule()
        if not self.signalsBlocked():
            emit(self.changed)

    def _update_visibility(self) -> None:
        preset = self.preset()
        weekly = preset is rec.Preset.WEEKLY
        nth = preset is rec.Preset.MONTHLY_NTH_WEEKDAY
        custom = preset is rec.Preset.CUSTOM
        month_day = preset is rec.Preset.MONTHLY_DATE
        ends = preset not in (rec.Preset.ONCE, rec.Preset.ONCE_PER_TERM)
        self.school_days_check.setVisible(preset not in (rec.Preset.ONCE,
                                                         rec.Preset.SCHOOL_DAYS))
        for widget, shown in ((self.weekday_label, weekly), (self.weekday_row, weekly),
                              (self.nth_label, nth), (self.nth_row, nth),
                              (self.month_day_label, month_day),
                              (self.month_day_combo, month_day),
                              (self.custom_label, custom), (self.custom_edit, custom),
                              (self.end_label, ends), (self.end_row, ends)):
            widget.setVisible(shown)
        self.until_edit.setVisible(ends and self.end_combo.currentIndex() == UNTIL)
        self.count_spin.setVisible(ends and self.end_combo.currentIndex() == COUNT)
        if not custom:
            show_error(self.rule_error, "")
        if weekly and self._shown_preset is not preset and not self.weekdays():
            # A fresh weekly rule starts on the start's weekday, as calendars usually do.
            box = self.weekday_boxes[self._start.weekday()]
            box.blockSignals(True)
            box.setChecked(True)
            box.blockSignals(False)
        self._shown_preset = preset
