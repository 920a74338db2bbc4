"""Offline interactive web map (folium): grids, cases, heat map, clusters, tasks.

One HTML file that works with no internet: Leaflet and Leaflet.heat are
inlined from ``resources/web`` (:mod:`gridapp.services.maps_out.webmap_assets`) and no
online base map is used unless a tile URL template is given.  Data stays in
EPSG:4490 until it is handed to folium, where it is reprojected to EPSG:4326.

Examples
--------
>>> from gridapp.services.people.auth import login                       # doctest: +SKIP
>>> from gridapp.storage import open_store                      # doctest: +SKIP
>>> with open_store("street.gpkg", readonly=True) as store:      # doctest: +SKIP
...     session = login(store, "lingdao", password)
...     export_webmap(session, "map.html", WebMapOptions(days=30))
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from gridapp.domain.timeutil import local, now_utc
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.grids.colouring import DEFAULT_COLOURS, GRID_PALETTE, colour_grids
from gridapp.services.maps_out.webmap_assets import inline_assets
from gridapp.services.maps_out.webmap_data import WebMapData, load_webmap_data
from gridapp.services.maps_out.webmap_layers import (
    CATEGORY_COLOURS,
    STATUS_COLOURS,
    add_clusters,
    add_communities,
    add_grids,
    add_tasks,
    legend_html,
    title_html,
)
from gridapp.services.maps_out.webmap_points import DETAIL_LIMIT, DistrictLayers
from gridapp.services.session import Session

BACKGROUND = "#f4f3ef"  # a paper tone for the map without base tiles


@dataclass(frozen=True)
class WebMapOptions:
    """What to put in the web map.

    Parameters
    ----------
    days : int
        Reports of the last *days* days.
    community : str, optional
        Only this community (code or name).
    tile_url : str, optional
        A tile URL template (``https://.../{z}/{x}/{y}.png``) for users with
        internet; the default is no base map, so the file works offline.
    tile_attribution : str
        Attribution shown for *tile_url* (required by most tile providers).
    heat : bool
        Include the heat map layer.
    n_colours : int
        Grid palette size (4–6).
    title : str, optional
        Replaces the generated title.
    detail_limit : int
        Every report is on the map (counted clusters that open as you zoom);
        up to this many, their popups also give the address.  Keeps a
        district-sized file openable.
    """

    days: int = 90
    community: str | None = None
    tile_url: str | None = None
    tile_attribution: str = ""
    heat: bool = True
    n_colours: int = DEFAULT_COLOURS
    title: str | None = None
    detail_limit: int = DETAIL_LIMIT


@dataclass(frozen=True)
class WebMapResult:
    path: Path
    grids: int
    reports: int
    clusters: int
    tasks: int
    size_bytes: int
    grid_colours: tuple[str, ...]  # the fill colours used, for checks


def export_webmap(session: Session, out_path: str | os.PathLike, options: WebMapOptions | None = None,
                  *, clusters: gpd.GeoDataFrame | None = None,
                  tasks: gpd.GeoDataFrame | None = None, now=None,
                  progress: Progress = no_progress,
                  cancel: CancelToken = NEVER_CANCELLED) -> WebMapResult:
    """Write the web map of a workspace to one self-contained HTML file.

    Parameters
    ----------
    session : Session
        Who exports; the role must hold ``export.data``
        (:class:`~gridapp.errors.PermissionDenied` otherwise, before anything
        is read or written).  The workspace is ``session.store``.
    out_path : path
        The ``.html`` file to write (replaced atomically).
    options : WebMapOptions
    clusters : GeoDataFrame, optional
        Cluster hulls (polygons with a CRS, e.g. from the clustering service);
        scalar columns go into the popup, list columns (member report ids)
        are shown as counts.
    tasks : GeoDataFrame, optional
        Joint-task footprints; by default the workspace's open joint tasks.
    now : datetime, optional
        End of the report window (UTC); the current time by default.
    progress, cancel
        Progress reporter and cancel token (:mod:`gridapp.progress`).
    """
    session.require("export.data")
    store = session.store
    options = options or WebMapOptions()
    steps = 6
    progress(0, steps, "读取数据")
    data = load_webmap_data(store, days=options.days, community=options.community, now=now,
                            read_tasks=tasks is None)
    if tasks is not None:
        data.tasks = tasks
    cancel.check()
    progress(1, steps, "网格着色")
    fmap, colours = build_webmap(data, options, clusters=clusters, progress=progress,
                                 cancel=cancel, steps=steps)
    progress(5, steps, "写入文件")
    html = inline_assets(fmap.get_root().render())
    cancel.check()
    path = Path(out_path)
    _write_atomic(path, html)
    progress(steps, steps, "完成")
    return WebMapResult(path, len(data.grids), len(data.reports),
                        0 if clusters is None else len(clusters),
                        0 if data.tasks is None else len(data.tasks),
                        path.stat().st_size, colours)


def build_webmap(data: WebMapData, options: WebMapOptions, *,
                 clusters: gpd.GeoDataFrame | None = None,
                 progress: Progress = no_progress, cancel: CancelToken = NEVER_CANCELLED,
                 steps: int = 6):
    """The folium map for *data* (not yet inlined); returns it and the grid colours."""
    import folium

    grids = data.grids
    colouring = colour_grids(grids, n_colours=options.n_colours)
    grids = grids.assign(fill=colouring.hex_colours(GRID_PALETTE))
    cancel.check()

    extent = grids if len(grids) else data.communities
    fmap = folium.Map(tiles=None, control_scale=False, prefer_canvas=True, zoom_control=True,
                      zoom_snap=0.25, zoom_delta=0.5)
    fmap.options["maxZoom"] = 19  # markercluster needs the map's own zoom range
    fmap.options["minZoom"] = 3
    if options.tile_url:
        folium.TileLayer(tiles=options.tile_url, attr=options.tile_attribution or " ",
                         name="底图", overlay=False, control=True, max_zoom=19).add_to(fmap)
    if len(extent):
        minx, miny, maxx, maxy = _to_4326(extent).total_bounds
        # keep the street clear of the legend (left), layer list (right) and title
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding_top_left=(270, 80),
                        padding_bottom_right=(230, 20))
    else:
        fmap.location, fmap.options["zoom"] = [35.0, 105.0], 4
    root: Any = fmap.get_root()  # a branca Figure
    root.header.add_child(folium.Element(
        f"<style>.leaflet-container{{background:{BACKGROUND} !important;}}"
        "html,body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',"
        "'WenQuanYi Micro Hei',sans-serif;}</style>"))

    add_grids(fmap, _to_4326(grids))
    add_communities(fmap, _to_4326(data.communities))
    progress(2, steps, "事件")
    cancel.check()
    reports = _to_4326(data.reports)
    progress(3, steps, "热力图")
    cancel.check()
    progress(4, steps, "聚集区与联合执法任务")
    n_clusters = add_clusters(fmap, _to_4326(clusters)) if clusters is not None else 0
    n_tasks = add_tasks(fmap, _to_4326(data.tasks)) if data.tasks is not None else 0
    cancel.check()

    control = folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    # every case (counted clusters), heat map, community names, scale: built in the page
    layers = DistrictLayers(reports, _to_4326(data.communities), control,
                            heat=options.heat, detail_limit=options.detail_limit)
    layers.add_to(fmap)
    statuses, categories = layers.status_codes, layers.top_names
    title = options.title or f"{data.title_place}网格分布与事件地图"
    since, until = local(data.since), local(data.until)
    subtitle = (f"事件：{since:%Y-%m-%d} 至 {until:%Y-%m-%d}（近 {options.days} 天，"
                f"{len(reports)} 件"
                + ("" if layers.addresses or not len(reports)
                   else f"，超过 {options.detail_limit} 件，弹窗不含地址")
                + f"） · 网格 {len(grids)} 个 · "
                f"{data.office or ''} {local(now_utc()):%Y-%m-%d} 生成")
    root.html.add_child(folium.Element(title_html(title, subtitle)))
    root.html.add_child(folium.Element(legend_html(
        sorted(set(colouring.hex_colours(GRID_PALETTE)), key=GRID_PALETTE.index),
        {s: STATUS_COLOURS.get(s, "#666") for s in statuses},
        {c: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, c in enumerate(categories)},
        heat=options.heat and len(reports) > 0, clusters=n_clusters > 0, tasks=n_tasks > 0)))
    root.title = title
    return fmap, tuple(sorted(set(grids["fill"])))


def _to_4326(frame):
    """Reproject to WGS84 lon/lat for Leaflet; the only place this happens."""
    if frame is None:
        return None
    if frame.crs is None:
        from gridapp.errors import CRSError

        raise CRSError("图层没有坐标系；请先用 set_crs 标注（通常是 EPSG:4490）",
                       "A layer has no CRS; label it with set_crs (usually EPSG:4490)")
    import shapely

    out = frame.to_crs(4326)
    # 1e-6 degrees is about 0.1 m: plenty for a screen, a third of the file size
    return out.set_geometry(shapely.set_precision(out.geometry.array, 1e-6, mode="pointwise"))


def _write_atomic(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".webmap-", suffix=".html", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
