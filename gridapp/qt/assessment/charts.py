"""The dashboard's charts (QtCharts from PySide6): trend lines and bars."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter

PALETTE = ["#2b6cb0", "#d7301f", "#2f855a", "#b7791f", "#6b46c1"]


def _num(v: float | None) -> float:
    return 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


class ChartPanel(QChartView):
    """A chart view that redraws from plain data (no Qt objects kept outside)."""

    def __init__(self, parent=None) -> None:
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(180)

    def _reset(self, title: str) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(title)
        return chart

    def clear(self) -> None:
        """An empty chart with no title."""
        self._reset("")

    def show_lines(self, title: str, labels: Sequence[str],
                   series: Sequence[tuple[str, Sequence[float | None]]],
                   percent: bool = True) -> None:
        chart = self._reset(title)
        x = QBarCategoryAxis()
        x.append(list(labels))
        y = QValueAxis()
        top = 0.0
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for k, (name, values) in enumerate(series):
            line = QLineSeries()
            line.setName(name)
            line.setColor(QColor(PALETTE[k % len(PALETTE)]))
            line.setPointsVisible(True)
            for i, v in enumerate(values):
                if v is None or (isinstance(v, float) and math.isnan(v)):
                    continue  # no figure that period (nothing to divide): no point
                val = float(v) * (100 if percent else 1)
                top = max(top, val)
                line.append(i, val)
            chart.addSeries(line)
            line.attachAxis(x)
            line.attachAxis(y)
        y.setRange(0, 100 if percent else max(1.0, top * 1.15))
        y.setLabelFormat("%.0f%%" if percent else "%.0f")

    def show_bars(self, title: str, labels: Sequence[str],
                  series: Sequence[tuple[str, Sequence[float | None]]],
                  percent: bool = True) -> None:
        chart = self._reset(title)
        bars = QBarSeries()
        top = 0.0
        for k, (name, values) in enumerate(series):
            s = QBarSet(name)
            s.setColor(QColor(PALETTE[k % len(PALETTE)]))
            for v in values:
                val = _num(v) * (100 if percent else 1)
                top = max(top, val)
                s.append(val)
            bars.append(s)
        chart.addSeries(bars)
        x = QBarCategoryAxis()
        x.append([lb if len(lb) <= 8 else lb[:7] + "…" for lb in labels])
        y = QValueAxis()
        y.setRange(0, 100 if percent else max(1.0, top * 1.15))
        y.setLabelFormat("%.0f%%" if percent else "%.0f")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x)
        bars.attachAxis(y)
