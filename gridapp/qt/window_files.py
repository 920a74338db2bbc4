"""The main window's files: open and new dialogs, import, background tiles,
recent workspaces and the last view of each.

A mixin of :class:`~gridapp.qt.main_window.MainWindow`; what it remembers is
kept in the window's ``QSettings`` (``file/recent``, ``file/last_dir``,
``view/<path>``, ``map/background``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog

from gridapp.render.viewport import Viewport

MAX_RECENT = 8


class WindowFiles:
    """Dialogs that pick files, and what the window remembers about them."""

    actions: Any
    canvas: Any
    messages: Any
    settings: Any
    path: Path | None
    recent_menu: Any

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("MainWindow", "Open workspace"),
            self._last_dir(),
            QCoreApplication.translate("MainWindow", "GeoPackage (*.gpkg)"),
        )
        if path:
            self.open_workspace(path)

    def new_workspace(self) -> None:
        from gridapp.qt.new_workspace_dialog import NewWorkspaceDialog

        dialog = NewWorkspaceDialog(self, self._last_dir())
        if dialog.exec() and dialog.created is not None:
            self.open_workspace(dialog.created)

    def import_layer(self) -> None:
        from gridapp.qt.import_preview_dialog import ImportPreviewDialog

        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("MainWindow", "Import layer"),
            self._last_dir(),
            QCoreApplication.translate("MainWindow",
                "Boundary files (*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx)"
            ),
        )
        if path:
            dialog = ImportPreviewDialog(path, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def choose_background(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("MainWindow", "Background tiles (MBTiles)"),
            self._last_dir(),
            QCoreApplication.translate("MainWindow", "MBTiles (*.mbtiles)"),
        )
        if not path:
            path = QFileDialog.getExistingDirectory(
                self, QCoreApplication.translate("MainWindow", "XYZ tile folder"), self._last_dir()
            )
        if path:
            self.set_background(path)

    def set_background(self, path: str | Path | None) -> bool:
        from gridapp.qt.tiles import TileSource

        old = self.canvas.cache.background
        if path is None:
            self.canvas.set_background(None)
            if old is not None:
                old.close()
            self.actions.update_enabled()
            return True
        if self.canvas.workspace is None:
            return False
        try:
            source = TileSource(path, self.canvas.workspace.epsg)
        except (OSError, Exception) as exc:  # noqa: BLE001 - a bad file is a message
            self.messages.add(
                QCoreApplication.translate("MainWindow", "Cannot use {path} as background: {error}").format(
                    path=str(path), error=str(exc)
                )
            )
            return False
        self.canvas.set_background(source)
        if old is not None:
            old.close()
        self.settings.setValue("map/background", str(path))
        self.actions.update_enabled()
        return True


    def _last_dir(self) -> str:
        return (
            str(self.path.parent)
            if self.path
            else str(self.settings.value("file/last_dir", ""))
        )

    def recent_files(self) -> list[str]:
        value = self.settings.value("file/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        p = str(path.resolve())
        recent = [r for r in self.recent_files() if r != p]
        self.settings.setValue("file/recent", [p, *recent][:MAX_RECENT])
        self.settings.setValue("file/last_dir", str(path.resolve().parent))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for p in self.recent_files():
            action = self.recent_menu.addAction(p)
            action.triggered.connect(lambda _c=False, p=p: self.open_workspace(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction(QCoreApplication.translate("MainWindow", "(none)")).setEnabled(False)

    def _view_key(self) -> str:
        return "view/" + str(self.path.resolve()).replace("/", "|") if self.path else ""

    def _save_view(self) -> None:
        vp = self.canvas.viewport
        if vp is not None and self.path is not None:
            self.settings.setValue(
                self._view_key(), [vp.center_x, vp.center_y, vp.resolution]
            )

    def _saved_view(self) -> Viewport | None:
        if self.path is None:
            return None
        value = self.settings.value(self._view_key())
        try:
            cx, cy, res = (float(v) for v in value)  # type: ignore[union-attr]
            return Viewport(
                max(self.canvas.width(), 1), max(self.canvas.height(), 1), cx, cy, res
            )
        except (TypeError, ValueError):
            return None

