"""Patrol tracks as they arrive: timed points checked before anything is stored.

A track is a list of ``(lon, lat, time, accuracy_m)`` points in WGS84 /
CGCS2000 degrees.  :func:`clean_track` refuses what cannot be a walk (no
timestamps, time running backwards, fewer than two distinct points) with
one message per bad point, drops exact repeats (the same place at the same
second, as phones re-send), and *flags* points that would need an
impossible speed or jump: they are kept out of the line but listed, never
silently kept or dropped.

Examples
--------
>>> pts = [(106.70, 26.58, "2026-11-20T08:00:00+08:00", 5.0),
...        (106.7005, 26.58, "2026-11-20T08:01:00+08:00", None)]
>>> clean = clean_track(pts)
>>> len(clean.points), clean.flags
(2, [])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from gridapp.errors import ValidationError

# A grid manager walks, cycles or rides an e-bike: 15 m/s is 54 km/h.
MAX_SPEED_MS = 15.0
# A single step longer than this is a jump (a fix from the wrong tower), whatever the time.
MAX_STEP_M = 2000.0
EARTH_RADIUS_M = 6371008.8

Point = tuple[float, float, str, float | None]


@dataclass(frozen=True)
class TimedPoint:
    lon: float
    lat: float
    at: datetime  # aware
    accuracy_m: float | None
    index: int  # position in the input, from 0


@dataclass
class CleanTrack:
    """The points kept (in order), the flagged ones and the exact repeats dropped."""

    points: list[TimedPoint]
    flags: list[dict[str, object]] = field(default_factory=list)
    repeats: list[int] = field(default_factory=list)

    @property
    def started_at(self) -> datetime:
        return self.points[0].at

    @property
    def ended_at(self) -> datetime:
        return self.points[-1].at


def parse_time(text: object, index: int) -> datetime:
    """An aware datetime from ISO-8601 text with an offset (or ``Z``)."""
    if isinstance(text, datetime):
        value = text
    else:
        if text is None or not str(text).strip():
            raise ValidationError("第 {n} 个点没有时间", "Point {n} has no time", n=index + 1)
        try:
            value = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError("第 {n} 个点的时间无法识别：{text}",
                                  "Point {n}: cannot read the time {text!r}",
                                  n=index + 1, text=str(text)) from None
    if value.tzinfo is None:
        raise ValidationError("第 {n} 个点的时间缺少时区（例如 +08:00）",
                              "Point {n}: the time has no offset (e.g. +08:00)", n=index + 1)
    return value


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine; ample for steps of a walk)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _parse(points: Sequence[Sequence[object]]) -> list[TimedPoint]:
    problems: list[str] = []
    out: list[TimedPoint] = []
    for i, p in enumerate(points):
        try:
            if len(p) < 3:
                raise ValidationError("第 {n} 个点缺少经度、纬度或时间",
                                      "Point {n} lacks longitude, latitude or time", n=i + 1)
            lon, lat = float(p[0]), float(p[1])  # type: ignore[arg-type]
            if not (math.isfinite(lon) and math.isfinite(lat)
                    and -180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValidationError("第 {n} 个点的坐标不是经纬度：{lon}, {lat}",
                                      "Point {n}: not a longitude/latitude: {lon}, {lat}",
                                      n=i + 1, lon=p[0], lat=p[1])
            acc = p[3] if len(p) > 3 else None
            accuracy = None if acc in (None, "") else float(acc)  # type: ignore[arg-type]
            out.append(TimedPoint(lon, lat, parse_time(p[2], i), accuracy, i))
        except ValidationError as exc:
            problems.append(exc.message)
        except (TypeError, ValueError):
            problems.append(ValidationError("第 {n} 个点的数值无法识别",
                                            "Point {n}: cannot read its numbers",
                                            n=i + 1).message)
    if problems:
        raise ValidationError("轨迹有 {count} 处问题：{first}",
                              "The track has {count} problems: {first}",
                              count=len(problems), first=problems[0], problems=problems)
    return out


def clean_track(points: Sequence[Sequence[object]], *, max_speed_ms: float = MAX_SPEED_MS,
                max_step_m: float = MAX_STEP_M) -> CleanTrack:
    """Check and clean a track; raises :class:`ValidationError` listing every problem.

    Time must not run backwards (equal times at two different places are
    refused too: one of them is wrong).  A point reached from the last kept
    point faster than *max_speed_ms*, or farther than *max_step_m*, is flagged
    (``{"point": n, "reason": "speed"|"jump", "lon", "lat", "at"}``, *n*
    counted from 1) and left out of the line.
    """
    parsed = _parse(points)
    problems: list[str] = []
    for a, b in zip(parsed, parsed[1:], strict=False):
        if b.at < a.at:
            problems.append(ValidationError(
                "第 {n} 个点的时间早于前一个点（时间倒流）",
                "Point {n} is earlier than the point before it (time runs backwards)",
                n=b.index + 1).message)
        elif b.at == a.at and (b.lon, b.lat) != (a.lon, a.lat):
            problems.append(ValidationError(
                "第 {n} 个点与前一个点时间相同但位置不同",
                "Point {n} has the same time as the point before it at another place",
                n=b.index + 1).message)
    if problems:
        raise ValidationError("轨迹有 {count} 处问题：{first}",
                              "The track has {count} problems: {first}",
                              count=len(problems), first=problems[0], problems=problems)
    kept: list[TimedPoint] = []
    clean = CleanTrack(kept)

    def wrong(a: TimedPoint, b: TimedPoint) -> tuple[str | None, float]:
        step = distance_m(a.lon, a.lat, b.lon, b.lat)
        seconds = (b.at - a.at).total_seconds()
        return ("jump" if step > max_step_m else "speed" if seconds > 0
                and step / seconds > max_speed_ms else None), step

    def flag(p: TimedPoint, reason: str, step: float) -> None:
        clean.flags.append({"point": p.index + 1, "reason": reason, "lon": p.lon,
                            "lat": p.lat, "at": p.at.isoformat(), "metres": round(step, 1)})

    for k, p in enumerate(parsed):
        if kept and (p.lon, p.lat, p.at) == (kept[-1].lon, kept[-1].lat, kept[-1].at):
            clean.repeats.append(p.index + 1)
            continue
        if kept:
            reason, step = wrong(kept[-1], p)
            if reason and len(kept) == 1 and k + 1 < len(parsed) \
                    and wrong(p, parsed[k + 1])[0] is None:
                # The first point was the outlier (a fix before the GPS settled).
                flag(kept.pop(), reason, step)
            elif reason:
                flag(p, reason, step)
                continue
        kept.append(p)
    clean.flags.sort(key=lambda f: f["point"])  # type: ignore[arg-type, return-value]
    if len({(p.lon, p.lat) for p in kept}) < 2:
        raise ValidationError("轨迹至少需要两个不同位置的有效点",
                              "A track needs at least two valid points at different places",
                              points=len(parsed), flagged=len(clean.flags))
    return clean
