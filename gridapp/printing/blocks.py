"""Page blocks other than the map: title, legend, managers, QR code, footer, info."""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPen

from gridapp.printing.data import UNASSIGNED, ManagerEntry, PrintData
from gridapp.printing.draw import (
    Units,
    colour,
    draw_fitted,
    draw_photo,
    draw_qr,
    rule,
    wrap_lines,
)
from gridapp.printing.report import PrintReport

H = Qt.AlignmentFlag


def fill_vars(text: str, values: dict[str, object]) -> str:
    """``str.format`` that leaves unknown ``{names}`` as they are."""
    class _Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"
    return str(text).format_map(_Keep(values))


def draw_page_frame(painter: QPainter, page: QRectF, inner: QRectF, template, units: Units) -> None:  # type: ignore[no-untyped-def]
    """A neatline: a heavy accent line and a thin one inside it, around the content."""
    accent = colour(template.page.get("accent", "#a61b1b"))
    w = units.mm(template.page.get("frame_width_mm", 0.6))
    gap = units.mm(1.6)
    painter.save()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(accent, w * 2.2))
    painter.drawRect(inner.adjusted(-gap * 2, -gap * 2, gap * 2, gap * 2))
    painter.setPen(QPen(accent, w * 0.6))
    painter.drawRect(inner.adjusted(-gap, -gap, gap, gap))
    painter.restore()


def draw_title(painter: QPainter, rect: QRectF, template, values: dict, units: Units,  # type: ignore[no-untyped-def]
               report: PrintReport) -> None:
    block = template.block("title")
    accent = colour(template.page.get("accent", "#a61b1b"))
    ink = colour(template.page.get("ink", "#1f1f1f"))
    title = fill_vars(block.get("text", "{place}网格分布图"), values)
    sub = fill_vars(block.get("subtitle", ""), values)
    t_px = units.mm(block.get("size_mm", 8.5))
    s_px = units.mm(block.get("subtitle_size_mm", 3.6)) if sub else 0
    total = t_px * 1.35 + s_px * 1.4
    k = min(1.0, rect.height() / total) if total else 1.0
    t_px, s_px = t_px * k, s_px * k
    side = rect.height() * 1.2  # leave room for a logo at the left
    y = rect.top() + (rect.height() - (t_px * 1.35 + s_px * 1.4)) / 2
    draw_fitted(painter, units, QRectF(rect.left() + side, y, rect.width() - 2 * side,
                                       t_px * 1.35), title, t_px, bold=True, colour_=accent,
                align=H.AlignHCenter, report=report, what="标题")
    if sub:
        draw_fitted(painter, units, QRectF(rect.left() + side, y + t_px * 1.35,
                                           rect.width() - 2 * side, s_px * 1.4), sub, s_px,
                    colour_=ink, align=H.AlignHCenter, report=report, what="副标题")
    rule(painter, rect.left(), rect.bottom(), rect.right(), units.mm(0.5), accent)
    rule(painter, rect.left(), rect.bottom() - units.mm(0.9), rect.right(), units.mm(0.15),
         accent)


def draw_logo(painter: QPainter, rect: QRectF, template, report: PrintReport) -> None:  # type: ignore[no-untyped-def]
    path = template.block("logo").get("path", "")
    if not path:
        return
    file = template.resolve(path)
    img = QImage(str(file))
    if img.isNull():
        report.add("warning", "找不到或无法读取徽标图片：{p}", "Logo image missing or unreadable: {p}",
                   p=str(file))
        return
    r = rect.adjusted(rect.width() * 0.08, rect.height() * 0.1, -rect.width() * 0.08,
                      -rect.height() * 0.1)
    s = min(r.width() / img.width(), r.height() / img.height())
    w, h = img.width() * s, img.height() * s
    painter.drawImage(QRectF(r.left(), r.center().y() - h / 2, w, h), img)


