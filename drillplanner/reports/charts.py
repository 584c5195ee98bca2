"""Charts drawn with reportlab.graphics (vector, in the PDF itself)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from drillplanner.reports.formats import minutes_seconds
from drillplanner.reports.styles import HEADER_FILL, INK, MUTED, RULE

TARGET_INK = colors.HexColor("#C2410C")
MAX_TICKS = 8


@dataclass(frozen=True, slots=True)
class Series:
    """A line of (day, seconds) points; ``markers`` puts a dot on every point."""

    name: str
    points: Sequence[tuple[date, float]]
    colour: colors.Color = HEADER_FILL
    markers: bool = True


def _ticks(first: int, last: int) -> list[int]:
    span = max(last - first, 1)
    step = max(1, -(-span // MAX_TICKS))
    return list(range(first, last + 1, step))


def _tick_label(ordinal: float, long_span: bool) -> str:
    day = date.fromordinal(int(ordinal))
    return day.strftime("%Y-%m") if long_span else day.strftime("%m-%d")


def time_chart(series: Sequence[Series], target_seconds: float, *, width: float,
               height: float, font: str, target_label: str, axis_label: str) -> Drawing:
    """Minutes (y) over dates (x) for each series, with the target as a horizontal line."""
    drawing = Drawing(width, height)
    # Without this the drawing starts in Helvetica, which would be named but not embedded.
    drawing.initialFontName = font
    values = [p for s in series for p in s.points]
    first = min(d.toordinal() for d, _s in values)
    last = max(d.toordinal() for d, _s in values)
    if first == last:
        first, last = first - 1, last + 1
    top_seconds = max([target_seconds, *(s for _d, s in values)]) * 1.15
    plot = LinePlot()
    plot.x, plot.y = 42, 36
    plot.width, plot.height = width - 60, height - 70
    plot.data = [[(d.toordinal(), s / 60) for d, s in line.points] for line in series]
    for index, line in enumerate(series):
        plot.lines[index].strokeColor = line.colour
        plot.lines[index].strokeWidth = 1.2
        if line.markers:
            plot.lines[index].symbol = makeMarker("FilledCircle", size=3.2,
                                                  fillColor=line.colour,
                                                  strokeColor=line.colour)
    long_span = last - first > 370
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = first, last
    plot.xValueAxis.valueSteps = _ticks(first, last)
    plot.xValueAxis.labelTextFormat = lambda v: _tick_label(v, long_span)
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, top_seconds / 60
    plot.yValueAxis.labelTextFormat = minutes_seconds_from_minutes
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 7
        axis.labels.fillColor = INK
        axis.strokeColor = MUTED
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = RULE
    plot.yValueAxis.gridStrokeWidth = 0.3
    drawing.add(plot)
    target_y = plot.y + plot.height * (target_seconds / top_seconds)
    drawing.add(Line(plot.x, target_y, plot.x + plot.width, target_y,
                     strokeColor=TARGET_INK, strokeWidth=1, strokeDashArray=[4, 2]))
    drawing.add(String(plot.x + plot.width, target_y + 3,
                       f"{target_label} {minutes_seconds_from_minutes(target_seconds / 60)}",
                       fontName=font, fontSize=7, fillColor=TARGET_INK, textAnchor="end"))
    drawing.add(String(2, plot.y + plot.height + 8, axis_label, fontName=font, fontSize=7,
                       fillColor=MUTED))
    legend = Legend()
    legend.x, legend.y = plot.x, height - 6
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.colorNamePairs = [(line.colour, line.name) for line in series]
    drawing.add(legend)
    return drawing


def minutes_seconds_from_minutes(minutes: float) -> str:
    """An axis value in minutes written as mm:ss."""
    return minutes_seconds(timedelta(seconds=round(minutes * 60)))
