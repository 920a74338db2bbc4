"""The field service, joint tasks, and back up/restore on a street of a district server
(issue 16): the parts of the headless office day (tests/cli/test_cli_day.py) that the
command tests do not cover, each run as the role that does it, on a real server.

phone files a report through the field service's API (serve) → cluster → task from
the best proposal → summon → check in → act → finish → evaluate → back up → one more
report → restore the backup over the street → the later report is gone, the phone's
report and the task are back, the audit chain is intact and records the restore.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest

from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.services.field.settings import field_settings, phone_logins
from gridapp.services.people.auth import open_session
from gridapp.services.session import own_grid_ids
from tests.cli.test_cli_day import PASSWORDS, cli


@pytest.fixture
def street_url(pg_demo_url):
    with use_clock(FixedClock("2026-12-19T02:00:00Z")):  # a Saturday morning in Beijing
        yield pg_demo_url


def _manager_point(url: str) -> tuple[float, float]:
    """A point inside one of wgy01's grids, read from the server."""
    with open_session(url, "wgy01", PASSWORDS["wgy01"], readonly=True) as s:
        own = sorted(own_grid_ids(s))
        grids = s.store.read_layer("grid")
    p = grids.loc[grids["id"] == own[0]].geometry.iloc[0].representative_point()
    return p.x, p.y


def _phone_files_a_report(url: str, lon: float, lat: float) -> str:
    """The field service on the server street: wgy01's phone logs in and files one report."""
    from starlette.testclient import TestClient

    from gridapp.web.app import create_app

    with open_session(url, "admin", PASSWORDS["admin"]) as admin:
        app = create_app(phone_logins(admin), field_settings(admin))
        with TestClient(app, base_url="https://testserver") as phone:
            phone.get("/")  # the page sets the CSRF cookie, as a phone's first visit does
            token = {"X-CSRF-Token": phone.cookies.get("gridapp_csrf")}
            r = phone.post("/api/login", json={"username": "wgy01",
                                               "password": PASSWORDS["wgy01"]}, headers=token)
            assert r.status_code == 200, r.text
            token = {"X-CSRF-Token": phone.cookies.get("gridapp_csrf")}
            data = {"category": "0401", "lon": f"{lon:.7f}", "lat": f"{lat:.7f}",
                    "description": "手机上报：服务器街道", "key": str(uuid.uuid4())}
            filed = phone.post("/api/reports", data=data, headers=token)
            assert filed.status_code == 201, filed.text
            again = phone.post("/api/reports", data=data, headers=token)  # a phone retrying
            assert again.status_code == 200 and again.json()["replayed"] is True
            return filed.json()["case_no"]


def test_serve_tasks_backup_and_restore_on_a_server_street(street_url, tmp_path, capsys,
                                                           monkeypatch):
    ws = street_url
    lon, lat = _manager_point(ws)
    # 1. the field service
    case_no = _phone_files_a_report(ws, lon, lat)
    shown = cli(capsys, monkeypatch, "zhihui", "cases", "show", ws, case_no)
    assert shown["description"] == "手机上报：服务器街道" and shown["status"] == "reported"
    # 2. cluster, then carry the best proposal from 吹哨 to 评价
    found = cli(capsys, monkeypatch, "zhihui", "clusters", "find", ws, "--save",
                "--category", "03")
    assert found["saved_proposal_ids"]
    ranked = cli(capsys, monkeypatch, "zhihui", "clusters", "proposals", ws)
    assert len(ranked) == len(found["saved_proposal_ids"])
    cli(capsys, monkeypatch, "zhihui", "tasks", "create-from-cluster", ws, "--proposal",
        ranked[0]["id"], "--action-at", "2026-12-20 19:00")
    board = cli(capsys, monkeypatch, "zhihui", "tasks", "list", ws)
    task_no, task_id = board[0]["task_no"], board[0]["id"]
    assert cli(capsys, monkeypatch, "zhihui", "tasks", "summon", ws, task_no)["state"] \
        == "summoned"
    cli(capsys, monkeypatch, "lingdao", "tasks", "summon", ws, task_no, expect=1)  # refused
    t = cli(capsys, monkeypatch, "chengguan", "tasks", "checkin", ws, task_no,
            "--contact", "赵磊")
    assert [d["checkin_status"] for d in t["departments"] if d["checkin_at"]] in (
        ["on_time"], ["late"])
    t = cli(capsys, monkeypatch, "zhihui", "tasks", "act", ws, task_no, "--summary",
            "联合清理", "--result", "stalls_removed=12")
    assert t["state"] == "in_action" and t["results"]["stalls_removed"] == 12
    assert cli(capsys, monkeypatch, "zhihui", "tasks", "finish", ws, task_no)["state"] == "done"
    t = cli(capsys, monkeypatch, "zhihui", "tasks", "evaluate", ws, task_no, "--all-effective")
    assert t["state"] == "evaluated" and all(d["effective"] for d in t["departments"])
    order = tmp_path / "order.pdf"
    cli(capsys, monkeypatch, "zhihui", "tasks", "print-order", ws, task_id, "-o", order)
    assert order.read_bytes()[:5] == b"%PDF-"
    # 3. back up, file one more report, restore the copy over the street
    saved = cli(capsys, monkeypatch, "admin", "backup", ws, tmp_path / "bk", "--keep", "2")
    assert saved["verified"] and Path(saved["path"]).exists()
    late = cli(capsys, monkeypatch, "wgy01", "reports", "add", ws, "--lon", lon, "--lat", lat,
               "--category", "暴露垃圾", "--text", "备份之后")["case_no"]
    restored = cli(capsys, monkeypatch, "admin", "restore", saved["path"], ws)
    assert restored["target"].endswith(ws.split("@")[1])
    before = Path(restored["saved_previous"])
    assert before.exists() and before.parent == Path(saved["path"]).parent
    cli(capsys, monkeypatch, "zhihui", "cases", "show", ws, late, expect=2)  # gone
    assert cli(capsys, monkeypatch, "zhihui", "cases", "show", ws, case_no)["description"] \
        == "手机上报：服务器街道"
    assert cli(capsys, monkeypatch, "zhihui", "tasks", "list", ws)[0]["state"] == "evaluated"
    # the state before the restore was kept: the late report is in that copy
    cli(capsys, monkeypatch, "zhihui", "cases", "show", before, late)
    verified = cli(capsys, monkeypatch, "admin", "audit", ws, "--verify")
    assert verified["ok"], verified
    log = cli(capsys, monkeypatch, "admin", "audit", ws, "--user", "admin")
    assert "workspace_restored" in [e["action"] for e in log]


def test_restoring_a_copy_that_fails_its_check_changes_nothing(street_url, tmp_path, capsys,
                                                               monkeypatch):
    ws = street_url
    saved = cli(capsys, monkeypatch, "admin", "backup", ws, tmp_path / "bk")
    import sqlite3

    conn = sqlite3.connect(saved["path"])  # broken by another program: a dangling reference
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE case_event SET report_id = 999999 WHERE id = (SELECT min(id)"
                 " FROM case_event)")
    conn.commit()
    conn.close()
    n = cli(capsys, monkeypatch, "zhihui", "reports", "list", ws, "--count")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["admin"] + "\n"))
    from gridapp.cli import main

    code = main(["restore", saved["path"], ws, "--as", "admin", "--password-stdin"])
    out = capsys.readouterr()
    assert code != 0 and "未通过检查" in out.err + out.out
    assert cli(capsys, monkeypatch, "zhihui", "reports", "list", ws, "--count") == n
    assert list(Path(saved["path"]).parent.glob("*before-restore*")) == []