def _heading(painter: QPainter, rect: QRectF, text: str, px: float, units: Units,
             template) -> float:  # type: ignore[no-untyped-def]
    """A block heading with a rule; returns its height."""
    accent = colour(template.page.get("accent", "#a61b1b"))
    h = px * 1.6
    draw_fitted(painter, units, QRectF(rect.left(), rect.top(), rect.width(), h), text, px,
                bold=True, colour_=accent)
    rule(painter, rect.left(), rect.top() + h, rect.right(), units.mm(0.25), accent)
    return h + units.mm(1.2)


def draw_legend(painter: QPainter, rect: QRectF, data: PrintData, template, units: Units) -> None:  # type: ignore[no-untyped-def]
    block, mb = template.block("legend"), template.block("map")
    px = units.mm(block.get("size_mm", 2.2))
    ink = colour(template.page.get("ink", "#1f1f1f"))
    top = rect.top() + _heading(painter, rect, block.get("title", "图例"), px * 1.2, units,
                                template)
    unassigned = bool((data.grids["manager"] == UNASSIGNED).any())
    entries = ["grids", "grid_line", "community"]
    if mb.get("show_landmarks", True) and len(data.landmarks):
        entries.append("landmark")
    if unassigned:
        entries.append("unassigned")
    row = min(px * 2.0, (rect.bottom() - top) / len(entries))
    px = min(px, row / 1.6)
    sw, sh = px * 3.2, row * 0.62
    font = units.font(px)
    palette = list(dict.fromkeys(data.grids["colour"]))
    labels = {"grids": "网格（颜色区分相邻网格）", "grid_line": "网格界线",
              "community": "社区界线", "landmark": "地标", "unassigned": "暂无网格员的网格"}
    for i, key in enumerate(entries):
        y = top + i * row
        box = QRectF(rect.left(), y + (row - sh) / 2, sw, sh)
        painter.save()
        if key == "grids":
            n = max(len(palette), 1)
            for k, c in enumerate(palette):
                painter.fillRect(QRectF(box.left() + k * sw / n, box.top(), sw / n, sh), colour(c))
            painter.setPen(QPen(colour(mb.get("grid_stroke", "#5a5a5a")), units.mm(0.2)))
            painter.drawRect(box)
        elif key == "grid_line":
            painter.setPen(QPen(colour(mb.get("grid_stroke", "#5a5a5a")), units.mm(0.3)))
            painter.drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()))
        elif key == "community":
            painter.setPen(QPen(colour(mb.get("community_stroke", "#a61b1b")),
                                units.mm(mb.get("community_stroke_mm", 0.9))))
            painter.drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()))
        elif key == "landmark":
            r = units.mm(mb.get("landmark_size_mm", 1.6)) / 2
            painter.setPen(QPen(QColor(255, 255, 255), units.mm(0.2)))
            painter.setBrush(colour(mb.get("landmark_colour", "#1a5fb4")))
            painter.drawEllipse(box.center(), r, r)
        elif key == "unassigned":
            red = colour(mb.get("unassigned_colour", "#d00000"))
            painter.setPen(QPen(red, units.mm(0.3)))
            painter.drawRect(box)
            painter.setFont(units.font(sh * 0.62, bold=True))
            painter.drawText(box, int(H.AlignCenter), UNASSIGNED)
        painter.restore()
        draw_fitted(painter, units, QRectF(box.right() + px, y, rect.right() - box.right() - px,
                                           row), labels[key], px, colour_=ink)
    _ = font


def _card_text(entry: ManagerEntry, data: PrintData) -> tuple[str, str]:
    names = dict(zip(data.grids["code"], data.grids["name"], strict=False))
    parts = []
    for code, role in zip(entry.grids, entry.roles, strict=True):
        name = str(names.get(code, code))
        if data.scope == "community" and name.startswith(data.place):
            name = name[len(data.place):]
        parts.append(name + ("（B岗）" if role == "backup" else ""))
    return "负责：" + "、".join(parts), entry.phone or "—"


