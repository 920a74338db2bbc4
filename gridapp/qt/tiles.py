"""Optional background map from local tiles (XYZ folder or MBTiles file).

Offline by default: nothing here opens a network connection.  Tiles are Web
Mercator; each tile's corners are projected to the map's Gauss-Krüger CRS and
the image is drawn into that (nearly axis-aligned) rectangle.  The background
is drawn into the cached map image under the vector layers, so pan frames
blit it with the rest.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from gridapp.render.layers import LayerStack
from gridapp.render.map_cache import CachedMap, MapImageCache
from gridapp.render.renderer import qcolour, render_map
from gridapp.render.viewport import Viewport
from gridapp.services.maps_out.tiles import MBTiles, open_tile_archive

MAX_TILES = 96


def _tile_lonlat(x: int, y: int, z: int) -> tuple[float, float]:
    n = 2.0**z
    lon = x / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
    return lon, lat


def _lonlat_tile(lon: float, lat: float, z: int) -> tuple[float, float]:
    n = 2.0**z
    lat = max(min(lat, 85.0), -85.0)
    x = (lon + 180.0) / 360.0 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return x, y


@lru_cache(maxsize=8)
def _transformer(src: int, dst: int):  # type: ignore[no-untyped-def]
    from pyproj import Transformer

    return Transformer.from_crs(src, dst, always_xy=True)


class TileSource:
    """Tiles from ``folder/{z}/{x}/{y}.png`` (or .jpg) or an ``.mbtiles`` file."""

    def __init__(self, path: str | Path, epsg: int) -> None:
        self.path = Path(path)
        self.epsg = epsg
        self._mb: MBTiles | None = None
        if self.path.is_file():
            # Read-only tile archive, not a workspace: never written.
            self._mb = open_tile_archive(self.path)
            self.zooms = self._mb.zoom_range()
        elif self.path.is_dir():
            levels = sorted(
                int(p.name) for p in self.path.iterdir() if p.name.isdigit()
            )
            self.zooms = (levels[0], levels[-1]) if levels else (0, 0)
        else:
            raise FileNotFoundError(str(self.path))

    def close(self) -> None:
        if self._mb is not None:
            self._mb.close()
            self._mb = None

    def tile(self, z: int, x: int, y: int) -> QImage | None:
        if self._mb is not None:
            data = self._mb.tile(z, x, y)
            if data is None:
                return None
            img = QImage()
            img.loadFromData(data)
            return None if img.isNull() else img
        for ext in ("png", "jpg", "jpeg", "webp"):
            p = self.path / str(z) / str(x) / f"{y}.{ext}"
            if p.exists():
                img = QImage(str(p))
                return None if img.isNull() else img
        return None

    def draw(self, painter: QPainter, viewport: Viewport) -> int:
        """Draw the tiles covering *viewport*; returns how many were drawn."""
        xmin, ymin, xmax, ymax = viewport.extent
        to_ll = _transformer(self.epsg, 4326)
        to_map = _transformer(4326, self.epsg)
        lons, lats = to_ll.transform([xmin, xmax, xmin, xmax], [ymin, ymin, ymax, ymax])
        lat_c = (min(lats) + max(lats)) / 2
        # Web Mercator metres per pixel at zoom z: 156543.03 * cos(lat) / 2^z.
        z = round(
            math.log2(156543.03 * math.cos(math.radians(lat_c)) / viewport.resolution)
        )
        z = max(self.zooms[0], min(self.zooms[1], z))
        x0, y0 = _lonlat_tile(min(lons), max(lats), z)
        x1, y1 = _lonlat_tile(max(lons), min(lats), z)
        drawn = 0
        for tx in range(int(x0), int(x1) + 1):
            for ty in range(int(y0), int(y1) + 1):
                if drawn >= MAX_TILES:
                    return drawn
                img = self.tile(z, tx, ty)
                if img is None:
                    continue
                (lo0, la0), (lo1, la1) = (
                    _tile_lonlat(tx, ty, z),
                    _tile_lonlat(tx + 1, ty + 1, z),
                )
                mx, my = to_map.transform([lo0, lo1], [la0, la1])
                px0, py0 = viewport.map_to_device(mx[0], my[0])
                px1, py1 = viewport.map_to_device(mx[1], my[1])
                painter.drawImage(QRectF(px0, py0, px1 - px0, py1 - py0), img)
                drawn += 1
        return drawn


class BackgroundMapCache(MapImageCache):
    """A :class:`MapImageCache` that draws an optional tile background first."""

    background: TileSource | None = None

    def render(self, viewport: Viewport, layers: LayerStack) -> QImage:
        if self.background is None:
            return super().render(viewport, layers)
        if self.cached is not None and self.is_current(viewport, layers):
            return self.cached.image
        image = QImage(
            viewport.width, viewport.height, QImage.Format.Format_ARGB32_Premultiplied
        )
        image.fill(qcolour(self.options.background or "#ffffff"))
        painter = QPainter(image)
        try:
            self.background.draw(painter, viewport)
            opts = type(self.options)(**{**self.options.__dict__, "background": None})
            stats = render_map(painter, viewport, layers, opts)
        finally:
            painter.end()
        self.cached = CachedMap(image, viewport, layers.revision, stats)
        return image
