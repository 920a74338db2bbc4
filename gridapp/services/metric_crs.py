"""The workspace's metric CRS: the CGCS2000 3° Gauss-Krüger zone of its street.

``init`` cannot know where a street lies, so the zone is decided when the
street's first boundaries (street, communities or grids) are written, inside
the transaction that writes them, and recorded in the ``crs.metric_epsg``
setting; every later metric step (areas, division, clustering, printing, the
map canvas) reads it through ``store.metric_epsg``.  Deciding once keeps
measurements stable: later imports in the same street do not move the zone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from gridapp.domain.crs import metric_epsg_for_extent
from gridapp.storage.api import Transaction
from gridapp.storage.queries import workspace as queries

METRIC_SETTING = "crs.metric_epsg"


def settle_metric_crs(tx: Transaction, geoms: Any) -> int | None:
    """Record the metric CRS from *geoms* if they are the workspace's first boundaries.

    Call inside the transaction that writes *geoms* (CGCS2000 lon/lat), before
    writing them.  Returns the EPSG recorded, or None when the workspace
    already had boundaries (its zone stays) or *geoms* hold no coordinates.
    """
    if queries.layer_extent(tx, queries.BOUNDARY_TABLES) is not None:
        return None
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0:
        return None
    minx, _miny, maxx, _maxy = shapely.total_bounds(arr)
    if not np.isfinite(minx):
        return None
    epsg = metric_epsg_for_extent(minx, maxx)
    tx.set_setting(METRIC_SETTING, epsg)
    return epsg

