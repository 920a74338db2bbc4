"""What a poster or atlas shows, read from a workspace for a role holding ``print.maps``.

Grids are the current rows (``valid_to IS NULL``) with their current
assignments; everything is reprojected once to the workspace's metric CRS.
Only grid managers' names, phones and photos are read (they are public,
挂牌公示); no resident data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from gridapp.errors import NotFoundError
from gridapp.services.grids.colouring import colour_grids
from gridapp.services.maps_out.print_report import PrintReport
from gridapp.services.session import Session
from gridapp.storage.queries import maps as map_rows

UNASSIGNED = "未分配"


@dataclass
class ManagerEntry:
    """One manager as printed: who, how to reach them, which grids."""

    manager_id: int
    name: str
    phone: str
    photo: bytes | None
    grids: list[str] = field(default_factory=list)  # grid codes, primary first
    roles: list[str] = field(default_factory=list)


@dataclass
class PrintData:
    """Layers and people of one poster or atlas, in the metric CRS.

    ``grids`` has columns code, name, community, households, population,
    colour (hex), manager (name or 未分配), phone, manager_id (or <NA>) and
    backup (names of backup managers, comma-joined).
    """

    place: str
    office: str
    scope: str                      # "community" or "street"
    crs: int
    grids: gpd.GeoDataFrame
    communities: gpd.GeoDataFrame
    landmarks: gpd.GeoDataFrame
    managers: dict[int, ManagerEntry]
    qr_url: str = ""
    context: gpd.GeoDataFrame | None = None  # every current grid, for atlas neighbours
    office_duties: list[str] = field(default_factory=list)
    _columns: dict | None = field(default=None, repr=False)
    _context_columns: dict | None = field(default=None, repr=False)

    @property
    def title_vars(self) -> dict[str, str]:
        return {"place": self.place, "office": self.office}

    def columns(self) -> dict[str, list]:
        """Per-grid plain lists (label point, area, texts), computed once per job."""
        if self._columns is None:
            pts = self.grids.geometry.representative_point()
            self._columns = {
                "px": pts.x.tolist(), "py": pts.y.tolist(),
                "area": self.grids.geometry.area.tolist(),
                "name": self.grids["name"].astype(str).tolist(),
                "code": self.grids["code"].astype(str).tolist(),
                "manager": self.grids["manager"].astype(str).tolist()}
        return self._columns

    def context_columns(self) -> dict[str, list]:
        """The same for the context grids (atlas neighbours)."""
        if self._context_columns is None:
            ctx = self.context if self.context is not None else self.grids.iloc[:0]
            pts = ctx.geometry.representative_point()
            self._context_columns = {
                "px": pts.x.tolist(), "py": pts.y.tolist(),
                "name": ctx["name"].fillna("").astype(str).tolist(),
                "code": ctx["code"].astype(str).tolist()}
        return self._context_columns


def load_print_data(session: Session, *, community: str | None = None, street: bool = False,
                    report: PrintReport | None = None, context: bool = False) -> PrintData:
    """Read what a poster or atlas of a community (code or name) or the street shows.

    Needs ``print.maps`` (:class:`~gridapp.errors.PermissionDenied` otherwise).

    *context* also reads every current grid of the workspace (atlas pages
    grey out neighbours, also across community lines).
    With neither *community* nor *street*, a workspace with one community
    prints that community and one with several prints the street.

    Raises
    ------
    NotFoundError
        No such community, or the workspace has no communities or grids.
    """
    session.require("print.maps")
    store = session.store
    report = report if report is not None else PrintReport()
    crs = int(store.metric_epsg)
    street_name, office = map_rows.place_names(store)
    communities = map_rows.communities(store)
    if communities.empty:
        raise NotFoundError(
            "工作空间中还没有社区边界，无法出图：请先导入或绘制社区和网格",
            "The workspace has no communities yet, nothing to print: "
            "import or draw communities and grids first")
    place, scope, community_id = street_name, "street", None
    if community:
        hit = communities[(communities["code"] == community) | (communities["name"] == community)]
        if hit.empty:
            raise NotFoundError("工作空间中没有社区 {c}", "No community {c} in the workspace",
                                c=community)
        communities = hit.reset_index(drop=True)
    elif not street and len(communities) == 1:
        community = str(communities["code"].iloc[0])
    if community:
        community_id = int(communities["id"].iloc[0])
        place, scope = str(communities["name"].iloc[0]), "community"
    grids = map_rows.current_grids(store, community_id)
    if grids.empty:
        raise NotFoundError("{p}还没有网格，无法出图", "{p} has no grids yet, nothing to print",
                            p=place)
    grids = grids.sort_values("code").reset_index(drop=True)
    names = dict(zip(communities["id"], communities["name"], strict=False))
    grids["community"] = grids["community_id"].map(names).fillna("")
    grids["name"] = grids["name"].fillna(grids["code"])
    grids["colour"] = colour_grids(grids).hex_colours() if len(grids) > 1 else ["#fbb4ae"]

    managers, per_grid = _assignments(store, report)
    grids["manager_id"] = [per_grid.get(int(g), {}).get("primary") for g in grids["id"]]
    grids["manager"] = [managers[m].name if m in managers else UNASSIGNED
                        for m in grids["manager_id"]]
    grids["phone"] = [managers[m].phone if m in managers else "" for m in grids["manager_id"]]
    grids["backup"] = ["、".join(managers[m].name for m in per_grid.get(int(g), {})
                                .get("backup", []) if m in managers) for g in grids["id"]]
    codes = dict(zip(grids["id"].astype(int), grids["code"], strict=False))
    shown: dict[int, ManagerEntry] = {}
    for gid, roles in per_grid.items():
        if gid not in codes:
            continue
        for role, ids in (("primary", [roles.get("primary")]), ("backup", roles.get("backup", []))):
            for mid in ids:
                if mid is None or mid not in managers:
                    continue
                entry = shown.setdefault(mid, ManagerEntry(
                    mid, managers[mid].name, managers[mid].phone, managers[mid].photo))
                entry.grids.append(codes[gid])
                entry.roles.append(role)
    for code, name in zip(grids["code"], grids["manager"], strict=True):
        if name == UNASSIGNED:
            report.add("warning", "网格 {c} 没有网格员，图上标注“未分配”",
                       "Grid {c} has no manager; it is marked 未分配 on the map", c=code)
    for entry in shown.values():
        if entry.photo is None:
            report.add("info", "网格员 {n} 没有照片，使用占位头像",
                       "Manager {n} has no photo; a placeholder is printed", n=entry.name)
        if not entry.phone:
            report.add("warning", "网格员 {n} 没有电话", "Manager {n} has no phone", n=entry.name)

    landmarks = map_rows.landmarks(store)
    if len(landmarks):
        area = communities.geometry.union_all() if scope == "community" else None
        if area is not None:
            landmarks = landmarks[landmarks.intersects(area)]
        landmarks = landmarks[landmarks.geometry.notna() & ~landmarks.geometry.is_empty]
    duties = map_rows.office_duty_categories(store)
    ctx = None
    if context:
        ctx = map_rows.current_grids(store, columns=["code", "name"]).to_crs(crs)
    return PrintData(
        context=ctx, place=place, office=str(office), scope=scope, crs=crs,
        grids=gpd.GeoDataFrame(grids, geometry="geometry", crs=4490).to_crs(crs),
        communities=communities.to_crs(crs),
        landmarks=landmarks.to_crs(crs).reset_index(drop=True),
        managers=shown, qr_url=str(store.setting("print.qr_url", "") or ""),
        office_duties=duties)


def _assignments(store, report: PrintReport):  # type: ignore[no-untyped-def]
    rows = map_rows.current_assignments(store)
    photo_ids = sorted({r["photo_id"] for r in rows if r["photo_id"] is not None})
    photos: dict[int, bytes] = {}
    for pid in photo_ids:
        data = map_rows.attachment_data(store, pid)
        if data:
            photos[pid] = data
    managers: dict[int, ManagerEntry] = {}
    per_grid: dict[int, dict] = {}
    for r in rows:
        mid = int(r["manager_id"])
        if mid not in managers:
            managers[mid] = ManagerEntry(mid, str(r["name"] or ""), str(r["phone"] or ""),
                                         photos.get(r["photo_id"]))
        slot = per_grid.setdefault(int(r["grid_id"]), {"primary": None, "backup": []})
        if r["role"] == "primary" and slot["primary"] is None:
            slot["primary"] = mid
        elif mid != slot["primary"] and mid not in slot["backup"]:
            slot["backup"].append(mid)
    return managers, per_grid


__all__ = ["UNASSIGNED", "ManagerEntry", "PrintData", "load_print_data", "pd"]
