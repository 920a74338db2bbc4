"""CLI: ``reports import``, ``reports list`` and ``cases advance`` as logged-in users."""

from __future__ import annotations

import io
import json
import sys

import pytest

from gridapp.cli import main
from gridapp.services.people.users import add_user
from gridapp.services.session import system_session
from gridapp.storage import open_store
from tests.services.test_reports import make_street

ADMIN_PW = "Admin-pass-2026"
DISP_PW = "Disp-pass-2026x"
LIAI_PW = "Liai-pass-2026x"


@pytest.fixture
def ws(empty_workspace, tmp_path):
    street = make_street(empty_workspace)
    s = system_session(empty_workspace)
    add_user(s, "disp", DISP_PW, "dispatcher")
    add_user(s, "liai", LIAI_PW, "liaison", department_id=street.departments["CG"])
    rows = ["经度,纬度,事件类型,问题描述"]
    for k in range(4):
        lon, lat = street.inside(k)
        rows.append(f"{lon:.6f},{lat:.6f},占道经营,摊点{k}")
    rows.append(f"{lat:.6f},{lon:.6f},占道经营,坐标写反")
    csv_path = tmp_path / "form.csv"
    csv_path.write_bytes(("\n".join(rows) + "\n").encode("gbk"))
    path = empty_workspace.path
    empty_workspace.close()
    return path, csv_path


def run(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    "argv",
    [
        ["reports", "--help"],
        ["reports", "import", "--help"],
        ["reports", "list", "--help"],
        ["cases", "advance", "--help"],
    ],
)
def test_help(capsys, argv):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 0
    assert "usage" in capsys.readouterr().out


def test_import_dry_run_then_skip_rejected(monkeypatch, capsys, ws, tmp_path):
    path, csv_path = ws
    login = ["--as", "disp", "--password-stdin"]
    code, out, _ = run(
        monkeypatch,
        capsys,
        ["reports", "import", str(path), str(csv_path), "--dry-run", *login],
        DISP_PW + "\n",
    )
    assert code == 2 and "gb18030" in out and "写反" in out and "未写入" in out
    # all-or-nothing by default: refused, nothing written
    code, _, err = run(
        monkeypatch,
        capsys,
        ["reports", "import", str(path), str(csv_path), *login],
        DISP_PW + "\n",
    )
    assert code == 2 and "未写入" in err
    with open_store(path, readonly=True) as store:
        assert store.scalar("SELECT count(*) FROM report") == 0
    rej = tmp_path / "rejected.csv"
    code, out, _ = run(
        monkeypatch,
        capsys,
        [
            "reports",
            "import",
            str(path),
            str(csv_path),
            "--skip-rejected",
            "--rejected-csv",
            str(rej),
            *login,
        ],
        DISP_PW + "\n",
    )
    assert code == 0 and "4" in out and rej.exists()


def test_list_and_advance_as_roles(monkeypatch, capsys, ws):
    path, csv_path = ws
    disp = ["--as", "disp", "--password-stdin"]
    run(
        monkeypatch,
        capsys,
        ["reports", "import", str(path), str(csv_path), "--skip-rejected", *disp],
        DISP_PW + "\n",
    )
    code, out, _ = run(
        monkeypatch,
        capsys,
        ["reports", "list", str(path), "--json", *disp],
        DISP_PW + "\n",
    )
    rows = json.loads(out)
    assert code == 0 and len(rows) == 4 and {r["status"] for r in rows} == {"reported"}
    ids = ",".join(str(r["id"]) for r in rows)
    code, out, _ = run(
        monkeypatch,
        capsys,
        ["cases", "advance", str(path), "--action", "register", "--ids", ids, *disp],
        DISP_PW + "\n",
    )
    assert code == 0 and out.count("✓") == 4
    code, out, _ = run(
        monkeypatch,
        capsys,
        [
            "cases",
            "advance",
            str(path),
            "--action",
            "dispatch",
            "--ids",
            ids,
            "--json",
            *disp,
        ],
        DISP_PW + "\n",
    )
    result = json.loads(out)
    assert code == 0 and all(d["deadline"] for d in result["done"]), result["refused"]
    # the liaison may start them; the dispatcher may not
    code, _, err = run(
        monkeypatch,
        capsys,
        ["cases", "advance", str(path), "--action", "start", "--ids", ids, *disp],
        DISP_PW + "\n",
    )
    assert code == 1 and err.count("✗") == 4
    liai = ["--user", "liai", "--password-stdin"]
    code, out, _ = run(
        monkeypatch,
        capsys,
        ["cases", "advance", str(path), "--action", "start", "--ids", ids, *liai],
        LIAI_PW + "\n",
    )
    assert code == 0 and out.count("✓") == 4
    code, out, _ = run(
        monkeypatch,
        capsys,
        ["reports", "list", str(path), "--my-work", "--count", *liai],
        LIAI_PW + "\n",
    )
    assert out.strip() == "4"
    code, out, _ = run(
        monkeypatch,
        capsys,
        [
            "reports",
            "list",
            str(path),
            "--status",
            "in_progress",
            "--text",
            "摊点1",
            *disp,
        ],
        DISP_PW + "\n",
    )
    assert code == 0 and len(out.strip().splitlines()) == 1 and "摊点1" in out


def test_wrong_password_and_missing_cases(monkeypatch, capsys, ws):
    path, _ = ws
    code, _, err = run(
        monkeypatch,
        capsys,
        ["reports", "list", str(path), "--as", "disp", "--password-stdin"],
        "wrong\n",
    )
    assert code == 2
    code, _, err = run(
        monkeypatch,
        capsys,
        [
            "cases",
            "advance",
            str(path),
            "--action",
            "register",
            "--as",
            "disp",
            "--password-stdin",
        ],
        DISP_PW + "\n",
    )
    assert code == 2 and "--ids" in err
