"""A font that has Chinese glyphs, set as the application font's fallback.

Without one, Qt on a machine with only Latin fonts draws Chinese as empty boxes. We keep the
platform's default family first (so Latin text looks native) and add a CJK family after it.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

log = logging.getLogger("drillplanner.ui")

#: Families known to render Simplified Chinese well, best first; any other family that
#: declares Simplified Chinese support is used when none of these is installed.
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans SC",
    "SimHei",
    "SimSun",
    "Droid Sans Fallback",
)

#: A character every usable family must draw (班 as in 班级, "class").
PROBE = "班"


def has_glyph(family: str, text: str = PROBE) -> bool:
    """Whether ``family`` itself (not a fallback) has a glyph for every character of ``text``."""
    metrics = QFontMetrics(QFont(family))
    return all(metrics.inFontUcs4(ord(ch)) for ch in text)


def find_cjk_family() -> str | None:
    """The best installed family for Simplified Chinese, or None when there is none."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    installed = set(families)
    candidates = [f for f in PREFERRED_FAMILIES if f in installed]
    candidates += [f for f in families if f not in candidates and not f.startswith("@")]
    for family in candidates:
        if has_glyph(family):
            return family
    return None


def install_cjk_fallback(app: QApplication) -> str | None:
    """Append a CJK family to the application font; returns it, or None with a warning logged."""
    family = find_cjk_family()
    if family is None:
        log.warning("no font with Simplified Chinese glyphs is installed; "
                    "Chinese text will show as boxes (install e.g. fonts-wqy-microhei)")
        return None
    font = app.font()
    primary = font.family()
    if primary != family:
        font.setFamilies([primary, family])
        app.setFont(font)
    log.info("Chinese text uses %s", family)
    return family