def draw_managers(painter: QPainter, rect: QRectF, data: PrintData, template, units: Units,  # type: ignore[no-untyped-def]
                  report: PrintReport) -> None:
    """Cards (photo, name, grids, phone), or a table when cards do not fit."""
    block = template.block("managers")
    px = units.mm(block.get("size_mm", 2.4))
    min_px = units.mm(block.get("min_size_mm", 1.6))
    top = rect.top() + _heading(painter, rect, block.get("title", "网格员公示"), px * 1.25, units,
                                template)
    body = QRectF(rect.left(), top, rect.width(), rect.bottom() - top)
    entries = sorted(data.managers.values(), key=lambda e: (e.grids[0] if e.grids else "", e.name))
    unassigned = data.grids[data.grids["manager"] == UNASSIGNED]
    n = len(entries) + (1 if len(unassigned) else 0)
    if n == 0:
        return
    if block.get("style", "cards") == "cards":
        layout = _card_layout(n, body, px, units)
        if layout is not None and layout[3] >= min_px:
            _draw_cards(painter, body, entries, unassigned, layout, data, template, units, report,
                        block.get("photo", True))
            return
        report.add("info", "网格员卡片在{p}纸上放不下，改用表格",
                   "Manager cards do not fit on this paper ({p}); printed as a table",
                   p=template.page.get("_paper", ""))
    _draw_table(painter, body, data, template, units, report, px, min_px)


def _card_layout(n: int, body: QRectF, px: float, units: Units):  # type: ignore[no-untyped-def]
    """(cols, card_w, card_h, text_px) giving the largest text, or None."""
    gap = units.mm(1.5)
    best = None
    for cols in range(1, 7):
        rows = math.ceil(n / cols)
        cw = (body.width() - gap * (cols - 1)) / cols
        ch = min((body.height() - gap * (rows - 1)) / rows, cw * 0.45, px * 11)
        if ch <= 0:
            continue
        tpx = min(px * 1.25, ch / 7.6, (cw - ch * 0.78) / 9.5)
        if best is None or tpx > best[3] + 1e-6:
            best = (cols, cw, ch, tpx)
    return best


