"""Compliance profiles as JSON: the built-in ones shipped as data, and custom ones.

A profile file looks like this (``schema`` is the format version; ``before`` is "MM-DD")::

    {"schema": 1, "code": "us_ny",
     "name": {"en": "New York", "zh": "美国纽约州"},
     "description": {"en": "...", "zh": "..."},
     "requirements": [
       {"code": "by_dec_31", "label": {"en": "...", "zh": "..."},
        "kinds": ["fire", "drill_other", "lockdown"], "count": 8,
        "period": "before_date", "before": "12-31"}]}

Reading is strict: an unknown key, kind or period, a count below 1, a missing number of
days or a bad date is reported with the source (file name) and the field that holds it,
e.g. ``us_ny.json: requirements[2].before: …``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from drillplanner.domain.compliance import PeriodKind, Profile, ProfileFormatError, Requirement
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.i18n import _

SCHEMA_VERSION = 1
_PROFILE_KEYS = {"schema", "code", "name", "description", "requirements"}
_REQUIREMENT_KEYS = {"code", "label", "kinds", "count", "period", "days", "before",
                     "in_session_only"}
_REQUIRED_REQUIREMENT_KEYS = ("code", "label", "kinds", "count", "period")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class _Reader:
    """Reads one profile document, raising ProfileFormatError(source, field)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, problem: str) -> ProfileFormatError:
        return ProfileFormatError(self.source, field, problem)

    def obj(self, value: object, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, _("must be an object ({…})."))
        return value

    def keys(self, data: dict[str, Any], allowed: set[str], required: tuple[str, ...],
             prefix: str) -> None:
        for key in required:
            if key not in data:
                raise self.fail(prefix + key, _("is missing."))
        for key in sorted(set(data) - allowed):
            raise self.fail(prefix + key, _("is not a field of a compliance profile."))

    def text(self, value: object, field: str) -> str:
        if not isinstance(value, str):
            raise self.fail(field, _("must be text."))
        return value.strip()

    def bilingual(self, value: object, field: str) -> tuple[str, str]:
        data = self.obj(value, field)
        for key in sorted(set(data) - {"en", "zh"}):
            raise self.fail(f"{field}.{key}", _("only “en” and “zh” are allowed here."))
        english = self.text(data.get("en", ""), f"{field}.en")
        chinese = self.text(data.get("zh", ""), f"{field}.zh")
        if not (english or chinese):
            raise self.fail(field, _("needs the English or the Chinese text."))
        return english, chinese

    def whole(self, value: object, field: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, _("must be a whole number, not {value}.").format(
                value=json.dumps(value, ensure_ascii=False)))
        return value

    def kinds(self, value: object, field: str) -> frozenset[EventKind]:
        if not isinstance(value, list):
            raise self.fail(field, _("must be a list of drill kinds."))
        kinds = set()
        for index, item in enumerate(value):
            try:
                kinds.add(EventKind(item))
            except ValueError:
                raise self.fail(f"{field}[{index}]", _(
                    "unknown drill kind {value}; use one of: {kinds}.").format(
                        value=json.dumps(item, ensure_ascii=False),
                        kinds=", ".join(kind.value for kind in EventKind if kind.is_drill)),
                ) from None
        return frozenset(kinds)

    def period(self, value: object, field: str) -> PeriodKind:
        if isinstance(value, str) and value in PeriodKind.__members__.values():
            return PeriodKind(value)
        raise self.fail(field, _("unknown period {value}; use one of: {periods}.").format(
            value=json.dumps(value, ensure_ascii=False),
            periods=", ".join(kind.value for kind in PeriodKind)))

    def month_day(self, value: object, field: str) -> tuple[int, int]:
        match = _MONTH_DAY.match(value) if isinstance(value, str) else None
        if match is None:
            raise self.fail(field, _("must be a month and day written MM-DD, like "
                                     "“12-31”, not {value}.").format(
                                         value=json.dumps(value, ensure_ascii=False)))
        return int(match.group(1)), int(match.group(2))

    def requirement(self, value: object, field: str) -> Requirement:
        data = self.obj(value, field)
        prefix = field + "."
        self.keys(data, _REQUIREMENT_KEYS, _REQUIRED_REQUIREMENT_KEYS, prefix)
        label_en, label_zh = self.bilingual(data["label"], prefix + "label")
        in_session_only = data.get("in_session_only", True)
        if not isinstance(in_session_only, bool):
            raise self.fail(prefix + "in_session_only", _("must be true or false."))
        days = data.get("days")
        before = data.get("before")
        try:
            return Requirement(
                code=self.text(data["code"], prefix + "code"),
                label_en=label_en, label_zh=label_zh,
                kinds=self.kinds(data["kinds"], prefix + "kinds"),
                count=self.whole(data["count"], prefix + "count"),
                period=self.period(data["period"], prefix + "period"),
                days=None if days is None else self.whole(days, prefix + "days"),
                before=None if before is None else self.month_day(before, prefix + "before"),
                in_session_only=in_session_only)
        except ValidationError as error:
            raise self.fail(prefix + error.field, error.message) from None

    def profile(self, text: str, builtin: bool) -> Profile:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise self.fail(_("line {line}, column {column}").format(
                line=error.lineno, column=error.colno), _("not valid JSON ({reason}).").format(
                    reason=error.msg)) from None
        data = self.obj(document, "")
        self.keys(data, _PROFILE_KEYS, ("schema", "code", "name", "requirements"), "")
        schema = self.whole(data["schema"], "schema")
        if schema > SCHEMA_VERSION:
            raise self.fail("schema", _(
                "version {version} was written by a newer drillplanner; this one reads up to "
                "version {supported}.").format(version=schema, supported=SCHEMA_VERSION))
        if schema < 1:
            raise self.fail("schema", _("must be at least 1, not {value}.").format(value=schema))
        name_en, name_zh = self.bilingual(data["name"], "name")
        description_en, description_zh = (
            self.bilingual(data["description"], "description") if "description" in data
            else ("", ""))
        raw_requirements = data["requirements"]
        if not isinstance(raw_requirements, list):
            raise self.fail("requirements", _("must be a list."))
        requirements = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_requirements):
            requirement = self.requirement(raw, f"requirements[{index}]")
            if requirement.code in seen:
                raise self.fail(f"requirements[{index}].code", _(
                    "another requirement already has the code “{code}”.").format(
                        code=requirement.code))
            seen.add(requirement.code)
            requirements.append(requirement)
        try:
            return Profile(code=self.text(data["code"], "code"), name_en=name_en,
                           name_zh=name_zh, description_en=description_en,
                           description_zh=description_zh, requirements=tuple(requirements),
                           builtin=builtin)
        except ValidationError as error:
            raise self.fail(error.field, error.message) from None


