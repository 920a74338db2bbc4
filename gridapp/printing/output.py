"""Writing pages: vector PDF (QPdfWriter, fonts embedded) or PNG/JPEG (QImage)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from gridapp.errors import ValidationError
from gridapp.printing.layout import PageSpec, render_page
from gridapp.printing.pdftext import fix_radicals
from gridapp.printing.qtapp import ensure_gui_app
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress

_PAGE_IDS = {"A0": QPageSize.PageSizeId.A0, "A1": QPageSize.PageSizeId.A1,
             "A2": QPageSize.PageSizeId.A2, "A3": QPageSize.PageSizeId.A3,
             "A4": QPageSize.PageSizeId.A4}
MAX_IMAGE_PIXELS = 400_000_000  # an A0 page at 400 dpi; more would need gigabytes


def _layout(spec: PageSpec) -> QPageLayout:
    orient = (QPageLayout.Orientation.Landscape if spec.paper.orientation == "landscape"
              else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(_PAGE_IDS[spec.paper.name]), orient, QMarginsF(0, 0, 0, 0))


def write_pdf(path: str | Path, specs: Sequence[PageSpec], *, title: str = "",
              progress: Progress = no_progress, cancel: CancelToken = NEVER_CANCELLED) -> Path:
    """Write *specs* as pages of one vector PDF (fonts are embedded as subsets).

    On cancel the partial file is removed and :class:`~gridapp.errors.Cancelled`
    is raised.
    """
    ensure_gui_app()
    path = Path(path)
    if not specs:
        raise ValidationError("没有要打印的页面", "No pages to print")
    writer = QPdfWriter(str(path))
    writer.setCreator("GridApp")
    writer.setTitle(title)
    writer.setResolution(int(specs[0].dpi))
    writer.setPageLayout(_layout(specs[0]))
    painter = QPainter()
    if not painter.begin(writer):
        raise ValidationError("无法写入 PDF：{p}", "Cannot write the PDF: {p}", p=str(path))
    try:
        total = len(specs)
        for i, spec in enumerate(specs):
            cancel.check()
            if i:
                writer.setPageLayout(_layout(spec))
                writer.newPage()
            render_page(painter, spec)
            progress(i + 1, total, f"{i + 1}/{total}")
    except BaseException:
        painter.end()
        path.unlink(missing_ok=True)
        raise
    painter.end()
    fix_radicals(path, specs[0].template.page.get("font", "Noto Sans CJK SC"))
    return path


def render_image(spec: PageSpec, rendered: list | None = None) -> QImage:
    """The page as an RGB image at ``spec.dpi`` (its RenderedPage appended to *rendered*)."""
    ensure_gui_app()
    w, h = spec.size_px
    if w * h > MAX_IMAGE_PIXELS:
        raise ValidationError(
            "图片太大（{w}×{h} 像素）：请降低 DPI 或改用 PDF",
            "Image too large ({w}×{h} pixels): lower the DPI or print to PDF", w=w, h=h)
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(spec.dpi / 0.0254))
    image.setDotsPerMeterY(round(spec.dpi / 0.0254))
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    try:
        page = render_page(painter, spec)
        if rendered is not None:
            rendered.append(page)
    finally:
        painter.end()
    return image


def write_image(path: str | Path, spec: PageSpec, fmt: str = "png", quality: int = 92) -> Path:
    """Write one page as PNG or JPEG (DPI recorded in the file)."""
    path = Path(path)
    image = render_image(spec)
    fmt = "JPEG" if fmt.lower() in ("jpg", "jpeg") else "PNG"
    if not image.save(str(path), fmt, quality if fmt == "JPEG" else -1):
        raise ValidationError("无法写入图片：{p}", "Cannot write the image: {p}", p=str(path))
    return path
