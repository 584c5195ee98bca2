"""Public holidays (and China's make-up working days) from the ``holidays`` package."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.school_calendar import CalendarDay, DayKind
from drillplanner.i18n import _

# The package names a day off moved by 调休 "休息日（由 YYYY-MM-DD 调休）" in its default
# (Chinese) labels: that source date is the weekend day that becomes a working day.
_MAKEUP_NAMES = {"CN": "调休上课"}
_SUBSTITUTED_FROM = re.compile(r"由\s*(\d{4})-(\d{2})-(\d{2})\s*调休")


def public_holidays(country: str, years: Iterable[int]) -> list[CalendarDay]:
    """Holidays of ``country`` in ``years`` plus, where the package records them, make-up days.

    Names are in the country's own language (Chinese for a Chinese school), like the rest of
    a school's data, whatever language the app shows. Raises ValidationError for a country
    the package does not know.
    """
    import holidays

    try:
        entity = holidays.country_holidays(country)
        # Without an explicit language the package follows the process locale.
        source = holidays.country_holidays(country, years=sorted(set(years)),
                                           language=getattr(entity, "default_language", None))
    except NotImplementedError:
        raise ValidationError("country", _(
            "No public holiday list is known for the country {country}.").format(
                country=country)) from None
    entries: list[CalendarDay] = []
    makeup: set[date] = set()
    for day, label in sorted(source.items()):
        for part in label.split(";"):
            found = _SUBSTITUTED_FROM.search(part)
            if found:
                makeup.add(date(*(int(g) for g in found.groups())))
        entries.append(CalendarDay(DayKind.HOLIDAY, day, day, label))
    entries.extend(CalendarDay(DayKind.MAKEUP, day, day, _MAKEUP_NAMES.get(country.upper(),
                                                                           "Make-up school day"))
                   for day in sorted(makeup))
    return entries
