"""Read-only tables of a school's calendar: school years with their terms, dated entries."""

from __future__ import annotations

from drillplanner import i18n
from drillplanner.domain.school_calendar import CalendarDay, SchoolYear, day_kind_label
from drillplanner.i18n import N_, _
from drillplanner.ui.models.readonly import ReadOnlyTableModel


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class SchoolYearsModel(ReadOnlyTableModel[SchoolYear]):
    COLUMNS = (N_("School year"), N_("First day"), N_("Last day"), N_("Terms"))

    def text(self, record: SchoolYear, column: int) -> str:
        if column == 0:
            return record.name
        if column == 1:
            return _date(record.start)
        if column == 2:
            return _date(record.end)
        return _("; ").join(_("{name} {start} – {end}").format(
            name=term.name, start=_date(term.start), end=_date(term.end))
            for term in record.terms) or _("(no terms: in session all year)")


class CalendarDaysModel(ReadOnlyTableModel[CalendarDay]):
    COLUMNS = (N_("Kind"), N_("First day"), N_("Last day"), N_("Days"), N_("Name"))

    def text(self, record: CalendarDay, column: int) -> str:
        if column == 0:
            return day_kind_label(record.kind)
        if column == 1:
            return f"{_date(record.start)} {i18n.format_date(record.start, 'EEE')}"
        if column == 2:
            return f"{_date(record.end)} {i18n.format_date(record.end, 'EEE')}"
        if column == 3:
            return str((record.end - record.start).days + 1)
        return record.name
