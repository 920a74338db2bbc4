"""Importing patrol tracks from files (GPX, KML/KMZ, CSV/XLSX), all or nothing.

The office names the manager by staff number (工号) and the coordinate system
(phone apps often record GCJ-02).  Every segment is checked with the same
rules as a track sent from the phone
(:func:`gridapp.services.patrols.tracks.record_track`); if any segment has a
problem nothing is written and each problem is listed with its segment and
point.  Importing the same file again writes nothing: each segment's
idempotency key is the file's SHA-256 and the segment's number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from gridapp.errors import ImportFileError, NotFoundError, ValidationError
from gridapp.i18n import pick
from gridapp.services.patrols import tracks as t
from gridapp.services.patrols.track_files import read_track_file
from gridapp.services.session import Session
from gridapp.storage.queries import patrols as queries


@dataclass
class TrackImport:
    ids: list[int]
    new: int
    flagged: int
    notes: list[str] = field(default_factory=list)


def import_tracks(session: Session, path: str | Path, *, manager: str,
                  crs: str = "wgs84") -> TrackImport:
    """Import every track segment of *path* for the manager with staff number *manager*."""
    session.require(t.IMPORT)
    manager_id = queries.manager_id_by_staff_no(session.store, manager or "")
    if manager_id is None:
        raise NotFoundError("没有工号为 {staff_no} 的网格员", "No grid manager with staff"
                            " number {staff_no}", staff_no=manager)
    source = read_track_file(path)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]
    rows, problems = [], []
    for i, seg in enumerate(source.segments, start=1):
        key = f"file:{digest}:{i}"
        if queries.track_by_idempotency_key(session.store, key) is not None:
            rows.append((key, None))
            continue
        try:
            clean, line = t._prepare_track(session, seg, crs)
        except ValidationError as exc:
            for text in exc.params.get("problems") or [exc.message]:
                problems.append(pick("第 {n} 段：", "segment {n}: ", n=i) + text)
            continue
        rows.append((key, t._track_row(session, clean, line, manager_id=manager_id, crs=crs,
                                       source=Path(path).suffix.lower().lstrip("."),
                                       idempotency_key=key)))
    if problems:
        raise ImportFileError("{n} 个问题，未导入任何轨迹；第一个：{first}",
                              "{n} problems, no track was imported; first: {first}",
                              n=len(problems), first=problems[0], problems=problems,
                              path=str(path))
    ids, new, flagged = [], 0, 0
    with session.transaction() as tx:
        for key, row in rows:
            found = queries.track_by_idempotency_key(tx, key)
            if found is not None:
                ids.append(found[0])
                continue
            ids.append(t._insert_track(tx, row))
            new += 1
            flagged += bool(row["flags"])
    return TrackImport(ids, new, flagged, source.notes)
