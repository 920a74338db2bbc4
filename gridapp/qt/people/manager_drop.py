"""Drop a manager (dragged from the manager list) onto a grid on the map to assign it.

The canvas is not edited: :class:`ManagerDropFilter` is an event filter
installed on it that handles drag-enter/move/drop events carrying
:data:`.common.MANAGER_MIME` and lets every other drag through untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal

from gridapp.errors import GridAppError
from gridapp.services.people.assignments import assign_grids

from .common import MANAGER_MIME


def grid_at(canvas: Any, px: float, py: float) -> tuple[int, int] | None:
    """``(row, grid id)`` of the current grid under device pixel (px, py), or None."""
    ws, vp = canvas.workspace, canvas.viewport
    if ws is None or vp is None or "grid" not in ws.data:
        return None
    x, y = vp.device_to_map(px, py)
    rows = [r for name, r in canvas.features_at(x, y, ["grid"]) if name == "grid"]
    if not rows:
        return None
    row = rows[0]
    return row, int(ws.data["grid"].ids[row])


def manager_id_of(mime: Any) -> int | None:
    if mime is None or not mime.hasFormat(MANAGER_MIME):
        return None
    try:
        return int(bytes(mime.data(MANAGER_MIME).data()).decode())
    except ValueError:
        return None


class ManagerDropFilter(QObject):
    """Assigns the dropped manager as primary manager of the grid under the drop.

    Parameters
    ----------
    canvas : MapCanvas
        The map; drops are accepted on it (``setAcceptDrops(True)``).
    session : callable
        Returns the current session (or None when no workspace is open).

    Signals
    -------
    assigned(int, int)
        Grid id and manager id of an assignment made by a drop.
    failed(object)
        The exception a refused drop raised (shown by the owner).
    """

    assigned = Signal(int, int)
    failed = Signal(object)

    def __init__(
        self, canvas: Any, session: Callable[[], Any], parent: QObject | None = None
    ) -> None:
        super().__init__(parent or canvas)
        self.canvas = canvas
        self.session = session
        canvas.setAcceptDrops(True)
        canvas.installEventFilter(self)

    def _allowed(self) -> bool:
        s = self.session()
        return s is not None and s.can("assignment.edit")

    def _set_highlight(self, hit: tuple[int, int] | None) -> None:
        new = ("grid", hit[0]) if hit else None
        if self.canvas.highlight != new:
            self.canvas.highlight = new
            self.canvas.update()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
            QEvent.Type.Drop,
            QEvent.Type.DragLeave,
        ):
            return False
        if kind == QEvent.Type.DragLeave:
            self._set_highlight(None)
            return False
        mid = manager_id_of(event.mimeData())  # type: ignore[attr-defined]
        if mid is None:
            return False  # not ours: let the canvas or another filter handle it
        pos = event.position()  # type: ignore[attr-defined]
        hit = grid_at(self.canvas, pos.x(), pos.y()) if self._allowed() else None
        if kind == QEvent.Type.DragEnter:
            if self._allowed():
                event.setDropAction(Qt.DropAction.LinkAction)  # type: ignore[attr-defined]
                event.accept()
            else:
                event.ignore()
            self._set_highlight(hit)
            return True
        if kind == QEvent.Type.DragMove:
            self._set_highlight(hit)
            if hit is None:
                event.ignore()  # type: ignore[attr-defined]
            else:
                event.setDropAction(Qt.DropAction.LinkAction)  # type: ignore[attr-defined]
                event.accept()
            return True
        # Drop
        self._set_highlight(None)
        if hit is None:
            event.ignore()
            return True
        self.drop(mid, hit[1])
        event.setDropAction(Qt.DropAction.LinkAction)  # type: ignore[attr-defined]
        event.accept()
        return True

    def drop(self, manager_id: int, grid_id: int) -> bool:
        """Assign *manager_id* as primary manager of *grid_id*; signals the outcome."""
        session = self.session()
        if session is None:
            return False
        try:
            assign_grids(session, [grid_id], manager_id)
        except GridAppError as exc:
            self.failed.emit(exc)
            return False
        self.assigned.emit(grid_id, manager_id)
        return True
