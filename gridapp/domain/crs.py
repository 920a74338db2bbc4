"""Coordinate reference systems GridApp works in (DESIGN §2, §4).

Geometry is stored in CGCS2000 geographic coordinates (EPSG:4490).  Metric work
uses the CGCS2000 3-degree Gauss-Krüger zone whose central meridian is nearest
to the data: EPSG:4513–4533 (zones 25–45, easting with the zone number as
prefix).  Transformers are cached and always use x=longitude, y=latitude order.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from gridapp.errors import CRSError

if TYPE_CHECKING:  # pyproj loads on the first transform, not with the window (issue 22)
    import numpy as np
    from numpy.typing import ArrayLike
    from pyproj import CRS, Transformer

STORAGE_EPSG = 4490
STORAGE_CRS = f"EPSG:{STORAGE_EPSG}"
# Only for a workspace without any geometry yet, where nothing can be measured:
# as soon as boundaries arrive the workspace records the zone of its street.
PROVISIONAL_METRIC_EPSG = 4524
# First and last zone of the CGCS2000 3-degree GK zones with zone prefix.
_FIRST_ZONE, _LAST_ZONE, _FIRST_EPSG = 25, 45, 4513


def gk_zone(lon: float) -> int:
    """3-degree Gauss-Krüger zone number for a longitude (75°E–135°E)."""
    zone = int(round(float(lon) / 3.0))
    if not _FIRST_ZONE <= zone <= _LAST_ZONE:
        raise CRSError(
            "经度{lon:.3f}不在中国的高斯-克吕格3度带范围（75°E–135°E）内",
            "Longitude {lon:.3f} is outside China's 3-degree Gauss-Krüger zones "
            "(75°E–135°E)",
            lon=float(lon),
        )
    return zone


def metric_epsg(lon: float) -> int:
    """EPSG code of the CGCS2000 3-degree GK zone (with zone prefix) for *lon*.

    Examples
    --------
    >>> metric_epsg(106.7)   # Guiyang: central meridian 108°E, zone 36
    4524
    """
    return _FIRST_EPSG + gk_zone(lon) - _FIRST_ZONE


def metric_epsg_for_extent(minx: float, maxx: float) -> int:
    """Metric CRS of data spanning longitudes *minx*–*maxx*: the zone of its centre.

    A street is a few kilometres wide, so the zone of the centre keeps every
    point within about 1.5° of the central meridian: scale error below 0.04%
    (areas 0.07%) anywhere in China, and grid north within 1.1° of true north.

    Examples
    --------
    >>> metric_epsg_for_extent(87.55, 87.65)   # Urumqi: zone 29, central meridian 87°E
    4517
    """
    return metric_epsg((float(minx) + float(maxx)) / 2.0)


def metric_crs_name(epsg: int) -> str:
    """``EPSG:4517 CGCS2000 / 3-degree Gauss-Kruger zone 29`` (the EPSG name)."""
    from pyproj import CRS

    return f"EPSG:{int(epsg)} {CRS.from_epsg(int(epsg)).name}"


def gk_zone_of_epsg(epsg: int) -> int | None:
    """Zone number of a zone-prefixed CGCS2000 3-degree GK EPSG code, else None."""
    if _FIRST_EPSG <= epsg <= _FIRST_EPSG + _LAST_ZONE - _FIRST_ZONE:
        return epsg - _FIRST_EPSG + _FIRST_ZONE
    return None


@lru_cache(maxsize=64)
def transformer(src: str | int, dst: str | int) -> Transformer:
    """A cached ``always_xy`` transformer between two CRSs."""
    from pyproj import CRS, Transformer

    return Transformer.from_crs(CRS.from_user_input(src), CRS.from_user_input(dst), always_xy=True)


def to_metric(lon: ArrayLike, lat: ArrayLike, epsg: int) -> tuple[np.ndarray, np.ndarray]:
    """Project CGCS2000 longitudes/latitudes to the metric CRS *epsg*."""
    import numpy as np  # not at start: the window's login needs no numpy (issue 22)

    return transformer(STORAGE_EPSG, epsg).transform(np.asarray(lon), np.asarray(lat))


def to_storage(x: ArrayLike, y: ArrayLike, epsg: int) -> tuple[np.ndarray, np.ndarray]:
    """Unproject metric coordinates back to CGCS2000 longitudes/latitudes."""
    import numpy as np

    return transformer(epsg, STORAGE_EPSG).transform(np.asarray(x), np.asarray(y))


def require_projected(crs: CRS | str | int | None, what: str = "") -> CRS:
    """Refuse a missing or geographic CRS for metric work, naming what to use."""
    from pyproj import CRS

    if crs is None:
        raise CRSError(
            "{what}没有坐标系；请先用 set_crs 标注其坐标系",
            "{what} has no CRS; label it with set_crs first",
            what=what or "数据",
        )
    crs = CRS.from_user_input(crs)
    if not crs.is_projected:
        raise CRSError(
            "{what}是地理坐标（{name}），不能直接做米制计算；请先 to_crs 投影到"
            "CGCS2000 高斯-克吕格3度带（如 EPSG:4524）",
            "{what} is in geographic coordinates ({name}); reproject it with to_crs "
            "to a CGCS2000 3-degree Gauss-Krüger zone (e.g. EPSG:4524) for metric work",
            what=what or "data",
            name=crs.name,
        )
    return crs
