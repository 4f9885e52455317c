"""The monthly report's bar chart: hazards found / rectified / overdue per location type.

Drawn with reportlab.graphics as vectors, in black, mid grey and white-with-outline so the
three series stay apart on a black-and-white photocopy. Every label names our font (the
graphics default is Helvetica, which has no Chinese and would not be embedded).
"""

from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents.fonts import HEI as FONT
from app.documents.fonts import register

__all__ = ["SERIES", "bar_chart"]

SERIES = (("发现隐患", colors.black), ("已整改", colors.Color(0.55, 0.55, 0.55)), ("逾期未改", colors.white))
LABEL_SIZE, VALUE_SIZE = 8, 7


def _scale(top: int) -> tuple[int, int]:
    """A whole-number step giving about six gridlines, and the axis maximum above `top`."""
    step = max(1, math.ceil(top / 6))
    for nice in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if nice >= step:
            step = nice
            break
    axis_max = max(step, step * math.ceil(top / step))
    if top > axis_max - step * 0.25:
        axis_max += step            # headroom: the number over the tallest bar stays below the legend
    return step, axis_max


def bar_chart(names: list[str], series: list[list[int]], width: float, plot_height: float) -> Drawing:
    """Grouped bars: one group per name, one bar per series in `SERIES` order. The drawing is
    `plot_height` plus room for the category labels (more when they are turned) and the legend."""
    register()
    # Category labels are turned 30° when they would not fit side by side.
    slot = width / max(1, len(names))
    widest = max((stringWidth(n, FONT, LABEL_SIZE) for n in names), default=0)
    turned = widest > slot - 4
    label_room = widest * 0.5 + LABEL_SIZE + 4 if turned else LABEL_SIZE + 6
    legend_room = 16
    height = plot_height + label_room + legend_room + 6
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = FONT, LABEL_SIZE   # else the state starts in Helvetica
    chart = VerticalBarChart()
    chart.x, chart.y = 28, label_room
    chart.width, chart.height = width - chart.x - 4, plot_height
    chart.data = series
    chart.categoryAxis.categoryNames = names
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize = FONT, LABEL_SIZE
    if turned:
        labels.angle, labels.boxAnchor, labels.dx, labels.dy = 30, "ne", 2, -2
    else:
        labels.boxAnchor, labels.dy = "n", -3
    highest = max((v for row in series for v in row), default=0)
    step, top = _scale(highest)
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, step
    axis.labels.fontName, axis.labels.fontSize = FONT, LABEL_SIZE
    axis.labelTextFormat = "%d"
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = 1, colors.Color(0.8, 0.8, 0.8), 0.3
    # reportlab scales bar width and spacings to fill the axis: given in points per group they
    # keep bars at most 16 pt wide when there are few groups
    group = chart.width / max(1, len(names))
    bar = min(16.0, group * 0.75 / len(SERIES))
    chart.barWidth, chart.barSpacing = bar, 1
    chart.groupSpacing = group - len(SERIES) * bar - (len(SERIES) - 1)
    for n, (_, fill) in enumerate(SERIES):
        chart.bars[n].fillColor = fill
        chart.bars[n].strokeColor = colors.black
        chart.bars[n].strokeWidth = 0.5
    # numbers over the bars only where they fit (the table above the chart has them all)
    if stringWidth(str(highest), FONT, VALUE_SIZE) <= bar + 1:
        chart.barLabelFormat = lambda value: str(int(value)) if value else ""
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, VALUE_SIZE
    chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 1
    drawing.add(chart)

    legend = Legend()
    legend.fontName, legend.fontSize = FONT, LABEL_SIZE
    legend.colorNamePairs = [(fill, name) for name, fill in SERIES]
    legend.alignment = "right"
    legend.columnMaximum, legend.dx, legend.dy, legend.deltax = 1, 8, 8, 70
    legend.strokeColor, legend.strokeWidth = colors.black, 0.5
    legend.boxAnchor = "ne"
    legend.x, legend.y = width - 4, height
    drawing.add(legend)
    return drawing
