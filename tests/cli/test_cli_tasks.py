"""``clusters find``, ``tasks create-from-cluster``, ``tasks list`` on the demo street."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from gridapp.cli import main

DISPATCHER = ("zhihui", "Dispatch-demo-2026")
LEADER = ("lingdao", "Leader-demo-2026")


def run(capsys, monkeypatch, argv, user=DISPATCHER):
    monkeypatch.setattr(sys, "stdin", io.StringIO(user[1] + "\n"))
    code = main([*argv, "--as", user[0], "--password-stdin"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_find_save_create_list(demo_workspace, capsys, monkeypatch):
    path = str(demo_workspace.path)
    code, out, _ = run(capsys, monkeypatch, ["clusters", "find", path, "--save", "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["reports"] == 3000 and len(data["clusters"]) >= 8
    ids = data["saved_proposal_ids"]
    assert ids
    code, out, _ = run(capsys, monkeypatch, ["clusters", "find", path, "--category", "03"])
    assert code == 0 and "聚类" in out
    code, out, err = run(capsys, monkeypatch, [
        "tasks", "create-from-cluster", path, "--proposal", str(ids[0]), "--title", "夜市联合整治",
        "--action-at", "2026-11-25 19:00", "--deadline", "2026-11-28", "--checkin-limit", "45"])
    assert code == 0, err
    assert "已创建联合执法任务" in out and "夜市联合整治" in out
    code, out, _ = run(capsys, monkeypatch, ["tasks", "list", path, "--json"])
    board = json.loads(out)
    assert len(board) == 1 and board[0]["state"] == "proposed"
    code, out, _ = run(capsys, monkeypatch, ["--lang", "en", "tasks", "list", path])
    assert "Proposed" in out
    # the same proposal cannot become a second task
    code, _, err = run(capsys, monkeypatch, ["--lang", "zh", "tasks", "create-from-cluster",
                                             path, "--proposal", str(ids[0])])
    assert code == 2 and "已处理" in err


def test_bad_input_gives_clear_messages(demo_workspace, capsys, monkeypatch):
    path = str(demo_workspace.path)
    for argv, text in ((["--eps", "0"], "空间距离"), (["--days", "-1"], "时间窗"),
                       (["--category", "9999"], "未知的事件分类"),
                       (["--from", "2001-01-01", "--to", "2001-01-31"], "没有事件"),
                       (["--from", "yesterday"], "无法识别")):
        code, _, err = run(capsys, monkeypatch, ["clusters", "find", path, *argv])
        assert code == 2 and text in err, (argv, err)
    code, _, err = run(capsys, monkeypatch, ["--lang", "en", "clusters", "find", path,
                                             "--eps", "0"])
    assert "distance" in err
    from gridapp import i18n

    i18n.set_language("zh")


def test_leader_may_find_but_not_create(demo_workspace, capsys, monkeypatch):
    path = str(demo_workspace.path)
    code, out, _ = run(capsys, monkeypatch, ["clusters", "find", path, "--json"], user=LEADER)
    assert code == 0 and json.loads(out)["clusters"]
    code, _, err = run(capsys, monkeypatch, ["clusters", "find", path, "--save"], user=LEADER)
    assert code == 1 and "无权" in err
    code, out, _ = run(capsys, monkeypatch, ["clusters", "find", path, "--save", "--json"])
    pid = json.loads(out)["saved_proposal_ids"][0]
    code, _, err = run(capsys, monkeypatch, ["tasks", "create-from-cluster", path,
                                             "--proposal", str(pid)], user=LEADER)
    assert code == 1 and "无权" in err


def test_no_qt_imported():
    code = ("import sys, gridapp.cli.cmd_tasks, gridapp.services.joint.tasks, "
            "gridapp.services.joint.task_order, gridapp.services.joint.proposals; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')]")
    subprocess.run([sys.executable, "-c", code], check=True)
