"""Text copied from a printed PDF keeps digits that follow Latin letters (issue 21).

Qt shapes a Latin run with the CJK font's OpenType features, and Noto Sans CJK maps
digits after letters to alternate glyphs that its ToUnicode table does not name: the
page looked right, but "EPSG4549" came back from the PDF as "EPSG". Every font the
poster and atlas draw with (gridapp.printing.draw) must keep the plain glyphs.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

from gridapp.printing.draw import Units, draw_fitted
from gridapp.printing.pdftext import fix_radicals
from tests.printing.conftest import needs_poppler, pdftotext

TEXTS = ["EPSG4549 CGCS2000", "A0 G001 V2", "Tel 0851-12345678", "网格G12 第3网格"]


@needs_poppler
def test_latin_then_digits_survive_copying(gui_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin.pdf"
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    units = Units(dpi=300, scale=1.0)
    painter = QPainter(writer)
    try:
        for i, text in enumerate(TEXTS):
            draw_fitted(painter, units, QRectF(100, 100 + i * 150, 2000, 120), text, 60)
    finally:
        painter.end()
    fix_radicals(path)  # as every GridApp PDF (the radicals are a separate matter)
    lines = [line.strip() for line in pdftotext(path).splitlines() if line.strip()]
    assert lines == TEXTS
