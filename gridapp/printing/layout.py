"""Page specs and :func:`render_page`, the one entry point that draws a page.

The PDF writer, the image writer and (later) the GUI print preview all call
``render_page(painter, spec)``, so the preview shows exactly what prints.
The painter's coordinates must be page pixels at ``spec.dpi`` (origin at the
page's top-left); a preview scales its painter by ``widget_px / page_px``
first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from gridapp.domain.timeutil import today_local
from gridapp.printing.blocks import (
    draw_footer,
    draw_legend,
    draw_logo,
    draw_managers,
    draw_page_frame,
    draw_qr_block,
    draw_title,
    fill_vars,
)
from gridapp.printing.data import UNASSIGNED, PrintData
from gridapp.printing.draw import Units, colour, draw_fitted, draw_photo, wrap_lines
from gridapp.printing.mapframe import MapLayers, build_layers, draw_map_block
from gridapp.printing.report import PrintReport
from gridapp.printing.template import Paper, Template
from gridapp.render.viewport import Viewport


@dataclass
class PageSpec:
    """Everything needed to draw one page.

    Attributes
    ----------
    template, paper, dpi
        Layout, sheet and device resolution (page pixels per inch).
    data
        The poster's or atlas's data (shared by all pages of a job).
    grid
        Row of ``data.grids`` for an atlas page; None for a poster.
    extent, scale
        Optional map extent (metres) and scale denominator overriding the
        automatic fit (the preview's "extent and scale" choices).
    page_no, page_count
        Position in a multi-page job (atlas footer).
    """

    template: Template
    paper: Paper
    dpi: float
    data: PrintData
    report: PrintReport = field(default_factory=PrintReport)
    grid: int | None = None
    extent: tuple[float, float, float, float] | None = None
    scale: float | None = None
    today: date = field(default_factory=today_local)
    page_no: int = 1
    page_count: int = 1
    layers: MapLayers | None = field(default=None, repr=False)

    @property
    def size_px(self) -> tuple[int, int]:
        return self.paper.pixels(self.dpi)

    @property
    def units(self) -> Units:
        return Units(self.dpi, self.paper.scale, self.template.page.get("font", "Noto Sans CJK SC"))

    def values(self) -> dict[str, object]:
        v: dict[str, object] = {"place": self.data.place, "office": self.data.office,
                                "page": self.page_no, "pages": self.page_count}
        if self.grid is not None:
            g = self.data.grids.iloc[self.grid]
            v |= {"grid_name": g["name"], "grid_code": g["code"], "community": g["community"]}
        return v


def block_rects(spec: PageSpec) -> dict[str, QRectF]:
    """Each block's rectangle in page pixels (inside the margins)."""
    u = spec.units
    w, h = spec.size_px
    m = u.mm(spec.template.page.get("margin_mm", 10))
    area = QRectF(m, m, w - 2 * m, h - 2 * m)
    out = {"_area": area, "_page": QRectF(0, 0, w, h)}
    for name, (fx, fy, fw, fh) in spec.template.rects[spec.paper.orientation].items():
        out[name] = QRectF(area.left() + fx * area.width(), area.top() + fy * area.height(),
                           fw * area.width(), fh * area.height())
    return out


@dataclass
class RenderedPage:
    """Where the map landed on the page: its frame (page pixels) and viewport.

    A preview uses it to turn a click into map coordinates; tests use it to
    sample the colours of grids.
    """

    map_rect: QRectF | None = None
    viewport: Viewport | None = None


def render_page(painter: QPainter, spec: PageSpec) -> RenderedPage:
    """Draw the page of *spec* on *painter* (page pixels at ``spec.dpi``)."""
    t, u, data, report = spec.template, spec.units, spec.data, spec.report
    t.page["_paper"] = f"{spec.paper.name}"
    orient = spec.paper.orientation
    rects = block_rects(spec)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rects["_page"], colour(t.page.get("background", "#ffffff")))
    draw_page_frame(painter, rects["_page"], rects["_area"], t, u)
    values = spec.values()
    if spec.layers is None:
        spec.layers = build_layers(data, t.block("map"), u)
    if t.shows("title", orient):
        draw_title(painter, rects["title"], t, values, u, report)
    if t.shows("logo", orient):
        draw_logo(painter, rects["logo"], t, report)
    out = RenderedPage()
    if t.shows("map", orient):
        out.map_rect = rects["map"]
        out.viewport = draw_map_block(painter, rects["map"], data, spec.layers, t, u, report,
                                      focus=spec.grid, extent=spec.extent, scale=spec.scale)
    phone = ""
    if spec.grid is None:
        if t.shows("managers", orient):
            draw_managers(painter, rects["managers"], data, t, u, report)
        if t.shows("legend", orient):
            draw_legend(painter, rects["legend"], data, t, u)
    else:
        g = data.grids.iloc[spec.grid]
        phone = str(g["phone"] or "")
        if t.shows("managers", orient):
            draw_grid_manager(painter, rects["managers"], spec)
        if t.shows("info", orient):
            draw_grid_info(painter, rects["info"], spec)
    if t.shows("qr", orient):
        draw_qr_block(painter, rects["qr"], data, t, u, report, phone)
    if t.shows("footer", orient):
        draw_footer(painter, rects["footer"], t, values, u, spec.today)
    painter.restore()
    return out


