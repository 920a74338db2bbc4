"""Synthetic render benchmark: 5,000 grid polygons and 250,000 report points.

Builds a district-sized street map in CGCS2000 / 3-degree GK zone 36
(EPSG:4524, Guiyang): 5,000 Voronoi grid polygons with 15-digit codes, 100
community polygons with names, and 250,000 clustered report points (the
90-day share of 1,000,000 reports) categorised by status.  Renders at
1920×1080 at full extent and at street level and prints median times, plus
the median pan frame drawn from the image cache.  The comparison with QGIS's
renderer comes later; this prints absolute times.

Run: ``QT_QPA_PLATFORM=offscreen python bench/render_synthetic.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import statistics
import time

import geopandas as gpd
import numpy as np
import shapely

W, H = 1920, 1080
EPSG = 4524
X0, Y0 = 36_500_000.0, 2_930_000.0  # near Guiyang in zone 36
SIZE_X, SIZE_Y = 40_000.0, 25_000.0


def voronoi(n: int, rng: np.random.Generator) -> np.ndarray:
    pts = shapely.points(X0 + rng.random(n) * SIZE_X, Y0 + rng.random(n) * SIZE_Y)
    box = shapely.box(X0, Y0, X0 + SIZE_X, Y0 + SIZE_Y)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=box))
    return shapely.intersection(cells, box)


def make_data(seed: int = 7):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    grids = voronoi(5000, rng)
    communities = voronoi(100, rng)
    grid_gdf = gpd.GeoDataFrame(
        {"code": [f"520102001{(i // 50) + 1:03d}{i % 50 + 1:03d}" for i in range(len(grids))],
         "households": rng.integers(100, 600, len(grids))},
        geometry=grids, crs=EPSG)
    comm_gdf = gpd.GeoDataFrame({"name": [f"第{i + 1}社区" for i in range(len(communities))]},
                                geometry=communities, crs=EPSG)
    n = 250_000
    centres = np.column_stack([X0 + rng.random(60) * SIZE_X, Y0 + rng.random(60) * SIZE_Y])
    which = rng.integers(0, 60, n)
    spread = rng.exponential(800.0, n)[:, None]
    xy = centres[which] + rng.normal(0, 1, (n, 2)) * spread
    spread = np.minimum(spread, 3000.0)
    uniform = rng.random(n) < 0.3
    xy[uniform] = np.column_stack([X0 + rng.random(uniform.sum()) * SIZE_X,
                                   Y0 + rng.random(uniform.sum()) * SIZE_Y])
    xy = np.clip(xy, [X0, Y0], [X0 + SIZE_X, Y0 + SIZE_Y])  # reports lie in the district
    status = np.array(["reported", "registered", "dispatched", "in_progress", "closed"])[
        rng.integers(0, 5, n)]
    return grid_gdf, comm_gdf, xy, status


def build_stack(grid_gdf, comm_gdf, xy, status):  # type: ignore[no-untyped-def]
    import pandas as pd

    from gridapp.render.geometry_cache import PointArrays
    from gridapp.render.layers import LayerStack, VectorLayer
    from gridapp.render.style import (
        CategorizedStyle,
        GraduatedStyle,
        SingleStyle,
        Symbol,
    )

    comm = VectorLayer("community", comm_gdf, SingleStyle(Symbol(fill=None, stroke="#444444",
                                                                 stroke_width=2.0)),
                       label_field="name", title="社区", label_priority=1)
    grid = VectorLayer("grid", grid_gdf, GraduatedStyle(
        "households", [0, 200, 300, 400, 500, 1000],
        ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"],
        base=Symbol(stroke="#666666", stroke_width=0.5)), label_field="code", title="网格")
    reports = VectorLayer(
        "report", PointArrays.from_xy(xy[:, 0], xy[:, 1]),
        CategorizedStyle.from_values("status", status, base=Symbol(stroke="#222222", size=5)),
        attributes=pd.DataFrame({"status": status}), title="事件")
    return LayerStack([grid, comm, reports])


def median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from PySide6.QtGui import QGuiApplication, QImage, QPainter

    import gridapp.render  # noqa: F401  (installs the PySide6 6.12 guard)
    from gridapp.render.map_cache import MapImageCache
    from gridapp.render.renderer import RenderOptions, render_map
    from gridapp.render.viewport import Viewport

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841
    t = time.perf_counter()
    data = make_data()
    t_data = (time.perf_counter() - t) * 1e3
    t = time.perf_counter()
    stack = build_stack(*data)
    t_layers = (time.perf_counter() - t) * 1e3
    image = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)

    def render(vp: Viewport):  # type: ignore[no-untyped-def]
        painter = QPainter(image)
        stats = render_map(painter, vp, stack)
        painter.end()
        return stats

    full = Viewport.fit(stack.extent, W, H)
    t = time.perf_counter()
    first = render(full)
    t_first = (time.perf_counter() - t) * 1e3
    street = full.zoom_at(W / 2, H / 2, 12.0)
    print(f"data {t_data:.0f} ms; layers (reproject-free, arrays + STRtree) {t_layers:.0f} ms; "
          f"first render incl. Qt shape build {t_first:.0f} ms")
    for name, vp in (("full extent", full), ("street level", street)):
        stats = render(vp)
        ms = median_ms(lambda vp=vp: render(vp), args.repeat)
        print(f"{name:13s} 1:{vp.scale_denominator:,.0f}  median {ms:6.1f} ms  "
              f"drawn {stats.drawn}  cells {stats.aggregated}  labels {len(stats.labels)}")
    cache = MapImageCache()
    cache.render(street, stack)
    frame = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for i in range(60):
        vp = street.pan_pixels(3 * i, 2 * i)
        t = time.perf_counter()
        painter = QPainter(frame)
        cache.draw_frame(painter, vp, stack)
        painter.end()
        times.append((time.perf_counter() - t) * 1e3)
    no_labels = RenderOptions(labels=False)

    def render_plain(vp: Viewport) -> None:
        painter = QPainter(image)
        render_map(painter, vp, stack, no_labels)
        painter.end()

    print(f"full extent without labels median {median_ms(lambda: render_plain(full), args.repeat):.1f} ms")
    print(f"pan frame from cache median {statistics.median(times):.2f} ms "
          f"(max {max(times):.2f} ms) ; first render labels {len(first.labels)}")


if __name__ == "__main__":
    main()
