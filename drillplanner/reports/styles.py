"""Paragraph and table styles shared by every report.

All text uses the embedded CJK font. Chinese wraps between any two characters
(``wordWrap="CJK"``); English wraps at spaces and splits a word (a Chinese name without
spaces, say) only when it is wider than its cell. Table cells that may hold long text are
Paragraphs, so they wrap instead of running over their neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from drillplanner.i18n import current_language
from drillplanner.reports.fonts import report_font

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
RULE = colors.HexColor("#9AA5B1")
HEADER_FILL = colors.HexColor("#2F4A66")
HEADER_INK = colors.white
CAPTION_FILL = colors.HexColor("#D9E2EC")
TOTAL_FILL = colors.HexColor("#EEF1F4")
MISSING_FILL = colors.HexColor("#F8D0D0")
INJURED_FILL = colors.HexColor("#FCE6C4")
GOOD_INK = colors.HexColor("#1E6B34")
BAD_INK = colors.HexColor("#B42318")
NON_SCHOOL_FILL = colors.HexColor("#E4E7EB")
OUTSIDE_FILL = colors.HexColor("#F5F7FA")


@dataclass(frozen=True, slots=True)
class Styles:
    """The paragraph styles of one report, for the language current when it is built."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    header: ParagraphStyle
    header_right: ParagraphStyle
    big: ParagraphStyle
    font: str


def make_styles() -> Styles:
    font = report_font().name
    wrap = "CJK" if current_language() == "zh_CN" else None

    def style(name: str, size: float, leading: float | None = None, **more: Any
              ) -> ParagraphStyle:
        values: dict[str, Any] = {"textColor": INK, **more}
        return ParagraphStyle(name, fontName=font, fontSize=size,
                              leading=leading or size * 1.3, wordWrap=wrap,
                              splitLongWords=1, **values)

    cell = style("cell", 8, 10)
    header = style("header", 8, 10, textColor=HEADER_INK)
    return Styles(
        title=style("title", 16, 21, spaceAfter=4),
        heading=style("heading", 12, 16, spaceBefore=10, spaceAfter=4),
        body=style("body", 9, 12.5, spaceAfter=3),
        small=style("small", 7.5, 9.5, textColor=MUTED),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        header=header,
        header_right=ParagraphStyle("header_right", parent=header, alignment=TA_RIGHT),
        big=style("big", 20, 26),
        font=font,
    )


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: names may hold "<" or "&"); newlines kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def grid(rows: Sequence[Sequence[object]], widths: Sequence[float], *,
         header_rows: int = 1, commands: Sequence[tuple[Any, ...]] = (),
         numbers_from: int | None = None, font: str) -> Table:
    """A ruled table whose first ``header_rows`` rows repeat on every page.

    reportlab never splits a table right after its repeated rows, so a header cannot be
    left alone at the foot of a page. ``numbers_from`` right-aligns the plain-text cells
    from that column on.
    """
    table = Table(list(rows), colWidths=list(widths), repeatRows=header_rows)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, 8, 10),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        style += [("BACKGROUND", (0, header_rows - 1), (-1, header_rows - 1), HEADER_FILL),
                  ("TEXTCOLOR", (0, header_rows - 1), (-1, header_rows - 1), HEADER_INK),
                  ("VALIGN", (0, header_rows - 1), (-1, header_rows - 1), "BOTTOM")]
    if numbers_from is not None:
        style.append(("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(style + list(commands)))
    return table


def text_width(texts: Sequence[str], font: str, size: float = 8, padding: float = 8) -> float:
    """The width a column needs to show the longest of ``texts`` on one line."""
    return max((stringWidth(t, font, size) for t in texts), default=0) + padding