def draw_grid_manager(painter: QPainter, rect: QRectF, spec: PageSpec) -> None:
    """Atlas: the grid's primary manager with photo, phone and backups."""
    t, u, data, report = spec.template, spec.units, spec.data, spec.report
    block = t.block("managers")
    g = data.grids.iloc[spec.grid]
    ink = colour(t.page.get("ink", "#1f1f1f"))
    accent = colour(t.page.get("accent", "#a61b1b"))
    red = colour(t.block("map").get("unassigned_colour", "#d00000"))
    px = u.mm(block.get("size_mm", 3.6))
    head = px * 1.6
    draw_fitted(painter, u, QRectF(rect.left(), rect.top(), rect.width(), head),
                block.get("title", "网格员"), px, bold=True, colour_=accent)
    body = QRectF(rect.left(), rect.top() + head + u.mm(1), rect.width(),
                  rect.height() - head - u.mm(1))
    ph = QRectF(body.left(), body.top(), body.height() * 0.78, body.height())
    mid = g["manager_id"]
    entry = data.managers.get(int(mid)) if mid is not None and mid == mid else None
    draw_photo(painter, ph, entry.photo if entry else None)
    tx = ph.right() + u.mm(3)
    tw = body.right() - tx
    y = body.top()
    if entry is None:
        draw_fitted(painter, u, QRectF(tx, y, tw, px * 2.2), UNASSIGNED, px * 1.6, bold=True,
                    colour_=red)
        y += px * 2.4
        draw_fitted(painter, u, QRectF(tx, y, tw, px * 1.5), "本网格暂无网格员，请联系社区", px * 0.9,
                    colour_=ink)
        return
    draw_fitted(painter, u, QRectF(tx, y, tw, px * 2.2), entry.name, px * 1.6, bold=True,
                colour_=ink, report=report, what="网格员姓名")
    y += px * 2.4
    draw_fitted(painter, u, QRectF(tx, y, tw, px * 1.8), "电话 " + (entry.phone or "—"),
                px * 1.2, bold=True, colour_=ink)
    y += px * 2.0
    if g["backup"]:
        draw_fitted(painter, u, QRectF(tx, y, tw, px * 1.5), "B岗：" + str(g["backup"]), px * 0.9,
                    colour_=ink, report=report, what="B岗网格员")
        y += px * 1.6
    others = [c for c in entry.grids if c != g["code"]]
    if others:
        names = dict(zip(data.grids["code"], data.grids["name"], strict=False))
        draw_fitted(painter, u, QRectF(tx, y, tw, px * 1.5), "同时负责：" + "、".join(
            str(names.get(c, c)) for c in others), px * 0.85, colour_=ink, report=report,
            what="同时负责的网格")


