"""Tools ▸ 职责清单… and 绘制职责区域 (issue 21), for roles that may edit categories.

The duty list's lines may apply only inside duty areas of a kind (main road,
compound, market …).  Areas come from a file (the editor's 导入区域图层…) or
are drawn on the map: the 绘制职责区域 tool (:class:`~gridapp.qt.tools.
polygon_tool.DrawPolygonTool`) outlines one, a small form asks its kind and
name, and :func:`gridapp.services.cases.duty_drawing.add_duty_area` saves it
(checked, audited); Tools › 撤销职责区域 removes it again.  While the tool is in
use the existing areas are drawn over the map.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtGui import QAction, QUndoStack
from shapely.geometry import Polygon

from gridapp.errors import GridAppError
from gridapp.qt.actions import ActionSpec
from gridapp.qt.duty.area_overlay import DutyAreaOverlay
from gridapp.qt.duty.duty_editor import DutyListEditor
from gridapp.qt.editors.command import ServiceEditCommand
from gridapp.qt.tools.polygon_tool import DrawPolygonTool
from gridapp.qt.worker import WorkerThread

ACTION = "gridapp.duty.edit"
TOOL = "duty_area_draw"
TOOL_ACTION = f"gridapp.tool.{TOOL}"
PERMISSION = "category.edit"


class _ToolHost:
    """The canvas, and the overlay repainted whenever the sketch changes."""

    def __init__(self, canvas: Any, changed: Any) -> None:
        self._canvas = canvas
        self._changed = changed

    def tool_changed(self) -> None:
        self._canvas.tool_changed()
        self._changed()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._canvas, name)


class DutyFeature(QObject):
    """Opens one duty-list editor per workspace; draws duty areas on the map."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.editor: DutyListEditor | None = None
        self.reader: WorkerThread | None = None
        self._read_again = False
        window.actions.add(ActionSpec(
            ACTION, QT_TRANSLATE_NOOP("Actions", "&Duty list (who handles what, where)…"),
            self.open, enabled_when=self.may_edit, permission=(PERMISSION,)))
        self.tool = DrawPolygonTool(_ToolHost(window.canvas, lambda: self.overlay.update()),
                                    TOOL, self._on_drawn)
        window.canvas.add_tool(self.tool)
        self.overlay = DutyAreaOverlay(window.canvas, self.tool)
        window.actions.add(ActionSpec(
            TOOL_ACTION, QT_TRANSLATE_NOOP("Actions", "Draw a duty &area"),
            self.start_drawing, enabled_when=self.may_draw, checkable=True, group="tools",
            tip=QT_TRANSLATE_NOOP(
                "Actions", "Outline a duty area (main road, compound, market …) on the map: "
                "click its corners, click the first corner or right-click to finish, Esc "
                "cancels, Backspace drops the last corner"),
            permission=(PERMISSION,)))
        menu = window.menus["tools"]
        menu.addSeparator()
        menu.addAction(window.actions[ACTION])
        menu.addAction(window.actions[TOOL_ACTION])
        # Its own undo (no Ctrl+Z: the grid editor's window-wide Ctrl+Z would make
        # the key ambiguous): Tools › 撤销职责区域 …
        self.undo_stack = QUndoStack(self)
        self.undo_action: QAction = self.undo_stack.createUndoAction(
            self, QCoreApplication.translate("DutyAreas", "Undo duty area"))
        self.undo_action.setObjectName("dutyAreaUndo")
        menu.addAction(self.undo_action)
        window.workspaceClosed.connect(self.close)

    def may_edit(self) -> bool:
        session = self.window.session
        return session is not None and session.can(PERMISSION)

    def may_draw(self) -> bool:
        return self.may_edit() and self.window.canvas.workspace is not None

    # -- the duty-list editor ---------------------------------------------------
    def open(self) -> DutyListEditor | None:
        session = self.window.session
        if session is None:
            return None
        if self.editor is None or self.editor.session is not session:
            self._close_editor()
            self.editor = DutyListEditor(session, self.window)
        self.editor.show()
        self.editor.raise_()
        self.editor.activateWindow()
        return self.editor

    def _close_editor(self) -> None:
        if self.editor is not None:
            self.editor.close()
            self.editor.deleteLater()
            self.editor = None

    def close(self) -> None:
        """The workspace closed: its editor, sketch, areas and undo steps go."""
        self._close_editor()
        self.tool.cancel()
        self.undo_stack.clear()
        self._read_again = False
        if self.reader is not None:
            self.reader.stop()
        self.overlay.set_areas([])

    # -- drawing duty areas -----------------------------------------------------
    def start_drawing(self) -> None:
        """Choose the tool and read the existing areas to draw over the map."""
        self.window.set_tool(TOOL)
        self.read_areas()

    def read_areas(self) -> None:
        """Read the duty areas on a worker; the overlay shows them when read."""
        session, ws = self.window.session, self.window.canvas.workspace
        if session is None or ws is None:
            return
        if self.reader is not None:  # read again once this read is over
            self._read_again = True
            return
        self._read_again = False
        epsg = ws.epsg

        def work(progress: Any, cancel: Any) -> list[tuple[Any, str]]:
            from gridapp.services import workspace as workspace_service
            from gridapp.services.cases import routing

            frame = workspace_service.read_map_layer(session, "duty_area")
            if not len(frame):
                return []
            frame = frame.to_crs(epsg)
            return [(g, " ".join(x for x in (routing.area_kind_label(k), n or "") if x))
                    for g, k, n in zip(frame.geometry, frame["kind"], frame["name"],
                                       strict=True)]

        reader = self.reader = WorkerThread(work, self)
        reader.succeeded.connect(
            lambda areas: self.overlay.set_areas(areas) if self.window.session is session
            else None)
        reader.failed.connect(lambda exc: self._say(exc))
        reader.finished.connect(self._on_read_finished)
        reader.start()

    def _on_read_finished(self) -> None:
        if self.reader is not None:
            self.reader.deleteLater()
        self.reader = None
        if self._read_again:
            self.read_areas()

    def edit_new_area(self) -> tuple[str, str] | None:
        """The drawn area's kind and name from the form (None: cancelled).
        Tests replace this hook instead of driving the modal dialog."""
        from gridapp.qt.duty.area_form import DutyAreaForm

        kind = self.editor.area_combo.currentData() if self.editor is not None else None
        dialog = DutyAreaForm(self.window.session, self.window, kind)
        try:
            return dialog.draft() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def _on_drawn(self, points: list[tuple[float, float]]) -> int | None:
        """Save an outline drawn on the map (metres) as a duty area; its id, or None."""
        from gridapp.domain.crs import to_storage
        from gridapp.services.cases import duty_drawing, routing

        session, ws = self.window.session, self.window.canvas.workspace
        if session is None or ws is None:
            return None
        xs, ys = np.asarray(points, dtype=float).T
        lon, lat = to_storage(xs, ys, ws.epsg)
        outline = Polygon(np.column_stack([lon, lat]))
        draft = self.edit_new_area()
        if draft is None:
            return None
        kind, name = draft
        try:
            area = duty_drawing.add_duty_area(session, outline, kind, name)
        except GridAppError as exc:
            self._say(exc)
            return None
        state = {"id": area}
        title = " ".join(x for x in (routing.area_kind_label(kind), name) if x)

        def redo() -> None:
            state["id"] = duty_drawing.add_duty_area(session, outline, kind, name)

        def undo() -> None:
            routing.remove_duty_areas(session, [state["id"]])

        self.undo_stack.push(ServiceEditCommand(
            title, redo, undo, self._say, lambda _step, _ok: self._after_change()))
        self._after_change()
        self.window.status.showMessage(
            QCoreApplication.translate(
            "DutyAreas", "Duty area saved: {name}. Undo: Tools › Undo duty area.").format(name=title), 8000)
        return area

    def _after_change(self) -> None:
        self.read_areas()
        if self.editor is not None:
            self.editor._fill_areas()

    def _say(self, exc: BaseException) -> None:
        from gridapp.qt.error_text import error_text

        text = error_text(exc)
        self.window.status.showMessage(text, 8000)
        self.window.messages.add(text)

    def retranslate(self) -> None:
        if self.editor is not None:
            self.editor.retranslate()


def install(window: Any) -> DutyFeature:
    return DutyFeature(window)
