"""Photos dragged from a file manager onto the map canvas.

An event filter, so the canvas needs no change: it accepts drags that carry
image files and hands the dropped paths to a callback (the feature passes
them to :meth:`~gridapp.qt.reports.photo_drop_import.PhotoDropImport.import_paths`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject

from gridapp.qt.reports.photo_drop_import import IMAGE_SUFFIXES


def image_paths(mime: object) -> list[str]:
    """Local image files among a drag's URLs."""
    if mime is None or not mime.hasUrls():  # type: ignore[attr-defined]
        return []
    return [
        u.toLocalFile()
        for u in mime.urls()  # type: ignore[attr-defined]
        if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES
    ]


class CanvasPhotoDrop(QObject):
    """Event filter on the canvas: image files dropped → ``on_drop(paths)``.

    ``enabled()`` says whether drops are welcome now (a workspace is open and
    the user may file reports); otherwise the drag is refused.
    """

    def __init__(
        self,
        canvas: QObject,
        on_drop: Callable[[list[str]], bool],
        enabled: Callable[[], bool],
    ) -> None:
        super().__init__(canvas)
        self.on_drop = on_drop
        self.enabled = enabled
        canvas.setAcceptDrops(True)  # type: ignore[attr-defined]
        canvas.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if self.enabled() and image_paths(event.mimeData()):  # type: ignore[attr-defined]
                event.acceptProposedAction()  # type: ignore[attr-defined]
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.Drop:
            paths = image_paths(event.mimeData())  # type: ignore[attr-defined]
            if paths and self.enabled() and self.on_drop(paths):
                event.acceptProposedAction()  # type: ignore[attr-defined]
            else:
                event.ignore()
            return True
        return False
