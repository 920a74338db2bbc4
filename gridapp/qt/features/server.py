"""文件 › 连接服务器…: open a street of the district server (issue 16).

The dialog (:mod:`gridapp.qt.server.connect_dialog`) checks the address and
keeps the connection without its password; the street then opens like a file
(:func:`gridapp.qt.server.opening.open_server`).  While a server street is
open, a light timer watches the store's reconnect counter
(:func:`gridapp.services.server_check.reconnect_count`): after a server
restart the store reopened its connection and ran the work again once, and
the status bar and the message list say so (a change the restart cut in the
middle was not saved, and its own error said so).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer

from gridapp.qt.actions import ActionSpec
from gridapp.qt.server.connect_dialog import ServerConnectDialog
from gridapp.qt.server.opening import open_server
from gridapp.services import server_check

ACTION = "gridapp.file.connect_server"
WATCH_MS = 2000  # how often the reconnect counter is read (an attribute, no I/O)


class ServerFeature(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: ServerConnectDialog | None = None
        self.on_server = False
        self.reconnects = 0
        self.timer = QTimer(self)
        self.timer.setObjectName("serverReconnectWatch")
        self.timer.setInterval(WATCH_MS)
        self.timer.timeout.connect(self.check_reconnects)
        window.actions.add(ActionSpec(
            ACTION, QT_TRANSLATE_NOOP("Actions", "Connect to &server…"), self.connect_server,
            tip=QT_TRANSLATE_NOOP("Actions", "Open a street on the district's PostgreSQL "
                                             "server")))
        menu = window.menus["file"]
        before = window.actions["gridapp.file.import"] if "gridapp.file.import" in \
            window.actions else None
        if before is not None and before in menu.actions():
            menu.insertAction(before, window.actions[ACTION])
        else:
            menu.addAction(window.actions[ACTION])
        window.workspaceClosed.connect(self._on_closed)

    # -- connecting ----------------------------------------------------------------
    def make_dialog(self) -> ServerConnectDialog:
        return ServerConnectDialog(self.window.settings, self.window)

    def connect_server(self) -> bool:
        """Ask for the connection; open the street when the dialog's check succeeded."""
        dialog = self.dialog = self.make_dialog()
        try:
            if not dialog.exec() or dialog.url is None or dialog.connection is None:
                return False
            return self.open(dialog.url, dialog.connection.title())
        finally:
            self.dialog = None
            dialog.deleteLater()

    def open(self, url: str, title: str) -> bool:
        """Open the street at *url* in the window and start watching for reconnects."""
        ok = open_server(self.window, url, title)
        if ok:
            self.on_server = True
            self.reconnects = server_check.reconnect_count(self.window.session)
            self.timer.start()
        return ok

    # -- a server restarted mid-session -----------------------------------------------
    def check_reconnects(self) -> int:
        """Tell the user when the server connection was reopened; the new count."""
        session = self.window.session
        if session is None or not self.on_server:
            return 0
        n = server_check.reconnect_count(session)
        if n > self.reconnects:
            text = QCoreApplication.translate(
                "Server", "The connection to the server was lost (a restart?) and GridApp "
                          "reconnected. Check that your last change was saved.")
            self.window.status.showMessage(text, 15_000)
            self.window.messages.add(text)
        self.reconnects = n
        return n

    def _on_closed(self) -> None:
        self.timer.stop()
        self.on_server = False
        self.reconnects = 0

    def retranslate(self) -> None:
        if self.dialog is not None:
            self.dialog.retranslate()


def install(window: Any) -> ServerFeature:
    return ServerFeature(window)
