"""Readable descriptions of recurrences in the current language ("每个上学日 10:00",
"monthly on the second Tuesday at 10:00").

Every phrase is a whole template in the catalogue, so a translation can reorder it; lists
of days are joined with translatable separators (English "Monday and Wednesday", Chinese
"周一、周三").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import Recurrence
from drillplanner.domain.recurrence_presets import Preset, read_preset
from drillplanner.domain.rrule_parts import (
    DAILY,
    HOURLY,
    MONTHLY,
    WEEKLY,
    YEARLY,
    RuleParts,
    parse_rule,
)
from drillplanner.i18n import N_, _, format_date, ngettext

WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
                 N_("Saturday"), N_("Sunday"))
MONTH_NAMES = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
               N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
               N_("November"), N_("December"))
ORDINAL_NAMES = {1: N_("first"), 2: N_("second"), 3: N_("third"), 4: N_("fourth"),
                 5: N_("fifth"), -1: N_("last"), -2: N_("second to last"),
                 -3: N_("third to last"), -4: N_("fourth to last"), -5: N_("fifth to last")}
# English "1st", "2nd", "3rd", "4th"; other languages translate all four alike ("{n}日").
DAY_SUFFIXES = {1: N_("{n}st"), 2: N_("{n}nd"), 3: N_("{n}rd"), 0: N_("{n}th")}
_HANDLED = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY", "BYMONTHDAY",
                      "BYMONTH", "BYHOUR", "BYMINUTE"})
_MAX_TIMES = 6


def join_names(items: list[str]) -> str:
    """"Monday, Tuesday and Friday" / "周一、周二、周五"."""
    if len(items) == 1:
        return items[0]
    text = items[0]
    for item in items[1:-1]:
        text = _("{first}, {second}").format(first=text, second=item)
    return _("{first} and {last}").format(first=text, last=items[-1])


def weekday_name(day: int) -> str:
    """The name of a date.weekday() number in the current language ("Monday" / "周一")."""
    return _(WEEKDAY_NAMES[day])


def day_of_month(day: int) -> str:
    """"15th" / "15日"; negative days count from the month's end."""
    if day == -1:
        return _("last day")
    if day < 0:
        return _("day {n} from the end").format(n=-day)
    suffix = 0 if 11 <= day % 100 <= 13 else (day % 10 if day % 10 in (1, 2, 3) else 0)
    return _(DAY_SUFFIXES[suffix]).format(n=day)


def nth_weekday(nth: int, day: int) -> str:
    """"the second Tuesday" / "第二个周二"."""
    if nth in ORDINAL_NAMES:
        ordinal = _(ORDINAL_NAMES[nth])
    elif nth > 0:
        ordinal = _("no. {n}").format(n=nth)
    else:
        ordinal = _("no. {n} from the end").format(n=-nth)
    return _("the {ordinal} {weekday}").format(ordinal=ordinal, weekday=weekday_name(day))


def _clock(start: datetime, duration: timedelta | None) -> str:
    text = start.strftime("%H:%M")
    if duration is None or duration <= timedelta(0):
        return text
    end = start + duration
    if end.date() == start.date():
        return f"{text}–{end.strftime('%H:%M')}"
    if duration % timedelta(days=1) == timedelta(0):
        days = duration.days
        return ngettext("{time} for {n} day", "{time} for {n} days", days).format(
            time=text, n=days)
    return _("{time} to {end}").format(time=text, end=end.strftime("%Y-%m-%d %H:%M"))


def _frequency(parts: RuleParts) -> str:
    n = parts.interval
    if n == 1:
        return {YEARLY: _("yearly"), MONTHLY: _("monthly"), WEEKLY: _("weekly"),
                DAILY: _("daily"), HOURLY: _("hourly")}[parts.freq]
    templates = {
        YEARLY: ngettext("every {n} year", "every {n} years", n),
        MONTHLY: ngettext("every {n} month", "every {n} months", n),
        WEEKLY: ngettext("every {n} week", "every {n} weeks", n),
        DAILY: ngettext("every {n} day", "every {n} days", n),
        HOURLY: ngettext("every {n} hour", "every {n} hours", n),
    }
    return templates[parts.freq].format(n=n)


def _times(parts: RuleParts, start: datetime, duration: timedelta | None) -> str:
    hours = parts.ints("BYHOUR") or (start.hour,)
    minutes = parts.ints("BYMINUTE") or (start.minute,)
    if len(hours) * len(minutes) == 1:
        return _clock(start.replace(hour=hours[0], minute=minutes[0]), duration)
    clocks = [f"{h:02d}:{m:02d}" for h in sorted(hours) for m in sorted(minutes)]
    if len(clocks) > _MAX_TIMES:
        clocks = [*clocks[:_MAX_TIMES - 1], "…"]
    return join_names(clocks)


