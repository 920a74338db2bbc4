"""Charts of the 月度考核通报 (issue 17): the street's trend lines and bars by department.

Expected numbers from the hand-computed street of tests/services/test_assessment.py
(see tests/printing/test_assessment_monthly.py): 结案率 October 0/1, November 2/3;
按期结案率 October 0/1, November 1/3; 满意率 November (basic + dissatisfied) 1/2,
no callback before; June to September nothing to divide.  Departments in November:
测试城管科 (cases 1, 2, 3) 结案率 2/3, 按期 1/3; 测试市监所 (case 4, deferred) nothing
to divide.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from gridapp.services.assessment.monthly import monthly_report
from tests.services.test_assessment import street  # noqa: F401

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="poppler-utils not installed")


def test_chart_numbers_by_hand(street):  # noqa: F811
    session, _ = street
    rep = monthly_report(session, "2026-11")
    lines = dict(rep.trend_chart)
    assert list(lines) == ["结案率", "按期结案率", "满意率"]
    nothing = [None] * 4  # June to September
    assert lines["结案率"][:4] == nothing
    assert lines["结案率"][4:] == pytest.approx([0.0, 2 / 3])
    assert lines["按期结案率"][:4] == nothing
    assert lines["按期结案率"][4:] == pytest.approx([0.0, 1 / 3])
    assert lines["满意率"][:5] == [None] * 5 and lines["满意率"][5] == pytest.approx(0.5)
    bars = {name: dict(zip(rep.department_labels, values, strict=True))
            for name, values in rep.department_chart}
    assert bars["结案率"]["测试城管科"] == pytest.approx(2 / 3)
    assert bars["按期结案率"]["测试城管科"] == pytest.approx(1 / 3)
    assert bars["结案率"]["测试市监所"] is None


def _pixels(png_path, colour: tuple[int, int, int], tol: int = 12) -> int:
    from PySide6.QtGui import QImage

    img = QImage(str(png_path))
    n = 0
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            c = img.pixelColor(x, y)
            if (abs(c.red() - colour[0]) <= tol and abs(c.green() - colour[1]) <= tol
                    and abs(c.blue() - colour[2]) <= tol):
                n += 1
    return n


@needs_poppler
def test_charts_are_drawn_in_the_pdf(street, tmp_path):  # noqa: F811
    import os
    from pathlib import Path

    from gridapp.printing.monthly_report import write_monthly_report

    session, _ = street
    out = write_monthly_report(monthly_report(session, "2026-11"), tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "全街道主要比率趋势" in text and "各职能部门结案率与按期结案率" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(out), str(tmp_path / "p")],
                   check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    blue = sum(_pixels(p, (0x2b, 0x6c, 0xb0)) for p in pages)
    red = sum(_pixels(p, (0xd7, 0x30, 0x1f)) for p in pages)
    # the 结案率 bar of 测试城管科 (2/3 of a 41 mm plot at 60 dpi, ~4 mm wide) alone
    # is several hundred pixels; sampled every other pixel, well above 50
    assert blue > 50 and red > 50
    shots = Path(os.environ.get("GRIDAPP_SCREENSHOTS", "/tmp/gridapp-screens"))
    shots.mkdir(parents=True, exist_ok=True)
    shutil.copy(pages[0], shots / "assessment_monthly_report_charts_fixture.png")
