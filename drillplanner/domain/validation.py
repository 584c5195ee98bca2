"""Field rules shared by every face (GUI, CLI, import): each raises ValidationError(field)."""

from __future__ import annotations

import unicodedata
import zoneinfo
from datetime import date, datetime

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.fields import label
from drillplanner.i18n import _

MAX_ENROLLED = 500
MAX_FLOORS = 60
MAX_TARGET_SECONDS = 3600
# Dates a school plans with: outside these years a date is a typing slip (0001-01-01), and
# date arithmetic near year 1 or 9999 overflows.
FIRST_YEAR = 1900
LAST_YEAR = 2200

# Zero-width characters are invisible and only make look-alikes ("郑家镇东小学\u200b" next to
# "郑家镇东小学"): they are removed. Control characters and text-direction overrides
# (which can make "exe.txt" show as "txt.exe") are refused, naming the field.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DROP_ZERO_WIDTH = str.maketrans(dict.fromkeys(ZERO_WIDTH))
# Free text (descriptions, notes) may run over several lines; names may not.
_TEXT_CONTROLS_ALLOWED = frozenset("\n\r\t")


def _visible(field: str, value: object, allowed: frozenset[str] = frozenset()) -> str:
    """``value`` as stripped text without zero-width characters; refuses control characters
    (except ``allowed``) and text-direction overrides."""
    result = str(value if value is not None else "").translate(_DROP_ZERO_WIDTH).strip()
    if result.isprintable():
        return result
    for char in result:
        if char in BIDI_CONTROLS:
            raise ValidationError(field, _(
                "{field} contains a text-direction control character (U+{code:04X}), which "
                "can make it display differently from what it says; remove it.").format(
                    field=label(field), code=ord(char)))
        if unicodedata.category(char) == "Cc" and char not in allowed:
            raise ValidationError(field, _(
                "{field} contains an invisible control character (U+{code:04X}).").format(
                    field=label(field), code=ord(char)))
    return result


def name(field: str, value: object, max_length: int = 100) -> str:
    """A required one-line name (see _visible for the characters refused or removed)."""
    text = _visible(field, value)
    if not text:
        raise ValidationError(field, _("{field} must not be empty.").format(field=label(field)))
    if len(text) > max_length:
        raise ValidationError(field, _("{field} is longer than {n} characters.").format(
            field=label(field), n=max_length))
    return text


def text(field: str, value: object, max_length: int = 200) -> str:
    """Optional free text; may hold line breaks and tabs, not other control characters."""
    result = _visible(field, value, _TEXT_CONTROLS_ALLOWED)
    if len(result) > max_length:
        raise ValidationError(field, _("{field} is longer than {n} characters.").format(
            field=label(field), n=max_length))
    return result


def whole_number(field: str, value: object, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number within bounds; accepts ints and strings such as " 42 "."""
    if isinstance(value, bool):
        message = _("{field} must be a whole number.")
        raise ValidationError(field, message.format(field=label(field)))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = str(value if value is not None else "").strip()
        try:
            number = int(raw)
        except ValueError:
            message = _("{field} must be a whole number, not “{value}”.")
            raise ValidationError(field, message.format(field=label(field), value=raw)) from None
    if number < minimum:
        raise ValidationError(field, _("{field} must be at least {min}, not {value}.").format(
            field=label(field), min=minimum, value=number))
    if maximum is not None and number > maximum:
        raise ValidationError(field, _("{field} must be at most {max}, not {value}.").format(
            field=label(field), max=maximum, value=number))
    return number


def optional_whole_number(field: str, value: object, minimum: int = 0,
                          maximum: int | None = None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return whole_number(field, value, minimum, maximum)


def timezone(field: str, value: object) -> str:
    zone = str(value or "").strip()
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(field, _("“{value}” is not a known time zone (e.g. Asia/Shanghai)."
                                       ).format(value=zone)) from None
    return zone


def country(field: str, value: object) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        raise ValidationError(field, _("{field} must be a two-letter country code such as CN."
                                       ).format(field=label(field)))
    return code


def in_years(field: str, value: date | datetime) -> None:
    """Refuses a date (or date and time) outside FIRST_YEAR..LAST_YEAR, naming the field."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(field, _(
            "{field}: {value} is not a date drillplanner plans with; use a year from {first} "
            "to {last}.").format(field=label(field), value=value.isoformat(sep=" ")
                                 if isinstance(value, datetime) else value.isoformat(),
                                 first=FIRST_YEAR, last=LAST_YEAR))
