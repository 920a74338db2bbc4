"""The 月度考核通报 PDF on the hand-computed street of test_assessment (November 2026).

Expected figures, worked out from the case list in tests/services/test_assessment.py:

* street: filed 5 (1, 2, 3, 5, 6); registered 4 (1, 2, 3, 6; 5 was refused);
  due 4 (1, 2, 3, 4), of which 4 deferred; closed 2 (1, 2) → 结案率 2/3 = 66.7%;
  closed on time 1 (1) → 按期结案率 1/3 = 33.3%; rework 1 (3); overdue 2 (3, 4);
  responded 4 of 5 (2 took 7 h) → 80.0%; callbacks 2 (basic, dissatisfied) →
  满意率 50.0%, 解决率 50.0%; handling 7, 21, 35 h → mean 21.0.
* grid A: filed 3, due 3, closed 2, 66.7%, 33.3%, rework 1, overdue 1, 66.7%, 50.0%
  → red (结案率 below 80%); grid B: filed 2, due 1, closed 0, rates —, overdue 1,
  响应率 100.0% → blue.
* department D1 (cases 1, 2, 3): check-ins 1 of 1 → 100.0%; D2: 0 of 1 → 0.0%.
* trend, October: filed 2 (7, 4); due 1 (7, deadline 10-30), closed 0 (7 closed on
  11-03) → 0.0%; no callback → —; overdue at the month's end 1 (7).  June to
  September: nothing (0, —).
* categories: the one category, 测试类别: filed 5, due 4, closed 2, 66.7%, rework 1,
  overdue 2.
* flagged: grid A and its community 测试社区, 结案率 and 按期结案率 red two months
  running (October 0/1: case 7).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.assessment.monthly import monthly_report, readable_formula
from gridapp.services.session import Session, User
from tests.services.test_assessment import GRID_A, GRID_B, street  # noqa: F401

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext) not installed")


def _row(text: str, label: str) -> list[str]:
    """The cells of the table row starting with *label* (pdftotext -layout)."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            return line.strip()[len(label):].split()
    raise AssertionError(f"no row {label!r} in:\n{text}")


def test_report_content_by_hand(street):  # noqa: F811
    session, _ = street
    rep = monthly_report(session, "2026-11")
    key = dict(rep.key_figures)
    assert (key["上报数"], key["立案数"], key["应结案数"], key["结案数"]) == ("5", "4", "4", "2")
    assert (key["结案率"], key["按期结案率"]) == ("66.7%", "33.3%")
    assert (key["返工数"], key["当前超期数"], key["响应率"]) == ("1", "2", "80.0%")
    assert (key["满意率"], key["解决率"], key["平均处置时长（工作时）"]) == ("50.0%", "50.0%",
                                                                   "21.0")
    grids = rep.tables[0]
    rows = {r.label: r for r in grids.rows}
    a, b = rows[f"{GRID_A} 网格A"], rows[f"{GRID_B} 网格B"]
    assert a.values == ("3", "3", "2", "66.7%", "33.3%", "1", "1", "66.7%", "50.0%")
    assert a.worst == "red" and b.worst == "blue"
    assert b.values[3] == "—"
    assert rep.warning_counts == {"red": 1, "yellow": 0, "blue": 1}
    # the community (A and B) was 0/1 in October and 2/3 in November as well;
    # D1 had nothing due in October, D2 nothing it could close in November
    assert [(f.kind, f.unit, f.indicator, f.level) for f in rep.flags] == [
        ("网格", f"{GRID_A} 网格A", "结案率", "red"),
        ("网格", f"{GRID_A} 网格A", "按期结案率", "red"),
        ("社区", "测试社区", "结案率", "red"), ("社区", "测试社区", "按期结案率", "red")]
    assert rep.flags[0].values == "0.0% → 66.7%"
    deps = {r.label: r for r in rep.tables[2].rows}
    assert deps["测试城管科"].values[-1] == "100.0%" and deps["测试市监所"].values[-1] == "0.0%"
    assert rep.title == "测试街道网格化管理2026年11月考核通报"
    assert rep.trend_columns == ["上报数", "应结案数", "结案数", "结案率", "按期结案率",
                                 "满意率", "当前超期数"]
    assert rep.trend == [
        *[(f"2026-{m:02d}", ("0", "0", "0", "—", "—", "—", "0")) for m in (6, 7, 8, 9)],
        ("2026-10", ("2", "1", "0", "0.0%", "0.0%", "—", "1")),
        ("2026-11", ("5", "4", "2", "66.7%", "33.3%", "50.0%", "2"))]
    assert rep.categories == [("测试类别", ("5", "4", "2", "66.7%", "1", "2"))]
    assert readable_formula("closed / (due - deferred)") == "结案数 / (应结案数 - 缓办数)"


