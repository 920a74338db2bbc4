"""Cluster hulls as an overlay layer on the window's map, and task footprints.

The overlay is an ordinary layer (``cluster``) in the window's layer tree, so
it can be hidden, restyled and identified like the others; a picked cluster is
shown as the map selection (its hull and its member reports) and zoomed to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gridapp.qt.layer_data import LayerSource, WorkspaceLayers, make_layer_data
from gridapp.render.style import SingleStyle, Symbol
from gridapp.services.joint.reference import task_footprints

CLUSTER_LAYER = "cluster"
CLUSTER_SOURCE = LayerSource(CLUSTER_LAYER, "cluster_proposal", "polygon", "label", 4)
CLUSTER_STYLE = SingleStyle(Symbol(fill="#ff7f0033", stroke="#e6550d", stroke_width=2.0))


class MapOverlay:
    """Puts cluster hulls and task footprints on *window*'s canvas."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.hulls: list[Any] = []

    @property
    def workspace(self) -> WorkspaceLayers | None:
        return self.window.canvas.workspace

    def _replace(self, name: str, data: Any) -> None:
        ws, model = self.workspace, self.window.layer_model
        if ws is None:
            return
        model.beginResetModel()
        if name in ws.data:
            ws.stack.remove(name)
            del ws.data[name]
        self.window.canvas.selection.pop(name, None)
        if data is not None:
            ws.stack.add(data.layer, ws.position_for(name))
            ws.data[name] = data
        model.endResetModel()
        model.layersChanged.emit()

    def show_hulls(self, hulls: Sequence[Any], labels: Sequence[str]) -> None:
        """Replace the overlay by *hulls* (EPSG:4490 polygons), labelled."""
        import geopandas as gpd  # when hulls are shown, not at start

        ws = self.workspace
        if ws is None:
            return
        self.hulls = list(hulls)
        if not hulls:
            self._replace(CLUSTER_LAYER, None)
            return
        frame = gpd.GeoDataFrame({"id": np.arange(1, len(hulls) + 1), "label": list(labels)},
                                 geometry=list(hulls), crs=4490)
        data = make_layer_data(CLUSTER_SOURCE, frame, ws.epsg, CLUSTER_STYLE)
        self._replace(CLUSTER_LAYER, data)

    def select(self, index: int | None, report_ids: Sequence[int] = ()) -> None:
        """Select hull *index* and its reports on the map and zoom to them."""
        import shapely

        canvas, ws = self.window.canvas, self.workspace
        if ws is None:
            return
        canvas.set_selection(CLUSTER_LAYER, [] if index is None else [index], emit=False)
        rows: np.ndarray = np.empty(0, np.int64)
        if "report" in ws.data and len(report_ids):
            rows = np.flatnonzero(np.isin(ws.data["report"].ids, np.asarray(report_ids)))
        canvas.set_selection("report", rows, emit=False)
        if index is not None and CLUSTER_LAYER in ws.data:
            geom = ws.data[CLUSTER_LAYER].geoms[index]
            if not shapely.is_empty(geom):
                canvas.zoom_to_extent(tuple(geom.bounds), margin=0.6)
        canvas.update()

    def reload_tasks(self) -> None:
        """Read the ``task`` layer (joint-task footprints) again after a change."""
        ws, session = self.workspace, self.window.session
        if ws is None or session is None:
            return
        from gridapp.qt.layer_data import SOURCES

        source = next(s for s in SOURCES if s.name == "task")
        # Read on the store's own connection: GDAL's separate one may not see
        # a write made a moment ago (WAL).
        frame = task_footprints(session)
        self._replace("task", make_layer_data(source, frame, ws.epsg))
