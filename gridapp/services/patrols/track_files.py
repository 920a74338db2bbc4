"""Reading patrol-track files: GPX 1.0/1.1, KML/KMZ tracks, CSV/XLSX of timed points.

Each reader returns segments: lists of ``(lon, lat, time, accuracy_m)`` in
the file's order, times as ISO text with an offset.  A GPX track with
several ``<trkseg>`` gives one segment each (the gap between them is not
walked); ``<extensions>`` are ignored.  KML needs ``gx:Track`` (``<when>``
with ``<gx:coord>``): a plain ``LineString`` has no times and is refused.
CSV/XLSX columns are recognised by name (经度/lon, 纬度/lat, 时间/time,
精度/accuracy); times without an offset are taken as Beijing time (phone
apps write local time) and say so in :attr:`TrackFile.notes`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.errors import ImportFileError

Segment = list[tuple[float, float, str, float | None]]
_LON = ("lon", "lng", "longitude", "经度", "x")
_LAT = ("lat", "latitude", "纬度", "y")
_TIME = ("time", "timestamp", "datetime", "时间", "定位时间", "采集时间")
_ACC = ("accuracy", "acc", "精度", "hdop")


@dataclass
class TrackFile:
    path: Path
    segments: list[Segment]
    notes: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _refuse(path: Path, zh: str, en: str, **params: Any) -> ImportFileError:
    return ImportFileError(zh, en, path=str(path), **params)


def _parse_xml(path: Path, data: bytes) -> ET.Element:
    if b"<!ENTITY" in data[:4096]:
        raise _refuse(path, "文件含有实体声明，拒绝读取：{path}",
                      "The file declares XML entities; refused: {path}")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise _refuse(path, "无法解析 {path}：{reason}", "Cannot parse {path}: {reason}",
                      reason=str(exc)) from exc


def read_gpx(path: Path, data: bytes) -> TrackFile:
    root = _parse_xml(path, data)
    segments: list[Segment] = []
    missing = 0
    for seg in (e for e in root.iter() if _local(e.tag) in ("trkseg", "rte")):
        points: Segment = []
        for pt in (e for e in seg if _local(e.tag) in ("trkpt", "rtept")):
            when = next((c.text for c in pt if _local(c.tag) == "time"), None)
            hdop = next((c.text for c in pt if _local(c.tag) in ("hdop", "accuracy")), None)
            if not when:
                missing += 1
            try:
                lon, lat = float(pt.attrib["lon"]), float(pt.attrib["lat"])
            except (KeyError, ValueError):
                raise _refuse(path, "第 {n} 个轨迹点缺少经纬度", "Track point {n} has no lon/lat",
                              n=len(points) + 1) from None
            points.append((lon, lat, (when or "").strip(),
                           float(hdop) * 5 if hdop else None))  # HDOP × ~5 m
        if points:
            segments.append(points)
    if not segments:
        raise _refuse(path, "{path} 中没有轨迹（trk/trkseg/trkpt）",
                      "No track (trk/trkseg/trkpt) in {path}")
    if missing:
        raise _refuse(path, "{path} 有 {n} 个轨迹点没有时间（<time>）：巡查轨迹需要时间",
                      "{n} track points in {path} have no <time>: patrol tracks need times",
                      n=missing)
    return TrackFile(path, segments)


def read_kml(path: Path, data: bytes) -> TrackFile:
    root = _parse_xml(path, data)
    segments: list[Segment] = []
    for trk in (e for e in root.iter() if _local(e.tag) == "Track"):
        whens = [c.text or "" for c in trk if _local(c.tag) == "when"]
        coords = [c.text or "" for c in trk if _local(c.tag) == "coord"]
        if len(whens) != len(coords):
            raise _refuse(path, "gx:Track 的时间（{w}）与坐标（{c}）个数不同",
                          "gx:Track has {w} times but {c} coordinates",
                          w=len(whens), c=len(coords))
        seg: Segment = []
        for when, text in zip(whens, coords, strict=True):
            parts = text.split()
            seg.append((float(parts[0]), float(parts[1]), when.strip(), None))
        if seg:
            segments.append(seg)
    if not segments:
        plain = any(_local(e.tag) == "LineString" for e in root.iter())
        raise _refuse(path, "{path} 中没有带时间的轨迹（gx:Track）{hint}",
                      "No timed track (gx:Track) in {path}{hint_en}",
                      hint="：LineString 没有时间" if plain else "",
                      hint_en=": a LineString has no times" if plain else "")
    return TrackFile(path, segments)


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    low = [re.sub(r"[\s()（）]", "", h).lower() for h in headers]
    for name in names:
        if name in low:
            return low.index(name)
    return None


def read_table_track(path: Path) -> TrackFile:
    from gridapp.services.people.manager_import import read_table

    table = read_table(path)
    if table.problems:
        raise _refuse(path, "{first}", "{first}", first=table.problems[0].message,
                      problems=[p.message for p in table.problems])
    cols = [_column(table.headers, n) for n in (_LON, _LAT, _TIME)]
    if None in cols:
        raise _refuse(path, "表格需要经度、纬度和时间列（现有：{found}）",
                      "The table needs longitude, latitude and time columns (found: {found})",
                      found="、".join(table.headers))
    acc = _column(table.headers, _ACC)
    notes: list[str] = []
    seg: Segment = []
    problems: list[str] = []
    for line, cells in table.rows:
        def get(i: int | None, cells: list[Any] = cells) -> Any:
            return cells[i] if i is not None and i < len(cells) else None

        when = get(cols[2])
        if isinstance(when, datetime):
            stamp = when
        else:
            try:
                stamp = datetime.fromisoformat(str(when or "").strip().replace("Z", "+00:00"))
            except ValueError:
                problems.append(f"第{line}行：时间“{when}”无法识别")
                continue
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=LOCAL_TZ)
            if not notes:
                notes.append("时间没有时区，按北京时间读取 / times without offset read as "
                             "Beijing time")
        try:
            value = get(acc)
            seg.append((float(get(cols[0])), float(get(cols[1])), stamp.isoformat(),
                        float(value) if value not in (None, "") else None))
        except (TypeError, ValueError):
            problems.append(f"第{line}行：经纬度无法识别")
    if problems:
        raise _refuse(path, "{n} 行有问题，未导入：{first}",
                      "{n} rows have problems, nothing imported: {first}",
                      n=len(problems), first=problems[0], problems=problems)
    return TrackFile(path, [seg] if seg else [], notes)


def read_track_file(path: str | Path) -> TrackFile:
    """Read a GPX, KML, KMZ, CSV or XLSX track file."""
    path = Path(path)
    if not path.exists():
        raise _refuse(path, "文件不存在：{path}", "File not found: {path}")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".xlsx", ".xlsm"):
        return read_table_track(path)
    data = path.read_bytes()
    if suffix == ".kmz":
        try:
            with zipfile.ZipFile(path) as z:
                name = next((n for n in z.namelist() if n.lower().endswith(".kml")), None)
                if name is None:
                    raise _refuse(path, "KMZ 中没有 KML", "No KML inside the KMZ {path}")
                data = z.read(name)
        except zipfile.BadZipFile as exc:
            raise _refuse(path, "KMZ 文件损坏：{path}", "Damaged KMZ: {path}") from exc
        return read_kml(path, data)
    if suffix == ".kml":
        return read_kml(path, data)
    if suffix == ".gpx":
        return read_gpx(path, data)
    raise _refuse(path, "不支持的轨迹文件类型 {suffix}（可用 GPX、KML、KMZ、CSV、XLSX）",
                  "Unsupported track file {suffix} (use GPX, KML, KMZ, CSV, XLSX)",
                  suffix=suffix or "-")
