"""Workspace tables as drawable layers: read, reproject, check, style.

Qt-free apart from the render package: this runs on a worker thread.  Each
layer keeps its metric shapely geometries beside the render arrays, for
identify and selection, and lists the features it could not draw (missing,
empty, wrong type) or drew with a warning (invalid).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import shapely

from gridapp.domain.timeutil import now_utc
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.render.geometry_cache import PointArrays, PolygonArrays
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.renderer import layer_shapes
from gridapp.render.style import (
    CategorizedStyle,
    GraduatedStyle,
    SingleStyle,
    Style,
    Symbol,
)
from gridapp.services import map_view, workspace

DEFAULT_REPORT_DAYS = 90
# Above this many rows (reports of the last 90 days, buildings) a layer is read
# by view (issue 22): the district-wide map draws reports counted per grid, and
# reports and buildings one by one only in the view when zoomed in.
WINDOW_ABOVE = 50_000
# Buildings are drawn from 1:25,000 closer only: read them by view sooner.
WINDOW_BUILDINGS_ABOVE = 10_000
DETAIL_SCALE = 25_000.0  # reports one by one from 1:25,000 closer (as buildings)
DENSITY = "report_density"  # the aggregate: reports per km² of each grid
DENSITY_COLOURS = ("#ffffb2c0", "#fecc5cc0", "#fd8d3cc0", "#f03b20c0", "#bd0026c0")


@dataclass(frozen=True)
class BadFeature:
    """A feature drawn with a problem or not drawn at all."""

    row: int
    fid: Any
    reason: str  # "missing", "empty", "invalid", "type"
    drawn: bool


@dataclass(frozen=True)
class LayerSource:
    """Where a layer comes from and how it looks by default."""

    name: str
    table: str
    kind: str  # polygon | point
    label_field: str | None = None
    label_priority: int = 0
    columns: tuple[str, ...] | None = None


# Drawing order, bottom first: filled grids and buildings, then the outlines of
# communities and the street, then tasks and report points on top.
SOURCES: tuple[LayerSource, ...] = (
    LayerSource("grid", "grid", "polygon", "code", 1),
    LayerSource("building", "building", "polygon"),
    LayerSource("community", "community", "polygon", "name", 2),
    LayerSource("street", "street", "polygon"),
    LayerSource("task", "joint_task", "polygon", "title", 3),
    LayerSource(
        "report",
        "report",
        "point",
        None,
        0,
        (
            "id",
            "case_no",
            "category_id",
            "status",
            "urgency",
            "source",
            "grid_id",
            "community_id",
            "address",
            "reported_at",
            "deadline",
        ),
    ),
)


def default_style(
    name: str, frame: pd.DataFrame, grid_colours: list[str] | None = None
) -> Style:
    """The style a layer opens with."""
    if name == "street":
        return SingleStyle(Symbol(fill=None, stroke="#7f2704", stroke_width=3.0))
    if name == "community":
        return SingleStyle(Symbol(fill=None, stroke="#4a1486", stroke_width=2.0))
    if name == "grid":
        if grid_colours is not None and "code" in frame:
            mapping = {
                code: Symbol(fill=c, stroke="#636363", stroke_width=0.8, label=code)
                for code, c in zip(frame["code"].astype(str), grid_colours, strict=True)
            }
            return CategorizedStyle("code", mapping)
        return SingleStyle(Symbol(fill="#ccebc5", stroke="#636363", stroke_width=0.8))
    if name == "building":
        return SingleStyle(Symbol(fill="#bdbdbd99", stroke="#969696", stroke_width=0.5))
    if name == "report":
        colours = {
            "reported": "#e31a1c",
            "registered": "#fd8d3c",
            "dispatched": "#feb24c",
            "in_progress": "#feb24c",
            "finished": "#78c679",
            "verified": "#41ab5d",
            "closed": "#2171b5",
            "rejected": "#969696",
            "cancelled": "#969696",
        }
        mapping = {
            k: Symbol(fill=v, stroke="#ffffff", stroke_width=0.5, size=4.0, label=k)
            for k, v in colours.items()
        }
        return CategorizedStyle(
            "status",
            mapping,
            Symbol(fill="#737373", stroke="#ffffff", size=4.0, label="其他"),
        )
    return SingleStyle(Symbol(fill="#fb6a4a55", stroke="#cb181d", stroke_width=2.0))


@dataclass
class LayerData:
    """A drawable layer plus what identify and selection need."""

    layer: VectorLayer
    geoms: np.ndarray  # shapely geometries in the map CRS, original row order
    ids: np.ndarray  # feature id per row
    bad: list[BadFeature] = field(default_factory=list)
    table: str = ""


@dataclass
class WorkspaceLayers:
    """All layers of one workspace, ready for the canvas."""

    epsg: int
    stack: LayerStack
    data: dict[str, LayerData]
    report_since: datetime | None = None
    # Layers read by view: name -> the map extent their rows cover (None: no
    # rows read yet).  Filled by :func:`load_view_layer` as the view moves.
    windowed: dict[str, tuple[float, float, float, float] | None] = field(
        default_factory=dict)

    def position_for(self, name: str) -> int:
        """Stack index where layer *name* belongs in the default drawing order."""
        rank: dict[str, float] = {s.name: i for i, s in enumerate(SOURCES)}
        rank[DENSITY] = rank["building"] + 0.5  # over the fills, under the outlines
        below = [
            n for n in self.stack.names if rank.get(n, len(SOURCES)) < rank.get(name, 0)
        ]
        return len(below)

    def merge(self, other: WorkspaceLayers) -> None:
        """Add the layers of *other* (read later) in their drawing positions."""
        for name, data in other.data.items():
            self.stack.add(data.layer, self.position_for(name))
            self.data[name] = data
        self.windowed.update(other.windowed)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        for name in ("street", "community", "grid"):
            if name in self.data and len(self.data[name].layer):
                ext = self.data[name].layer.extent
                if ext[2] > ext[0]:
                    return ext
        return self.stack.extent


def check_geometries(
    geoms: np.ndarray, kind: str, fids: np.ndarray
) -> tuple[np.ndarray, list[BadFeature]]:
    """Replace undrawable geometries by empty ones and list every problem."""
    geoms = np.asarray(geoms, dtype=object).copy()
    bad: list[BadFeature] = []
    missing = shapely.is_missing(geoms)
    types = shapely.get_type_id(geoms)
    wanted = (
        [shapely.GeometryType.POINT]
        if kind == "point"
        else [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON]
    )
    wrong = ~missing & ~np.isin(types, wanted)
    empty = ~missing & ~wrong & shapely.is_empty(geoms)
    ok = ~(missing | wrong | empty)
    invalid = np.zeros(len(geoms), bool)
    if kind == "polygon" and ok.any():
        invalid[ok] = ~shapely.is_valid(geoms[ok])
    for reason, mask in (
        ("missing", missing),
        ("type", wrong),
        ("empty", empty),
        ("invalid", invalid),
    ):
        for i in np.flatnonzero(mask).tolist():
            bad.append(
                BadFeature(
                    int(i),
                    fids[i].item() if hasattr(fids[i], "item") else fids[i],
                    reason,
                    reason == "invalid",
                )
            )
    blank = shapely.Point() if kind == "point" else shapely.Polygon()
    geoms[missing | wrong | empty] = blank
    bad.sort(key=lambda b: b.row)
    return geoms, bad


def point_xy(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y of points; NaN for empty or missing ones (never shown)."""
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    ok = (
        ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if len(geoms)
        else np.zeros(0, bool)
    )
    if ok.any():
        x[ok] = shapely.get_x(geoms[ok])
        y[ok] = shapely.get_y(geoms[ok])
    return x, y


