"""文件 › 连接服务器… against a real server (issue 16).

A throw-away PostgreSQL + PostGIS (tests/pg/conftest.py) holds a copy of the
demo street.  The dialog checks the address on a worker; a wrong password, a
server that is down, a street that is not there and a schema newer than the
client are said in Chinese and nothing is opened or remembered.  Passwords go
to the pgpass file (``PGPASSFILE``, here a file in tmp_path) or a keyring,
never to QSettings.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
from urllib.parse import urlsplit

import pytest

from gridapp.qt.features.server import ServerFeature
from gridapp.qt.server import passwords
from gridapp.qt.server.connect_dialog import ServerConnectDialog
from gridapp.qt.server.connection import ServerConnection, remembered
from tests.qt.editors.conftest import chinese_ui  # noqa: F401 - a fixture

PASSWORD = "Field-laptop-2026"


@pytest.fixture(autouse=True)
def private_pgpass(tmp_path, monkeypatch):
    """Every password a test remembers goes to a file of its own; no keyring."""
    path = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    monkeypatch.setattr(passwords, "keyring_backend", lambda: None)
    return path


def _where(url: str) -> dict:
    parts = urlsplit(url)
    return {"host": parts.hostname, "port": parts.port, "database": parts.path.strip("/"),
            "user": parts.username, "street": url.split("street=")[1]}


def _login_role(pg_demo_url: str) -> str:
    from gridapp.storage.postgis.roles import create_login

    w = _where(pg_demo_url)
    return create_login(pg_demo_url.split("?")[0], w["street"], "zhang", PASSWORD)


def _fill(dialog: ServerConnectDialog, *, host, port, database, user, street, password=""):
    dialog.use_service.setChecked(False)
    dialog.host.setText(host)
    dialog.port.setValue(port)
    dialog.database.setText(database)
    dialog.user.setText(user)
    dialog.street.setText(street)
    dialog.password.setText(password)


def _run(qtbot, dialog: ServerConnectDialog, *, connect: bool) -> None:
    """Press 连接 (or 测试连接) and wait until the check on the worker is done."""
    (dialog.accept if connect else dialog.test_connection)()
    assert dialog.worker is not None  # the check runs off the GUI thread
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30_000)


def _feature(window) -> ServerFeature:
    return next(f for f in window.features if isinstance(f, ServerFeature))


def _current_grids(gpkg) -> int:
    with sqlite3.connect(gpkg) as conn:
        return conn.execute("SELECT count(*) FROM grid WHERE valid_to IS NULL").fetchone()[0]


def _settings_text(settings) -> str:
    """Every key and value of *settings*, and its file as written."""
    settings.sync()
    values = "\n".join(f"{k}={settings.value(k)}" for k in settings.allKeys())
    try:
        with open(settings.fileName(), encoding="utf-8") as f:
            return values + "\n" + f.read()
    except FileNotFoundError:
        return values


def test_connect_opens_the_street_and_its_grids(make_window, settings, pg_demo_url, demo_file,
                                                qtbot, monkeypatch):
    w = _where(pg_demo_url)  # the server's superuser: no password on loopback
    window = make_window()
    feature = _feature(window)
    assert window.actions["gridapp.file.connect_server"] in window.menus["file"].actions()
    assert window.actions["gridapp.file.connect_server"].text() == "连接服务器(&S)…"

    def drive(dialog):  # the modal exec, as a user would fill it
        _fill(dialog, host=w["host"], port=w["port"], database=w["database"], user=w["user"],
              street=w["street"])
        _run(qtbot, dialog, connect=True)
        return dialog.result()

    monkeypatch.setattr(ServerConnectDialog, "exec", drive)
    with qtbot.waitSignal(window.workspaceLoaded, timeout=60_000):
        assert feature.connect_server()
    grids = window.canvas.workspace.data["grid"].layer
    assert len(grids) == _current_grids(demo_file) > 0
    assert w["street"] in window.windowTitle()
    assert feature.timer.isActive()  # watching for a server restart
    assert remembered(settings) == [
        ServerConnection(w["host"], w["port"], w["database"], w["user"], w["street"])]
    window.close_workspace()
    assert not feature.timer.isActive()


def test_a_street_login_password_goes_to_pgpass_never_to_settings(
        make_window, settings, pg_demo_url, qtbot, private_pgpass):
    role = _login_role(pg_demo_url)
    w = _where(pg_demo_url)
    window = make_window()
    dialog = ServerConnectDialog(settings, window)
    _fill(dialog, host=w["host"], port=w["port"], database=w["database"], user=role,
          street=w["street"], password=PASSWORD)
    dialog.remember_password.setChecked(True)
    _run(qtbot, dialog, connect=True)
    assert "连接成功" in dialog.message.text(), dialog.message.text()
    assert dialog.result() == 1 and dialog.url is not None
    assert PASSWORD not in dialog.url  # libpq reads it from a private passfile

    conn = ServerConnection(w["host"], w["port"], w["database"], role, w["street"])
    assert remembered(settings) == [conn]
    assert PASSWORD not in _settings_text(settings)
    assert f"{w['host']}:{w['port']}:{w['database']}:{role}:{PASSWORD}" in \
        private_pgpass.read_text().splitlines()
    assert stat.S_IMODE(os.stat(private_pgpass).st_mode) == 0o600
    dialog.deleteLater()

    # Next time the dialog offers it, with the password found again; libpq alone
    # (no password typed) finds it in pgpass.
    again = ServerConnectDialog(settings, window)
    assert again.user.text() == role and again.street.text() == w["street"]
    assert again.password.text() == PASSWORD
    again.password.clear()
    _run(qtbot, again, connect=False)
    assert "连接成功" in again.message.text(), again.message.text()
    # Unticking 记住密码 on a kept password forgets it when the connection is used.
    again.remember_password.setChecked(False)
    _run(qtbot, again, connect=True)
    assert again.result() == 1
    assert passwords.recall(conn) is None
    assert PASSWORD not in private_pgpass.read_text()
    again.deleteLater()


def test_a_street_login_opens_the_window(make_window, pg_demo_url, qtbot, private_pgpass):
    role = _login_role(pg_demo_url)
    w = _where(pg_demo_url)
    window = make_window()
    feature = _feature(window)
    url = ServerConnection(w["host"], w["port"], w["database"], role, w["street"]).url(
        passwords.session_passfile(
            ServerConnection(w["host"], w["port"], w["database"], role, w["street"]),
            PASSWORD))
    with qtbot.waitSignal(window.workspaceLoaded, timeout=60_000):
        assert feature.open(url, w["street"])
    # the street login reads the catalogue views (the outside-edits count at load
    # was refused before) and sees its street's grids
    assert window.session is not None and window.path.name.startswith(w["street"])
    assert len(window.canvas.workspace.data["grid"].ids) > 0


def test_wrong_password_is_said_and_nothing_is_opened_or_remembered(
        make_window, settings, pg_demo_url, qtbot, private_pgpass):
    role = _login_role(pg_demo_url)
    w = _where(pg_demo_url)
    window = make_window()
    dialog = ServerConnectDialog(settings, window)
    dialog.show()
    _fill(dialog, host=w["host"], port=w["port"], database=w["database"], user=role,
          street=w["street"], password="not-the-password")
    dialog.remember_password.setChecked(True)
    _run(qtbot, dialog, connect=True)
    assert "用户名或密码错误" in dialog.message.text()
    assert dialog.url is None and dialog.result() == 0 and dialog.isVisible()
    assert window.session is None
    assert remembered(settings) == []
    assert not private_pgpass.exists()
    assert "not-the-password" not in _settings_text(settings)
    dialog.close()


def test_server_down_no_street_and_bad_input_are_said(make_window, settings, pg_demo_url,
                                                       qtbot):
    w = _where(pg_demo_url)
    window = make_window()
    dialog = ServerConnectDialog(settings, window)
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    _fill(dialog, host="127.0.0.1", port=free, database=w["database"], user=w["user"],
          street=w["street"])
    _run(qtbot, dialog, connect=False)
    assert "无法连接数据库服务器" in dialog.message.text()
    assert "服务器未运行" in dialog.message.text()

    _fill(dialog, host=w["host"], port=w["port"], database=w["database"], user=w["user"],
          street="520102099")
    _run(qtbot, dialog, connect=False)
    assert "没有街道 520102099" in dialog.message.text()

    _fill(dialog, host=w["host"], port=w["port"], database=w["database"], user=w["user"],
          street="52010")
    dialog.accept()  # checked before anything is sent
    assert dialog.worker is None and "街道代码" in dialog.message.text()
    _fill(dialog, host="", port=w["port"], database=w["database"], user=w["user"],
          street=w["street"])
    dialog.accept()
    assert dialog.worker is None and "服务器地址" in dialog.message.text()

    # 测试连接 on the good address: found, and nothing opened or remembered.
    _fill(dialog, host=w["host"], port=w["port"], database=w["database"], user=w["user"],
          street=w["street"])
    _run(qtbot, dialog, connect=False)
    assert "连接成功" in dialog.message.text() and w["street"] in dialog.message.text()
    assert window.session is None and remembered(settings) == []
    dialog.close()


def test_a_schema_newer_than_the_client_is_refused(make_window, settings, pg_demo_url, qtbot):
    import psycopg

    from gridapp.storage.postgis import schema

    w = _where(pg_demo_url)
    with psycopg.connect(pg_demo_url.split("?")[0], autocommit=True) as conn:
        conn.execute(f'INSERT INTO "street_{w["street"]}".{schema.MIGRATION_TABLE} (name, version, applied_at) '
                     "VALUES ('9999_from_the_future', 9999, '2026-12-03T00:00:00Z')")
    window = make_window()
    dialog = ServerConnectDialog(settings, window)
    _fill(dialog, host=w["host"], port=w["port"], database=w["database"], user=w["user"],
          street=w["street"])
    _run(qtbot, dialog, connect=True)
    assert "更新版本的 GridApp" in dialog.message.text()
    assert "9999_from_the_future" in dialog.message.text()
    assert dialog.url is None and window.session is None
    dialog.close()


def test_a_keyring_gets_the_password_when_one_works(settings, monkeypatch, private_pgpass,
                                                     qtbot):
    class FakeKeyring:
        def __init__(self):
            self.stored = {}

        def set_password(self, service, name, pw):
            self.stored[(service, name)] = pw

        def get_password(self, service, name):
            return self.stored.get((service, name))

        def delete_password(self, service, name):
            self.stored.pop((service, name), None)

    kr = FakeKeyring()
    monkeypatch.setattr(passwords, "keyring_backend", lambda: kr)
    conn = ServerConnection("10.1.2.3", 5433, "district", "zhang:x", "520102003")
    assert passwords.remember(conn, PASSWORD) == "keyring"
    assert list(kr.stored.values()) == [PASSWORD]
    assert passwords.recall(conn) == PASSWORD
    assert not private_pgpass.exists()
    passwords.forget(conn)
    assert kr.stored == {}


def test_pgpass_lines_of_other_servers_are_kept_and_colons_escaped(private_pgpass):
    private_pgpass.write_text("db.other:5432:*:someone:secret\n")
    conn = ServerConnection("10.1.2.3", 5433, "district", "zhang", "520102003")
    passwords.remember(conn, "pa:ss\\word")
    lines = private_pgpass.read_text().splitlines()
    assert lines == ["db.other:5432:*:someone:secret",
                     "10.1.2.3:5433:district:zhang:pa\\:ss\\\\word"]
    assert passwords.recall(conn) == "pa:ss\\word"
    passwords.remember(conn, "new-one")  # replaces its own line only
    assert private_pgpass.read_text().splitlines()[1:] == ["10.1.2.3:5433:district:zhang:new-one"]
    passwords.forget(conn)
    assert private_pgpass.read_text().splitlines() == ["db.other:5432:*:someone:secret"]


def test_a_libpq_service_name_and_a_password_not_remembered(
        make_window, settings, pg_demo_url, qtbot, tmp_path, monkeypatch, private_pgpass):
    role = _login_role(pg_demo_url)
    w = _where(pg_demo_url)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[district]\nhost={w['host']}\nport={w['port']}\n"
                        f"dbname={w['database']}\nuser={role}\n")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    window = make_window()
    dialog = ServerConnectDialog(settings, window)
    dialog.use_service.setChecked(True)
    assert not dialog.host.isEnabled() and dialog.service.isEnabled()
    dialog.service.setText("district")
    dialog.street.setText(w["street"])
    dialog.password.setText(PASSWORD)
    dialog.remember_password.setChecked(False)
    _run(qtbot, dialog, connect=True)
    assert "连接成功" in dialog.message.text(), dialog.message.text()
    assert dialog.result() == 1
    assert remembered(settings) == [ServerConnection(service="district", street=w["street"])]
    assert not private_pgpass.exists()  # typed, not remembered: nowhere on disk but the
    assert PASSWORD not in _settings_text(settings)  # program's own passfile
    # the dialog fits a 1366×768 screen with room to spare
    assert dialog.sizeHint().height() < 700 and dialog.sizeHint().width() < 1300
    dialog.deleteLater()


def test_forget_removes_the_connection_and_its_password(settings, qtbot, private_pgpass,
                                                         chinese_ui):  # noqa: F811
    from gridapp.qt.server.connection import remember

    conn = ServerConnection("10.1.2.3", 5433, "district", "zhang", "520102003")
    remember(settings, conn)
    passwords.remember(conn, PASSWORD)
    dialog = ServerConnectDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.host.text() == "10.1.2.3" and dialog.password.text() == PASSWORD
    assert dialog.forget_button.isEnabled()
    dialog.forget_button.click()
    assert remembered(settings) == [] and passwords.recall(conn) is None
    assert PASSWORD not in private_pgpass.read_text()
    assert not dialog.forget_button.isEnabled()
    assert "已删除" in dialog.message.text()
