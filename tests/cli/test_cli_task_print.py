"""``tasks print-order`` / ``tasks print-escalation`` on the demo street."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from gridapp.cli import build_parser, main
from gridapp.domain.enums import Role
from gridapp.services.joint import proposals, tasks
from gridapp.services.joint.clustering import find_clusters
from gridapp.services.session import Session, User, system_session

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
DISPATCHER = ["--as", "zhihui", "--password-stdin"]


@pytest.fixture(autouse=True)
def _dispatcher_password(monkeypatch):
    """Each ``main`` call reads one line: the dispatcher's password unless a test says else."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("Dispatch-demo-2026\n" * 10))


@pytest.fixture
def task_id(demo_workspace):
    store = demo_workspace
    admin = system_session(store)
    ids = proposals.save_proposals(admin, find_clusters(admin).clusters)
    disp = Session(store, User(None, "zhihui", "指挥中心", Role.DISPATCHER))
    tid = proposals.accept(disp, ids[0], title="夜市联合整治")
    tasks.summon(disp, tid, now=T0)
    return tid


def test_print_order_before_escalation(demo_workspace, task_id, tmp_path, capsys):
    path = str(demo_workspace.path)
    out = tmp_path / "order.pdf"
    assert main(["tasks", "print-order", path, str(task_id), "-o", str(out),
                 *DISPATCHER]) == 0
    assert "已输出联合执法任务单" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout.replace(" ", "")
        assert "联合执法任务单" in text and "夜市联合整治" in text
    # no escalation yet: a clear refusal
    assert main(["tasks", "print-escalation", path, str(task_id), "-o",
                 str(tmp_path / "db.pdf"), *DISPATCHER]) == 2
    assert "尚未督办" in capsys.readouterr().err


def test_print_escalation(demo_workspace, task_id, tmp_path, capsys):
    disp = Session(demo_workspace, User(None, "zhihui", "指挥中心", Role.DISPATCHER))
    tasks.escalate(disp, task_id, "城管未报到", now=T0 + timedelta(hours=2))
    path = str(demo_workspace.path)
    assert main(["tasks", "print-escalation", path, str(task_id), "-o",
                 str(tmp_path / "db.pdf"), *DISPATCHER]) == 0
    assert "已输出督办单" in capsys.readouterr().out
    assert (tmp_path / "db.pdf").stat().st_size > 5_000


def test_unknown_task_and_bad_output(demo_workspace, tmp_path, capsys):
    path = str(demo_workspace.path)
    assert main(["tasks", "print-order", path, "999", "-o", str(tmp_path / "x.pdf"),
                 *DISPATCHER]) == 2
    assert "没有编号为 999" in capsys.readouterr().err
    assert main(["--lang", "en", "tasks", "print-order", path, "1", "-o",
                 str(tmp_path / "x.txt"), *DISPATCHER]) == 2
    assert ".pdf" in capsys.readouterr().err


def test_printing_needs_a_login_and_a_task_role(demo_workspace, task_id, tmp_path, capsys,
                                                monkeypatch):
    path, out = str(demo_workspace.path), tmp_path / "order.pdf"
    monkeypatch.setattr(sys, "stdin", io.StringIO("wrong\n"))
    assert main(["tasks", "print-order", path, str(task_id), "-o", str(out),
                 *DISPATCHER]) == 2
    assert "登录失败" in capsys.readouterr().err
    # a leader holds neither task.respond nor task.manage
    for action in ("print-order", "print-escalation"):
        monkeypatch.setattr(sys, "stdin", io.StringIO("Leader-demo-2026\n"))
        assert main(["--lang", "en", "tasks", action, path, str(task_id), "-o", str(out),
                     "--as", "lingdao", "--password-stdin"]) == 1  # refused
        assert "task." in capsys.readouterr().err
    # a liaison of a summoned department works from the order (but does not
    # print the 督办单); a liaison of another department gets nothing
    from gridapp.services.people.users import add_user

    summoned = {r[0] for r in demo_workspace.query(
        "SELECT department_id FROM task_department WHERE task_id = ?", (task_id,))}
    other = demo_workspace.scalar(
        f"SELECT min(id) FROM department WHERE id NOT IN ({','.join('?' * len(summoned))})",
        sorted(summoned))
    admin = system_session(demo_workspace)
    add_user(admin, "inside", "Liaison-in-2026", Role.LIAISON, department_id=min(summoned))
    add_user(admin, "outside", "Liaison-out-2026", Role.LIAISON, department_id=other)
    monkeypatch.setattr(sys, "stdin", io.StringIO("Liaison-in-2026\n"))
    assert main(["tasks", "print-order", path, str(task_id), "-o", str(out),
                 "--as", "inside", "--password-stdin"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    elsewhere = tmp_path / "elsewhere.pdf"
    monkeypatch.setattr(sys, "stdin", io.StringIO("Liaison-out-2026\n"))
    assert main(["--lang", "zh", "tasks", "print-order", path, str(task_id), "-o",
                 str(elsewhere), "--as", "outside", "--password-stdin"]) == 1  # refused
    assert "本部门" in capsys.readouterr().err
    assert not elsewhere.exists()


def test_the_tasks_group_keeps_its_other_actions():
    parser = build_parser()
    args = parser.parse_args(["tasks", "print-order", "w.gpkg", "3", "-o", "o.pdf"])
    assert args.task_id == 3 and args.output == "o.pdf" and args.acting_user == "admin"
    assert parser.parse_args(["tasks", "list", "w.gpkg"]).handler.__name__ == "cmd_list"


def test_no_qt_loaded_by_the_cli_import():
    code = ("import sys, gridapp.cli, gridapp.cli.cmd_task_print, gridapp.services.joint.task_print;"
            "gridapp.cli.build_parser();"
            "print([m for m in sys.modules if m.startswith('PySide6')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ}).stdout.strip()
    assert out == "[]"
