"""The one-page 联合执法任务单 (joint-enforcement task order) and the 督办单
(escalation notice), drawn with QtGui and :mod:`gridapp.render`.

Both are A4 portrait vector PDFs with Noto Sans CJK SC embedded (as a subset,
by QPdfWriter).  The page content comes from Qt-free data:
:class:`gridapp.services.joint.task_order.TaskOrder` and
:class:`gridapp.services.joint.tasks.TaskEscalation`; the map's context layers
(grids, buildings) are passed as GeoDataFrames in EPSG:4490 and drawn in the
workspace's metric CRS.  The services prepare them
(:mod:`gridapp.services.joint.task_print`); the CLI and the GUI write them
with :mod:`gridapp.printing.jobs`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
)

from gridapp.printing.draw import Units, draw_fitted, wrap_lines
from gridapp.printing.mapframe import viewport_for
from gridapp.printing.pdfdoc import a4_layout, pdf_painter
from gridapp.render.decorations import draw_north_arrow, draw_scale_bar
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.renderer import RenderOptions, render_map
from gridapp.render.style import SingleStyle, Symbol
from gridapp.services.joint.task_order import MapContext

FONT = "Noto Sans CJK SC"
DPI = 300.0
PAGE_MM = (210.0, 297.0)
MARGIN_MM = 14.0
RED = QColor("#b71c1c")
INK = QColor("#1a1a1a")
GREY = QColor("#6b6b6b")
LINE = QColor("#444444")
SCREEN_MM = 25.4 / 96.0


class _Units(Units):
    """Units whose fonts skip OpenType shaping of simple runs.

    With shaping, Qt draws digits that follow Latin letters ("LH2026…",
    "100 m") with glyphs its PDF ToUnicode map does not cover, so pdftotext,
    search and copy lose them; unshaped runs keep the plain cmap glyphs.
    """

    def font(self, px: float, bold: bool = False) -> QFont:
        f = super().font(px, bold)
        f.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        return f


class _Page:
    """Millimetre helpers over a painter on an A4 page at :data:`DPI`."""

    def __init__(self, painter: QPainter) -> None:
        self.p = painter
        self.u = _Units(DPI, 1.0, FONT)
        self.left = MARGIN_MM
        self.right = PAGE_MM[0] - MARGIN_MM
        self.y = MARGIN_MM

    def px(self, mm: float) -> float:
        return self.u.abs_mm(mm)

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.px(x), self.px(y), self.px(w), self.px(h))

    def font(self, size_mm: float, bold: bool = False):  # type: ignore[no-untyped-def]
        return self.u.font(self.px(size_mm), bold)

    def text(self, x: float, y: float, w: float, h: float, text: str, size_mm: float, *,
             bold: bool = False, colour: QColor = INK,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        draw_fitted(self.p, self.u, self.rect(x, y, w, h), text, self.px(size_mm), bold=bold,
                    colour_=colour, align=align)

    def wrapped(self, x: float, y: float, w: float, text: str, size_mm: float,
                max_lines: int, *, colour: QColor = INK, line_mm: float | None = None) -> float:
        """Draw *text* wrapped in width *w*; returns the height used (mm)."""
        font = self.font(size_mm)
        lines, _ = wrap_lines(text, font, self.px(w), max_lines)
        fm = QFontMetricsF(font)
        step = line_mm or size_mm * 1.45
        self.p.setFont(font)
        self.p.setPen(colour)
        for i, line in enumerate(lines):
            self.p.drawText(QPointF(self.px(x), self.px(y + i * step) + fm.ascent()), line)
        return step * max(len(lines), 1)

    def hline(self, y: float, colour: QColor = LINE, width_mm: float = 0.2,
              x0: float | None = None, x1: float | None = None) -> None:
        self.p.setPen(QPen(colour, self.px(width_mm)))
        self.p.drawLine(QPointF(self.px(self.left if x0 is None else x0), self.px(y)),
                        QPointF(self.px(self.right if x1 is None else x1), self.px(y)))

    def box(self, x: float, y: float, w: float, h: float, width_mm: float = 0.25,
            fill: QColor | None = None) -> None:
        self.p.save()
        self.p.setPen(QPen(LINE, self.px(width_mm)))
        self.p.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
        self.p.drawRect(self.rect(x, y, w, h))
        self.p.restore()

    def table(self, y: float, headers: list[str], widths: list[float], rows: list[list[str]],
              *, size_mm: float = 2.6, row_mm: float = 5.2,
              colours: list[QColor | None] | None = None) -> float:
        """A ruled table from *y*; returns the y below it."""
        x0 = self.left
        total = sum(widths)
        self.box(x0, y, total, row_mm, fill=QColor("#eeeeee"))
        x = x0
        for h, w in zip(headers, widths, strict=True):
            self.text(x + 1, y, w - 2, row_mm, h, size_mm, bold=True)
            x += w
        y += row_mm
        for i, row in enumerate(rows):
            self.box(x0, y, total, row_mm, width_mm=0.15)
            x = x0
            c = (colours[i] if colours else None) or INK
            for cell, w in zip(row, widths, strict=True):
                self.text(x + 1, y, w - 2, row_mm, cell, size_mm, colour=c)
                x += w
            y += row_mm
        x = x0
        self.p.setPen(QPen(LINE, self.px(0.15)))
        for w in widths[:-1]:
            x += w
            self.p.drawLine(QPointF(self.px(x), self.px(y - row_mm * (len(rows) + 1))),
                            QPointF(self.px(x), self.px(y)))
        return y


def _symbol(fill: str | None, stroke: str | None, width_mm: float, size_mm: float = 0.0
            ) -> Symbol:
    k = 1.0 / SCREEN_MM  # sizes are 96-dpi pixels; the renderer scales them to DPI
    return Symbol(fill=fill, stroke=stroke, stroke_width=width_mm * k, size=size_mm * k)


def _clip(frame: Any, extent: tuple[float, float, float, float]) -> Any:
    if frame is None or not len(frame):
        return None
    box = shapely.box(*extent)
    sub = frame[frame.geometry.intersects(box)]
    return sub if len(sub) else None


def draw_task_map(page: _Page, x: float, y: float, w: float, h: float, hull: Any,
                  points: list[tuple[float, float]], extent: tuple[float, float, float, float],
                  context: MapContext) -> None:
    """The place: context grids and buildings, the hull and the member reports."""
    p = page.p
    rect = page.rect(x, y, w, h)
    epsg = context.epsg
    # The extent is in lon/lat: take it to metres for the viewport.
    ext_geo = gpd.GeoSeries([shapely.box(*extent)], crs=4490).to_crs(epsg)
    vp = viewport_for(tuple(ext_geo.total_bounds), rect, DPI, 0.02)
    geo_view = tuple(gpd.GeoSeries([shapely.box(*vp.extent)], crs=epsg).to_crs(4490)
                     .total_bounds)
    stack = LayerStack()
    grids = _clip(context.grids, geo_view)
    if grids is not None:
        stack.add(VectorLayer("grid", grids[["geometry"]], SingleStyle(
            _symbol("#f1f4ec", "#8c8c8c", 0.2)), crs=epsg))
    buildings = _clip(context.buildings, geo_view)
    if buildings is not None:
        stack.add(VectorLayer("building", buildings[["geometry"]], SingleStyle(
            _symbol("#d9d9d9", "#a6a6a6", 0.1)), crs=epsg))
    stack.add(VectorLayer("hull", gpd.GeoDataFrame(geometry=[hull], crs=4490), SingleStyle(
        _symbol("#e5393540", "#c62828", 0.6)), crs=epsg))
    if points:
        pts = gpd.GeoDataFrame(geometry=[shapely.Point(a, b) for a, b in points], crs=4490)
        stack.add(VectorLayer("report", pts, SingleStyle(
            _symbol("#1565c0", "#ffffff", 0.12, 1.4)), crs=epsg))
    p.save()
    p.translate(rect.topLeft())
    p.fillRect(QRectF(0, 0, vp.width, vp.height), QColor("#fbfbf8"))
    render_map(p, vp, stack, RenderOptions.for_print(DPI, labels=False))
    font = page.font(2.2)
    draw_scale_bar(p, vp, page.px(3), vp.height - page.px(4), max_width_px=page.px(30),
                   height_px=page.px(1.2), font=font)
    size = page.px(9)
    draw_north_arrow(p, vp.width - page.px(8), page.px(11), size,
                     font=page.u.font(size * 0.35, bold=True))
    p.restore()
    page.box(x, y, w, h, 0.35)
    # legend
    lx, ly = x + w - 46, y + h - 9
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(255, 255, 255, 225))
    p.drawRect(page.rect(lx, ly, 44, 7.5))
    p.setPen(QPen(QColor("#c62828"), page.px(0.5)))
    p.setBrush(QColor(229, 57, 53, 64))
    p.drawRect(page.rect(lx + 1.5, ly + 2, 5, 3.5))
    p.setPen(QPen(QColor("#ffffff"), page.px(0.1)))
    p.setBrush(QColor("#1565c0"))
    p.drawEllipse(QPointF(page.px(lx + 24), page.px(ly + 3.75)), page.px(0.8), page.px(0.8))
    p.restore()
    page.text(lx + 7.5, ly + 1.5, 15, 4.5, "任务范围", 2.3)
    page.text(lx + 26, ly + 1.5, 17, 4.5, "案件位置", 2.3)


def _write(path: str | Path, title: str, draw: Callable[[_Page], None]) -> Path:
    path = Path(path)
    with pdf_painter(path, title=title, dpi=DPI, layout=a4_layout(), fonts=(FONT,)) as (painter, _):
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        draw(_Page(painter))
    return path


def _heading(page: _Page, office: str, heading: str, number: str) -> None:
    page.text(page.left, page.y, page.right - page.left, 12, office, 7.2, bold=True,
              colour=RED, align=Qt.AlignmentFlag.AlignHCenter)
    page.y += 13
    page.hline(page.y, RED, 0.8)
    page.hline(page.y + 1.1, RED, 0.25)
    page.y += 3
    page.text(page.left, page.y, page.right - page.left, 10, heading, 6.2, bold=True,
              align=Qt.AlignmentFlag.AlignHCenter)
    page.y += 10.5
    page.text(page.left, page.y, page.right - page.left, 5, number, 2.8, colour=GREY,
              align=Qt.AlignmentFlag.AlignRight)
    page.y += 6


def _fields(page: _Page, pairs: list[tuple[str, str]], *, cols: int = 2,
            key_mm: float = 19.0, row_mm: float = 5.6) -> None:
    width = (page.right - page.left) / cols
    for i, (k, v) in enumerate(pairs):
        cx = page.left + (i % cols) * width
        cy = page.y + (i // cols) * row_mm
        page.text(cx, cy, key_mm, row_mm, k + "：", 2.8, bold=True)
        page.text(cx + key_mm, cy, width - key_mm - 2, row_mm, v, 2.8)
    page.y += ((len(pairs) + cols - 1) // cols) * row_mm


def _section(page: _Page, title: str) -> None:
    page.p.save()
    page.p.setPen(Qt.PenStyle.NoPen)
    page.p.setBrush(RED)
    page.p.drawRect(page.rect(page.left, page.y + 1.2, 1.2, 3.6))
    page.p.restore()
    page.text(page.left + 2.5, page.y, 120, 6, title, 3.3, bold=True)
    page.y += 6.8


def draw_task_order(page: _Page, order: Any, context: MapContext) -> None:
    """Lay out one 联合执法任务单 on *page* (A4 portrait)."""
    _heading(page, order.issuing_office, order.heading,
             f"编号：{order.task_no}    状态：{order.state}    打印：{order.printed_at}")
    full = page.right - page.left
    page.text(page.left, page.y, full, 7, f"任务名称：{order.title}", 4.0, bold=True)
    page.y += 8
    names = [g.split("（")[0] for g in order.grids]
    grids = "、".join(names[:3]) + (f" 等 {len(names)} 个网格" if len(names) > 3 else "")
    _fields(page, [("任务地点", order.place), ("涉及网格", grids or "—"),
                   ("牵头单位", order.lead_unit), ("吹哨时间", order.summoned_at),
                   ("执法时间", order.action_at), ("办结期限", order.deadline),
                   ("报到要求", order.checkin_limit), ("案件数量", f"{len(order.cases)} 件")])
    if order.reason:
        page.text(page.left, page.y, 19, 5.6, "研判依据：", 2.8, bold=True)
        page.y += 0.6
        page.y += page.wrapped(page.left + 19, page.y, full - 19, order.reason, 2.7, 2)
    page.y += 1.5
    map_h = 78.0
    draw_task_map(page, page.left, page.y, full, map_h, order.hull, order.points, order.extent,
                  context)
    page.y += map_h + 3
    _section(page, "召集部门及报到情况")
    flagged = ("未报到", "迟到")
    rows, colours = [], []
    for d in order.departments:
        rows.append([d.name, d.role, d.contact_person, d.contact_phone, d.checkin_due, d.checkin])
        colours.append(RED if d.checkin.startswith(flagged) else None)
    page.y = page.table(page.y, ["单位", "角色", "联系人", "联系电话", "报到时限", "报到情况"],
                        [42, 16, 16, 26, 32, full - 132], rows, colours=colours) + 3
    _section(page, f"涉及案件（{len(order.cases)} 件）")
    _case_grid(page, order.cases)
    if order.action_summary or order.results:
        _section(page, "处置情况")
        text = order.action_summary + ("；" if order.action_summary and order.results else "") \
            + "；".join(order.results)
        page.y += page.wrapped(page.left, page.y, full, text, 2.7, 2) + 1
    for note in order.notes:
        page.y += page.wrapped(page.left, page.y, full, "※ " + note, 2.7, 1, colour=RED)
    _footer(page, order.issuing_office, order.printed_at.split(" ")[0],
            "各单位接单后按时到场报到，处置结果报街道指挥中心。")


def _case_grid(page: _Page, cases: list[Any]) -> None:
    """Case numbers and categories in columns, as many as the page holds."""
    full = page.right - page.left
    cols, row_mm = 4, 3.9
    bottom = PAGE_MM[1] - MARGIN_MM - 24
    rows_fit = max(int((bottom - page.y) // row_mm), 1)
    capacity = rows_fit * cols
    shown = cases if len(cases) <= capacity else cases[:capacity - 1]
    n_rows = (len(shown) + (len(shown) < len(cases)) + cols - 1) // cols
    width = full / cols
    for i, c in enumerate(shown):
        cx = page.left + (i // n_rows) * width
        cy = page.y + (i % n_rows) * row_mm
        page.text(cx, cy, 7, row_mm, f"{i + 1}.", 2.3, colour=GREY)
        page.text(cx + 6.5, cy, width - 7, row_mm, f"{c.case_no} {c.category}", 2.3)
    if len(shown) < len(cases):
        i = len(shown)
        page.text(page.left + (i // n_rows) * width, page.y + (i % n_rows) * row_mm, width,
                  row_mm, f"……另 {len(cases) - len(shown)} 件见系统案件清单", 2.3, colour=GREY)
    page.y += n_rows * row_mm + 2


def _footer(page: _Page, office: str, date: str, note: str) -> None:
    y = PAGE_MM[1] - MARGIN_MM - 20
    page.y = max(page.y, y)
    page.hline(page.y, LINE, 0.2)
    page.text(page.left, page.y + 1.5, 120, 5, note, 2.6, colour=GREY)
    page.text(page.right - 80, page.y + 6, 80, 6, f"签发单位：{office}（章）", 3.2,
              align=Qt.AlignmentFlag.AlignRight)
    page.text(page.right - 80, page.y + 12, 80, 6, date, 3.0,
              align=Qt.AlignmentFlag.AlignRight)
    page.text(page.left, page.y + 12, 80, 6, "签收人：__________", 3.0)


def write_task_order_pdf(path: str | Path, order: Any, context: MapContext) -> Path:
    """Write *order* (a :class:`~gridapp.services.joint.task_order.TaskOrder`) as a one-page PDF."""
    return _write(path, f"{order.heading} {order.task_no}",
                  lambda page: draw_task_order(page, order, context))


def draw_escalation(page: _Page, notice: Any, order: Any, context: MapContext) -> None:
    """The 督办单: to the district government, naming the departments that did not come."""
    from gridapp.domain.timeutil import local

    _heading(page, order.issuing_office, "督 办 单", f"督办编号：{notice.notice_no}    "
             f"关联任务：{notice.task_no}")
    at = f"{local(notice.issued_at):%Y年%m月%d日 %H:%M}"
    full = page.right - page.left
    page.text(page.left, page.y, full, 7, f"{notice.addressee}：", 3.6, bold=True)
    page.y += 8
    missing = "、".join(notice.missing_departments) or "—"
    body = (f"本街道于 {order.summoned_at} 就“{notice.title}”（任务编号 {notice.task_no}）"
            f"发起联合执法吹哨，要求各单位在吹哨后 {notice.checkin_limit_minutes} 分钟内"
            f"（或执法时间后）到场报到。截至 {at}，{missing} 未按要求报到。"
            f"现提请督办，督促相关部门限期到场履职并反馈处置结果。")
    page.y += page.wrapped(page.left + 7, page.y, full - 7, body, 3.2, 6, line_mm=5.2) + 2
    _fields(page, [("督办事由", notice.reason), ("发起时间", order.summoned_at),
                   ("牵头单位", order.lead_unit), ("涉及案件", f"{len(order.cases)} 件"),
                   ("任务地点", order.place), ("提请人", notice.issued_by)], key_mm=19)
    page.y += 2
    map_h = 70.0
    draw_task_map(page, page.left, page.y, full, map_h, order.hull, order.points, order.extent,
                  context)
    page.y += map_h + 3
    _section(page, "各部门报到情况")
    rows, colours = [], []
    for d in order.departments:
        rows.append([d.name, d.role, d.contact_person, d.contact_phone, d.checkin])
        colours.append(RED if d.name in notice.missing_departments else None)
    page.y = page.table(page.y, ["单位", "角色", "联系人", "联系电话", "报到情况"],
                        [50, 20, 24, 30, full - 124], rows, colours=colours) + 4
    _section(page, "督办意见")
    for _ in range(3):
        page.y += 7
        page.hline(page.y, GREY, 0.15)
    issued = f"{local(notice.issued_at):%Y年%m月%d日}"
    _footer(page, order.issuing_office, issued, "请于收到本单后 2 个工作日内反馈督办结果。")


def write_escalation_pdf(path: str | Path, notice: Any, order: Any,
                         context: MapContext) -> Path:
    """Write the 督办单 of *notice* (a :class:`~gridapp.services.joint.tasks.TaskEscalation`)."""
    return _write(path, f"督办单 {notice.notice_no}",
                  lambda page: draw_escalation(page, notice, order, context))
