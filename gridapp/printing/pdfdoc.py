"""One way to open a vector PDF for drawing, shared by every PDF GridApp writes.

:func:`pdf_painter` sets up a :class:`QPdfWriter` (creator, title, resolution,
first page's layout), begins a painter on it and yields both.  When the block
ends the painter is ended and the embedded fonts' ``ToUnicode`` maps are
repaired (:func:`~gridapp.printing.pdftext.fix_radicals`), so text copied from
the PDF reads as printed; when the block raises — a drawing error, a
cancellation — the partial file is removed and the error goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from gridapp.errors import ValidationError
from gridapp.printing.pdftext import fix_radicals
from gridapp.printing.qtapp import ensure_gui_app

CJK_FONT = "Noto Sans CJK SC"


def a4_layout(landscape: bool = False) -> QPageLayout:
    """An A4 page with no margins (the drawing code places its own)."""
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))


@contextmanager
def pdf_painter(path: str | Path, *, title: str, dpi: float, layout: QPageLayout,
                fonts: Iterable[str] = (CJK_FONT,)) -> Iterator[tuple[QPainter, QPdfWriter]]:
    """A painter on a new PDF at *path*; see the module's docstring."""
    ensure_gui_app()
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setCreator("GridApp")
    writer.setTitle(title)
    writer.setResolution(int(dpi))
    writer.setPageLayout(layout)
    painter = QPainter()
    if not painter.begin(writer):
        path.unlink(missing_ok=True)
        raise ValidationError("无法写入 PDF：{p}", "Cannot write the PDF: {p}", p=str(path))
    try:
        yield painter, writer
    except BaseException:
        painter.end()
        path.unlink(missing_ok=True)
        raise
    painter.end()
    for family in fonts:
        fix_radicals(path, family)
