"""The window's 外勤服务 switch (issue 20): start, QR code, fingerprint, stop."""

from __future__ import annotations

import socket

import httpx


def _feature(window):  # type: ignore[no-untyped-def]
    from gridapp.qt.features.field_service import FieldServiceFeature

    return next(f for f in window.features if isinstance(f, FieldServiceFeature))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_switch_serves_the_page_and_shows_qr_and_fingerprint(window, qtbot):
    from PySide6.QtCore import Qt

    from gridapp.qt.features.field_service import ACTION

    action = window.actions[ACTION]
    assert action.text().startswith("外勤服务")
    assert action in window.menus["tools"].actions() and action.isEnabled()
    feature = _feature(window)
    dialog = feature.open_dialog()
    assert dialog.windowTitle() == "外勤服务（手机）"
    assert dialog.switch.text() == "启动外勤服务"
    dialog.port.setValue(_free_port())
    dialog.lan.setChecked(False)
    qtbot.mouseClick(dialog.switch, Qt.MouseButton.LeftButton)
    server = feature.server
    assert server is not None and server.running, dialog.status.text()
    assert dialog.switch.text() == "停止外勤服务"
    assert dialog.address.text() == server.address.url
    assert dialog.fingerprint.text() == server.fingerprint
    assert not dialog.qr.pixmap().isNull() and dialog.qr.pixmap().width() >= 200
    assert "安卓" in dialog.steps.text() and "iOS" in dialog.steps.text()
    page = httpx.get(server.address.url, verify=str(server.certificate.cert_path), timeout=10)
    assert page.status_code == 200 and "GridApp 外勤" in page.text
    qtbot.mouseClick(dialog.switch, Qt.MouseButton.LeftButton)
    assert feature.server is None and dialog.switch.text() == "启动外勤服务"
    dialog.close()


def test_closing_the_workspace_stops_the_service(window):
    feature = _feature(window)
    server = feature.start(port=_free_port(), lan=False)
    assert server.running
    window.close_workspace()
    assert feature.server is None and not server.running


def test_quitting_with_the_service_on_stops_it(make_window, demo_copy):
    window = make_window(demo_copy)
    feature = _feature(window)
    dialog = feature.open_dialog()
    server = feature.start(port=_free_port(), lan=False)
    dialog.refresh()
    window.close()
    assert not server.running and feature.server is None
