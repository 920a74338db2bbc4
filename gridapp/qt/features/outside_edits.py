"""Edits made outside GridApp, shown when a workspace opens.

When the layers of a workspace have loaded and edits made in QGIS or sqlite3
are pending, the window says so without blocking: a line in the message
list, the status bar, and a status-bar button.  For an administrator
(``workspace.outside_edits``) the button and the Workspace menu action open
:class:`~gridapp.qt.outside.outside_edits_dialog.OutsideEditsDialog` to
accept or revert them; other roles are told to ask one.

The count is read on a :class:`~gridapp.qt.worker.WorkerThread` (it opens a
reader connection: ~10-30 ms on a district, issue 21) and shown when it
answers; a count for a workspace closed meanwhile is dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtWidgets import QPushButton

from gridapp.qt.actions import ActionSpec
from gridapp.qt.error_text import error_text
from gridapp.qt.worker import WorkerThread
from gridapp.services import outside_edits

ACTION = "gridapp.workspace.outside_edits"


class OutsideEditsFeature(QObject):
    """The notice and the review action; kept on ``window.features``."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.pending = 0
        self.dialog: Any = None
        self.worker: WorkerThread | None = None
        self.button = QPushButton(window)
        self.button.setObjectName("outsideEditsButton")
        self.button.setFlat(True)
        self.button.hide()
        self.button.clicked.connect(self.review)
        window.status.addPermanentWidget(self.button)
        window.actions.add(ActionSpec(
            ACTION, QT_TRANSLATE_NOOP("Actions", "Edits made &outside GridApp…"), self.review,
            enabled_when=lambda: self.may_review() and self.pending > 0))
        window.menus["file"].insertAction(window.actions["gridapp.file.close"],
                                          window.actions[ACTION])
        window.when_loaded(self._on_workspace_loaded)
        window.workspaceClosed.connect(self._on_workspace_closed)
        self.retranslate()

    def may_review(self) -> bool:
        session = self.window.session
        return session is not None and session.can(outside_edits.PERMISSION)

    def notice(self) -> str:
        if self.may_review():
            return self.tr("{n} edits made outside GridApp (QGIS, sqlite3…): review them "
                           "to accept or revert").format(n=self.pending)
        return self.tr("{n} edits made outside GridApp (QGIS, sqlite3…): an administrator "
                       "should review them").format(n=self.pending)

    def _on_workspace_loaded(self) -> None:
        session = self.window.session
        self._stop_worker()
        if session is None:
            self.pending = 0
            self._show()
            return

        def job(progress: Any, cancel: Any) -> int:
            return outside_edits.count_outside_edits(session)

        worker = self.worker = WorkerThread(job, self)
        worker.succeeded.connect(
            lambda n, s=session, w=worker: self._on_counted(int(n), s, w))
        worker.failed.connect(lambda exc, w=worker: self._on_count_failed(exc, w))
        worker.finished.connect(lambda w=worker: self._on_worker_finished(w))
        worker.start()

    def _on_count_failed(self, exc: BaseException, worker: WorkerThread) -> None:
        if worker is self.worker:
            self.window.messages.add(error_text(exc))

    def _on_worker_finished(self, worker: WorkerThread) -> None:
        if worker is self.worker:
            self.worker = None
        worker.deleteLater()

    def _stop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()

    def wait_count(self) -> int:
        """Let a running count finish and show it (tests); the pending count."""
        while self.worker is not None:
            self.worker.wait()
            QCoreApplication.processEvents()
        return self.pending

    def _on_counted(self, n: int, session: Any, worker: WorkerThread) -> None:
        if worker is not self.worker or session is not self.window.session:
            return  # a workspace closed or opened again meanwhile
        self.pending = n
        self._show()
        if self.pending:
            text = self.notice()
            self.window.messages.add(text)
            self.window.status.showMessage(text, 15_000)

    def _on_workspace_closed(self) -> None:
        self._stop_worker()
        self.pending = 0
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        self._show()

    def _show(self) -> None:
        self.button.setVisible(self.pending > 0)
        self.button.setEnabled(self.may_review())
        self.retranslate()
        self.window.actions.update_enabled()

    def review(self) -> Any:
        """Open the review dialog (administrators); returns it."""
        if not self.may_review():
            return None
        from gridapp.qt.outside.outside_edits_dialog import OutsideEditsDialog

        if self.dialog is None:
            self.dialog = OutsideEditsDialog(self.window.session, self.window)
            self.dialog.resolved.connect(self._on_resolved)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def _on_resolved(self, remaining: int) -> None:
        self.pending = remaining
        self._show()
        self.window.reload()  # accepted or reverted rows change what the map shows

    def retranslate(self) -> None:
        self.button.setText(self.tr("⚠ {n} edits outside GridApp").format(n=self.pending))
        self.button.setToolTip(self.notice())
        if self.dialog is not None:
            self.dialog.retranslate()


def install(window: Any) -> OutsideEditsFeature:
    return OutsideEditsFeature(window)
