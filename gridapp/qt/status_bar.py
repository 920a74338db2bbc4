"""Status bar: cursor in lon/lat and Gauss-Krüger metres, scale, render time, user."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from gridapp.qt.actions import plain_title
from gridapp.render.viewport import Viewport


@lru_cache(maxsize=8)
def _to_geographic(epsg: int):  # type: ignore[no-untyped-def]
    from pyproj import Transformer

    return Transformer.from_crs(epsg, 4490, always_xy=True)


class MapStatusBar(QStatusBar):
    """Permanent labels on the right; transient messages on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lonlat = QLabel(self)
        self.metres = QLabel(self)
        self.scale = QLabel(self)
        self.tool = QLabel(self)
        self.tool.setObjectName("statusTool")
        self.render_time = QLabel(self)
        self.user = QLabel(self)
        for label in (
            self.lonlat,
            self.metres,
            self.scale,
            self.tool,
            self.render_time,
            self.user,
        ):
            label.setMinimumWidth(60)
            self.addPermanentWidget(label)
        self.epsg: int | None = None
        self._user_text = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.user.setText(
            self.tr("User: {name}").format(name=self._user_text)
            if self._user_text
            else ""
        )

    def set_cursor(self, x: float, y: float) -> None:
        if self.epsg is None:
            return
        lon, lat = _to_geographic(self.epsg).transform(x, y)
        self.lonlat.setText(f"{lon:.6f}°E {lat:.6f}°N")
        self.metres.setText(f"X {x:,.1f} m  Y {y:,.1f} m (EPSG:{self.epsg})")

    def set_view(self, viewport: Viewport) -> None:
        self.scale.setText(
            self.tr("Scale 1:{n}").format(n=f"{round(viewport.scale_denominator):,}")
        )

    def set_tool(self, title: str) -> None:
        """The map tool in use, by its (translated) title."""
        self.tool.setText(self.tr("Tool: {name}").format(name=plain_title(title)))

    def set_render_ms(self, ms: float) -> None:
        self.render_time.setText(f"{ms:.0f} ms")

    def set_user(self, text: str) -> None:
        self._user_text = text
        self.retranslate()