@needs_poppler
def test_pdf_reads_back_with_the_figures(street, tmp_path):  # noqa: F811
    from gridapp.printing.monthly_report import write_monthly_report

    session, _ = street
    out = write_monthly_report(monthly_report(session, "2026-11"), tmp_path / "r.pdf")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout
    assert "NotoSansCJK" in fonts and " yes " in fonts  # embedded
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "测试街道网格化管理2026年11月考核通报" in text
    assert "2026-11-01 至 2026-11-30" in text
    # the grid table: filed, due, closed, 结案率, 按期结案率, 返工, 超期, 响应率, 满意率, 预警
    assert _row(text, f"{GRID_A} 网格A") == ["3", "3", "2", "66.7%", "33.3%", "1", "1",
                                           "66.7%", "50.0%", "红"]
    assert _row(text, f"{GRID_B} 网格B") == ["2", "1", "0", "—", "—", "0", "1", "100.0%",
                                           "—", "蓝"]
    total = _row(text, "合计（全街道）")
    assert total[:9] == ["5", "4", "2", "66.7%", "33.3%", "1", "2", "80.0%", "50.0%"]
    assert "网格预警：红色 1 个，黄色 0 个，蓝色 1 个（按各网格最差的预警等级计）；连续预警 4 项" in text
    assert re.search(r"结案率\s+红\s+2\s+0\.0% → 66\.7%", text)
    assert "结案数 / (应结案数 - 缓办数)" in text
    assert _row(text, "2026-10") == ["2", "1", "0", "0.0%", "0.0%", "—", "1"]
    assert _row(text, "测试类别") == ["5", "4", "2", "66.7%", "1", "2"]
    assert "红 < 80.0%，黄 < 90.0%" in text
    assert _row(text, "测试城管科")[-2:] == ["100.0%", "红"]  # 结案率 2/3 is red


def test_empty_month_says_so(street):  # noqa: F811
    session, _ = street
    rep = monthly_report(session, "2025-01")
    assert "没有案件数据" in rep.note
    assert dict(rep.key_figures)["结案率"] == "—"
    assert all(not t.rows for t in rep.tables)


def test_permissions_and_bad_target(street, tmp_path):  # noqa: F811
    from gridapp.printing.monthly_report import write_monthly_report

    session, _ = street
    liaison = Session(session.store, User(2, "l1", "联络员", Role.LIAISON))
    with pytest.raises(PermissionDenied):
        monthly_report(liaison, "2026-11")
    rep = monthly_report(session, "2026-11")
    with pytest.raises(ValidationError):
        write_monthly_report(rep, tmp_path / "r.xlsx")
    with pytest.raises(ValidationError):
        write_monthly_report(rep, tmp_path / "missing" / "r.pdf")


@needs_poppler
def test_cli_kpi_pdf(street, tmp_path, monkeypatch, capsys):  # noqa: F811
    import io
    import sys

    from gridapp.cli import main

    session, _ = street
    path = session.store.path  # the command opens the file beside the fixture's store
    out = tmp_path / "通报.pdf"
    monkeypatch.setattr(sys, "stdin", io.StringIO("Admin-pass-2026\n"))
    code = main(["kpi", str(path), "--period", "2026-11", "--pdf", str(out),
                 "--password-stdin"])
    assert code == 0, capsys.readouterr().err
    assert str(out) in capsys.readouterr().out
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert _row(text, f"{GRID_A} 网格A")[:4] == ["3", "3", "2", "66.7%"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("Admin-pass-2026\n"))
    code = main(["kpi", str(path), "--period", "2026-11", "--pdf",
                 str(tmp_path / "x.txt"), "--password-stdin"])
    assert code == 2 and not (tmp_path / "x.txt").exists()


@needs_poppler
def test_cli_report_monthly(street, tmp_path, monkeypatch, capsys):  # noqa: F811
    """The issue's own command: ``report monthly WORKSPACE --month 2026-11 -o FILE``."""
    import io
    import sys

    from gridapp.cli import main

    session, _ = street
    path = session.store.path
    out = tmp_path / "月报.pdf"
    monkeypatch.setattr(sys, "stdin", io.StringIO("Admin-pass-2026\n"))
    code = main(["report", "monthly", str(path), "--month", "2026-11", "-o", str(out),
                 "--password-stdin"])
    assert code == 0, capsys.readouterr().err
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert _row(text, f"{GRID_A} 网格A")[:4] == ["3", "3", "2", "66.7%"]
    # a month that is not one: usage error (2), nothing written, the message says how
    bad = tmp_path / "bad.pdf"
    with pytest.raises(SystemExit) as exc:
        main(["report", "monthly", str(path), "--month", "2026-13", "-o", str(bad)])
    assert exc.value.code == 2 and not bad.exists()
    assert "2026-13" in capsys.readouterr().err


@needs_poppler
def test_demo_street_report_pages(demo_file, tmp_path):
    """The demo street's last month: a report with red and blue grids, looked at as PNG."""
    import os
    from pathlib import Path

    from gridapp.printing.monthly_report import write_monthly_report
    from gridapp.services.assessment.periods import current
    from gridapp.storage import open_store

    shots = Path(os.environ.get("GRIDAPP_SCREENSHOTS", "/tmp/gridapp-screens"))
    with open_store(demo_file, readonly=True) as store:
        s = Session(store, User(None, "boss", "领导", Role.LEADER))
        rep = monthly_report(s, current("month").previous())
    grids = rep.tables[0]
    assert grids.counts["red"] and grids.counts["blue"]
    assert len(grids.rows) == len(rep.tables[0].rows) > 10
    out = write_monthly_report(rep, tmp_path / "demo.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    for r in grids.rows:  # every grid is printed, with its worst level (a name too long
        assert r.label.split()[0] in text  # for its column is elided; its code is not)
    shots.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(out), str(shots / "assessment_monthly_report")], check=True)
    assert (shots / "assessment_monthly_report.png").stat().st_size > 10_000
