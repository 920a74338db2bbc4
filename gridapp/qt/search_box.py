"""The search box on the map toolbar (issue 21): type, pick, and the map goes there.

What is typed is looked up by :func:`gridapp.services.find.find_features`
(grids, communities, places, buildings, case numbers in the user's scope) on a
worker after a short pause in typing, so a large workspace never stalls the
window; the hits drop down under the box, Up/Down/Enter or a click picks one,
and the map zooms to it.  Esc empties the box and gives the map back the keys.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from gridapp.qt.error_text import error_text
from gridapp.qt.worker import WorkerThread

KIND_TITLES = {
    "grid": QT_TRANSLATE_NOOP("SearchBox", "Grid"),
    "community": QT_TRANSLATE_NOOP("SearchBox", "Community"),
    "place": QT_TRANSLATE_NOOP("SearchBox", "Place"),
    "building": QT_TRANSLATE_NOOP("SearchBox", "Building"),
    "case": QT_TRANSLATE_NOOP("SearchBox", "Case"),
}
_HIT = Qt.ItemDataRole.UserRole + 1
# Around a point hit (a case) the map shows this many metres each way.
POINT_MARGIN_M = 150.0


def tr(text: str) -> str:
    return QCoreApplication.translate("SearchBox", text)


def kind_title(kind: str) -> str:
    return tr(KIND_TITLES.get(kind, kind))


class SearchBox(QLineEdit):
    """A line edit that finds named features; emits :attr:`picked` with the hit."""

    picked = Signal(object)
    failed = Signal(str)

    def __init__(self, session_of: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(160)
        self.setMaximumWidth(280)
        self._session_of = session_of
        self.model = QStandardItemModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setWidget(self)
        self.completer_.activated[QModelIndex].connect(self._on_activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.search_now)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self._on_return)
        self._worker: WorkerThread | None = None
        self._pending: str | None = None
        self.hits: list[Any] = []
        self.searched = ""  # the text the current hits are for
        self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(self.tr("Find grid, community, place, case no. (Ctrl+F)"))
        self.setToolTip(self.tr("Find a grid, community, place, building or case number and zoom to it"))

    # ------------------------------------------------------------ searching
    def search_now(self) -> None:
        """Look the current text up (on a worker); hits arrive in :meth:`_show`."""
        self._timer.stop()
        session = self._session_of()
        text = self.text().strip()
        if session is None or not text:
            self._show(text, [])
            return
        if self._worker is not None and self._worker.isRunning():
            self._pending = text
            return
        from gridapp.services.find import find_features

        worker = self._worker = WorkerThread(
            lambda progress, cancel: find_features(session, text), self)
        worker.succeeded.connect(lambda hits, t=text: self._show(t, hits))
        worker.failed.connect(lambda exc: self.failed.emit(error_text(exc)))
        worker.finished.connect(self._after_worker)
        worker.start()

    def _after_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        if self._pending is not None:
            self._pending = None
            self.search_now()

    def _show(self, text: str, hits: list[Any]) -> None:
        if text != self.text().strip():
            return  # typed on meanwhile: the next search answers
        self.hits, self.searched = list(hits), text
        self.model.clear()
        if not hits and text:
            item = QStandardItem(self.tr("Nothing found for “{text}”").format(text=text))
            item.setEnabled(False)
            self.model.appendRow(item)
        for hit in hits:
            item = QStandardItem(f"{kind_title(hit.kind)}　{hit.label}")
            item.setData(hit, _HIT)
            self.model.appendRow(item)
        if text and self.hasFocus():
            self.completer_.complete()

    def wait_idle(self) -> None:
        """Let a running lookup finish (tests and screenshots)."""
        while self._worker is not None:
            self._worker.wait()
            QCoreApplication.processEvents()

    # ------------------------------------------------------------ picking
    def _on_activated(self, index: QModelIndex) -> None:
        hit = index.data(_HIT)
        if hit is not None:
            self.pick(hit)

    def _on_return(self) -> None:
        if self.completer_.popup().isVisible():
            return  # the popup's own Enter picks the highlighted row
        if self.searched != self.text().strip():
            self.search_now()
            self.wait_idle()
        if self.hits:
            self.pick(self.hits[0])

    def pick(self, hit: Any) -> None:
        self.completer_.popup().hide()
        self.picked.emit(hit)

    def keyPressEvent(self, ev: QKeyEvent) -> None:  # noqa: N802
        if ev.key() == Qt.Key.Key_Escape:
            self.clear()
            self.completer_.popup().hide()
            if self.parentWidget() is not None:
                self.window().setFocus()
            return
        super().keyPressEvent(ev)


def extent_of(hit: Any, epsg: int) -> tuple[float, float, float, float]:
    """The hit's box (EPSG:4490) in the map's CRS, widened around a point."""
    from pyproj import Transformer

    xmin, ymin, xmax, ymax = hit.box
    to_map = Transformer.from_crs(4490, epsg, always_xy=True)
    xs, ys = to_map.transform([xmin, xmax, xmin, xmax], [ymin, ymin, ymax, ymax])
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if x1 - x0 < 2 * POINT_MARGIN_M and y1 - y0 < 2 * POINT_MARGIN_M:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        x0, x1 = cx - POINT_MARGIN_M, cx + POINT_MARGIN_M
        y0, y1 = cy - POINT_MARGIN_M, cy + POINT_MARGIN_M
    return x0, y0, x1, y1
