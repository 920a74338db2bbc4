"""What a report is made of before it is filed: a position and a draft.

Positions may be given in CGCS2000/WGS84 (treated as equal, DESIGN §4),
GCJ-02 or BD-09 (converted), or as pasted text (:func:`position_from_text`).
:class:`ReportDraft` is what the report form, an import row or a photo
provides; :mod:`gridapp.services.cases.reports` checks and files it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from gridapp.domain import coords
from gridapp.domain.crs import transformer
from gridapp.domain.enums import ReportSource, Urgency
from gridapp.errors import ValidationError

INPUT_CRS = ("cgcs2000", "wgs84", "gcj02", "bd09")


def to_storage_lonlat(lon: Any, lat: Any, crs: str = "cgcs2000") -> tuple[Any, Any]:
    """Convert positions from an input system to CGCS2000 longitude/latitude.

    *crs* is one of :data:`INPUT_CRS` or an ``EPSG:nnnn`` code (a projected
    Gauss-Krüger system from a survey file, for example).  Range, swapped
    order and "in China" are checked afterwards (:func:`coords.check_in_range`).
    """
    key = str(crs).strip().lower().replace("-", "").replace("_", "")
    if key in ("cgcs2000", "wgs84", "epsg:4490", "epsg:4326", "4490", "4326"):
        return lon, lat
    if key == "gcj02":
        coords.check_in_range(lon, lat)
        return coords.gcj02_to_wgs84(lon, lat)
    if key == "bd09":
        coords.check_in_range(lon, lat)
        return coords.bd09_to_wgs84(lon, lat)
    if key.startswith("epsg:") and key[5:].isdigit():
        x, y = transformer(int(key[5:]), 4490).transform(
            np.asarray(lon, float), np.asarray(lat, float)
        )
        return (float(x), float(y)) if np.ndim(x) == 0 else (x, y)
    raise ValidationError(
        "不支持的坐标系“{crs}”；可选：CGCS2000、WGS84、GCJ-02、BD-09 或 EPSG:代码",
        "Unsupported coordinate system '{crs}'; use CGCS2000, WGS84, GCJ-02, "
        "BD-09 or EPSG:code",
        crs=str(crs),
    )


def position_from_text(
    text: str, crs: str | None = None
) -> tuple[float, float, coords.ParsedPosition]:
    """CGCS2000 lon/lat from pasted text; *crs* overrides the text's own hint."""
    parsed = coords.parse_position(text)
    src = crs or parsed.crs_hint or "cgcs2000"
    coords.check_in_range(parsed.lon, parsed.lat)
    lon, lat = to_storage_lonlat(parsed.lon, parsed.lat, src)
    return float(lon), float(lat), parsed



@dataclass
class ReportDraft:
    """What the report form (or an import row, or a photo) provides.

    Give ``lon``/``lat`` in ``crs``, or ``position_text`` to be parsed.
    """

    category: int | str
    lon: float | None = None
    lat: float | None = None
    crs: str = "cgcs2000"
    position_text: str | None = None
    description: str = ""
    urgency: Urgency | str = Urgency.NORMAL
    source: ReportSource | str = ReportSource.PATROL
    reported_at: datetime | None = None
    address: str | None = None
    reporter_name: str | None = None
    reporter_phone: str | None = None
    parent_id: int | None = None
    external_id: str | None = None  # the source's own id (编号) of an import

    def storage_position(self) -> tuple[float, float]:
        if self.position_text:
            lon, lat, _ = position_from_text(
                self.position_text, None if self.crs == "cgcs2000" else self.crs
            )
            return lon, lat
        if self.lon is None or self.lat is None:
            raise ValidationError("请指定位置", "Give a position", reason="no_position")
        coords.check_in_range(self.lon, self.lat)
        lon, lat = to_storage_lonlat(float(self.lon), float(self.lat), self.crs)
        return float(lon), float(lat)


def checked_enum(cls: Any, value: Any, what_zh: str, what_en: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(
            "无效的{w}“{v}”", "Invalid {we} '{v}'", w=what_zh, we=what_en, v=str(value)
        ) from None
