"""CLI: ``reports import`` keeps ids, maps categories, says how far GCJ-02 moved;
``reports list`` shows and finds the id (issue 14, section 3)."""

from __future__ import annotations

import io
import json
import sys

import pytest
from pyproj import Geod

from gridapp.cli import main
from gridapp.domain import coords
from tests.services.test_reports import make_street

ADMIN_PW = "Admin-pass-2026"


@pytest.fixture
def ws(empty_workspace, tmp_path):
    street = make_street(empty_workspace)
    wgs = [street.inside(k) for k in range(3)]
    path = empty_workspace.path
    empty_workspace.close()
    return path, wgs


def run(monkeypatch, capsys, argv):
    monkeypatch.setattr(sys, "stdin", io.StringIO(ADMIN_PW + "\n"))
    code = main([*argv, "--password-stdin"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_with_ids_category_map_and_shift_then_list(
    monkeypatch, capsys, ws, tmp_path
):
    path, wgs = ws
    lines = ["工单号,经度,纬度,问题类型,描述"]
    gcj = [coords.wgs84_to_gcj02(lon, lat) for lon, lat in wgs]
    for k, (glon, glat) in enumerate(gcj):
        lines.append(
            f"12345-{k},{glon:.7f},{glat:.7f},{'摆摊' if k else '井盖没了'},d{k}"
        )
    src = tmp_path / "hotline.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmap = tmp_path / "labels.csv"
    cmap.write_text("摆摊,占道经营\n井盖没了,B0101\n", encoding="utf-8")

    code, out, _ = run(
        monkeypatch,
        capsys,
        [
            "reports",
            "import",
            str(path),
            str(src),
            "--crs",
            "gcj02",
            "--dry-run",
        ],
    )
    assert code != 0, (out, _)  # rows rejected: nothing written
    assert "摆摊（2）" in out and "井盖没了（1）" in out
    assert "--category-map" in out

    code, out, _ = run(
        monkeypatch,
        capsys,
        [
            "reports",
            "import",
            str(path),
            str(src),
            "--crs",
            "gcj02",
            "--category-map",
            str(cmap),
        ],
    )
    assert code == 0, out
    dist = [
        Geod(ellps="WGS84").inv(g[0], g[1], w[0], w[1])[2]
        for g, w in zip(gcj, wgs, strict=True)
    ]
    assert f"最大 {max(dist):.0f} 米" in out and "移动 3 个点" in out

    code, out, err = run(
        monkeypatch,
        capsys,
        [
            "reports",
            "import",
            str(path),
            str(src),
            "--crs",
            "gcj02",
            "--category-map",
            str(cmap),
        ],
    )
    assert code != 0 and "12345-0" in err + out and "已经导入过" in err + out

    code, out, _ = run(
        monkeypatch,
        capsys,
        ["reports", "list", str(path), "--external-id", "12345-2", "--json"],
    )
    (row,) = json.loads(out)
    assert row["external_id"] == "12345-2" and row["description"] == "d2"
    code, out, _ = run(
        monkeypatch, capsys, ["reports", "list", str(path), "--text", "12345-1"]
    )
    assert "12345-1" in out and "d1" in out and "d2" not in out
