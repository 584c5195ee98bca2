"""The zh_CN catalogue covers every string in the code, and formatting follows the language."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import drillplanner
from drillplanner import i18n

PACKAGE = Path(drillplanner.__file__).parent
CATALOGUE = PACKAGE / "resources" / "translations" / "zh_CN" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)(?:[:!][^{}]*)?\}")


def _code_messages() -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, (filename, lineno))
    return found


def _catalogue():  # type: ignore[no-untyped-def]
    with (CATALOGUE / "drillplanner.po").open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def test_every_string_in_the_code_has_a_chinese_translation() -> None:
    catalogue = _catalogue()
    missing = []
    for msgid, (filename, lineno) in sorted(_code_messages().items()):
        entry = catalogue.get(msgid)
        translated = entry is not None and not entry.fuzzy and (
            all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string))
        if not translated:
            missing.append(f"{filename}:{lineno}: {msgid!r}")
    assert not missing, "untranslated (run scripts/translations.sh):\n" + "\n".join(missing)


def test_translations_keep_every_placeholder() -> None:
    for entry in _catalogue():
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, entry.id


def test_compiled_catalogue_matches_the_po_file() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())
    assert (CATALOGUE / "drillplanner.mo").read_bytes() == compiled.getvalue(), (
        "drillplanner.mo is stale: run scripts/translations.sh compile")


def test_switching_language_changes_translations_and_dates() -> None:
    assert i18n.set_language("zh_CN.UTF-8") == "zh_CN"
    assert i18n._("School") == "学校"
    assert i18n.format_date(date(2026, 11, 9)) == "2026年11月9日"
    assert i18n.set_language("en_GB") == "en"
    assert i18n._("School") == "School"
    assert i18n.format_date(date(2026, 11, 9)) == "November 9, 2026"


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANGUAGE": "zh_CN:en"}, "zh_CN"),
    ({"LC_ALL": "zh_TW.UTF-8"}, "zh_CN"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({}, "en"),
])
def test_system_language_follows_the_locale(monkeypatch: pytest.MonkeyPatch,
                                            env: dict[str, str], expected: str) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.system_language() == expected
