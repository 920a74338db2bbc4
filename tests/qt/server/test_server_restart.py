"""The district server restarted while the window has a street open (issue 16).

The store reopens a dropped connection and runs the read again once
(tests/pg/test_pg_restart.py); the window tells the user, in the status bar
and the message list, the next time its reconnect watch looks.
"""

from __future__ import annotations

from gridapp.qt.features.server import ServerFeature

TOLD = "已自动重新连接"


def test_the_window_says_it_reconnected_after_a_server_restart(make_window, pg_demo_url,
                                                              pg_server, qtbot):
    window = make_window()
    feature = next(f for f in window.features if isinstance(f, ServerFeature))
    with qtbot.waitSignal(window.workspaceLoaded, timeout=60_000):
        assert feature.open(pg_demo_url, "restart test")
    assert feature.reconnects == 0
    assert TOLD not in window.status.currentMessage()

    pg_server.restart()  # every session cut, as on a reboot
    with qtbot.waitSignal(window.workspaceLoaded, timeout=60_000):
        window.reload()  # reads the layers again: the first read finds the dead connection
    assert len(window.canvas.workspace.data["grid"].layer) > 0  # read again, not failed
    qtbot.waitUntil(lambda: TOLD in window.status.currentMessage(), timeout=10_000)
    assert feature.reconnects >= 1
    listed = window.messages.list
    assert any(TOLD in listed.item(r).text() for r in range(listed.count()))
