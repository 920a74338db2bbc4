"""Writing pages: vector PDF (QPdfWriter, fonts embedded) or PNG/JPEG (QImage).

A PNG is drawn in horizontal strips of :data:`STRIP_ROWS` rows (the same
:func:`render_page` call on a painter moved up by the strip's top) and
streamed into the file by :class:`~gridapp.printing.tiled_png.PngStreamWriter`,
so an A0 page at 300 dpi needs one strip (≈ 40 MB) rather than the whole
page (≈ 560 MB).  A JPEG is still drawn whole (Qt's and Pillow's JPEG
writers take a whole image): its limit is :data:`MAX_IMAGE_PIXELS`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter

from gridapp.errors import ValidationError
from gridapp.printing.layout import PageSpec, render_page
from gridapp.printing.pdfdoc import CJK_FONT, pdf_painter
from gridapp.printing.qtapp import ensure_gui_app
from gridapp.printing.tiled_png import PngStreamWriter
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress

_PAGE_IDS = {"A0": QPageSize.PageSizeId.A0, "A1": QPageSize.PageSizeId.A1,
             "A2": QPageSize.PageSizeId.A2, "A3": QPageSize.PageSizeId.A3,
             "A4": QPageSize.PageSizeId.A4}
MAX_IMAGE_PIXELS = 400_000_000  # an A0 page at 400 dpi; more would need gigabytes
STRIP_ROWS = 1024  # rows of a PNG strip: 40 MB at A0 300 dpi (9933 px wide)


def _layout(spec: PageSpec) -> QPageLayout:
    orient = (QPageLayout.Orientation.Landscape if spec.paper.orientation == "landscape"
              else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(_PAGE_IDS[spec.paper.name]), orient, QMarginsF(0, 0, 0, 0))


def pdf_target(out: str | Path) -> Path:
    """*out* as a path, refused unless it is a ``.pdf`` in an existing folder."""
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise ValidationError("输出文件应为 .pdf：{p}", "The output file must be a .pdf: {p}",
                              p=str(out))
    if not out.parent.is_dir():
        raise ValidationError("输出目录不存在：{p}", "The output folder does not exist: {p}",
                              p=str(out.parent))
    return out


def write_pdf(path: str | Path, specs: Sequence[PageSpec], *, title: str = "",
              progress: Progress = no_progress, cancel: CancelToken = NEVER_CANCELLED) -> Path:
    """Write *specs* as pages of one vector PDF (fonts are embedded as subsets).

    On cancel the partial file is removed and :class:`~gridapp.errors.Cancelled`
    is raised.
    """
    path = Path(path)
    if not specs:
        raise ValidationError("没有要打印的页面", "No pages to print")
    font = specs[0].template.page.get("font", CJK_FONT)
    with pdf_painter(path, title=title, dpi=specs[0].dpi, layout=_layout(specs[0]),
                     fonts=(font,)) as (painter, writer):
        total = len(specs)
        for i, spec in enumerate(specs):
            cancel.check()
            if i:
                writer.setPageLayout(_layout(spec))
                writer.newPage()
            render_page(painter, spec)
            progress(i + 1, total, f"{i + 1}/{total}")
    return path


def _check_size(spec: PageSpec) -> tuple[int, int]:
    w, h = spec.size_px
    if w * h > MAX_IMAGE_PIXELS:
        raise ValidationError(
            "图片太大（{w}×{h} 像素）：请降低 DPI 或改用 PDF",
            "Image too large ({w}×{h} pixels): lower the DPI or print to PDF", w=w, h=h)
    return w, h


def _paint(spec: PageSpec, image: QImage, top: int, rendered: list | None) -> None:
    """Draw rows ``top …`` of the page of *spec* into *image* (white first)."""
    image.setDotsPerMeterX(round(spec.dpi / 0.0254))
    image.setDotsPerMeterY(round(spec.dpi / 0.0254))
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    try:
        if top:
            painter.translate(0, -top)
        page = render_page(painter, spec)
        if rendered is not None:
            rendered.append(page)
    finally:
        painter.end()


def render_image(spec: PageSpec, rendered: list | None = None) -> QImage:
    """The page as an RGB image at ``spec.dpi`` (its RenderedPage appended to *rendered*)."""
    ensure_gui_app()
    w, h = _check_size(spec)
    image = QImage(w, h, QImage.Format.Format_RGB32)
    _paint(spec, image, 0, rendered)
    return image


def render_strips(spec: PageSpec, rows: int = STRIP_ROWS,
                  rendered: list | None = None) -> Iterator[tuple[int, QImage]]:
    """The page as ``(top, strip)`` pairs, strips of *rows* rows from the top down.

    Each strip is the whole page drawn on a painter translated by ``-top``
    (the raster engine clips to the strip); the strip image is reused, so use
    it before asking for the next one.  The first strip's RenderedPage is
    appended to *rendered*.
    """
    ensure_gui_app()
    w, h = _check_size(spec)
    image = QImage(w, min(rows, h), QImage.Format.Format_RGB32)
    for top in range(0, h, rows):
        n = min(rows, h - top)
        if n != image.height():
            image = QImage(w, n, QImage.Format.Format_RGB32)
        _paint(spec, image, top, rendered if top == 0 else None)
        yield top, image


def _rgb888_view(rgb: QImage) -> np.ndarray:
    """A ``(height, width, 3)`` view of an RGB888 image's pixels (valid while *rgb* lives)."""
    w, h, bpl = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=bpl * h).reshape(h, bpl)
    return raw[:, :w * 3].reshape(h, w, 3)


def image_rgb(image: QImage) -> np.ndarray:
    """The pixels of *image* as a ``(height, width, 3)`` uint8 array (a copy)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return _rgb888_view(rgb).copy()


def write_png(path: str | Path, spec: PageSpec, rows: int = STRIP_ROWS) -> Path:
    """Write the page of *spec* as a PNG drawn and compressed strip by strip."""
    path = Path(path)
    w, h = _check_size(spec)
    try:
        with PngStreamWriter(path, w, h, spec.dpi) as png:
            for _top, strip in render_strips(spec, rows):
                rgb = strip.convertToFormat(QImage.Format.Format_RGB888)
                png.write_rows(_rgb888_view(rgb))  # no copy: rgb lives until the next strip
                del rgb
    except OSError as exc:
        raise ValidationError("无法写入图片：{p}", "Cannot write the image: {p}",
                              p=str(path)) from exc
    return path


def write_image(path: str | Path, spec: PageSpec, fmt: str = "png", quality: int = 92) -> Path:
    """Write one page as PNG (in strips) or JPEG (whole); DPI recorded in the file."""
    path = Path(path)
    if fmt.lower() not in ("jpg", "jpeg"):
        return write_png(path, spec)
    image = render_image(spec)
    if not image.save(str(path), "JPEG", quality):
        raise ValidationError("无法写入图片：{p}", "Cannot write the image: {p}", p=str(path))
    return path
