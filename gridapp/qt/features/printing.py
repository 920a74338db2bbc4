"""Printing feature: poster print preview, grid atlas and web map export.

Adds File › Print preview… (Ctrl+P), File › Grid atlas… and File › Export
web map…, shown to users whose role holds ``print.maps`` (the web map:
``export.data``) per :mod:`gridapp.domain.permissions`; hidden for others.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence

from gridapp.qt.actions import ActionSpec

PERMISSION = {"gridapp.print.poster": "print.maps", "gridapp.print.atlas": "print.maps",
              "gridapp.export.webmap": "export.data"}


class PrintingFeature(QObject):
    """Owns the three actions and opens the dialogs (one of each at a time).

    The dialogs are closed (their workers cancelled and joined) when the
    window closes or another workspace is loaded, so none outlives its store.
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("printingFeature")
        self.window = window
        self.dialogs: dict[str, Any] = {}
        # Tests replace this so nothing external (browser) opens.
        self.webmap_opener: Callable[[Path], Any] | None = None
        specs = [
            ActionSpec("gridapp.print.poster", QT_TRANSLATE_NOOP("Actions", "&Print preview…"),
                       self.open_preview, QKeySequence.StandardKey.Print,
                       lambda: self._enabled("gridapp.print.poster"), icon=None),
            ActionSpec("gridapp.print.atlas", QT_TRANSLATE_NOOP("Actions", "Grid &atlas…"),
                       self.open_atlas, None, lambda: self._enabled("gridapp.print.atlas")),
            ActionSpec("gridapp.export.webmap",
                       QT_TRANSLATE_NOOP("Actions", "Export &web map…"),
                       self.open_webmap, None, lambda: self._enabled("gridapp.export.webmap")),
        ]
        window.actions.add_all(specs)
        menu = window.menus["file"]
        before = window.actions["gridapp.file.close"] if "gridapp.file.close" in \
            window.actions else None
        self.separator = menu.insertSeparator(before) if before is not None else \
            menu.addSeparator()
        for spec in specs:
            action = window.actions[spec.id]
            if before is not None:
                menu.insertAction(self.separator, action)
            else:
                menu.addAction(action)
        window.when_loaded(self._on_loaded)
        window.installEventFilter(self)
        self.update()

    def eventFilter(self, obj: Any, ev: Any) -> bool:  # noqa: N802
        if obj is self.window and ev.type() == QEvent.Type.Close:
            self.close_dialogs()
        return False

    def _on_loaded(self) -> None:
        for dialog in list(self.dialogs.values()):
            try:
                if dialog.session is not self.window.session:
                    dialog.close()
            except RuntimeError:
                pass
        self.update()

    def allowed(self, action_id: str) -> bool:
        session = self.window.session
        return session is not None and bool(session.can(PERMISSION[action_id]))

    def _enabled(self, action_id: str) -> bool:
        """Enabled with a workspace and permission; hidden when the role lacks it."""
        session = self.window.session
        action = self.window.actions[action_id]
        action.setVisible(session is None or self.allowed(action_id))
        return self.window.session is not None and self.allowed(action_id)

    def update(self) -> None:
        for action_id in PERMISSION:
            self.window.actions[action_id].setEnabled(self._enabled(action_id))

    def _view_extent(self) -> Any:
        vp = getattr(self.window.canvas, "viewport", None)
        return None if vp is None else vp.extent

    def _show(self, key: str, make: Callable[[], Any]) -> Any:
        old = self.dialogs.get(key)
        if old is not None:
            try:
                if old.isVisible():
                    old.raise_()
                    old.activateWindow()
                    return old
            except RuntimeError:  # deleted
                pass
        dialog = make()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None, k=key: self.dialogs.pop(k, None))
        self.dialogs[key] = dialog
        dialog.show()
        return dialog

    def open_preview(self) -> Any:
        if not self.allowed("gridapp.print.poster") or self.window.session is None:
            return None
        from gridapp.qt.printing.print_preview_dialog import PrintPreviewDialog

        def make() -> Any:
            dialog = PrintPreviewDialog(self.window.session, self.window,
                                        view_extent=self._view_extent)
            self.window.canvas.viewChanged.connect(dialog.view_changed)
            return dialog

        return self._show("preview", make)

    def open_atlas(self) -> Any:
        if not self.allowed("gridapp.print.atlas") or self.window.session is None:
            return None
        from gridapp.qt.printing.atlas_dialog import AtlasDialog

        return self._show("atlas", lambda: AtlasDialog(self.window.session, self.window))

    def open_webmap(self) -> Any:
        if not self.allowed("gridapp.export.webmap") or self.window.session is None:
            return None
        from gridapp.qt.printing.webmap_dialog import WebMapDialog

        return self._show("webmap", lambda: WebMapDialog(self.window.session, self.window,
                                                         opener=self.webmap_opener))

    def close_dialogs(self) -> None:
        for dialog in list(self.dialogs.values()):
            try:
                dialog.close()
            except RuntimeError:
                pass

    def retranslate(self) -> None:
        for dialog in list(self.dialogs.values()):
            try:
                dialog.retranslate()
            except RuntimeError:
                pass


def install(window: Any) -> PrintingFeature:
    return PrintingFeature(window)
