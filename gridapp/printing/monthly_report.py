"""The 月度考核通报 (monthly assessment report) as an A4 vector PDF (QtGui only).

The content comes ready as text from
:func:`gridapp.services.assessment.monthly.monthly_report`; this module lays
it out: a red letterhead title, the period, the street's key figures as
cards, the street's trend over six periods (a table and a line chart), the indicators by grid, community and department as ruled tables
(thresholded figures tinted 红黄蓝, a 预警 column naming each unit's worst
level, the header row repeated on every page; bars by department), the units flagged for staying
red or yellow, the categories with most reports, and the formulas and thresholds.  Noto Sans CJK SC is embedded
(as a subset, by QPdfWriter) and text copies as printed
(:func:`~gridapp.printing.pdftext.fix_radicals`).  An official document: its
text is Chinese whatever the UI language.

Examples
--------
>>> report = monthly_report(session, "2026-11")               # doctest: +SKIP
>>> write_monthly_report(report, "通报_2026-11.pdf")           # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPdfWriter,
    QPen,
)

from gridapp.domain.timeutil import format_local
from gridapp.errors import ValidationError
from gridapp.printing.draw import make_font
from gridapp.printing.monthly_charts import bar_chart, line_chart
from gridapp.printing.output import pdf_target
from gridapp.printing.pdfdoc import a4_layout, pdf_painter
from gridapp.services.assessment.monthly import LEVEL_ZH, MonthlyReport, UnitTable

FONT = "Noto Sans CJK SC"
DPI = 300
PAGE_MM = (210.0, 297.0)
MARGIN_MM = 15.0
FOOTER_MM = 10.0
INK = QColor("#1a1a1a")
GREY = QColor("#666666")
RED = QColor("#b00020")
LINE = QColor("#555555")
HEAD = QColor("#e6ecf3")
LEVEL_INK = {"red": QColor("#c62828"), "yellow": QColor("#a07800"),
             "blue": QColor("#1f5fa8")}
LEVEL_TINT = {"red": QColor("#f9d3ce"), "yellow": QColor("#fcefbf"),
              "blue": QColor("#d6e5f7")}
_NUMERALS = "一二三四五六七八九十"


class _Doc:
    """A cursor over the pages of one PDF, in millimetres."""

    def __init__(self, painter: QPainter, writer: QPdfWriter | None, footer: str) -> None:
        self.p = painter
        self.writer = writer
        self.footer = footer
        self.page = 1
        self.left = MARGIN_MM
        self.right = PAGE_MM[0] - MARGIN_MM
        self.bottom = PAGE_MM[1] - MARGIN_MM - FOOTER_MM
        self.y = MARGIN_MM
        self.section_no = 0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._draw_footer()

    @property
    def width(self) -> float:
        return self.right - self.left

    def px(self, mm: float) -> float:
        return mm * DPI / 25.4

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.px(x), self.px(y), self.px(w), self.px(h))

    def font(self, pt: float, bold: bool = False) -> QFont:
        f = make_font(FONT, max(1, round(pt * DPI / 72)), bold)
        # unshaped runs keep plain cmap glyphs: digits after Latin letters stay
        # searchable in the PDF (see printing.task_order_pdf)
        f.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        return f

    def line_mm(self, pt: float) -> float:
        return QFontMetricsF(self.font(pt)).height() * 25.4 / DPI

    def text(self, x: float, y: float, w: float, h: float, text: str, pt: float, *,
             bold: bool = False, colour: QColor = INK,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
             wrap: bool = False) -> None:
        font = self.font(pt, bold)
        self.p.setFont(font)
        self.p.setPen(colour)
        r = self.rect(x, y, w, h)
        flags = int(align | Qt.AlignmentFlag.AlignVCenter)
        if wrap:
            flags |= int(Qt.TextFlag.TextWordWrap)
        else:
            text = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight,
                                                  r.width())
        self.p.drawText(r, flags, text)

    def box(self, x: float, y: float, w: float, h: float, fill: QColor | None = None,
            width_mm: float = 0.2) -> None:
        self.p.save()
        self.p.setPen(QPen(LINE, self.px(width_mm)))
        self.p.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
        self.p.drawRect(self.rect(x, y, w, h))
        self.p.restore()

    def rule(self, y: float, colour: QColor, width_mm: float) -> None:
        self.p.setPen(QPen(colour, self.px(width_mm)))
        self.p.drawLine(QPointF(self.px(self.left), self.px(y)),
                        QPointF(self.px(self.right), self.px(y)))

    def wrapped_height(self, text: str, w: float, pt: float) -> float:
        fm = QFontMetricsF(self.font(pt))
        r = fm.boundingRect(QRectF(0, 0, self.px(w), 1e6),
                            int(Qt.TextFlag.TextWordWrap), text)
        return r.height() * 25.4 / DPI

    # ---------------------------------------------------------- pages
    def _draw_footer(self) -> None:
        y = PAGE_MM[1] - MARGIN_MM - FOOTER_MM + 3
        self.rule(y, LINE, 0.2)
        self.text(self.left, y + 1, self.width / 2, 5, self.footer, 8, colour=GREY)
        self.text(self.left + self.width / 2, y + 1, self.width / 2, 5,
                  f"第 {self.page} 页", 8, colour=GREY, align=Qt.AlignmentFlag.AlignRight)

    def new_page(self) -> None:
        if self.writer is None:
            raise ValidationError("通报超出一页", "The report does not fit one page")
        self.writer.newPage()
        self.page += 1
        self.y = MARGIN_MM
        self._draw_footer()

    def need(self, mm: float) -> bool:
        """Start a new page unless *mm* fit below the cursor; True if it did."""
        if self.y + mm > self.bottom:
            self.new_page()
            return True
        return False

    def section(self, title: str, keep_mm: float = 20.0) -> None:
        self.need(9 + keep_mm)
        self.section_no += 1
        num = _NUMERALS[self.section_no - 1] if self.section_no <= 10 else str(self.section_no)
        self.y += 2
        self.text(self.left, self.y, self.width, 7, f"{num}、{title}", 12, bold=True)
        self.y += 8


def _cover(doc: _Doc, report: MonthlyReport) -> None:
    doc.text(doc.left, doc.y, doc.width, 12, report.title, 19, bold=True, colour=RED,
             align=Qt.AlignmentFlag.AlignHCenter)
    doc.y += 13
    doc.rule(doc.y, RED, 0.8)
    doc.y += 2.5
    half = doc.width / 2
    doc.text(doc.left, doc.y, half, 5, f"考核周期：{report.period.label}（{report.span}）", 9)
    doc.text(doc.left + half, doc.y, half, 5,
             f"{report.office}  生成于 {format_local(report.computed_at)}", 9,
             align=Qt.AlignmentFlag.AlignRight)
    doc.y += 7
    if report.note:
        doc.text(doc.left, doc.y, doc.width, 6, report.note, 10, colour=RED)
        doc.y += 7


def _key_figures(doc: _Doc, report: MonthlyReport) -> None:
    doc.section("主要指标（全街道）", 40)
    per_row = 4
    gap = 2.5
    w = (doc.width - gap * (per_row - 1)) / per_row
    h = 16.0
    for i, (name, value) in enumerate(report.key_figures):
        col = i % per_row
        if col == 0 and i:
            doc.y += h + gap
        x = doc.left + col * (w + gap)
        doc.box(x, doc.y, w, h, QColor("#f7f9fb"))
        doc.text(x + 2, doc.y + 1, w - 4, 5, name, 8.5, colour=GREY)
        doc.text(x + 2, doc.y + 6.5, w - 4, 8.5, value, 16, bold=True)
    doc.y += h + 4
    c = report.warning_counts
    doc.text(doc.left, doc.y, doc.width, 6,
             f"网格预警：红色 {c.get('red', 0)} 个，黄色 {c.get('yellow', 0)} 个，"
             f"蓝色 {c.get('blue', 0)} 个（按各网格最差的预警等级计）；"
             f"连续预警 {len(report.flags)} 项。", 10)
    doc.y += 8


def _table(doc: _Doc, headers: Sequence[str], widths: Sequence[float],
           rows: Sequence[tuple[Sequence[str], Sequence[QColor | None],
                                Sequence[QColor | None], bool]],
           *, pt: float = 8.0, head_mm: float = 9.0, row_mm: float = 5.6,
           wrap_cols: Sequence[int] = ()) -> None:
    """A ruled table whose header repeats on each page.

    Each row: cell texts, cell fills, cell text colours, bold.  Columns in
    *wrap_cols* wrap their text and make the row taller.
    """

    head_mm = max(head_mm, *[doc.wrapped_height(t, w - 1.2, pt) + 1.6
                             for t, w in zip(headers, widths, strict=True)])

    def header() -> None:
        x = doc.left
        for text, w in zip(headers, widths, strict=True):
            doc.box(x, doc.y, w, head_mm, HEAD)
            doc.text(x + 0.6, doc.y, w - 1.2, head_mm, text, pt, bold=True,
                     align=Qt.AlignmentFlag.AlignHCenter, wrap=True)
            x += w
        doc.y += head_mm

    doc.need(head_mm + row_mm)
    header()
    for texts, fills, inks, bold in rows:
        h = row_mm
        for c in wrap_cols:
            h = max(h, doc.wrapped_height(texts[c], widths[c] - 1.6, pt) + 1.6)
        if doc.need(h):
            header()
        x = doc.left
        for i, (text, w) in enumerate(zip(texts, widths, strict=True)):
            doc.box(x, doc.y, w, h, fills[i])
            align = Qt.AlignmentFlag.AlignLeft if i == 0 or i in wrap_cols \
                else Qt.AlignmentFlag.AlignHCenter
            doc.text(x + 0.8, doc.y, w - 1.6, h, text, pt, bold=bold,
                     colour=inks[i] or INK, align=align, wrap=i in wrap_cols)
            x += w
        doc.y += h


def _plain_table(doc: _Doc, title: str, first: str, columns: Sequence[str],
                 rows: Sequence[tuple[str, Sequence[str]]], empty: str,
                 first_w: float = 40.0) -> None:
    doc.section(title, 20)
    if not rows:
        doc.text(doc.left, doc.y, doc.width, 6, empty, 9.5)
        doc.y += 8
        return
    n = len(columns)
    widths = [first_w, *[(doc.width - first_w) / n] * n]
    _table(doc, [first, *columns], widths,
           [([label, *values], [None] * (n + 1), [None] * (n + 1), False)
            for label, values in rows])
    doc.y += 4


def _unit_table(doc: _Doc, table: UnitTable) -> None:
    doc.section(f"分{table.title}考核指标", 25)
    c = table.counts
    doc.text(doc.left, doc.y, doc.width, 5,
             f"共 {len(table.rows)} 个{table.title}；预警：红 {c['red']} · 黄 {c['yellow']} · "
             f"蓝 {c['blue']}。着色的数字按预警阈值评定（红/黄/蓝），“—”表示本期无可计算的分母。",
             8.5, colour=GREY)
    doc.y += 6
    if not table.rows:
        doc.text(doc.left, doc.y, doc.width, 6, f"本期没有{table.title}的考核数据。", 9)
        doc.y += 8
        return
    # a grid's label is its code and name; departments have more columns
    label_w, level_w = (44.0 if table.by == "department" else 56.0), 9.0
    n = len(table.columns)
    col_w = (doc.width - label_w - level_w) / n
    headers = [table.title, *[col.name for col in table.columns], "预警"]
    widths = [label_w, *[col_w] * n, level_w]
    rows = []
    for r in [*table.rows, table.total]:
        is_total = r is table.total
        fills = [None, *[LEVEL_TINT.get(lv) if lv else None for lv in r.levels],
                 LEVEL_TINT.get(r.worst) if r.worst else None]
        inks = [None] * (n + 1) + [LEVEL_INK.get(r.worst) if r.worst else None]
        level = LEVEL_ZH.get(r.worst, "—") if r.worst else "—"
        rows.append(([r.label, *r.values, level], fills, inks, is_total))
    _table(doc, headers, widths, rows)
    doc.y += 4


def _flags(doc: _Doc, report: MonthlyReport) -> None:
    doc.section("连续预警单位", 15)
    if not report.flags:
        doc.text(doc.left, doc.y, doc.width, 6, "本期没有连续处于红色或黄色预警的单位。", 9.5)
        doc.y += 8
        return
    headers = ["类别", "单位", "指标", "等级", "连续期数", "各期数值（由远及近）"]
    widths = [18.0, 50.0, 34.0, 12.0, 16.0]
    widths.append(doc.width - sum(widths))
    rows = []
    for f in report.flags:
        fill = LEVEL_TINT[f.level]
        rows.append(([f.kind, f.unit, f.indicator, LEVEL_ZH[f.level], str(f.periods),
                      f.values], [None, None, None, fill, None, None],
                     [None, None, None, LEVEL_INK[f.level], None, None], False))
    _table(doc, headers, widths, rows)
    doc.y += 4


def _formulas(doc: _Doc, report: MonthlyReport) -> None:
    doc.section("指标公式与预警阈值", 15)
    headers = ["指标", "公式", "预警阈值", "说明"]
    widths = [34.0, 52.0, 50.0]
    widths.append(doc.width - sum(widths))
    rows = [([f.name, f.formula, f.thresholds or "—", f.description],
             [None] * 4, [None] * 4, False) for f in report.formulas]
    _table(doc, headers, widths, rows, pt=7.5, row_mm=5.2, wrap_cols=(0, 1, 2, 3))
    doc.y += 3
    note = ("计数口径：应结案数为派遣后处置期限落在本期的案件，缓办数为其中已挂账的，"
            "结案数为其中在期末前结案的，按期结案数为其中处置反馈不晚于期限的；"
            "处置时长按工作日历的办公时间计算（工作时）；回访以本期最后一次为准。")
    h = doc.wrapped_height(note, doc.width, 8)
    doc.need(h)
    doc.text(doc.left, doc.y, doc.width, h, note, 8, colour=GREY, wrap=True)
    doc.y += h


CHART_MM = 62.0


def _trend_chart(doc: _Doc, report: MonthlyReport) -> None:
    if not report.trend_chart or not report.trend:
        return
    doc.need(CHART_MM + 2)
    line_chart(doc, doc.left, doc.y, doc.width, CHART_MM, "全街道主要比率趋势",
               [label for label, _ in report.trend], report.trend_chart)
    doc.y += CHART_MM + 4


def _department_chart(doc: _Doc, report: MonthlyReport) -> None:
    if not report.department_chart or not report.department_labels:
        return
    doc.need(CHART_MM + 2)
    bar_chart(doc, doc.left, doc.y, doc.width, CHART_MM, "各职能部门结案率与按期结案率",
              report.department_labels, report.department_chart)
    doc.y += CHART_MM + 4


def draw_report(painter: QPainter, report: MonthlyReport,
                writer: QPdfWriter | None = None) -> int:
    """Lay *report* out on *painter* (A4 portrait at :data:`DPI`); returns the pages used.

    Without *writer* (an image) everything must fit one page.
    """
    doc = _Doc(painter, writer, f"{report.street} · {report.period.label} 月度考核通报")
    _cover(doc, report)
    _key_figures(doc, report)
    _plain_table(doc, "近期趋势（全街道）", "考核周期", report.trend_columns, report.trend,
                 "没有可比较的周期。", 28.0)
    _trend_chart(doc, report)
    for table in report.tables:
        _unit_table(doc, table)
        if table.by == "department":
            _department_chart(doc, report)
    _flags(doc, report)
    _plain_table(doc, f"上报最多的问题类别（前 {len(report.categories)} 类）", "事件类别",
                 report.category_columns, report.categories, "本期没有上报的问题。", 50.0)
    _formulas(doc, report)
    return doc.page


def write_monthly_report(report: MonthlyReport, path: str | Path) -> Path:
    """Write *report* as an A4 vector PDF at *path* (a ``.pdf`` in an existing folder).

    A failure removes the partial file.
    """
    path = pdf_target(path)
    with pdf_painter(path, title=report.title, dpi=DPI, layout=a4_layout(),
                     fonts=(FONT,)) as (painter, writer):
        draw_report(painter, report, writer)
    return path


__all__ = ["draw_report", "write_monthly_report"]
