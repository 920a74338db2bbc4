"""CLI: ``users``, ``managers import|list`` and ``assign``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.storage import open_store

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PW = "Admin-pass-2026"


@pytest.fixture
def ws(empty_workspace) -> Path:
    from tests.services.test_assignments import make_grids

    make_grids(empty_workspace, 3)
    path = empty_workspace.path
    empty_workspace.close()
    return path


def run(monkeypatch, capsys, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("argv", [
    ["users", "--help"], ["users", "add", "--help"], ["users", "list", "--help"],
    ["users", "passwd", "--help"], ["users", "disable", "--help"],
    ["managers", "import", "--help"], ["assign", "--help"]])
def test_help_texts(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "usage" in text


def test_passwords_are_never_arguments(ws, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["users", "add", str(ws), "zhang", "--role", "office", "--password", "x"])
    assert exc.value.code == 2


def test_users_add_list_passwd_disable(ws, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, [
        "users", "add", str(ws), "zhang", "--role", "office", "--display-name", "张科员",
        "--password-stdin"], f"{ADMIN_PW}\nZhang-pass-2026\n")
    assert code == 0, err
    assert "zhang" in out
    code, out, err = run(monkeypatch, capsys, [
        "users", "add", str(ws), "liaison1", "--role", "liaison", "--department", "城管",
        "--password-stdin"], f"{ADMIN_PW}\nLiaison-pass-1\n")
    assert code == 0, err
    code, out, _ = run(monkeypatch, capsys, ["users", "list", str(ws), "--password-stdin"],
                       f"{ADMIN_PW}\n")
    assert code == 0 and "zhang" in out and "张科员" in out and "admin" in out
    assert "区城市管理局" in out
    assert "scrypt" not in out and ADMIN_PW not in out
    # own password: log in as zhang, give the new one
    code, _, err = run(monkeypatch, capsys, [
        "users", "passwd", str(ws), "zhang", "--as", "zhang", "--password-stdin"],
        "Zhang-pass-2026\nZhang-new-2026\n")
    assert code == 0, err
    # the admin resets it
    code, _, err = run(monkeypatch, capsys, [
        "users", "passwd", str(ws), "zhang", "--password-stdin"],
        f"{ADMIN_PW}\nZhang-reset-2026\n")
    assert code == 0, err
    code, _, err = run(monkeypatch, capsys, [
        "users", "disable", str(ws), "zhang", "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 0, err
    from gridapp.errors import AuthenticationError
    from gridapp.services.people.auth import login

    with open_store(ws) as store, pytest.raises(AuthenticationError):
        login(store, "zhang", "Zhang-reset-2026")


def test_wrong_password_and_missing_permission(ws, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, ["users", "list", str(ws), "--password-stdin"],
                       "wrong-password\n")
    assert code == 2 and "登录失败" in err and "wrong-password" not in err
    run(monkeypatch, capsys, ["users", "add", str(ws), "boss", "--role", "leader",
                              "--password-stdin"], f"{ADMIN_PW}\nLeader-pass-1\n")
    code, _, err = run(monkeypatch, capsys, [
        "users", "add", str(ws), "sneaky", "--role", "admin", "--as", "boss",
        "--password-stdin"], "Leader-pass-1\nSneaky-pass-1\n")
    assert code == 1 and "无权" in err
    code, _, err = run(monkeypatch, capsys, [
        "users", "add", str(ws), "weak", "--role", "leader", "--password-stdin"],
        f"{ADMIN_PW}\nshort\n")
    assert code == 2 and "至少" in err and "short" not in err


def _write_managers_csv(path: Path, rows: list[str], encoding="gbk") -> Path:
    path.write_bytes(("姓名,联系电话,工号,类型\n" + "\n".join(rows) + "\n").encode(encoding))
    return path


def test_managers_import_assign_and_warnings(ws, tmp_path, monkeypatch, capsys):
    csv = _write_managers_csv(tmp_path / "m.csv", [
        "张伟,13812345678,W001,专职", "李娜,0851-85551234,W002,兼职"])
    code, out, err = run(monkeypatch, capsys, [
        "managers", "import", str(ws), str(csv), "--dry-run", "--password-stdin"],
        f"{ADMIN_PW}\n")
    assert code == 0, err
    assert "试运行" in out
    with open_store(ws) as store:
        assert store.scalar("SELECT count(*) FROM manager") == 0
    code, out, err = run(monkeypatch, capsys, [
        "managers", "import", str(ws), str(csv), "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 0, err
    assert "已导入 2 名网格员" in out
    code, out, err = run(monkeypatch, capsys, [
        "assign", str(ws), "--manager", "W001", "--grid", "520102003001001,520102003001002",
        "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 0, err
    assert "新增 2 条分配" in out
    code, out, _ = run(monkeypatch, capsys, ["assign", str(ws), "--warnings",
                                             "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 1 and "520102003001003" in out and "没有主责网格员" in out
    code, out, err = run(monkeypatch, capsys, [
        "assign", str(ws), "--from", "W001", "--to", "W002", "--deactivate",
        "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 0, err
    code, out, _ = run(monkeypatch, capsys, ["managers", "list", str(ws), "--all",
                                             "--password-stdin"], f"{ADMIN_PW}\n")
    assert "W002" in out and "已停用" in out
    code, _, err = run(monkeypatch, capsys, [
        "assign", str(ws), "--manager", "W002", "--grid", "999999999999999",
        "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 2 and "999999999999999" in err


def test_import_with_rejected_rows_writes_nothing(ws, tmp_path, monkeypatch, capsys):
    csv = _write_managers_csv(tmp_path / "m.csv", [
        "张伟,13812345678,W001,专职", "李娜,12345,W002,兼职", "王芳,13900001111,W001,"])
    code, out, _ = run(monkeypatch, capsys, [
        "managers", "import", str(ws), str(csv), "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 1
    assert "第3行" in out and "12345" in out and "重复" in out and "未写入任何数据" in out
    with open_store(ws) as store:
        assert store.scalar("SELECT count(*) FROM manager") == 0
    headerless = tmp_path / "h.csv"
    headerless.write_text("人员,号码,编号\n张伟,13812345678,W001\n", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, [
        "managers", "import", str(ws), str(headerless), "--map", "name=人员",
        "--map", "phone=号码", "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 0, out


def test_users_add_in_a_real_process_reads_the_password_from_stdin(ws):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "users", "add", str(ws), "wang",
         "--role", "dispatcher", "--password-stdin"],
        input=f"{ADMIN_PW}\nWang-pass-2026\n", capture_output=True, text=True, cwd=ROOT,
        timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Wang-pass-2026" not in result.stdout + result.stderr
    from gridapp.services.people.auth import login

    with open_store(ws) as store:
        assert login(store, "wang", "Wang-pass-2026").user.role.value == "dispatcher"
