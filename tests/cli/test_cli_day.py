"""A whole office day driven headless (issue 19): every step as the role that does it,
every result read back with ``--json``.

import → file → register → dispatch → handle → verify → close → cluster → summon →
check in → act → finish → evaluate → print → export → back up → restore → check.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import openpyxl
import pyogrio
import pytest

from gridapp.cli import main
from gridapp.domain.timeutil import FixedClock, use_clock

PASSWORDS = {"admin": "Admin-demo-2026", "zhihui": "Dispatch-demo-2026",
             "chengguan": "Liaison-demo-2026", "wgy01": "Manager-demo-2026",
             "lingdao": "Leader-demo-2026"}


@pytest.fixture
def day(demo_file, tmp_path):
    """A private copy of the demo street, on a Saturday morning in Beijing (clock set)."""
    path = tmp_path / "street.gpkg"
    shutil.copy(demo_file, path)
    with use_clock(FixedClock("2026-12-19T02:00:00Z")):
        yield path


def cli(capsys, monkeypatch, user, *argv, expect=0):
    """Run one command as *user* with ``--json``; returns the parsed JSON."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORDS[user] + "\n"))
    code = main([*map(str, argv), "--as", user, "--password-stdin", "--json"])
    out = capsys.readouterr()
    assert code == expect, (argv, out.err, out.out)
    return json.loads(out.out)


def _manager_point(path: Path) -> tuple[float, float]:
    """A point inside one of wgy01's grids, from the file itself."""
    from gridapp.services.people.auth import open_session
    from gridapp.services.session import own_grid_ids

    with open_session(path, "wgy01", lambda: PASSWORDS["wgy01"], readonly=True) as s:
        own = sorted(own_grid_ids(s))
    grids = pyogrio.read_dataframe(path, layer="grid", fid_as_index=True)
    row = grids.loc[own[0]]
    p = row.geometry.representative_point()
    return p.x, p.y


