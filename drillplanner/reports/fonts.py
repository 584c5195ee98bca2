"""The Chinese-capable TrueType font every report embeds.

reportlab's built-in CID font STSong-Light is never used: it is not embedded, and viewers
without an Asian font pack show boxes or nothing. A TrueType font registered with reportlab
is embedded as a subset, so the PDF looks the same on any computer. WenQuanYi Micro Hei
(Debian/Ubuntu package fonts-wqy-microhei) is looked for first at the places packages put
it, then through fontconfig. Noto CJK and other fonts with PostScript (CFF) outlines are
refused by reportlab and skipped.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import _

log = logging.getLogger("drillplanner.reports")

FONT_NAME = "DrillplannerCJK"
# A character every Chinese font has and a Latin-only font lacks.
PROBE = "中"

KNOWN_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian, Ubuntu
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",  # Fedora, openSUSE
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",  # Arch
    "/usr/local/share/fonts/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",  # Microsoft YaHei
    "C:/Windows/Fonts/simhei.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)
FONTCONFIG_QUERIES: tuple[tuple[str, ...], ...] = (
    ("fc-match", "-f", "%{file}", "WenQuanYi Micro Hei"),
    ("fc-list", ":lang=zh", "file"),
)


class ReportFontError(DrillplannerError):
    """No Chinese font that can be embedded in a PDF is installed."""


@dataclass(frozen=True, slots=True)
class ReportFont:
    name: str
    path: str


_registered: ReportFont | None = None


def _run(command: Iterable[str]) -> str:
    try:
        result = subprocess.run(list(command), capture_output=True, text=True, timeout=10,
                                check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""


def fontconfig_candidates(run: Callable[[Iterable[str]], str] = _run) -> list[str]:
    """Font files fontconfig offers for WenQuanYi Micro Hei and for Chinese."""
    found: list[str] = []
    for command in FONTCONFIG_QUERIES:
        for line in run(command).splitlines():
            path = line.strip().rstrip(":").strip()
            if path and path not in found:
                found.append(path)
    return found


def load_font(path: str) -> TTFont | None:
    """``path`` as a reportlab TrueType font if it is one and has Chinese glyphs."""
    if not os.path.isfile(path) or Path(path).suffix.lower() not in (".ttf", ".ttc"):
        return None
    try:
        font = TTFont(FONT_NAME, path, subfontIndex=0)
    except (TTFError, OSError, ValueError, KeyError, IndexError) as error:
        log.info("font %s cannot be embedded: %s", path, error)
        return None
    if ord(PROBE) not in font.face.charToGlyph:
        return None
    return font


def find_font(known: Iterable[str] | None = None,
              fontconfig: Callable[[], list[str]] | None = None) -> TTFont:
    """The first usable font of ``known`` (default KNOWN_PATHS), else of what
    ``fontconfig`` (default: asking fontconfig's tools) offers.

    Raises:
        ReportFontError: with what to install when there is none.
    """
    for path in KNOWN_PATHS if known is None else known:
        font = load_font(path)
        if font is not None:
            return font
    # Only now start a process: the known places cover the usual installations.
    for path in (fontconfig or fontconfig_candidates)():
        font = load_font(path)
        if font is not None:
            return font
    raise ReportFontError(_(
        "No Chinese font that can be embedded in a PDF was found. Install the "
        "WenQuanYi Micro Hei font (Debian and Ubuntu: sudo apt install fonts-wqy-microhei) "
        "and try again."))


def report_font() -> ReportFont:
    """Register the report font with reportlab once per process and return it."""
    global _registered
    if _registered is None:
        font = find_font()
        pdfmetrics.registerFont(font)
        # One face serves as bold and italic too, so <b> in a paragraph never fails.
        pdfmetrics.registerFontFamily(FONT_NAME, normal=FONT_NAME, bold=FONT_NAME,
                                      italic=FONT_NAME, boldItalic=FONT_NAME)
        _registered = ReportFont(FONT_NAME, str(font.face.filename))
        log.info("report font: %s", _registered.path)
    return _registered
