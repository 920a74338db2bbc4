"""Saving imported communities and grids into the workspace (issue 4, part 2).

:func:`import_file` is the whole path from a file to rows: read and preview
(:func:`~gridapp.services.importing.source.read_source`), per-feature checks for
the target (:func:`~gridapp.services.importing.source.validate_for_import`), the
checks against the workspace below, then one transaction.  Any blocking
problem raises :class:`~gridapp.errors.ImportFileError` listing every
problem, and nothing is written: no half-imported file.

Workspace checks: community codes not already used; each grid inside a
community (largest overlap), its code in that community and unique among
current grids; grids without a code are numbered within their community west
to east, north to south, after the codes in use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as replace_field
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from gridapp.domain.codes import GridCode, next_grid_code, reading_order
from gridapp.domain.timeutil import now_iso, to_iso
from gridapp.errors import ImportFileError, ValidationError
from gridapp.services.basedata.links import relink_after_grid_change
from gridapp.services.grids.coverage import CoverageReport, check_coverage
from gridapp.services.grids.coverage_snap import snap_grids_to_communities, snap_note
from gridapp.services.grids.fields import (
    ATTRIBUTES,
    closed_note,
    closed_versions,
    grid_attributes,
    guess_grid_fields,
)
from gridapp.services.grids.street_import import import_street, plan_street
from gridapp.services.importing.source import (
    ImportProblem,
    SourcePreview,
    guess_mapping,
    prepare_import,
    read_source,
    validate_for_import,
)
from gridapp.services.metric_crs import settle_metric_crs
from gridapp.services.session import Session
from gridapp.storage import bulk
from gridapp.storage.queries import grids as grid_queries

__all__ = ["ImportOutcome", "grid_file_problems", "import_communities", "import_file",
           "import_grids"]


@dataclass
class ImportOutcome:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    preview: SourcePreview | None
    frame: gpd.GeoDataFrame  # rows as they are (or would be) written
    ids: list[int] = field(default_factory=list)  # empty for a dry run
    problems: list[ImportProblem] = field(default_factory=list)  # non-blocking
    closed: list[int] = field(default_factory=list)  # grids replaced (replace=True)
    report: CoverageReport | None = None  # coverage of the imported grids

    @property
    def dry_run(self) -> bool:
        return not self.ids


def _refuse(problems: list[ImportProblem]) -> None:
    blocking = [p for p in problems if p.blocking]
    if blocking:
        raise ImportFileError(
            "{n} 个问题，未导入任何要素；第一个：{first}",
            "{n} problems, nothing was imported; first: {first}",
            n=len(blocking), first=blocking[0].message, problems=problems)


def _problem(i: int, reason: str, zh: str, en: str) -> ImportProblem:
    return ImportProblem(int(i), reason, f"要素 {i}：{zh}", f"Feature {i}: {en}")


# ------------------------------------------------------------- communities
def plan_communities(session: Session, frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame,
                                                                          list[ImportProblem]]:
    """Check prepared community rows against the workspace; rows to write and problems."""
    session.require("community.edit")
    used = grid_queries.community_codes(session.store)
    problems = []
    for i, code in zip(frame.index, frame["code"], strict=True):
        if pd.notna(code) and code in used:
            problems.append(_problem(i, "code_taken", f"社区代码 {code} 已在工作空间中",
                                     f"community code {code} is already in the workspace"))
    return frame, problems


def import_communities(session: Session, frame: gpd.GeoDataFrame, *,
                       street_id: int | None = None) -> list[int]:
    """Write prepared community rows (name, code, geometry in EPSG:4490); all or nothing.

    *frame* comes from :func:`~gridapp.services.importing.source.prepare_import`
    with ``kind='community'``.  Returns the new ids.
    """
    session.require("community.edit")
    frame, problems = plan_communities(session, frame)
    _refuse(problems)
    if street_id is None:
        streets = grid_queries.street_ids(session.store)
        street_id = streets[0] if len(streets) == 1 else None
    geoms = np.array([MultiPolygon([g]) if isinstance(g, Polygon) else g
                      for g in frame.geometry], dtype=object)
    values = [(None if pd.isna(n) else str(n), None if pd.isna(c) else str(c), street_id)
              for n, c in zip(frame["name"], frame["code"], strict=True)]
    with session.transaction() as tx:
        settle_metric_crs(tx, geoms)  # the street's first boundaries decide its GK zone
        first, n = bulk.insert_features(tx, "community", ["name", "code", "street_id"], values,
                                        geoms, summary="import communities")
    return list(range(first, first + n))


# ------------------------------------------------------------------- grids
def plan_grids(session: Session, frame: gpd.GeoDataFrame, *, replace: bool = False
               ) -> tuple[gpd.GeoDataFrame, list[ImportProblem], list[int]]:
    """Assign communities and codes to prepared grid rows and check them.

    Returns the rows to write (``community_id`` and ``code`` filled in), the
    problems, and the current grids that would be closed (``replace``: every
    current grid of a community that receives imported grids).
    """
    session.require("grid.edit")
    comms = grid_queries.communities(session.store)
    problems: list[ImportProblem] = []
    out = frame.copy()
    geoms = np.asarray(out.geometry.array, dtype=object)
    comm_idx = np.full(len(out), -1)
    if not comms.empty and len(out):
        tree = shapely.STRtree(comms.geometry.values)
        pairs = tree.query(geoms, predicate="intersects")
        area = shapely.area(shapely.intersection(geoms[pairs[0]], comms.geometry.values[pairs[1]]))
        best = np.zeros(len(out))
        for g, c, a in zip(pairs[0], pairs[1], area, strict=True):
            if a > best[g]:
                best[g], comm_idx[g] = a, c
    by_name = {str(n): i for i, n in enumerate(comms["name"])} if not comms.empty else {}
    by_code = {str(c): i for i, c in enumerate(comms["code"])} if not comms.empty else {}
    if "community" in out.columns:
        for k, ref in enumerate(out["community"]):
            if pd.notna(ref) and str(ref).strip():
                hit = by_code.get(str(ref).strip(), by_name.get(str(ref).strip()))
                if hit is None:
                    problems.append(_problem(k, "unknown_community", f"没有社区“{ref}”",
                                             f"no community '{ref}'"))
                else:
                    comm_idx[k] = hit
    community_id = [int(comms["id"].iloc[c]) if c >= 0 else None for c in comm_idx]
    comm_code = [comms["code"].iloc[c] if c >= 0 else None for c in comm_idx]
    for k in (int(i) for i in np.flatnonzero(comm_idx < 0)):
        if not any(p.index == k and p.reason == "unknown_community" for p in problems):
            problems.append(_problem(k, "outside_community", "不在任何社区内（请先导入社区边界）",
                                     "lies in no community (import community boundaries first)"))
    closed: list[int] = []
    targets = sorted({c for c in community_id if c is not None})
    if replace and targets:
        closed = grid_queries.current_ids_in_communities(session.store, targets)
    current = dict(grid_queries.current_code_ids(session.store))
    closed_set = set(closed)
    codes = list(out["code"])
    for k, code in enumerate(codes):
        if pd.isna(code) or not str(code).strip():
            continue
        try:
            parsed = GridCode.parse(str(code))
        except ValidationError:
            continue  # already reported by validate_for_import
        if comm_code[k] and parsed.community_code != comm_code[k]:
            problems.append(_problem(k, "code_community",
                                     f"编码 {code} 不属于所在社区 {comm_code[k]}",
                                     f"code {code} is not in its community {comm_code[k]}"))
        if str(code) in current and current[str(code)] not in closed_set:
            problems.append(_problem(k, "code_taken", f"编码 {code} 已被现有网格使用",
                                     f"code {code} is already used by a current grid"))
    # Number the grids without a code, per community, in reading order.
    metric = gpd.GeoSeries(geoms, crs=4490).to_crs(session.store.metric_epsg)
    pts = shapely.point_on_surface(np.asarray(metric.array, dtype=object))
    for cid in targets:
        rows = [k for k in range(len(out)) if community_id[k] == cid
                and (pd.isna(codes[k]) or not str(codes[k]).strip())]
        if not rows:
            continue
        cc = comm_code[rows[0]]
        if not cc or len(str(cc)) != 12:
            for k in rows:
                problems.append(_problem(k, "no_code", "没有编码，且所在社区没有代码可用于自动编码",
                                         "no code, and its community has no code to number from"))
            continue
        used = grid_queries.codes_in_community(session.store, cc)
        used += [str(c) for c in codes if pd.notna(c) and str(c).strip()]
        order = reading_order(shapely.get_x(pts[rows]), shapely.get_y(pts[rows]), 100.0)
        for j in order:
            code = str(next_grid_code(str(cc), used))
            codes[rows[j]] = code
            used.append(code)
    out["code"] = codes
    out["community_id"] = community_id
    # Grids without a name are named after their number, as drawn grids are.
    unnamed = out["name"].isna() | (out["name"].astype("string").str.strip() == "")
    out.loc[unnamed, "name"] = [f"网格{str(c)[-3:]}" if pd.notna(c) and str(c).strip() else pd.NA
                                for c in out.loc[unnamed, "code"]]
    return out, problems, closed


def import_grids(session: Session, frame: gpd.GeoDataFrame, *, replace: bool = False,
                 valid_from: datetime | str | None = None) -> tuple[list[int], list[int]]:
    """Write prepared grid rows as current grids; all or nothing.

    Rows may carry ``kind``, ``households``, ``population`` and ``notes``
    (from :func:`~gridapp.services.grids.fields.grid_attributes`); without
    them a grid is basic with no counts.

    With *replace*, the current grids of every community receiving imported
    grids are closed (``valid_to``) in the same transaction.  Returns
    ``(new ids, closed ids)``.
    """
    session.require("grid.edit")
    rows, problems, closed = plan_grids(session, frame, replace=replace)
    _refuse(problems)
    # Grids and boundaries share their vertices (within 1 cm), so edits stay clean.
    snap = snap_grids_to_communities(rows, grid_queries.communities(session.store))
    rows = snap.grids
    when = valid_from if isinstance(valid_from, str) else (
        to_iso(valid_from) if valid_from else now_iso())
    geoms = np.asarray(rows.geometry.array, dtype=object)
    values = [(str(r["code"]), None if pd.isna(r["name"]) else str(r["name"]),
               _value(r.get("kind")) or "basic", _value(r.get("households")),
               _value(r.get("population")), _value(r.get("notes")), r["community_id"], when)
              for r in rows.to_dict("records")]
    with session.transaction() as tx:
        settle_metric_crs(tx, geoms)  # the street's first boundaries decide its GK zone
        for cid, boundary in snap.changed.items():
            tx.update("community", cid, {"geom": boundary})
        for gid in closed:
            tx.update("grid", gid, {"valid_to": when})
        first, n = bulk.insert_features(
            tx, "grid", ["code", "name", "kind", "households", "population", "notes",
                         "community_id", "valid_from"], values, geoms,
            summary="import grids")
    relink_after_grid_change(session, when)  # buildings and places follow (issue 18)
    return list(range(first, first + n)), closed


# ---------------------------------------------------------------- one call
def import_file(session: Session, path: str | Path, kind: str, *,
                mapping: Mapping[str, str | None] | None = None, dry_run: bool = False,
                replace: bool = False, **read_options: Any) -> ImportOutcome:
    """Read *path* and import it as ``street``, ``community`` or ``grid`` features.

    *read_options* go to :func:`~gridapp.services.importing.source.read_source`
    (``encoding``, ``source_crs``, ``coord_system``, ``layer``...).  With
    *dry_run* nothing is written and the outcome shows what would be;
    blocking problems raise :class:`~gridapp.errors.ImportFileError` either
    way (``params['problems']``).
    """
    if kind not in ("street", "community", "grid"):
        raise ValueError(f"kind must be street, community or grid, not {kind!r}")
    session.require(f"{kind}.edit")
    preview = read_source(path, **read_options)
    guessed = guess_mapping(preview.fields, kind)  # 网格编码, not 社区代码, is a grid's code
    mapping = dict(guessed if mapping is None else {**guessed, **mapping})
    if kind == "grid":
        return _import_grid_file(session, preview, mapping, dry_run=dry_run, replace=replace)
    problems = validate_for_import(preview, kind, mapping)  # type: ignore[arg-type]
    _refuse(problems)
    frame = prepare_import(preview, kind, mapping)  # type: ignore[arg-type]
    if kind == "street":
        frame, more = plan_street(session, frame)
    else:
        frame, more = plan_communities(session, frame)
    _refuse(problems + more)
    outcome = ImportOutcome(kind, preview, frame, problems=problems + more)
    if dry_run:
        return outcome
    if kind == "street":
        outcome.ids = import_street(session, frame)
    else:
        outcome.ids = import_communities(session, frame)
    return outcome


def _renumbered(problems: list[ImportProblem], rows: Sequence[int]) -> list[ImportProblem]:
    """*problems* about positions in a subset, told with the file's feature numbers."""
    out = []
    for p in problems:
        if p.index is None or p.index >= len(rows):
            out.append(p)
            continue
        i, j = p.index, int(rows[p.index])
        zh = f"要素 {j}：" + p.zh[len(f"要素 {i}："):] if p.zh.startswith(f"要素 {i}：") else p.zh
        en = (f"Feature {j}: " + p.en[len(f"Feature {i}: "):]
              if p.en.startswith(f"Feature {i}: ") else p.en)
        out.append(replace_field(p, index=j, zh=zh, en=en))
    return out