def make_layer_data(
    source: LayerSource,
    frame: Any,
    epsg: int,
    style: Style | None = None,
    grid_colours: list[str] | None = None,
) -> LayerData:
    """Build a :class:`LayerData` from a GeoDataFrame in any CRS."""
    series = frame.geometry
    if series.crs is not None and series.crs.to_epsg() != epsg:
        series = series.to_crs(epsg)
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    fids = np.asarray(attrs["id"]) if "id" in attrs else np.arange(len(attrs))
    geoms, bad = check_geometries(
        np.asarray(series.values, dtype=object), source.kind, fids
    )
    if source.kind == "point":
        arrays: Any = PointArrays.from_xy(*point_xy(geoms))
    else:
        arrays = PolygonArrays.from_geometries(geoms)
    style = style or default_style(source.name, attrs, grid_colours)
    layer = VectorLayer(
        source.name,
        arrays,
        style,
        attributes=attrs,
        label_field=source.label_field if source.label_field in attrs else None,
        label_priority=source.label_priority,
    )
    return LayerData(layer, geoms, fids, bad, source.table)


def load_workspace_layers(
    session: Any,
    *,
    report_days: int | None = DEFAULT_REPORT_DAYS,
    now: datetime | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
    colour_grids: Callable[[Any], list[str]] | None = None,
    names: Collection[str] | None = None,
    prepare_shapes: bool = True,
    window_above: int | None = None,
    grids: LayerData | None = None,
) -> WorkspaceLayers:
    """Read the map layers of a workspace (reports of the last *report_days*).

    *session* is the user's session (a bare store reads as the system), passed
    on to :func:`gridapp.services.workspace.read_map_layer`.

    *names* limits the layers read (all by default); the window reads the
    report layer, by far the largest, after the others are on screen.

    *window_above*: a report or building layer with more rows than this (in a
    GeoPackage with its R-tree) is not read: it opens empty and listed in
    :attr:`WorkspaceLayers.windowed`, to be read by view
    (:func:`load_view_layer`).  Reports then come with the aggregate layer
    :data:`DENSITY` built over *grids* (reports per km² of each grid, counted
    in SQL: no report row is read).
    """
    epsg, tables = workspace.map_setup(session)
    since = (
        None
        if report_days is None
        else (now or now_utc()) - timedelta(days=report_days)
    )
    stack = LayerStack()
    data: dict[str, LayerData] = {}
    windowed: dict[str, tuple[float, float, float, float] | None] = {}
    sources = [s for s in SOURCES if names is None or s.name in names]
    total = len(sources)
    for i, source in enumerate(sources):
        cancel.check()
        progress(i, total, source.name)
        if source.table not in tables:
            continue
        if window_above is not None and _too_big(session, source, since, window_above):
            windowed[source.name] = None
            frame = map_view.read_in_view(session, source.table, _NOWHERE,
                                          columns=source.columns)
        else:
            frame = workspace.read_map_layer(
                session,
                source.table,
                since=since if source.name == "report" else None,
                columns=source.columns,
            )
        if "code" in frame.columns:
            frame = frame.sort_values("code", kind="stable").reset_index(drop=True)
        colours = None
        if source.name == "grid" and len(frame) and colour_grids is not None:
            try:
                colours = colour_grids(frame)
            except Exception:  # colouring is cosmetic: fall back to one colour
                colours = None
        ld = make_layer_data(source, frame, epsg, grid_colours=colours)
        if source.kind == "polygon" and prepare_shapes:
            # Qt shapes are plain QtGui values: build them here, off the GUI thread.
            layer_shapes(ld.layer)
        data[source.name] = ld
        stack.add(ld.layer)
        if source.name == "report" and "report" in windowed and grids is not None:
            dens = density_layer(grids, *map_view.report_counts_by_grid(session, since))
            data[DENSITY] = dens
            stack.add(dens.layer)
    progress(total, total, "")
    return WorkspaceLayers(epsg, stack, data, since, windowed)


