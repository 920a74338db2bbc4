"""外勤服务: the window's switch for the phones' page (issue 20).

Tools → Field service for phones… opens
:class:`~gridapp.qt.field.field_service_dialog.FieldServiceDialog`, where
an administrator or office staff (``field.serve``) starts the server for the
open workspace and shows phones its QR code and certificate fingerprint.  The
server stops when the workspace closes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject

from gridapp.qt.actions import ActionSpec
from gridapp.services.field.settings import PERMISSION, field_settings, phone_logins

ACTION = "gridapp.field.service"


class FieldServiceFeature(QObject):
    """The action, the dialog and the running server; kept on ``window.features``."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.server: Any = None
        self.dialog: Any = None
        self.port = 8443
        window.actions.add(ActionSpec(
            ACTION, QT_TRANSLATE_NOOP("Actions", "&Field service for phones…"), self.open_dialog,
            enabled_when=self.may_serve, permission=(PERMISSION,)))
        menu = window.menus["tools"]
        menu.addSeparator()
        menu.addAction(window.actions[ACTION])
        window.workspaceClosed.connect(self.stop)

    def may_serve(self) -> bool:
        session = self.window.session
        return session is not None and session.can(PERMISSION)

    def open_dialog(self) -> Any:
        from gridapp.qt.field.field_service_dialog import FieldServiceDialog

        if self.dialog is None:
            self.dialog = FieldServiceDialog(self, self.window)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def start(self, *, port: int | None = None, lan: bool = True) -> Any:
        """Serve the open workspace to phones (raises GridAppError when it cannot)."""
        from gridapp.web.server import FieldServer

        self.stop()
        session = self.window.session
        self.port = port or self.port
        self.server = FieldServer(phone_logins(session), field_settings(session),
                                  port=self.port, lan=lan).start()
        self.window.status.showMessage(
            self.tr("Field service running at {url}").format(url=self.server.address.url),
            15_000)
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.dialog is not None:
            self.dialog.refresh()

    def retranslate(self) -> None:
        if self.dialog is not None:
            self.dialog.retranslate()


def install(window: Any) -> FieldServiceFeature:
    return FieldServiceFeature(window)
