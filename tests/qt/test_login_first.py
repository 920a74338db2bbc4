"""The window's start logs in before the window is built (gridapp.qt.app, issue 22).

``log_in_first`` opens the workspace and logs in (the login dialog, or
``--user``); the window then takes the open workspace and the session over
instead of opening the file a second time.
"""

from __future__ import annotations

import pytest

from tests.qt.conftest import DEMO_ADMIN, assert_quiet


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path ``services.workspace.open_workspace`` is asked to open."""
    from gridapp.services import workspace as workspace_service

    seen: list[str] = []
    real = workspace_service.open_workspace

    def counted(path, **kw):  # type: ignore[no-untyped-def]
        seen.append(str(path))
        return real(path, **kw)

    monkeypatch.setattr(workspace_service, "open_workspace", counted)
    return seen


def _window(qtbot, settings):  # type: ignore[no-untyped-def]
    from gridapp.qt.main_window import MainWindow

    window = MainWindow(settings)
    window.show()
    qtbot.waitExposed(window)
    return window


def _close(window) -> None:  # type: ignore[no-untyped-def]
    window.close()
    assert window.session is None
    assert_quiet(window)
    window.deleteLater()


def test_a_direct_login_is_handed_to_the_window(qtbot, settings, demo_copy, opens) -> None:  # type: ignore[no-untyped-def]
    from gridapp.qt.app import direct_login, log_in_first

    logged_in = log_in_first(demo_copy, direct_login(*DEMO_ADMIN))
    assert logged_in is not None and logged_in.session is not None
    assert logged_in.session.user.username == "admin"
    window = _window(qtbot, settings)
    try:
        with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
            assert window.open_workspace(demo_copy, logged_in=logged_in)
        assert window.session is logged_in.session
        assert opens == [str(demo_copy)]  # opened once, before the window
        assert len(window.canvas.workspace.data["grid"].layer) == 60
    finally:
        _close(window)


def test_a_wrong_password_is_counted_once_and_shown_by_the_window(
        qtbot, settings, demo_copy, opens) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from gridapp.qt.app import direct_login, log_in_first

    def failures() -> int:
        conn = sqlite3.connect(demo_copy)
        try:
            return int(conn.execute(
                "SELECT failed_logins FROM app_user WHERE username = 'admin'").fetchone()[0] or 0)
        finally:
            conn.close()

    before = failures()
    logged_in = log_in_first(demo_copy, direct_login("admin", "not-the-password"))
    window = _window(qtbot, settings)
    try:
        with qtbot.waitSignal(window.workspaceFailed, timeout=10_000) as failed:
            assert not window.open_workspace(demo_copy, logged_in=logged_in)
        assert "Login failed" in failed.args[0] or "登录失败" in failed.args[0]
        assert window.session is None
        assert opens == [str(demo_copy)]  # not opened again by the window
    finally:
        _close(window)
    assert failures() == before + 1  # one attempt counted, not two


def test_a_file_that_cannot_be_opened_is_shown_by_the_window(
        qtbot, settings, tmp_path, opens) -> None:  # type: ignore[no-untyped-def]
    from gridapp.qt.app import direct_login, log_in_first

    bad = tmp_path / "not_a_workspace.gpkg"
    bad.write_bytes(b"this is not an SQLite file" * 100)
    logged_in = log_in_first(bad, direct_login(*DEMO_ADMIN))
    window = _window(qtbot, settings)
    try:
        with qtbot.waitSignal(window.workspaceFailed, timeout=10_000) as failed:
            assert not window.open_workspace(bad, logged_in=logged_in)
        assert str(bad) in failed.args[0]
        assert window.session is None
        assert opens == [str(bad)]
    finally:
        _close(window)


def test_the_dialog_logs_in_and_a_cancel_leaves_the_window_logged_out(
        qtbot, settings, demo_copy, opens, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gridapp.qt import login_dialog
    from gridapp.qt.app import log_in_first

    shown: list[str] = []

    def cancel(self) -> int:  # type: ignore[no-untyped-def]
        shown.append(self.username.text())
        return 0

    monkeypatch.setattr(login_dialog.LoginDialog, "exec", cancel)
    logged_in = log_in_first(demo_copy, None)
    assert shown == ["admin"]  # the demo street's first demo user is filled in
    assert logged_in is not None and logged_in.session is None
    window = _window(qtbot, settings)
    try:
        assert not window.open_workspace(demo_copy, logged_in=logged_in)
        assert window.session is None and window.path is None
        assert opens == [str(demo_copy)]
    finally:
        _close(window)


def test_the_dialog_session_is_the_one_logged_in(qtbot, demo_copy, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gridapp.qt import login_dialog
    from gridapp.qt.app import log_in_first

    def log_in(self) -> int:  # type: ignore[no-untyped-def]
        self.password.setText(DEMO_ADMIN[1])
        return int(self.try_login())

    monkeypatch.setattr(login_dialog.LoginDialog, "exec", log_in)
    logged_in = log_in_first(demo_copy, None)
    assert logged_in is not None and logged_in.session is not None
    try:
        assert logged_in.session.user.username == "admin"
    finally:
        logged_in.opened.close()


def test_the_collector_comes_back_on_after_the_start() -> None:
    import gc

    from gridapp.qt.app import collect_after_start

    was_frozen = gc.get_freeze_count()
    gc.disable()
    try:
        collect_after_start()
        assert gc.isenabled()
        assert gc.get_freeze_count() > was_frozen  # what lives on is left out of its walks
        collect_after_start()  # a second call (the timer after the first map) changes nothing
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
