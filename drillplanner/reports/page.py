"""Page templates: paper size, margins, the header with the school's name and the report's
title, the footer with the generation time and "page X of Y", and a mark on every page for
a document that is not final (a draft, a cancelled drill): a band under the header and a
large faint word across the page.

The total page count is only known at the end, so the canvas keeps each finished page's
state and draws header and footer on all pages when the document is saved (one layout
pass instead of two).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, BinaryIO

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from drillplanner import i18n
from drillplanner.domain.report_data import Paper, ReportOptions
from drillplanner.i18n import _
from drillplanner.reports.fonts import report_font
from drillplanner.reports.styles import MUTED, RULE

PAGE_SIZES: dict[Paper, tuple[float, float]] = {Paper.A4: A4, Paper.LETTER: LETTER}
SIDE_MARGIN = 15 * mm
TOP_MARGIN = 22 * mm
BOTTOM_MARGIN = 18 * mm
FRAME_PADDING = 6  # reportlab's Frame keeps this much inside the margins on every side
MARK_BAND = 8 * mm  # height of a mark's band under the header (the frame starts below it)
MARK_GAP = 2 * mm


@contextmanager
def report_language(options: ReportOptions) -> Iterator[None]:
    """Build in ``options.language`` (when given), then return to the language before.

    In a worker thread only that thread's language changes (see i18n.set_language), and
    afterwards the thread follows the application's language again when that is the one
    it had.
    """
    before = i18n.current_language()
    wanted = i18n.normalize_language(options.language) if options.language else before
    if wanted == before:
        yield
        return
    i18n.set_language(wanted)
    try:
        yield
    finally:
        if threading.current_thread() is not threading.main_thread():
            i18n.clear_thread_language()
        if i18n.current_language() != before:
            i18n.set_language(before)


def generated_at(options: ReportOptions) -> datetime:
    return options.generated_at or datetime.now().astimezone()


def page_size(options: ReportOptions, wide: bool = False) -> tuple[float, float]:
    size = PAGE_SIZES[Paper(options.paper)]
    return landscape(size) if wide else size


def frame_width(options: ReportOptions, wide: bool = False) -> float:
    """The width text and tables may take on a page (inside the frame's padding)."""
    return page_size(options, wide)[0] - 2 * SIDE_MARGIN - 2 * FRAME_PADDING


def frame_height(options: ReportOptions, wide: bool = False) -> float:
    """The height a page offers its content (inside the frame's padding)."""
    return page_size(options, wide)[1] - TOP_MARGIN - BOTTOM_MARGIN - 2 * FRAME_PADDING


@dataclass(frozen=True, slots=True)
class PageMark:
    """What every page of a document that is not final says: ``word`` large and faint
    across the page ("DRAFT"), ``band`` in a coloured band under the header."""

    word: str
    band: str
    ink: Color
    fill: Color

    def draw(self, canvas: Canvas, font: str, top: float) -> None:
        """The band from ``top`` down, and the word across the middle of the page."""
        width, height = canvas._pagesize
        room = width - 2 * SIDE_MARGIN
        canvas.saveState()
        canvas.setFillColor(self.fill)
        canvas.setStrokeColor(self.ink)
        canvas.setLineWidth(0.8)
        canvas.rect(SIDE_MARGIN, top - MARK_BAND, room, MARK_BAND, stroke=1, fill=1)
        canvas.setFillColor(self.ink)
        canvas.setFont(font, 10)
        canvas.drawCentredString(width / 2, top - MARK_BAND / 2 - 3.5,
                                 _clip(canvas, self.band, font, 10, room - 4 * mm))
        # The word on the diagonal, as large as fits, faint enough to read through.
        diagonal = (width ** 2 + height ** 2) ** 0.5
        size = min(120.0, diagonal * 0.55 / max(canvas.stringWidth(self.word, font, 1), 1))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(54.7 if height > width else 35.3)
        canvas.setFillColor(self.ink)
        canvas.setFillAlpha(0.1)
        canvas.setFont(font, size)
        canvas.drawCentredString(0, -size * 0.35, self.word)
        canvas.restoreState()


@dataclass(frozen=True, slots=True)
class _Decoration:
    school: str
    title: str
    footer: str
    font: str
    mark: PageMark | None = None

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        width, height = canvas._pagesize
        top = height - TOP_MARGIN + 6 * mm
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.setFont(self.font, 9)
        canvas.drawString(SIDE_MARGIN, top, _clip(canvas, self.school, self.font, 9,
                                                  (width - 2 * SIDE_MARGIN) * 0.6))
        canvas.drawRightString(width - SIDE_MARGIN, top, _clip(
            canvas, self.title, self.font, 9, (width - 2 * SIDE_MARGIN) * 0.38))
        canvas.line(SIDE_MARGIN, top - 2 * mm, width - SIDE_MARGIN, top - 2 * mm)
        bottom = BOTTOM_MARGIN - 9 * mm
        canvas.line(SIDE_MARGIN, bottom + 4 * mm, width - SIDE_MARGIN, bottom + 4 * mm)
        canvas.setFont(self.font, 8)
        canvas.drawString(SIDE_MARGIN, bottom, self.footer)
        canvas.drawRightString(width - SIDE_MARGIN, bottom, _("Page {page} of {pages}").format(
            page=page, pages=pages))
        canvas.restoreState()
        if self.mark is not None:
            self.mark.draw(canvas, self.font, height - TOP_MARGIN)


def _clip(canvas: Canvas, text: str, font: str, size: float, room: float) -> str:
    """``text`` cut with an ellipsis to fit ``room`` points (a header has one line)."""
    if canvas.stringWidth(text, font, size) <= room:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


class _NumberedCanvas(Canvas):
    """Draws header and footer on every page once the page count is known."""

    def __init__(self, *args: Any, decoration: _Decoration, counter: list[int],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decoration = decoration
        self._counter = counter
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        self._counter.append(total)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decoration.draw(self, number, total)
            super().showPage()
        super().save()


def build_pdf(out: BinaryIO, story: Sequence[Flowable], options: ReportOptions, *,
              school: str, title: str, wide: bool = False, mark: PageMark | None = None
              ) -> int:
    """Lay ``story`` out on pages with header and footer and write the PDF to ``out``;
    with a ``mark``, every page carries it (the content starts below its band).

    Returns:
        The number of pages.
    """
    font = report_font().name
    # Babel puts a narrow no-break space before "PM", a character the font lacks.
    when = i18n.format_datetime(generated_at(options), "short").replace("\u202f", " ")
    decoration = _Decoration(school=school, title=title, font=font, mark=mark,
                             footer=_("Generated {time} by drillplanner").format(time=when))
    top = TOP_MARGIN + (MARK_BAND + MARK_GAP if mark is not None else 0)
    document = SimpleDocTemplate(
        out, pagesize=page_size(options, wide), leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN, topMargin=top, bottomMargin=BOTTOM_MARGIN,
        title=title if not school else f"{school} – {title}", author=school,
        creator="drillplanner", subject=title,
        # Every page starts in the report font: the default Helvetica would be named on
        # each page without being embedded.
        initialFontName=font, lang="zh-CN" if i18n.current_language() == "zh_CN" else "en")
    counter: list[int] = []
    document.build(list(story), canvasmaker=partial(_NumberedCanvas, decoration=decoration,
                                                    counter=counter))
    return counter[-1]
