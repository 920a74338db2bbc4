"""The one way GridApp opens a PDF for drawing (gridapp.printing.pdfdoc): the text
copied from it reads as printed, a failure leaves no partial file, and the
supervision notice (督办单), which had no PDF test, goes through it."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont

from tests.printing.conftest import needs_poppler, pdfinfo, pdftotext


@needs_poppler
def test_a_page_reads_back_as_printed(gui_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gridapp.printing.pdfdoc import a4_layout, pdf_painter

    out = tmp_path / "one.pdf"
    with pdf_painter(out, title="青云社区网格图", dpi=150, layout=a4_layout(landscape=True)) as (p, w):
        p.setFont(QFont("Noto Sans CJK SC", 14))
        p.drawText(QPointF(100, 200), "青云社区网格")
        assert w.width() > w.height()
    info = pdfinfo(out)
    assert info["Title"] == "青云社区网格图" and info["Creator"] == "GridApp"
    # the radical ⻘ (U+2ED8) shares its glyph with 青: the copied text must be the ideograph
    assert "青云社区网格" in pdftotext(out)


def test_a_failure_while_drawing_leaves_no_file(gui_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gridapp.printing.pdfdoc import a4_layout, pdf_painter

    out = tmp_path / "broken.pdf"
    with pytest.raises(ZeroDivisionError), pdf_painter(out, title="x", dpi=72, layout=a4_layout()) as (p, _):
        p.drawText(QPointF(10, 10), "开始")
        1 / 0  # noqa: B018
    assert not out.exists()


@needs_poppler
def test_the_supervision_notice_prints(gui_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gridapp.printing.supervision_notice import write_notice_pdf
    from gridapp.services.cases.supervision import SupervisionNotice

    notice = SupervisionNotice(
        notice_no="DB-2026-0007", issued_at=datetime(2026, 11, 30, 9, 0), issued_by="王主任",
        issuing_office="青云街道办事处", addressee="城管执法队", case_no="QY20261120-003",
        report_id=3, category="占道经营", address="青云路 18 号", grid="青云社区网格001",
        community="青云社区", description="早市摊点占用人行道", reported_at=datetime(2026, 11, 20, 8, 5),
        dispatched_at=datetime(2026, 11, 20, 9, 0), deadline=datetime(2026, 11, 22, 9, 0),
        overdue_hours=192.0, handler="城管执法队", status="处置中", reason="逾期未结案",
        lon=106.71, lat=26.58)
    out = write_notice_pdf(tmp_path / "notice.pdf", notice)
    assert pdfinfo(out)["Pages"] == "1"
    text = pdftotext(out)
    for expected in ("DB-2026-0007", "QY20261120-003", "城管执法队", "青云社区网格001"):
        assert expected in text
