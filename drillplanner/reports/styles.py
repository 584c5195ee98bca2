"""Paragraph and table styles shared by every report.

All text uses the embedded CJK font. Chinese wraps between any two characters
(``wordWrap="CJK"``); English wraps at spaces and splits a word (a Chinese name without
spaces, say) only when it is wider than its cell. Table cells that may hold long text are
Paragraphs, so they wrap instead of running over their neighbours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

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
CELL_SIZE = 8
CELL_LEADING = 10
PADDING = 3


@dataclass(frozen=True, slots=True)
class Styles:
    """The paragraph styles of one report, for the language current when it is built."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    header: ParagraphStyle
    header_right: ParagraphStyle
    big: ParagraphStyle
    day: ParagraphStyle
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

    cell = style("cell", CELL_SIZE, CELL_LEADING)
    header = style("header", CELL_SIZE, CELL_LEADING, textColor=HEADER_INK)
    return Styles(
        title=style("title", 16, 21, spaceAfter=4),
        heading=style("heading", 12, 16, spaceBefore=10, spaceAfter=4),
        body=style("body", 9, 12.5, spaceAfter=3),
        small=style("small", 7.5, 9.5, textColor=MUTED),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        header=header,
        header_right=ParagraphStyle("header_right", parent=header, alignment=TA_RIGHT),
        big=style("big", 20, 26),
        day=style("day", 9.5, 11.5),
        font=font,
    )


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: names may hold "<" or "&"); newlines kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def grid(rows: Sequence[Sequence[object]], widths: Sequence[float], styles: Styles, *,
         header_rows: int = 1, right: Iterable[int] = (), caption: str = "",
         commands: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A ruled table whose first ``header_rows`` rows repeat on every page.

    Text cells stay plain strings when they fit their column on one line (cheap to lay
    out) and become wrapping Paragraphs when they do not. Columns in ``right`` are
    right-aligned (figures). A ``caption`` is a shaded first row, repeated with the header;
    reportlab never splits a table right after its repeated rows, so neither can be left
    alone at the foot of a page. Row numbers in ``commands`` count the caption row.
    """
    right = frozenset(right)
    cells: list[list[object]] = [
        [_fit(cell, widths[c] if c < len(widths) else 0, styles, r < header_rows, c in right)
         for c, cell in enumerate(row)]
        for r, row in enumerate(rows)]
    top = 0
    if caption:
        # One line across the row without a SPAN (spans are costly to lay out): the cells
        # right of the text are empty and the row has no inner lines.
        cells.insert(0, [caption, *[""] * (len(widths) - 1)])
        top = 1
    repeated = header_rows + top
    table = Table(cells, colWidths=list(widths), repeatRows=repeated)
    # Each whole-table command is applied cell by cell: only those that differ from
    # reportlab's defaults (black text, 3 pt above and below).
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), styles.font, CELL_SIZE, CELL_LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, top), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]
    if caption:
        style += [("BOX", (0, 0), (-1, 0), 0.4, RULE),
                  ("BACKGROUND", (0, 0), (-1, 0), CAPTION_FILL)]
    if header_rows:
        style += [("BACKGROUND", (0, repeated - 1), (-1, repeated - 1), HEADER_FILL),
                  ("TEXTCOLOR", (0, repeated - 1), (-1, repeated - 1), HEADER_INK),
                  ("VALIGN", (0, repeated - 1), (-1, repeated - 1), "BOTTOM")]
    style += [("ALIGN", (first, top), (last, -1), "RIGHT") for first, last in _runs(right)]
    table.setStyle(TableStyle(style + list(commands)))
    return table


def _runs(columns: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous (first, last) runs of column numbers: one style command each."""
    runs: list[tuple[int, int]] = []
    for column in sorted(columns):
        if runs and runs[-1][1] == column - 1:
            runs[-1] = (runs[-1][0], column)
        else:
            runs.append((column, column))
    return runs


def _fit(cell: object, width: float, styles: Styles, header: bool, right: bool) -> object:
    if not isinstance(cell, str) or not cell:
        return cell
    if "\n" not in cell and stringWidth(cell, styles.font, CELL_SIZE) <= width - 2 * PADDING:
        return cell
    if header:
        style = styles.header_right if right else styles.header
    else:
        style = styles.cell_right if right else styles.cell
    return para(cell, style)


def text_width(texts: Sequence[str], font: str, size: float = 8, padding: float = 8) -> float:
    """The width a column needs to show the longest of ``texts`` on one line."""
    return max((stringWidth(t, font, size) for t in texts), default=0) + padding


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines of at most ``width`` points: broken at spaces, and between any two
    characters where a line has none (Chinese)."""
    lines: list[str] = []
    for split in simpleSplit(text, font, size, width):
        rest = split
        while stringWidth(rest, font, size) > width and len(rest) > 1:
            cut = len(rest) - 1
            while cut > 1 and stringWidth(rest[:cut], font, size) > width:
                cut -= 1
            lines.append(rest[:cut])
            rest = rest[cut:]
        lines.append(rest)
    return lines


class FillIn(Flowable):
    """A line to write on, with a small hint under it (a field nobody recorded)."""

    ABOVE = 9.0  # room above the line for handwriting
    HINT_SIZE = 6.0
    HINT_LEADING = 7.0

    def __init__(self, hint: str, font: str) -> None:
        super().__init__()
        self.hint = hint
        self.font = font
        self.width = 0.0
        self.lines: list[str] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.lines = wrap_text(self.hint, self.font, self.HINT_SIZE, availWidth)
        return availWidth, self.ABOVE + 2 + len(self.lines) * self.HINT_LEADING

    def draw(self) -> None:
        canvas = self.canv
        line_at = len(self.lines) * self.HINT_LEADING + 2
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(0, line_at, self.width, line_at)
        canvas.setFillColor(MUTED)
        canvas.setFont(self.font, self.HINT_SIZE)
        for number, text in enumerate(self.lines, start=1):
            canvas.drawString(0, line_at - number * self.HINT_LEADING + 0.5, text)
        canvas.restoreState()
