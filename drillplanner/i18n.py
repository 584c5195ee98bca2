"""One gettext catalogue for GUI, CLI and PDFs, plus Babel formatting per locale.

``_`` looks the message up in the language that is current at call time, so switching
language takes effect for every string built afterwards.

The language set from the main thread is the application's. ``set_language`` called from any
other thread (a GUI worker building a PDF in another language) changes only that thread's
language, so the windows keep theirs; ``clear_thread_language`` returns the thread to the
application's.
"""

from __future__ import annotations

import gettext
import os
import threading
from datetime import date, datetime
from importlib import resources

DOMAIN = "drillplanner"
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
DEFAULT_LANGUAGE = "en"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE
# A worker thread's own language: (translation, code), or absent for the application's.
_thread = threading.local()


def _active() -> tuple[gettext.NullTranslations, str]:
    own: tuple[gettext.NullTranslations, str] | None = getattr(_thread, "language", None)
    return own if own is not None else (_translation, _language)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _active()[0].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return _active()[0].ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message


def catalogue_dir() -> str:
    """Directory holding <lang>/LC_MESSAGES/drillplanner.mo."""
    return str(resources.files("drillplanner") / "resources" / "translations")


def normalize_language(code: str | None) -> str:
    """Map a locale name ("zh_CN.UTF-8", "zh-Hans", "en_US") to a supported language."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.split(".")[0].split("@")[0].replace("-", "_")
    if base.lower().startswith("zh"):
        return "zh_CN"
    return DEFAULT_LANGUAGE


def system_language() -> str:
    """The language the environment asks for, as POSIX programs read it."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalize_language(value.split(":")[0])
    return DEFAULT_LANGUAGE


def set_language(code: str | None = None) -> str:
    """Make ``code`` (or the system language when None) current; returns what was chosen.

    Called from a thread other than the main thread, only that thread's language changes.
    """
    global _translation, _language
    language = normalize_language(code) if code else system_language()
    translation: gettext.NullTranslations
    if language == DEFAULT_LANGUAGE:
        translation = gettext.NullTranslations()
    else:
        translation = gettext.translation(DOMAIN, catalogue_dir(), languages=[language])
    if threading.current_thread() is threading.main_thread():
        _translation, _language = translation, language
    else:
        _thread.language = (translation, language)
    return language


def translator(code: str) -> gettext.NullTranslations:
    """The catalogue of language ``code``, to translate into it without making it current
    (a page that carries its words in every language)."""
    language = normalize_language(code)
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, catalogue_dir(), languages=[language])


def clear_thread_language() -> None:
    """Make the calling worker thread follow the application's language again."""
    _thread.language = None


def current_language() -> str:
    return _active()[1]


def babel_locale() -> str:
    return "zh_CN" if current_language() == "zh_CN" else "en_US"


def format_date(value: date, fmt: str = "long") -> str:
    """A date as the current language writes it ("2026年11月9日", "November 9, 2026")."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=fmt, locale=babel_locale())


def format_datetime(value: datetime, fmt: str = "medium") -> str:
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(value, format=fmt, locale=babel_locale())


_SIZE_UNITS = ("B", "KB", "MB", "GB", "TB")


def format_size(size: int) -> str:
    """A number of bytes for people: "512 B", "1.5 MB", "2,048 GB" (units of 1024)."""
    from babel.numbers import format_decimal

    value = float(max(size, 0))
    unit = 0
    while value >= 1024 and unit < len(_SIZE_UNITS) - 1:
        value /= 1024
        unit += 1
    pattern = "#,##0" if unit == 0 else "#,##0.#"
    return f"{format_decimal(value, format=pattern, locale=babel_locale())} {_SIZE_UNITS[unit]}"