def _draw_cards(painter, body, entries, unassigned, layout, data, template, units, report,  # type: ignore[no-untyped-def]
                photos: bool) -> None:
    cols, cw, ch, tpx = layout
    gap = units.mm(1.5)
    ink = colour(template.page.get("ink", "#1f1f1f"))
    red = colour(template.block("map").get("unassigned_colour", "#d00000"))
    colours = dict(zip(data.grids["code"], data.grids["colour"], strict=False))
    items: list = list(entries) + ([None] if len(unassigned) else [])
    for k, entry in enumerate(items):
        r, c = divmod(k, cols)
        card = QRectF(body.left() + c * (cw + gap), body.top() + r * (ch + gap), cw, ch)
        painter.save()
        painter.setPen(QPen(QColor("#c8c8c8"), units.mm(0.2)))
        painter.setBrush(QColor("#fcfcfa"))
        painter.drawRect(card)
        painter.restore()
        pad = ch * 0.07
        ph = QRectF(card.left() + pad, card.top() + pad, (ch - 2 * pad) * 0.78, ch - 2 * pad)
        tx = ph.right() + pad * 1.4 if photos else card.left() + pad * 2
        tw = card.right() - pad - tx
        if entry is None:  # grids without a manager
            painter.save()
            painter.setPen(QPen(red, units.mm(0.4)))
            painter.drawRect(card.adjusted(pad / 2, pad / 2, -pad / 2, -pad / 2))
            painter.restore()
            draw_fitted(painter, units, QRectF(card.left() + pad, card.top() + pad, card.width()
                                               - 2 * pad, tpx * 1.9), UNASSIGNED, tpx * 1.35,
                        bold=True, colour_=red)
            text = "网格：" + "、".join(str(v) for v in unassigned["code"])
            font = units.font(tpx)
            lines, _ = wrap_lines(text, font, card.width() - 2 * pad, 3)
            painter.setFont(font)
            painter.setPen(ink)
            fm = QFontMetricsF(font)
            for i, line in enumerate(lines):
                painter.drawText(QPointF(card.left() + pad, card.top() + pad + tpx * 2.2
                                         + fm.ascent() + i * fm.height()), line)
            continue
        if photos:
            draw_photo(painter, ph, entry.photo)
        y = card.top() + pad
        draw_fitted(painter, units, QRectF(tx, y, tw, tpx * 1.9), entry.name, tpx * 1.4,
                    bold=True, colour_=ink, report=report, what="网格员姓名")
        y += tpx * 2.0
        # Colour chips of the grids, then their names (wrapped to two lines).
        chip = tpx * 0.9
        for i, code in enumerate(entry.grids[:8]):
            painter.fillRect(QRectF(tx + i * chip * 1.25, y + tpx * 0.2, chip, chip),
                             colour(colours.get(code, "#dddddd")))
        y += chip * 1.4
        grids_text, phone = _card_text(entry, data)
        font = units.font(tpx * 0.92)
        fm = QFontMetricsF(font)
        room = int((card.bottom() - pad - tpx * 1.7 - y) // fm.height())
        lines, complete = wrap_lines(grids_text, font, tw, max(room, 1))
        if not complete:
            report.add("info", "网格员 {n} 负责的网格较多，卡片上只列出部分", "Manager {n} has many "
                       "grids; the card lists only some", n=entry.name)
        fm = QFontMetricsF(font)
        painter.setFont(font)
        painter.setPen(ink)
        for line in lines:
            painter.drawText(QPointF(tx, y + fm.ascent()), line)
            y += fm.height()
        draw_fitted(painter, units, QRectF(tx, card.bottom() - pad - tpx * 1.6, tw, tpx * 1.6),
                    "☎ " + phone, tpx * 1.15, bold=True, colour_=ink)


def _draw_table(painter, body, data, template, units, report, px, min_px) -> None:  # type: ignore[no-untyped-def]
    g = data.grids
    n = len(g)
    ink = colour(template.page.get("ink", "#1f1f1f"))
    red = colour(template.block("map").get("unassigned_colour", "#d00000"))
    cols = 2 if n > 12 and body.width() > body.height() * 0.9 else 1
    per_col = math.ceil(n / cols)
    row_h = body.height() / (per_col + 1)
    tpx = min(px, row_h / 1.45)
    shown = per_col
    if tpx < min_px * 0.75:
        tpx = min_px * 0.75
        shown = max(int(body.height() / (tpx * 1.45)) - 2, 1)
        report.add("error", "纸张太小，网格员表只印出 {k}/{n} 行，请换更大的纸张",
                   "Paper too small: the manager table shows {k} of {n} rows; use larger paper",
                   k=shown * cols, n=n)
    elif tpx < min_px:
        report.add("warning", "纸张较小，网格员表字号偏小", "Small paper: the manager table is printed small")
    row_h = tpx * 1.45
    gap = units.mm(2)
    cw = (body.width() - gap * (cols - 1)) / cols
    widths = (0.18, 0.40, 0.18, 0.24)
    heads = ("颜色/编码", "网格", "网格员", "电话")
    colours = list(g["colour"])
    for c in range(cols):
        x0 = body.left() + c * (cw + gap)
        y = body.top()
        painter.fillRect(QRectF(x0, y, cw, row_h), colour("#efe7e1"))
        x = x0
        for w, head in zip(widths, heads, strict=True):
            draw_fitted(painter, units, QRectF(x + tpx * 0.3, y, cw * w - tpx * 0.4, row_h), head,
                        tpx, bold=True, colour_=ink)
            x += cw * w
        for i in range(c * per_col, min((c + 1) * per_col, n, c * per_col + shown)):
            y += row_h
            if (i - c * per_col) % 2:
                painter.fillRect(QRectF(x0, y, cw, row_h), QColor("#f6f6f4"))
            painter.fillRect(QRectF(x0 + tpx * 0.3, y + row_h * 0.2, tpx * 1.2, row_h * 0.6),
                             colour(colours[i]))
            code = str(g["code"].iloc[i])
            manager = str(g["manager"].iloc[i])
            cells = (code[-6:], str(g["name"].iloc[i]), manager, str(g["phone"].iloc[i]))
            x = x0
            for k, (w, text) in enumerate(zip(widths, cells, strict=True)):
                left = x + tpx * (1.8 if k == 0 else 0.3)
                draw_fitted(painter, units, QRectF(left, y, x + cw * w - left - tpx * 0.2, row_h),
                            text, tpx, colour_=red if text == UNASSIGNED else ink,
                            bold=text == UNASSIGNED, report=report, what="表格内容")
                x += cw * w
        rule(painter, x0, y + row_h, x0 + cw, units.mm(0.2), QColor("#9a9a9a"))


def qr_content(data: PrintData, template, phone: str = "") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(content, caption text) of the QR code: a tel: number or a URL."""
    spec = str(template.block("qr").get("content", "auto"))
    if spec == "none":
        return "", ""
    if spec.startswith(("url:", "tel:")):
        value = spec[4:]
        return (value if spec.startswith("url:") else "tel:" + value), value
    if template.kind == "atlas" and phone:
        return "tel:" + phone, phone
    if data.qr_url:
        return data.qr_url, data.qr_url
    first = phone or next((e.phone for e in sorted(data.managers.values(),
                                                     key=lambda e: e.grids) if e.phone), "")
    return ("tel:" + first, first) if first else ("", "")


@lru_cache(maxsize=512)
def _qr_matrix(content: str):  # type: ignore[no-untyped-def]
    from gridapp.services.maps_out.qrcode import make_qr, phone_qr

    qr = phone_qr(content[4:]) if content.startswith("tel:") else make_qr(content)
    return qr.matrix().tolist()


def draw_qr_block(painter: QPainter, rect: QRectF, data: PrintData, template, units: Units,  # type: ignore[no-untyped-def]
                  report: PrintReport, phone: str = "") -> None:
    block = template.block("qr")
    content, caption = qr_content(data, template, phone)
    if not content:
        report.add("info", "没有电话或网址（设置 print.qr_url），不印二维码",
                   "No phone or URL (setting print.qr_url): no QR code printed")
        return
    try:
        matrix = _qr_matrix(content)
    except Exception as exc:  # noqa: BLE001 - a bad number must not stop the print
        report.add("warning", "二维码内容无效（{c}）：{e}", "Invalid QR content ({c}): {e}",
                   c=content, e=str(exc))
        return
    ink = colour(template.page.get("ink", "#1f1f1f"))
    px = units.mm(2.1)
    cap_h = px * 1.5 * 2
    side = min(rect.width(), rect.height() - cap_h)
    box = QRectF(rect.center().x() - side / 2, rect.top(), side, side)
    draw_qr(painter, box, matrix)
    draw_fitted(painter, units, QRectF(rect.left(), box.bottom(), rect.width(), px * 1.5),
                block.get("caption", "扫码联系"), px, bold=True, colour_=ink, align=H.AlignHCenter)
    draw_fitted(painter, units, QRectF(rect.left(), box.bottom() + px * 1.5, rect.width(),
                                       px * 1.5), caption, px * 0.9, colour_=ink,
                align=H.AlignHCenter)


def draw_footer(painter: QPainter, rect: QRectF, template, values: dict, units: Units,  # type: ignore[no-untyped-def]
                today: date) -> None:
    block = template.block("footer")
    ink = colour(template.page.get("ink", "#1f1f1f"))
    px = min(units.mm(block.get("size_mm", 2.2)), rect.height() / 1.6)
    rule(painter, rect.left(), rect.top() + units.mm(0.3), rect.right(), units.mm(0.2),
         colour(template.page.get("accent", "#a61b1b")))
    third = rect.width() / 3
    r = QRectF(rect.left(), rect.top() + units.mm(0.6), third, rect.height() - units.mm(0.6))
    issuer = fill_vars(block.get("issuer", "{office}"), values)
    draw_fitted(painter, units, r, "发布单位：" + issuer, px, colour_=ink)
    draw_fitted(painter, units, r.translated(third, 0), fill_vars(block.get("note", ""), values),
                px * 0.9, colour_=ink, align=H.AlignHCenter)
    fmt = block.get("date_format", "%Y年%m月%d日")
    draw_fitted(painter, units, r.translated(2 * third, 0), "发布日期：" + today.strftime(fmt),
                px, colour_=ink, align=H.AlignRight)
