"""What the web map shows, read from a workspace (EPSG:4490, no folium here).

Grids are the current rows (``valid_to IS NULL``) with their community and
primary manager; reports are those filed in the last *days* days.  Only
grid managers' names and phones appear (they are public, 挂牌联系); residents'
names and phones in reports are never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import geopandas as gpd
import pandas as pd

from gridapp.domain.enums import CaseStatus, TaskState
from gridapp.domain.timeutil import now_utc
from gridapp.errors import NotFoundError
from gridapp.storage.queries import maps as map_rows

UNASSIGNED = "未分配"

@dataclass
class WebMapData:
    """Layers of the web map, all GeoDataFrames in EPSG:4490."""

    title_place: str
    office: str
    grids: gpd.GeoDataFrame
    communities: gpd.GeoDataFrame
    reports: gpd.GeoDataFrame
    tasks: gpd.GeoDataFrame | None
    since: datetime
    until: datetime


def load_webmap_data(store, *, days: int = 90, community: str | None = None,
                     now: datetime | None = None, read_tasks: bool = True) -> WebMapData:
    """Read grids, communities, recent reports and open joint tasks.

    Parameters
    ----------
    store : GeoPackageStore
    days : int
        Reports filed in the last *days* days (by ``reported_at``).
    community : str, optional
        A community code (12 digits) or name: only its grids and reports.
    now : datetime, optional
        End of the window (UTC); the current time by default.
    read_tasks : bool
        Also read joint tasks that are not done yet.
    """
    until = now or now_utc()
    since = until - timedelta(days=days)
    street = map_rows.street_row(store) or {}
    place = street.get("name") or store.setting("street.name", "") or ""
    office = street.get("office_name") or store.setting("street.office_name", "") or ""

    communities = map_rows.communities(store)
    community_id = None
    if community:
        hit = communities[(communities["code"] == community) | (communities["name"] == community)]
        if hit.empty:
            raise NotFoundError("工作空间中没有社区 {c}", "No community {c} in the workspace",
                                c=community)
        community_id = int(hit["id"].iloc[0])
        communities = hit.reset_index(drop=True)
        place = str(hit["name"].iloc[0])

    grids = _grids(store, community_id)
    reports = _reports(store, since, until, community_id)
    tasks = _open_tasks(store) if read_tasks else None
    if tasks is not None and community_id is not None and len(tasks):
        area = communities.geometry.union_all()
        tasks = tasks[tasks.intersects(area)].reset_index(drop=True)
    return WebMapData(place, office, grids, communities, reports, tasks, since, until)


def _grids(store, community_id: int | None) -> gpd.GeoDataFrame:
    grids = map_rows.current_grids(store, community_id)
    people = pd.DataFrame(map_rows.grid_people(store),
                          columns=["grid_id", "community", "community_code", "manager",
                                   "phone"])
    people = people.drop_duplicates("grid_id")  # newest primary assignment wins
    grids = grids.merge(people, left_on="id", right_on="grid_id", how="left")
    grids = grids.drop(columns="grid_id")
    grids["manager"] = grids["manager"].fillna(UNASSIGNED)
    grids["phone"] = grids["phone"].fillna("")
    grids["community"] = grids["community"].fillna("")
    grids["households"] = grids["households"].astype("Int64")
    return gpd.GeoDataFrame(grids.sort_values("code").reset_index(drop=True),
                            geometry="geometry", crs=4490)


def _reports(store, since: datetime, until: datetime,
             community_id: int | None) -> gpd.GeoDataFrame:
    cols = ["case_no", "address", "category_id", "status", "urgency", "reported_at",
            "grid_id", "community_id"]
    reports = map_rows.recent_reports(store, _iso(since), _iso(until), community_id, cols)
    reports = reports[~reports.geometry.is_empty & reports.geometry.notna()]
    cats = pd.DataFrame(map_rows.category_tree(store),
                        columns=["id", "code", "name", "top_code", "top_name"])
    cats = cats.rename(columns={"id": "category_id", "name": "category",
                                "code": "category_code"})
    reports = reports.merge(cats, on="category_id", how="left")
    reports["category"] = reports["category"].fillna("未分类")
    reports["top_name"] = reports["top_name"].fillna("未分类")
    reports["top_code"] = reports["top_code"].fillna("99")
    labels = {s.value: s.zh for s in CaseStatus}
    reports["status_label"] = reports["status"].map(labels).fillna(reports["status"])
    reports["reported_local"] = (reports["reported_at"].dt.tz_convert("Asia/Shanghai")
                                 .dt.strftime("%Y-%m-%d %H:%M"))
    return gpd.GeoDataFrame(reports.sort_values("reported_at").reset_index(drop=True),
                            geometry="geometry", crs=4490)


def _open_tasks(store) -> gpd.GeoDataFrame:
    done = (TaskState.DONE.value, TaskState.EVALUATED.value)
    tasks = map_rows.tasks_not_in(store, done,
                                  ["task_no", "title", "state", "action_at", "deadline"])
    labels = {s.value: s.zh for s in TaskState}
    if len(tasks):
        tasks["state_label"] = tasks["state"].map(labels).fillna(tasks["state"])
    return tasks


def _iso(dt: datetime) -> str:
    from gridapp.domain.timeutil import to_iso

    text = to_iso(dt)
    assert text is not None
    return text