def test_a_whole_day_headless(day, tmp_path, capsys, monkeypatch):
    ws = day
    n0 = cli(capsys, monkeypatch, "zhihui", "reports", "list", ws, "--count")
    # 1. import the hotline's export (three rows, Chinese text, positions in CGCS2000)
    lon, lat = _manager_point(ws)
    hotline = tmp_path / "hotline.csv"
    with hotline.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["工单号", "经度", "纬度", "问题类型", "描述"])
        for i in range(3):
            w.writerow([f"RX-{i}", f"{lon + i * 1e-5:.6f}", f"{lat:.6f}", "暴露垃圾",
                        f"日间测试热线{i}"])
    out = cli(capsys, monkeypatch, "zhihui", "reports", "import", ws, hotline,
              "--map", "external_id=工单号", "--map", "lon=经度", "--map", "lat=纬度",
              "--map", "category=问题类型", "--map", "description=描述")
    assert out["ok"] and any("3" in line for line in out["output"])
    assert cli(capsys, monkeypatch, "zhihui", "reports", "list", ws, "--count") == n0 + 3
    # 2. a grid manager files one report in their grid
    filed = cli(capsys, monkeypatch, "wgy01", "reports", "add", ws, "--lon", lon, "--lat", lat,
                "--category", "暴露垃圾", "--text", "日间测试巡查")
    case_no = filed["case_no"]
    assert len(case_no) == 13
    # 3-7. register, dispatch to 城管, start and report done (its liaison), verify, close
    for user, action, extra in (("zhihui", "立案", ()), ("zhihui", "派遣", ("--handler", "CG", "--note", "属城管职责")),
                                ("chengguan", "开始处置", ()),
                                ("chengguan", "处置反馈", ("--note", "已清理")),
                                ("wgy01", "核查通过", ()), ("zhihui", "结案", ())):
        res = cli(capsys, monkeypatch, user, "cases", "advance", ws, case_no, "--action",
                  action, *extra)
        assert [d["case_no"] for d in res["done"]] == [case_no] and not res["refused"], action
    shown = cli(capsys, monkeypatch, "zhihui", "cases", "show", ws, case_no)
    assert shown["status"] == "closed" and shown["description"] == "日间测试巡查"
    assert [e["action"] for e in shown["history"]] == ["report",
        "register", "dispatch", "start", "finish", "verify", "close"]
    # a liaison may not close, and says so with exit 1 (refused)
    refused = cli(capsys, monkeypatch, "chengguan", "cases", "advance", ws, "2", "--action",
                  "close", expect=1)
    assert refused["refused"] and not refused["done"]
    # 8. cluster, then carry the best proposal from 吹哨 to 评价
    found = cli(capsys, monkeypatch, "zhihui", "clusters", "find", ws, "--save",
                "--category", "03")
    assert found["saved_proposal_ids"]
    ranked = cli(capsys, monkeypatch, "zhihui", "clusters", "proposals", ws)
    scores = [p["score"] for p in ranked]
    assert scores == sorted(scores, reverse=True) and len(ranked) == len(
        found["saved_proposal_ids"])
    cli(capsys, monkeypatch, "zhihui", "tasks", "create-from-cluster", ws, "--proposal",
        ranked[0]["id"], "--action-at", "2026-12-20 19:00")
    task_no = cli(capsys, monkeypatch, "zhihui", "tasks", "list", ws)[0]["task_no"]
    assert cli(capsys, monkeypatch, "zhihui", "tasks", "summon", ws, task_no)["state"] \
        == "summoned"
    # the leader may not summon (exit 1, refused, nothing changed)
    cli(capsys, monkeypatch, "lingdao", "tasks", "summon", ws, task_no, expect=1)
    t = cli(capsys, monkeypatch, "chengguan", "tasks", "checkin", ws, task_no,
            "--contact", "赵磊")
    cg = [d for d in t["departments"] if d["checkin_at"]]
    assert len(cg) == 1 and cg[0]["checkin_status"] in ("on_time", "late")
    t = cli(capsys, monkeypatch, "zhihui", "tasks", "act", ws, task_no, "--summary",
            "联合清理", "--result", "stalls_removed=12")
    assert t["state"] == "in_action" and t["results"]["stalls_removed"] == 12
    assert cli(capsys, monkeypatch, "zhihui", "tasks", "finish", ws, task_no)["state"] == "done"
    t = cli(capsys, monkeypatch, "zhihui", "tasks", "evaluate", ws, task_no, "--all-effective")
    assert t["state"] == "evaluated" and all(d["effective"] for d in t["departments"])
    # 9. print (one community) as the leader
    poster = tmp_path / "poster.pdf"
    out = cli(capsys, monkeypatch, "lingdao", "print", "poster", ws, "--community", "青云社区",
              "--paper", "A4", "--dpi", "72", "-o", poster)
    assert out["files"] == [str(poster)] and poster.read_bytes()[:5] == b"%PDF-"
    # 10. export cases to XLSX and a GBK shapefile; read both back
    xlsx = tmp_path / "cases.xlsx"
    today = ("--since", "2026-12-19")  # what was filed today: a small file
    n = cli(capsys, monkeypatch, "zhihui", "export", "cases", ws, xlsx, *today)["rows"]
    sheet = openpyxl.load_workbook(xlsx, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == n + 1 and case_no in {r[rows[0].index("case_no")] for r in rows[1:]}
    shp = tmp_path / "cases.shp"
    cli(capsys, monkeypatch, "zhihui", "export", "cases", ws, shp, "--encoding", "GBK",
        "--crs", "EPSG:4545", *today)
    assert shp.with_suffix(".cpg").read_text().strip().upper() == "GBK"
    back = pyogrio.read_dataframe(shp)
    assert back.crs.to_epsg() == 4545 and back.geometry.x.min() > 100_000  # metres, not degrees
    assert back.loc[back["case_no"] == case_no, "descr"].tolist() == ["日间测试巡查"]
    # 11. back up, file one more report, restore, check
    saved = cli(capsys, monkeypatch, "admin", "backup", ws, tmp_path / "bk", "--keep", "2")
    assert saved["verified"] and Path(saved["path"]).exists()
    late = cli(capsys, monkeypatch, "wgy01", "reports", "add", ws, "--lon", lon, "--lat", lat,
               "--category", "暴露垃圾", "--text", "备份之后")["case_no"]
    cli(capsys, monkeypatch, "admin", "restore", saved["path"], ws)
    cli(capsys, monkeypatch, "zhihui", "cases", "show", ws, late, expect=2)
    assert cli(capsys, monkeypatch, "zhihui", "cases", "show", ws, case_no)["status"] == "closed"
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["check", str(ws)]) == 0
    capsys.readouterr()
    verified = cli(capsys, monkeypatch, "admin", "audit", ws, "--verify")
    assert verified["ok"], verified
    restored = cli(capsys, monkeypatch, "admin", "audit", ws, "--user", "admin")
    assert "workspace_restored" in [e["action"] for e in restored]