def _generic(parts: RuleParts, start: datetime, duration: timedelta | None) -> str:
    """A rule no preset covers, phrased from its parts."""
    text = _frequency(parts)
    months = parts.ints("BYMONTH")
    if months:
        text = _("{text} in {months}").format(
            text=text, months=join_names([_(MONTH_NAMES[m - 1]) for m in sorted(months)]))
    byday = parts.byday()
    if byday:
        days = [weekday_name(day) if n == 0 else nth_weekday(n, day) for n, day in byday]
        text = _("{text} on {days}").format(text=text, days=join_names(days))
    monthdays = parts.ints("BYMONTHDAY")
    if monthdays:
        text = _("{text} on the {days}").format(
            text=text, days=join_names([day_of_month(d) for d in monthdays]))
    if not byday and not monthdays and "BYYEARDAY" not in parts and "BYWEEKNO" not in parts:
        if parts.freq == WEEKLY:
            text = _("{text} on {days}").format(text=text, days=weekday_name(start.weekday()))
        elif parts.freq == MONTHLY or (parts.freq == YEARLY and not months):
            if parts.freq == YEARLY:
                text = _("{text} in {months}").format(text=text,
                                                     months=_(MONTH_NAMES[start.month - 1]))
            text = _("{text} on the {days}").format(text=text, days=day_of_month(start.day))
    if parts.freq == HOURLY:
        text = _("{text} from {time}").format(text=text, time=start.strftime("%H:%M"))
    else:
        text = _("{text} at {time}").format(text=text, time=_times(parts, start, duration))
    others = [f"{name}={value}" for name, value in parts.items if name not in _HANDLED]
    if others:
        text = _("{text} ({parts})").format(text=text, parts=";".join(others))
    return text


def _limits(text: str, parts: RuleParts) -> str:
    count, until = parts.count, parts.until
    if count is not None:
        return ngettext("{text}, {n} time", "{text}, {n} times", count).format(text=text,
                                                                              n=count)
    if until is not None:
        return _("{text}, until {date}").format(text=text, date=format_date(until.date()))
    return text


def describe(recurrence: Recurrence, start: datetime, duration: timedelta | None = None
             ) -> str:
    """A description of when the event happens, in the current language.

    Args:
        recurrence: the event's recurrence.
        start: the event's start (naive local time).
        duration: when given, times read as a range ("10:00–10:20").
    """
    start = start.replace(tzinfo=None)
    clock = _clock(start, duration)
    # Extra RDATEs next to a rule make it a custom recurrence, but the rule itself may
    # still read best as a preset ("每周一 10:00, plus 2 more dates").
    rule_only = replace(recurrence, rdates=()) if recurrence.rule else recurrence
    choice = read_preset(rule_only, start)
    preset = choice.preset
    if preset is Preset.ONCE:
        return _("once on {date} at {time}").format(date=format_date(start.date()), time=clock)
    if preset is Preset.ONCE_PER_TERM:
        return _("once per term")
    try:
        parts = parse_rule(recurrence.rule) if recurrence.rule else None
    except ValidationError:
        return recurrence.rule
    if parts is None:
        text = ngettext("on {n} date", "on {n} dates", len(recurrence.rdates)).format(
            n=len(recurrence.rdates))
    elif preset is Preset.SCHOOL_DAYS:
        text = _("every school day at {time}").format(time=clock)
    elif preset is Preset.WEEKLY:
        text = _("weekly on {days} at {time}").format(
            days=join_names([weekday_name(day) for day in choice.weekdays]), time=clock)
    elif preset is Preset.MONTHLY_NTH_WEEKDAY:
        assert choice.nth is not None
        text = _("monthly on {day} at {time}").format(
            day=nth_weekday(choice.nth, choice.weekdays[0]), time=clock)
    elif preset is Preset.MONTHLY_DATE:
        assert choice.nth is not None
        text = _("monthly on the {day} at {time}").format(day=day_of_month(choice.nth),
                                                         time=clock)
    else:
        text = _generic(parts, start, duration)
    if parts is not None:
        text = _limits(text, parts)
    if recurrence.school_days_only and preset is not Preset.SCHOOL_DAYS:
        text = _("{text}, school days only").format(text=text)
    if recurrence.rdates and parts is not None:
        text = ngettext("{text}, plus {n} more date", "{text}, plus {n} more dates",
                        len(recurrence.rdates)).format(text=text, n=len(recurrence.rdates))
    if recurrence.exdates:
        text = ngettext("{text}, except {n} date", "{text}, except {n} dates",
                        len(recurrence.exdates)).format(text=text, n=len(recurrence.exdates))
    return text
