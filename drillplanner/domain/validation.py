"""Field rules shared by every face (GUI, CLI, import): each raises ValidationError(field)."""

from __future__ import annotations

import zoneinfo

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.fields import label
from drillplanner.i18n import _

MAX_ENROLLED = 500
MAX_FLOORS = 60
MAX_TARGET_SECONDS = 3600


def name(field: str, value: object, max_length: int = 100) -> str:
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValidationError(field, _("{field} must not be empty.").format(field=label(field)))
    if len(text) > max_length:
        raise ValidationError(field, _("{field} is longer than {n} characters.").format(
            field=label(field), n=max_length))
    return text


def text(field: str, value: object, max_length: int = 200) -> str:
    result = str(value if value is not None else "").strip()
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
