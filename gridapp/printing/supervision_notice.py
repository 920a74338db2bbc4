"""The 督办单 (supervision notice) as one A4 page: PDF or image (QtGui only).

:class:`~gridapp.services.cases.supervision.SupervisionNotice` holds the content;
:func:`draw_notice` lays it out on any QPainter (a PDF page, a preview
image), :func:`write_notice_pdf` writes a vector PDF with the Chinese font
embedded (Noto Sans CJK SC, subset) and text that copies as printed
(:func:`~gridapp.printing.pdftext.fix_radicals`), :func:`notice_image` renders
the page for an on-screen preview.  The notice is an official document for
the district government, so its text is Chinese whatever the UI language.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
)

from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import format_local, local
from gridapp.domain.workflow import CaseAction
from gridapp.printing.draw import make_font, wrap_lines
from gridapp.printing.pdfdoc import a4_layout, pdf_painter
from gridapp.printing.qtapp import ensure_gui_app
from gridapp.services.cases.supervision import SupervisionNotice

FONT = "Noto Sans CJK SC"
PAGE_MM = (210.0, 297.0)
MARGIN_MM = 18.0
PDF_DPI = 300
INK = QColor("#1f1f1f")
RED = QColor("#b00020")
GRID_LINE = QColor("#555555")
SHADE = QColor("#f0f0f0")
MAX_TIMELINE_ROWS = 14


def _t(value: datetime | None) -> str:
    return format_local(value)


def _action_zh(action: str) -> str:
    try:
        return CaseAction(action).zh  # type: ignore[call-arg]  # mypy reads the labels __new__
    except ValueError:
        return {"report": "上报", "attach": "并案"}.get(action, action)


def _status_zh(status: str | None) -> str:
    if not status:
        return ""
    try:
        return CaseStatus(status).zh  # type: ignore[call-arg]  # mypy reads the labels __new__
    except ValueError:
        return status


def _overdue_text(hours: float | None) -> str:
    if hours is None:
        return "未超期"
    if hours < 48:
        return f"{hours:.1f} 小时"
    return f"{hours / 24:.1f} 天（{hours:.0f} 小时）"


_NO_LINE_START = set("，。、；：？！）》」』】〕,.;:?!)")


def wrap_cjk(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """:func:`wrap_lines`, keeping closing punctuation off the start of a line."""
    lines, _ = wrap_lines(text, font, width, max_lines)
    for i in range(1, len(lines)):
        while lines[i] and lines[i][0] in _NO_LINE_START and len(lines[i - 1]) > 1:
            lines[i - 1], lines[i] = lines[i - 1][:-1], lines[i - 1][-1] + lines[i]
    return lines


def notice_rows(notice: SupervisionNotice) -> list[tuple[str, str]]:
    """The (label, value) rows of the case table, in print order."""
    return [
        ("案件编号", notice.case_no),
        ("事件类别", notice.category),
        ("所在网格", notice.grid),
        ("所属社区", notice.community),
        ("事发地址", notice.address),
        ("坐标位置", f"{notice.lon:.6f}, {notice.lat:.6f}（CGCS2000）"),
        ("问题描述", notice.description),
        ("上报时间", _t(notice.reported_at)),
        ("派遣时间", _t(notice.dispatched_at)),
        ("处置时限", _t(notice.deadline)),
        ("超期时长", _overdue_text(notice.overdue_hours)),
        ("原处置单位", notice.handler),
        ("当前状态", notice.status),
        ("督办事由", notice.reason),
    ]


class _Page:
    """Millimetre helpers over a painter whose device has *dpi*."""

    def __init__(self, painter: QPainter, dpi: float) -> None:
        self.p = painter
        self.dpi = dpi
        self.left = self.mm(MARGIN_MM)
        self.right = self.mm(PAGE_MM[0] - MARGIN_MM)
        self.bottom = self.mm(PAGE_MM[1] - MARGIN_MM)
        self.y = self.mm(MARGIN_MM)

    def mm(self, v: float) -> float:
        return v * self.dpi / 25.4

    def font(self, pt: float, bold: bool = False) -> QFont:
        return make_font(FONT, max(1, round(pt * self.dpi / 72)), bold)

    @property
    def width(self) -> float:
        return self.right - self.left

    def text(
        self,
        rect: QRectF,
        text: str,
        font: QFont,
        flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        colour: QColor = INK,
    ) -> None:
        self.p.setFont(font)
        self.p.setPen(colour)
        self.p.drawText(rect, int(flags | Qt.AlignmentFlag.AlignVCenter), text)


def draw_notice(painter: QPainter, notice: SupervisionNotice, dpi: float) -> None:
    """Draw the notice on an A4 portrait page of *dpi* (painter already begun)."""
    pg = _Page(painter, dpi)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    w = pg.width
    line = pg.mm(0.3)

    # Red header rule and title, as on the office's letterhead.
    title_font = pg.font(20, True)
    h = QFontMetricsF(title_font).height()
    pg.text(
        QRectF(pg.left, pg.y, w, h * 1.3),
        notice.title,
        title_font,
        Qt.AlignmentFlag.AlignHCenter,
        RED,
    )
    pg.y += h * 1.4
    painter.setPen(QPen(RED, pg.mm(0.8)))
    painter.drawLine(QPointF(pg.left, pg.y), QPointF(pg.right, pg.y))
    pg.y += pg.mm(3)

    small = pg.font(10)
    sh = QFontMetricsF(small).height() * 1.3
    pg.text(QRectF(pg.left, pg.y, w / 2, sh), f"编号：{notice.notice_no}", small)
    pg.text(
        QRectF(pg.left + w / 2, pg.y, w / 2, sh),
        f"签发时间：{_t(notice.issued_at)}",
        small,
        Qt.AlignmentFlag.AlignRight,
    )
    pg.y += sh + pg.mm(3)

    body = pg.font(12)
    bh = QFontMetricsF(body).height() * 1.45
    pg.text(QRectF(pg.left, pg.y, w, bh), f"{notice.addressee}：", body)
    pg.y += bh
    overdue = (
        f"已超过处置时限 {_overdue_text(notice.overdue_hours)}"
        if notice.overdue_hours is not None
        else "经研判无明确责任单位或需区级协调"
    )
    paragraph = (
        f"{notice.issuing_office}网格化管理平台受理的案件 {notice.case_no}"
        f"（{notice.category}）{overdue}，现依规上报督办。"
        "请督促责任单位限期办结，并将处置结果反馈我街道。"
    )
    lines = wrap_cjk(paragraph, body, w - pg.mm(8), 6)
    for i, text in enumerate(lines):
        indent = pg.mm(8) if i == 0 else 0.0
        pg.text(QRectF(pg.left + indent, pg.y, w - indent, bh), text, body)
        pg.y += bh
    pg.y += pg.mm(2)

    # The case as a two-column table.
    cell = pg.font(10)
    cell_bold = pg.font(10, True)
    ch = QFontMetricsF(cell).height()
    label_w = pg.mm(28)
    pad = pg.mm(0.9)
    painter.setPen(QPen(GRID_LINE, line))
    for label, value in notice_rows(notice):
        vlines = wrap_cjk(value or "—", cell, w - label_w - 2 * pad, 4)
        row_h = max(1, len(vlines)) * ch + 2 * pad
        painter.fillRect(QRectF(pg.left, pg.y, label_w, row_h), SHADE)
        painter.setPen(QPen(GRID_LINE, line))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(pg.left, pg.y, label_w, row_h))
        painter.drawRect(QRectF(pg.left + label_w, pg.y, w - label_w, row_h))
        pg.text(
            QRectF(pg.left, pg.y, label_w, row_h),
            label,
            cell_bold,
            Qt.AlignmentFlag.AlignHCenter,
            RED if label == "超期时长" and notice.overdue_hours else INK,
        )
        for i, text in enumerate(vlines):
            pg.text(
                QRectF(pg.left + label_w + pad, pg.y + pad + i * ch, w, ch), text, cell
            )
        pg.y += row_h
    pg.y += pg.mm(5)

    # Timeline: what happened so far.
    head = pg.font(12, True)
    hh = QFontMetricsF(head).height() * 1.3
    pg.text(QRectF(pg.left, pg.y, w, hh), "处置经过", head)
    pg.y += hh
    cols = [("时间", 30.0), ("环节", 22.0), ("状态", 20.0), ("经办人", 22.0)]
    used = sum(c[1] for c in cols)
    cols.append(("单位 / 说明", PAGE_MM[0] - 2 * MARGIN_MM - used))
    tfont = pg.font(9)
    th = QFontMetricsF(tfont).height() + 2 * pg.mm(1.2)
    x = pg.left
    painter.fillRect(QRectF(pg.left, pg.y, w, th), SHADE)
    for title, width in cols:
        r = QRectF(x, pg.y, pg.mm(width), th)
        painter.setPen(QPen(GRID_LINE, line))
        painter.drawRect(r)
        pg.text(r, title, pg.font(9, True), Qt.AlignmentFlag.AlignHCenter)
        x += pg.mm(width)
    pg.y += th
    footer_h = pg.mm(30)
    room = int((pg.bottom - footer_h - pg.y) // th) - 1  # keep a line for the note
    keep = min(room, MAX_TIMELINE_ROWS)
    events = list(notice.timeline)
    if len(events) > keep:  # the first step (who reported it) and the latest ones
        events = (
            events[:1] + events[len(events) - keep + 1 :] if keep > 1 else events[:keep]
        )
    for e in events:
        note = " · ".join(v for v in (e.department, e.note) if v)
        values = [
            _t(e.at),
            _action_zh(e.action),
            _status_zh(e.to_status),
            e.actor,
            note,
        ]
        x = pg.left
        for (_title, width), value in zip(cols, values, strict=True):
            r = QRectF(x, pg.y, pg.mm(width), th)
            painter.setPen(QPen(GRID_LINE, line))
            painter.drawRect(r)
            fm = QFontMetricsF(tfont)
            shown = fm.elidedText(
                value, Qt.TextElideMode.ElideRight, r.width() - 2 * pad
            )
            pg.text(r.adjusted(pad, 0, -pad, 0), shown, tfont)
            x += pg.mm(width)
        pg.y += th
    if len(notice.timeline) > len(events):
        pg.text(
            QRectF(pg.left, pg.y, w, th),
            f"（仅列出首条和最近 {len(events) - 1} 条，共 {len(notice.timeline)} 条）",
            tfont,
        )

    # Footer: who issued it, seal space.
    y = pg.bottom - footer_h + pg.mm(3)
    pg.text(QRectF(pg.left, y, w / 2, bh), f"签发人：{notice.issued_by}", body)
    pg.text(
        QRectF(pg.left + w / 2, y, w / 2, bh),
        notice.issuing_office,
        body,
        Qt.AlignmentFlag.AlignRight,
    )
    y += bh
    pg.text(
        QRectF(pg.left + w / 2, y, w / 2, bh),
        local(notice.issued_at).strftime("%Y年%m月%d日"),
        body,
        Qt.AlignmentFlag.AlignRight,
    )
    y += bh
    pg.text(
        QRectF(pg.left + w / 2, y, w / 2, bh),
        "（盖章）",
        small,
        Qt.AlignmentFlag.AlignRight,
    )
    painter.setPen(QPen(GRID_LINE, line))
    painter.drawLine(QPointF(pg.left, pg.bottom), QPointF(pg.right, pg.bottom))
    pg.text(
        QRectF(pg.left, pg.bottom, w, sh),
        "请于收到本督办单后 3 个工作日内反馈办理情况。",
        small,
    )


def write_notice_pdf(path: str | Path, notice: SupervisionNotice) -> Path:
    """Write the notice as a one-page A4 vector PDF (CJK font embedded)."""
    path = Path(path)
    with pdf_painter(path, title=f"{notice.title} {notice.notice_no}", dpi=PDF_DPI,
                     layout=a4_layout(), fonts=(FONT,)) as (painter, _):
        draw_notice(painter, notice, PDF_DPI)
    return path


def notice_image(notice: SupervisionNotice, dpi: float = 96) -> QImage:
    """The page as a white image (for a preview or a PNG)."""
    ensure_gui_app()
    w = round(PAGE_MM[0] * dpi / 25.4)
    h = round(PAGE_MM[1] * dpi / 25.4)
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    painter = QPainter(image)
    try:
        draw_notice(painter, notice, dpi)
    finally:
        painter.end()
    return image
