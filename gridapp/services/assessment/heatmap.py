"""The dashboard's heat map of open cases: counts on a regular grid of cells.

Cases open at the end of the period (or now while it runs) are counted in
square cells of about ``cell_m`` metres over the street's extent, lightly
smoothed so a hot spot reads as a patch rather than single squares; the
communities' outlines come along for orientation.  Everything is numbers
(NumPy arrays and coordinates in EPSG:4490), computed off the GUI thread and
drawn by :mod:`gridapp.qt.assessment.heatmap`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

from gridapp.domain.timeutil import now_utc, to_iso
from gridapp.services.assessment.periods import Period
from gridapp.services.session import Session
from gridapp.storage.queries import assessment as queries

MAX_CELLS = 80  # along the longer side


@dataclass
class HeatMap:
    """Open cases per cell: ``counts[row, col]``, row 0 at the south edge.

    ``extent`` is (minx, miny, maxx, maxy) in degrees; ``smoothed`` the counts
    after a 3×3 weighted blur (what is drawn); ``outlines`` community rings as
    (n, 2) arrays.  ``total`` open cases; ``peak`` the largest cell count.
    """

    extent: tuple[float, float, float, float]
    counts: np.ndarray
    smoothed: np.ndarray
    total: int
    cell_m: float
    outlines: list[np.ndarray] = field(default_factory=list)

    @property
    def peak(self) -> int:
        return int(self.counts.max()) if self.counts.size else 0

    @property
    def aspect(self) -> float:
        """Width over height on the ground (degrees of longitude shrink with latitude)."""
        minx, miny, maxx, maxy = self.extent
        k = math.cos(math.radians((miny + maxy) / 2))
        return ((maxx - minx) * k) / max(maxy - miny, 1e-12)


def _blur(a: np.ndarray) -> np.ndarray:
    if a.size == 0:
        return a.astype(float)
    p = np.pad(a.astype(float), 1)
    w = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], float) / 16
    out = np.zeros(a.shape, float)
    for dy in range(3):
        for dx in range(3):
            out += w[dy, dx] * p[dy:dy + a.shape[0], dx:dx + a.shape[1]]
    return out


def open_case_heat(session: Session, period: Period, cell_m: float | None = None
                   ) -> HeatMap:
    """The heat map of cases open at the end of *period* (or now while it runs)."""
    session.require("assessment.read")
    asof = to_iso(min(now_utc(), period.end_utc))
    x, y = queries.open_case_points(session.store, asof)
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    outlines: list[np.ndarray] = []
    geoms = queries.community_outlines(session.store)
    if geoms:
        minx, miny, maxx, maxy = shapely.total_bounds(np.array(geoms, dtype=object))
        for g in geoms:
            for part in getattr(g, "geoms", [g]):
                outlines.append(np.asarray(part.exterior.coords)[:, :2])
    elif len(x):
        minx, miny, maxx, maxy = x.min(), y.min(), x.max(), y.max()
    else:
        return HeatMap((0.0, 0.0, 1.0, 1.0), np.zeros((0, 0), int), np.zeros((0, 0)),
                       0, 0.0, [])
    k = math.cos(math.radians((miny + maxy) / 2))
    w_m = max((maxx - minx) * k * 111_320, 1.0)
    h_m = max((maxy - miny) * 111_320, 1.0)
    if cell_m is None:
        cell_m = max(max(w_m, h_m) / MAX_CELLS, 25.0)
    nx, ny = max(1, math.ceil(w_m / cell_m)), max(1, math.ceil(h_m / cell_m))
    # the cells cover the extent exactly: cell_m is rounded to fit
    counts, _, _ = np.histogram2d(y, x, bins=[ny, nx], range=[[miny, maxy], [minx, maxx]])
    counts = counts.astype(int)
    return HeatMap((float(minx), float(miny), float(maxx), float(maxy)), counts,
                   _blur(counts), int(counts.sum()), float(max(w_m / nx, h_m / ny)),
                   outlines)
