"""Map layers and their order: a Qt-free model the GUI wraps later.

A :class:`VectorLayer` reprojects its data once to the map's metric CRS and
keeps the numpy geometry cache, the class index per feature from its style,
and (filled lazily by the renderer) the Qt shapes in local coordinates.
Changing the style or the data bumps :attr:`VectorLayer.revision`, which image
caches use to know what to redraw.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from gridapp.domain.crs import require_projected
from gridapp.errors import GridAppError
from gridapp.render.geometry_cache import Extent, PointArrays, PolygonArrays
from gridapp.render.style import SingleStyle, Style, Symbol

LAYER_NAMES = ("street", "community", "grid", "building", "report", "task")


class LayerError(GridAppError):
    """A layer operation that cannot be done."""


class VectorLayer:
    """One drawable layer.

    Parameters
    ----------
    name : str
        Unique name in its :class:`LayerStack` (e.g. ``"grid"``).
    data : GeoDataFrame, GeoSeries, PolygonArrays or PointArrays
        The features.  Geo data is reprojected to *crs* once; arrays are taken
        as already in map metres.
    style : Style
        How features look.
    visible, opacity : bool, float
        Drawing switch and layer opacity (0–1).
    label_field : str or None
        Attribute shown as a label.
    attributes : DataFrame or mapping, optional
        Attribute table when *data* is arrays (row order = original order).
    crs : CRS-like, optional
        The map's projected CRS; required when *data* is in geographic
        coordinates.
    title : str
        Display name (e.g. ``"网格"``).
    label_priority : int
        Labels of layers with a higher value are placed first.
    """

    def __init__(
        self,
        name: str,
        data: Any,
        style: Style | None = None,
        *,
        visible: bool = True,
        opacity: float = 1.0,
        label_field: str | None = None,
        attributes: Any = None,
        crs: Any = None,
        title: str = "",
        label_priority: int = 0,
    ) -> None:
        self.name = name
        self.title = title or name
        self.visible = visible
        self.opacity = opacity
        self.label_field = label_field
        self.label_priority = label_priority
        self.revision = 0
        self.geometry, self.attributes = self._load(data, attributes, crs)
        self._style: Style = style or SingleStyle()
        self.shapes: list[Any] | None = None  # Qt shapes, built by the renderer
        self.apply_style(self._style)

    # ---------------------------------------------------------------- loading
    @staticmethod
    def _load(data: Any, attributes: Any, crs: Any) -> tuple[PolygonArrays | PointArrays, Any]:
        import pandas as pd  # with the first layer, not with the window (issue 22)

        if isinstance(data, (PolygonArrays, PointArrays)):
            table = attributes if attributes is not None else pd.DataFrame(index=range(len(data)))
            return data, table
        series = getattr(data, "geometry", data)
        if crs is not None:
            target = require_projected(crs, "地图")
            if series.crs is None:
                require_projected(None, "图层数据")
            if not series.crs.equals(target):
                series = series.to_crs(target)
        else:
            require_projected(series.crs, "图层数据")
        table = data.drop(columns=data.geometry.name) if hasattr(data, "columns") else pd.DataFrame(index=range(len(series)))
        table = table.reset_index(drop=True)
        types = set(series.geom_type.dropna().unique())
        if types <= {"Point"} and types:
            return PointArrays.from_geometries(series), table
        return PolygonArrays.from_geometries(series), table

    # ------------------------------------------------------------------ style
    @property
    def kind(self) -> str:
        """``"polygon"`` or ``"point"``."""
        return self.geometry.kind

    @property
    def style(self) -> Style:
        return self._style

    @style.setter
    def style(self, style: Style) -> None:
        self.apply_style(style)

    def apply_style(self, style: Style) -> None:
        """Classify the features with *style* (once, not per frame)."""
        classes, symbols = style.classify(self.attributes, len(self.geometry))
        if isinstance(self.geometry, PointArrays):
            classes = classes[self.geometry.order]  # follow the x-sorted points
        self._style = style
        self.classes: np.ndarray = classes
        self.symbols: list[Symbol] = symbols
        self.revision += 1

    def labels(self) -> np.ndarray | None:
        """Label text per feature (original order), or None."""
        if not self.label_field:
            return None
        col = self.attributes[self.label_field]
        return np.asarray(col.astype(str).where(col.notna(), "")) if hasattr(col, "where") \
            else np.asarray(col, dtype=str)

    @property
    def extent(self) -> Extent:
        return self.geometry.extent

    def __len__(self) -> int:
        return len(self.geometry)

    def __repr__(self) -> str:
        return f"VectorLayer({self.name!r}, {self.kind}, n={len(self)}, visible={self.visible})"


class LayerStack:
    """Layers in drawing order: index 0 is drawn first (at the bottom)."""

    def __init__(self, layers: list[VectorLayer] | None = None) -> None:
        self._layers: list[VectorLayer] = []
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: VectorLayer, index: int | None = None) -> None:
        """Insert *layer* (on top unless *index* is given); names are unique."""
        if any(lay.name == layer.name for lay in self._layers):
            raise LayerError("图层名重复：{name}", "Duplicate layer name: {name}", name=layer.name)
        self._layers.insert(len(self._layers) if index is None else index, layer)

    def remove(self, name: str) -> VectorLayer:
        layer = self[name]
        self._layers.remove(layer)
        return layer

    def move(self, name: str, index: int) -> None:
        """Move layer *name* to drawing position *index*."""
        layer = self.remove(name)
        self._layers.insert(index, layer)

    def __getitem__(self, name: str) -> VectorLayer:
        for layer in self._layers:
            if layer.name == name:
                return layer
        raise LayerError("没有图层：{name}", "No such layer: {name}", name=name)

    def __iter__(self) -> Iterator[VectorLayer]:
        return iter(self._layers)

    def __len__(self) -> int:
        return len(self._layers)

    @property
    def names(self) -> list[str]:
        return [layer.name for layer in self._layers]

    def visible(self) -> list[VectorLayer]:
        """Visible layers, bottom first."""
        return [lay for lay in self._layers if lay.visible and lay.opacity > 0]

    @property
    def extent(self) -> Extent:
        """Union of the extents of all non-empty layers."""
        exts = [lay.extent for lay in self._layers if len(lay)]
        if not exts:
            return (0.0, 0.0, 0.0, 0.0)
        a = np.array(exts)
        return (float(a[:, 0].min()), float(a[:, 1].min()), float(a[:, 2].max()), float(a[:, 3].max()))

    @property
    def revision(self) -> tuple[Any, ...]:
        """Changes whenever anything drawn may change."""
        return tuple((lay.name, lay.revision, lay.visible, lay.opacity) for lay in self._layers)