def profile_from_json(text: str, source: str, *, builtin: bool = False) -> Profile:
    """Read a profile from JSON text.

    Args:
        text: the JSON document.
        source: what to call it in messages (a file name, "database", …).
        builtin: mark the profile as shipped with drillplanner.

    Raises:
        ProfileFormatError: naming ``source`` and the field at fault.
    """
    return _Reader(source).profile(text, builtin)


def profile_to_json(profile: Profile) -> str:
    """The profile as JSON text that :func:`profile_from_json` reads back equal
    (``builtin`` is not written: whether a profile ships with the program is not data)."""
    requirements = []
    for requirement in profile.requirements:
        item: dict[str, object] = {
            "code": requirement.code,
            "label": {"en": requirement.label_en, "zh": requirement.label_zh},
            "kinds": [kind.value for kind in EventKind if kind in requirement.kinds],
            "count": requirement.count,
            "period": requirement.period.value,
        }
        if requirement.days is not None:
            item["days"] = requirement.days
        if requirement.before is not None:
            item["before"] = "{:02d}-{:02d}".format(*requirement.before)
        item["in_session_only"] = requirement.in_session_only
        requirements.append(item)
    document = {
        "schema": SCHEMA_VERSION,
        "code": profile.code,
        "name": {"en": profile.name_en, "zh": profile.name_zh},
        "description": {"en": profile.description_en, "zh": profile.description_zh},
        "requirements": requirements,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_profile_file(path: Path) -> Profile:
    """Read a custom profile from a .json file (UTF-8).

    Raises:
        ProfileFormatError: the file cannot be read or is malformed (source: file name).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ProfileFormatError(path.name, "", _("the file cannot be read: {reason}").format(
            reason=error.strerror or error)) from error
    except UnicodeDecodeError:
        raise ProfileFormatError(path.name, "", _("the file is not UTF-8 text.")) from None
    return profile_from_json(text, path.name)


@cache
def _builtin_profiles() -> tuple[Profile, ...]:
    folder = resources.files("drillplanner") / "resources" / "compliance"
    files = sorted((item for item in folder.iterdir() if item.name.endswith(".json")),
                   key=lambda item: item.name)
    return tuple(profile_from_json(item.read_text(encoding="utf-8"), item.name, builtin=True)
                 for item in files)


def load_builtin_profiles() -> list[Profile]:
    """The profiles shipped with drillplanner, ordered by file name."""
    return list(_builtin_profiles())


def builtin_profile(code: str) -> Profile:
    """The built-in profile with ``code``; KeyError if there is none."""
    for profile in _builtin_profiles():
        if profile.code == code:
            return profile
    raise KeyError(code)