def _grid_preview(preview: SourcePreview, mapping: Mapping[str, str | None]
                  ) -> tuple[SourcePreview, dict[str, str | None], list[int],
                             list[ImportProblem]]:
    """The preview without closed versions, the full mapping, kept rows, problems."""
    taken = [mapping.get(k) for k in ("name", "code", "community")]
    full = {**guess_grid_fields(preview.fields, taken), **mapping}  # the caller's choice wins
    skipped = closed_versions(preview.frame, full)
    rows = list(range(len(preview.frame)))
    if skipped:
        gone = set(skipped)
        rows = [i for i in rows if i not in gone]
        back = {old: new for new, old in enumerate(rows)}
        preview = replace_field(
            preview, frame=preview.frame.iloc[rows].reset_index(drop=True),
            problems=[replace_field(p, index=back[p.index]) if p.index is not None else p
                      for p in preview.problems if p.index is None or p.index in back])
    problems = validate_for_import(preview, "grid", full)
    _attrs, bad = grid_attributes(preview.frame, full)
    problems = _renumbered(problems + bad, rows)
    if skipped:
        problems.append(closed_note(skipped))
    return preview, full, rows, problems


def grid_file_problems(preview: SourcePreview,
                       mapping: Mapping[str, str | None] | None = None) -> list[ImportProblem]:
    """What importing *preview* as grids would say, before the workspace checks.

    As :func:`~gridapp.services.importing.source.validate_for_import`, plus kind and
    count checks, with closed versions (``valid_to`` set) left out and noted;
    feature numbers are the file's.  For a preview dialog.
    """
    return _grid_preview(preview, dict(preview.mapping if mapping is None else mapping))[3]