def draw_grid_info(painter: QPainter, rect: QRectF, spec: PageSpec) -> None:
    """Atlas: households, population, kind, community and the manager's duties."""
    t, u, data = spec.template, spec.units, spec.data
    block = t.block("info")
    g = data.grids.iloc[spec.grid]
    ink = colour(t.page.get("ink", "#1f1f1f"))
    accent = colour(t.page.get("accent", "#a61b1b"))
    px = u.mm(block.get("size_mm", 3.0))
    y = rect.top()
    draw_fitted(painter, u, QRectF(rect.left(), y, rect.width(), px * 1.9),
                block.get("title", "网格信息"), px * 1.2, bold=True, colour_=accent)
    y += px * 2.1

    def num(v) -> str:  # type: ignore[no-untyped-def]
        return "—" if v is None or v != v else f"{int(v):,}"
    area_m2 = float(g.geometry.area)
    rows = [("所属社区", str(g["community"])), ("网格编码", str(g["code"])),
            ("网格类型", "专属网格" if g.get("kind") == "special" else "基础网格"),
            ("户数", num(g.get("households"))), ("人口", num(g.get("population"))),
            ("面积", f"{area_m2 / 1e4:.2f} 公顷")]
    lw = px * 5
    for label, value in rows:
        draw_fitted(painter, u, QRectF(rect.left(), y, lw, px * 1.55), label, px, colour_=QColor(90, 90, 90))
        draw_fitted(painter, u, QRectF(rect.left() + lw, y, rect.width() - lw, px * 1.55), value,
                    px, bold=True, colour_=ink)
        y += px * 1.6
    y += px * 0.6
    draw_fitted(painter, u, QRectF(rect.left(), y, rect.width(), px * 1.7),
                block.get("duties_title", "网格员职责"), px * 1.05, bold=True, colour_=accent)
    y += px * 1.8
    font = u.font(px * 0.9)
    fm = QFontMetricsF(font)
    painter.setFont(font)
    painter.setPen(ink)
    for duty in block.get("duties", []):
        lines, _ = wrap_lines(str(duty), font, rect.width() - px * 1.2, 3)
        for i, line in enumerate(lines):
            if y + fm.height() > rect.bottom():
                spec.report.add("info", "网格信息栏放不下全部职责", "Not all duties fit the info box")
                return
            if i == 0:
                painter.save()
                painter.setBrush(accent)
                painter.setPen(QPen(accent, 0))
                painter.drawEllipse(QPointF(rect.left() + px * 0.35, y + fm.height() / 2),
                                    px * 0.16, px * 0.16)
                painter.restore()
                painter.setFont(font)
                painter.setPen(ink)
            painter.drawText(QPointF(rect.left() + px * 1.0, y + fm.ascent()), line)
            y += fm.height()


def make_poster_spec(data: PrintData, template: Template, paper: Paper, dpi: float = 300.0,
                     report: PrintReport | None = None, today: date | None = None) -> PageSpec:
    """The spec of a poster of *data* (a community or the street)."""
    spec = PageSpec(template, paper, dpi, data, report or PrintReport(),
                    today=today or today_local())
    _check_paper(spec)
    return spec


def make_atlas_specs(data: PrintData, template: Template, paper: Paper, dpi: float = 300.0,
                     report: PrintReport | None = None, today: date | None = None
                     ) -> list[PageSpec]:
    """One spec per grid (in code order), sharing layers and report."""
    report = report or PrintReport()
    today = today or today_local()
    units = Units(dpi, paper.scale, template.page.get("font", "Noto Sans CJK SC"))
    layers = build_layers(data, template.block("map"), units)
    n = len(data.grids)
    return [PageSpec(template, paper, dpi, data, report, grid=i, today=today, page_no=i + 1,
                     page_count=n, layers=layers) for i in range(n)]


def _check_paper(spec: PageSpec) -> None:
    """Note in the report when the paper is small for the number of grids."""
    n = len(spec.data.grids)
    short = min(spec.paper.width_mm, spec.paper.height_mm)
    if n > 30 and short < 420:
        spec.report.add("warning", "{n} 个网格印在 {p} 上偏小，建议用 A2 或更大的纸张",
                        "{n} grids on {p} print small; A2 or larger is recommended",
                        n=n, p=spec.paper.name)


__all__ = ["PageSpec", "RenderedPage", "block_rects", "fill_vars", "make_atlas_specs",
           "make_poster_spec", "render_page"]
