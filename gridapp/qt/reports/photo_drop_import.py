"""Dropped photos → draft reports: read off the GUI thread, open a form per photo.

The map canvas can host this widget as an overlay/status strip, or keep one
hidden and call :meth:`PhotoDropImport.import_paths` from its own drop event.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from gridapp.errors import Cancelled
from gridapp.qt.error_text import error_text
from gridapp.qt.worker import WorkerThread
from gridapp.services.cases.photos import PreparedPhoto, read_photos
from gridapp.services.session import Session

from .common import ERROR_STYLE
from .report_dialog import ReportDialog

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".tif", ".tiff", ".webp"}


class PhotoDropImport(QWidget):
    """Accepts dropped image files and turns them into draft reports.

    Photos with EXIF GPS (WGS84) open a :class:`ReportDialog` at their place
    and time; the others are handed on with :attr:`position_needed` (the
    canvas asks for a click, then calls :meth:`open_draft` with the position).

    Parameters
    ----------
    session : Session
        The user who will file the reports.
    open_dialogs : bool
        Show each draft's dialog (non-modal); False only emits the signals.

    Signals
    -------
    draft_ready(object)
        A :class:`ReportDialog` prefilled from one photo.
    position_needed(list)
        Photos (``PreparedPhoto``) without a position.
    finished(int, int, int)
        Photos with a position, without one, and refused files.
    """

    draft_ready = Signal(object)
    position_needed = Signal(list)
    finished = Signal(int, int, int)

    def __init__(
        self,
        session: Session,
        *,
        open_dialogs: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.open_dialogs = open_dialogs
        self.worker: WorkerThread | None = None
        self.dialogs: list[ReportDialog] = []
        self.refusals: list[str] = []
        self.setAcceptDrops(True)

        self.status_label = QLabel(
            self.tr("Drop photos here to report what they show.")
        )
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.addWidget(self.status_label, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)

    # -- public API ------------------------------------------------------------
    def is_busy(self) -> bool:
        return self.worker is not None

    def import_paths(self, paths: Sequence[str | Path]) -> bool:
        """Read *paths* on a worker thread; False if busy or nothing to read."""
        files = [str(p) for p in paths if Path(p).suffix.lower() in IMAGE_SUFFIXES]
        if self.worker is not None or not files:
            if not files:
                self._status(
                    ERROR_STYLE, self.tr("No image files among the dropped files.")
                )
            return False
        self.refusals = []
        self.progress.setRange(0, len(files))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._status("", self.tr("Reading {n} photos…").format(n=len(files)))

        def job(progress: Any, cancel: Any) -> Any:
            return read_photos(files, progress=progress, cancel=cancel)

        self.worker = WorkerThread(job, self)
        self.worker.progressed.connect(self._on_worker_progressed)
        self.worker.succeeded.connect(self._on_worker_succeeded)
        self.worker.failed.connect(self._on_worker_failed)
        self.worker.finished.connect(self._on_worker_finished)
        self.worker.start()
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def open_draft(
        self,
        photos: Sequence[PreparedPhoto],
        lon: float | None = None,
        lat: float | None = None,
        crs: str = "wgs84",
    ) -> ReportDialog:
        """A report form for *photos* at (lon, lat) in *crs* (default: the first's GPS)."""
        first = photos[0]
        if lon is None or lat is None:
            lon, lat, crs = first.lon, first.lat, "wgs84"
        dlg = ReportDialog(
            self.session,
            lon,
            lat,
            crs=crs,
            photos=photos,
            reported_at=first.taken_at,
            parent=self,
        )
        self.dialogs.append(dlg)
        dlg.finished.connect(lambda _r, d=dlg: self._forget(d))
        if self.open_dialogs:
            dlg.show()
        self.draft_ready.emit(dlg)
        return dlg

    # -- worker ------------------------------------------------------------------
    def _on_worker_progressed(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if name:
            self._status("", self.tr("Reading {name}…").format(name=name))

    def _on_worker_succeeded(self, result: Any) -> None:
        read, refused = result
        self.refusals = [error_text(e) for e in refused]
        placed = [p for p in read if p.has_position]
        unplaced = [p for p in read if not p.has_position]
        for p in placed:
            self.open_draft([p])
        if unplaced:
            self.position_needed.emit(unplaced)
        text = self.tr("{a} photos with a position, {b} without, {c} refused.").format(
            a=len(placed), b=len(unplaced), c=len(refused)
        )
        if unplaced:
            text += " " + self.tr(
                "Click the map to place the photos without a position."
            )
        self._status(ERROR_STYLE if refused else "", "\n".join([text, *self.refusals]))
        self.finished.emit(len(placed), len(unplaced), len(refused))

    def _on_worker_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._status("", self.tr("Cancelled."))
        else:
            self._status(ERROR_STYLE, error_text(exc))
        self.finished.emit(0, 0, 0)

    def _on_worker_finished(self) -> None:
        worker, self.worker = self.worker, None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        if worker is not None:
            worker.deleteLater()

    # -- drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(
            Path(u.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES
            for u in event.mimeData().urls()
        ):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if self.import_paths(paths):
            event.acceptProposedAction()

    def closeEvent(self, event: Any) -> None:
        if self.worker is not None:
            self.worker.stop()
        super().closeEvent(event)

    # -- internals -------------------------------------------------------------------
    def _status(self, style: str, text: str) -> None:
        self.status_label.setStyleSheet(style)
        self.status_label.setText(text)

    def _forget(self, dlg: ReportDialog) -> None:
        if dlg in self.dialogs:
            self.dialogs.remove(dlg)
        dlg.deleteLater()
