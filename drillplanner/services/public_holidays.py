"""Public holidays (and China's make-up working days) from the ``holidays`` package."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.school_calendar import CalendarDay, DayKind
from drillplanner.i18n import _, current_language

# The package names a day off moved by 调休 "休息日（由 YYYY-MM-DD 调休）" in its default
# (Chinese) labels: that source date is the weekend day that becomes a working day.
_SUBSTITUTED_FROM = re.compile(r"由\s*(\d{4})-(\d{2})-(\d{2})\s*调休")


def public_holidays(country: str, years: Iterable[int]) -> list[CalendarDay]:
    """Holidays of ``country`` in ``years`` plus, where the package records them, make-up days.

    Names are in the current language where the package has it. Raises ValidationError for
    a country the package does not know.
    """
    import holidays

    wanted = sorted(set(years))
    language = "zh_CN" if current_language() == "zh_CN" else "en_US"
    try:
        source = holidays.country_holidays(country, years=wanted)
        if country.upper() == "CN":
            source = holidays.country_holidays(country, years=wanted, language="zh_CN")
    except NotImplementedError:
        raise ValidationError("country", _(
            "No public holiday list is known for the country {country}.").format(
                country=country)) from None
    try:
        named = holidays.country_holidays(country, years=wanted, language=language)
    except (NotImplementedError, ValueError):
        named = source
    entries: list[CalendarDay] = []
    makeup: set[date] = set()
    for day, label in sorted(source.items()):
        for part in label.split(";"):
            found = _SUBSTITUTED_FROM.search(part)
            if found:
                makeup.add(date(*(int(g) for g in found.groups())))
        entries.append(CalendarDay(DayKind.HOLIDAY, day, day, named.get(day, label)))
    entries.extend(CalendarDay(DayKind.MAKEUP, day, day, _("Make-up school day"))
                   for day in sorted(makeup))
    return entries