def _import_grid_file(session: Session, preview: SourcePreview, mapping: dict[str, str | None],
                      *, dry_run: bool, replace: bool) -> ImportOutcome:
    """Grids with every attribute (kind, households, population, notes); history skipped.

    Rows whose ``valid_to`` is set (closed versions, as in a workspace's own
    grid layer copied by ogr2ogr or a full-history export) are left out with
    a note; the other rows are checked and numbered as the file's features.
    """
    preview, mapping, rows, problems = _grid_preview(preview, mapping)
    _refuse(problems)
    frame = prepare_import(preview, "grid", mapping)
    attrs, _bad = grid_attributes(preview.frame, mapping)
    for column in ATTRIBUTES:
        frame[column] = attrs[column].to_numpy()
    frame, more, closed = plan_grids(session, frame, replace=replace)
    problems += _renumbered(more, rows)
    _refuse(problems)
    snap = snap_grids_to_communities(frame, grid_queries.communities(session.store))
    frame, comms = snap.grids, snap.communities
    if snap.moved or snap.inserted:
        problems.append(snap_note(snap))
    outcome = ImportOutcome("grid", preview, frame, problems=problems, closed=closed)
    outcome.report = check_coverage(frame.reset_index(drop=True), comms,
                                    community_id_field="id", community_field="community_id")
    if dry_run:
        return outcome
    outcome.ids, outcome.closed = import_grids(session, frame, replace=replace)
    return outcome


def _value(value: Any) -> Any:
    """A cell as SQLite takes it: None for missing, plain int for numpy/pandas ints."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    return value