_NOWHERE = (0.0, 0.0, 0.0, 0.0)  # an empty box: the layer's columns, no rows


def _too_big(session: Any, source: LayerSource, since: datetime | None,
             limit: int) -> bool:
    if not map_view.can_window(session, source.table):
        return False
    if source.name == "report":
        return map_view.report_count(session, since) > limit
    return map_view.row_count(session, source.table) > min(limit, WINDOW_BUILDINGS_ABOVE)


def density_breaks(values: np.ndarray, classes: int = len(DENSITY_COLOURS)) -> list[float]:
    """Quantile class breaks of the positive *values* (increasing, at least two)."""
    v = values[np.isfinite(values) & (values > 0)]
    if not len(v):
        return [0.0, 1.0]
    qs = np.quantile(v, np.linspace(0, 1, classes + 1))
    qs[0], qs[-1] = 0.0, max(float(qs[-1]), 1e-9) * 1.0001
    breaks = [float(qs[0])]
    for q in qs[1:]:
        if q > breaks[-1]:
            breaks.append(float(q))
    return breaks if len(breaks) >= 2 else [0.0, float(v.max()) + 1.0]


def density_layer(grids: LayerData, grid_ids: np.ndarray, counts: np.ndarray) -> LayerData:
    """Reports per km² of each grid, drawn over the grids' own shapes.

    *grid_ids*, *counts*: reports per grid (SQL GROUP BY).  Grids without
    reports are not filled; the classes are quantiles of the densities, so the
    colours follow the district's own spread instead of saturating.
    """
    gids = np.asarray(grids.ids, dtype=np.int64)
    per_grid = np.zeros(len(gids), np.int64)
    if len(grid_ids) and len(gids):
        order = np.argsort(gids)
        pos = np.searchsorted(gids[order], grid_ids)
        pos = np.clip(pos, 0, len(gids) - 1)
        hit = gids[order][pos] == grid_ids
        per_grid[order[pos[hit]]] = counts[hit]
    geometry = grids.layer.geometry
    area_km2 = np.asarray(getattr(geometry, "areas", np.ones(len(gids))), float) / 1e6
    with np.errstate(divide="ignore", invalid="ignore"):
        dens = np.where((per_grid > 0) & (area_km2 > 0), per_grid / area_km2, np.nan)
    breaks = density_breaks(dens)
    colours = DENSITY_COLOURS[: len(breaks) - 1] if len(breaks) - 1 <= len(DENSITY_COLOURS) \
        else DENSITY_COLOURS
    style = GraduatedStyle(
        "per_km2", breaks, colours,
        base=Symbol(stroke=None, stroke_width=0.0),
        default=Symbol(fill=None, stroke=None, label="0"),
    )
    attrs = pd.DataFrame({
        "id": gids,
        "reports": per_grid,
        "per_km2": np.round(dens, 1),
        "count": np.where(per_grid > 0, per_grid.astype(str), ""),
    })
    layer = VectorLayer(DENSITY, geometry, style, attributes=attrs, label_field="count",
                        label_priority=4)
    layer.shapes = grids.layer.shapes  # the grids' own Qt shapes: same rows
    return LayerData(layer, grids.geoms, gids, [], "grid")


