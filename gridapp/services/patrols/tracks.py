"""Recording patrol tracks (巡查轨迹): from the phone page, and from imported files.

:func:`record_track` is what the phone page calls: a grid manager sends the
points of their own walk.  :func:`_store_track` is the shared step (also used
by the file import, where the office names the manager): convert the
coordinates to CGCS2000, check the points (:func:`gridapp.domain.tracks.clean_track`),
refuse a track wholly outside the street, link it to the grid it mostly
lies in, and write one audited ``patrol_track`` row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString

from gridapp.domain import coords
from gridapp.domain.crs import to_metric
from gridapp.domain.timeutil import now_iso, to_iso
from gridapp.domain.tracks import CleanTrack, clean_track
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.session import Session
from gridapp.storage.api import Transaction
from gridapp.storage.queries import grids as grid_queries
from gridapp.storage.queries import patrols as queries

RECORD = "patrol.record"
IMPORT = "patrol.import"
CRS_NAMES = ("wgs84", "cgcs2000", "gcj02", "bd09")

TrackPoint = tuple[float, float, str, float | None]


def record_track(session: Session, points: list[tuple[float, float, str, float | None]], *,
                 crs: str = "wgs84", idempotency_key: str | None = None) -> int:
    """Record the caller's own patrol track; returns its ``patrol_track`` id.

    Parameters
    ----------
    points
        ``(lon, lat, time, accuracy_m)``: degrees in *crs*, ISO-8601 time
        with an offset (``2026-11-20T08:00:00+08:00``), accuracy in metres or
        ``None``; in the order walked.
    crs
        ``wgs84`` (GPS, the default), ``cgcs2000``, ``gcj02`` (AMap, Tencent)
        or ``bd09`` (Baidu).
    idempotency_key
        A key the client makes once per track: sending it again (a retried
        upload) returns the first track's id and writes nothing.

    The user must hold ``patrol.record`` and be linked to a grid manager
    record.  Bad points raise :class:`ValidationError` listing each problem
    (``err.params["problems"]``); nothing is written.
    """
    session.require(RECORD)
    manager_id = session.user.manager_id
    if manager_id is None:
        raise PermissionDenied("您的账号未关联网格员，不能记录巡查轨迹",
                               "Your account is not linked to a grid manager:"
                               " it cannot record patrol tracks", user=session.user.username)
    return _store_track(session, points, manager_id=manager_id, crs=crs,
                       idempotency_key=idempotency_key, source="phone")


def to_cgcs2000(lon: Sequence[float], lat: Sequence[float], crs: str
                ) -> tuple[np.ndarray, np.ndarray]:
    """Degrees in *crs* (see :data:`CRS_NAMES`) as CGCS2000 degrees."""
    x, y = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    name = (crs or "wgs84").lower().replace("-", "").replace("_", "")
    if name in ("wgs84", "cgcs2000", "epsg4326", "epsg4490"):
        return x, y
    if name == "gcj02":
        return tuple(np.asarray(v) for v in coords.gcj02_to_wgs84(x, y))  # type: ignore[return-value]
    if name == "bd09":
        return tuple(np.asarray(v) for v in coords.bd09_to_wgs84(x, y))  # type: ignore[return-value]
    raise ValidationError("未知的坐标系：{crs}（可用 wgs84、cgcs2000、gcj02、bd09）",
                          "Unknown coordinate system {crs} (use wgs84, cgcs2000, gcj02, bd09)",
                          crs=crs)


def _prepare_track(session: Session, points: Sequence[Sequence[Any]], crs: str
                  ) -> tuple[CleanTrack, LineString]:
    """Convert and check *points*; the clean track and its line in CGCS2000 (no writes)."""
    if not points:
        raise ValidationError("轨迹没有点", "The track has no points")
    try:
        lon, lat = to_cgcs2000([float(p[0]) for p in points], [float(p[1]) for p in points], crs)
    except (TypeError, ValueError, IndexError):
        clean_track(points)  # names the unreadable point
        raise
    converted = [(float(x), float(y), *p[2:]) for x, y, p in zip(lon, lat, points, strict=True)]
    clean = clean_track(converted)
    line = LineString([(p.lon, p.lat) for p in clean.points])
    outline = queries.area_outline(session.store)
    if outline is not None and not line.intersects(outline):
        raise ValidationError("轨迹完全在本街道范围之外（坐标系选对了吗？当前：{crs}）",
                              "The track lies wholly outside the street (is the coordinate"
                              " system right? now: {crs})", crs=crs)
    return clean, line


def _grid_of(session: Session, line: LineString) -> int | None:
    """The current grid holding the longest part of *line*."""
    grids = grid_queries.near_box(session.store, "grid", line.bounds)
    if grids.empty:
        return None
    lengths = shapely.length(shapely.intersection(grids.geometry.values, line))
    if float(lengths.max()) <= 0:
        inside = grids[grids.intersects(line)]
        return int(inside["id"].iloc[0]) if len(inside) else None
    return int(grids["id"].iloc[int(np.argmax(lengths))])


def _metric_length(session: Session, line: LineString) -> float:
    x, y = to_metric(*np.asarray(line.coords).T, session.store.metric_epsg)
    return float(LineString(np.column_stack([x, y])).length)


def _track_row(session: Session, clean: CleanTrack, line: LineString, *, manager_id: int,
              crs: str, source: str, idempotency_key: str | None) -> dict[str, Any]:
    """The ``patrol_track`` row of a checked track (no writes)."""
    return {
        "geom": line, "manager_id": int(manager_id), "grid_id": _grid_of(session, line),
        "started_at": to_iso(clean.started_at), "ended_at": to_iso(clean.ended_at),
        "point_times": json.dumps([p.at.isoformat() for p in clean.points]),
        "point_accuracy": json.dumps([p.accuracy_m for p in clean.points]),
        "source_crs": crs, "source": source, "recorded_by": session.user.username,
        "idempotency_key": idempotency_key,
        "flags": json.dumps(clean.flags, ensure_ascii=False) if clean.flags else None,
        "length_m": round(_metric_length(session, line), 2), "created_at": now_iso(),
    }


def _insert_track(tx: Transaction, row: dict[str, Any]) -> int:
    return tx.insert("patrol_track", row)


def _store_track(session: Session, points: Sequence[Sequence[Any]], *, manager_id: int,
                crs: str = "wgs84", idempotency_key: str | None = None,
                source: str = "phone") -> int:
    """Check and write one track for *manager_id*; the caller checked permissions."""
    key = (idempotency_key or "").strip() or None
    if key is not None:
        found = queries.track_by_idempotency_key(session.store, key)
        if found is not None:
            return _same_sender(session, found, key)
    clean, line = _prepare_track(session, points, crs)
    row = _track_row(session, clean, line, manager_id=manager_id, crs=crs, source=source,
                    idempotency_key=key)
    with session.transaction() as tx:
        if key is not None:  # decided again under the write lock: two retries at once
            found = queries.track_by_idempotency_key(tx, key)
            if found is not None:
                return _same_sender(session, found, key)
        return _insert_track(tx, row)


def _same_sender(session: Session, found: tuple[int, str | None], key: str) -> int:
    track_id, sender = found
    if sender is not None and sender != session.user.username:
        raise ValidationError("这个上传标识已被另一用户的轨迹使用",
                              "This upload key is already used by another user's track",
                              key=key)
    return track_id