def storage_box(extent: tuple[float, float, float, float], epsg: int) -> tuple[float, ...]:
    """The EPSG:4490 box around the map *extent* (metric CRS *epsg*)."""
    from gridapp.domain.crs import to_storage

    x0, y0, x1, y1 = extent
    xs = np.array([x0, x1, x0, x1, (x0 + x1) / 2, (x0 + x1) / 2, x0, x1])
    ys = np.array([y0, y0, y1, y1, y0, y1, (y0 + y1) / 2, (y0 + y1) / 2])
    lon, lat = to_storage(xs, ys, epsg)
    return (float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat)))


def load_view_layer(
    session: Any,
    name: str,
    extent: tuple[float, float, float, float],
    epsg: int,
    *,
    since: datetime | None = None,
    limit: int = WINDOW_ABOVE,
    progress: Progress = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> LayerData | None:
    """Layer *name*'s rows inside the map *extent* (worker thread).

    None when more than *limit* rows are there (the view is too wide to draw
    them one by one: the caller keeps the aggregate).
    """
    source = next(s for s in SOURCES if s.name == name)
    box = storage_box(extent, epsg)
    since = since if name == "report" else None
    cancel.check()
    if map_view.count_in_view(session, source.table, box, since) > limit:
        return None
    cancel.check()
    frame = map_view.read_in_view(session, source.table, box, since=since,
                                  columns=source.columns)
    ld = make_layer_data(source, frame, epsg)
    if source.kind == "polygon":
        layer_shapes(ld.layer)
    return ld


def grid_colours(frame: Any) -> list[str]:
    """Neighbour-distinct fill colours of grid rows (services.colouring)."""
    from gridapp.services.grids.colouring import colour_grids

    return colour_grids(frame).hex_colours()
