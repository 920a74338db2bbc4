"""Drawing and editing buildings one at a time (issue 18), and "which grid on date X".

The map's building tool (:mod:`gridapp.qt.basedata.building_tool`) draws a
polygon and the form gives its name, kind, households, floors and address;
both go through here.  Each change is one audited transaction (the audit entry
of an update holds old and new values, which is what the GUI's undo puts back),
and the building is linked to the grid and community holding it by location
in the same transaction: a moved building gets a new link and its old one is
closed, so :func:`building_grid_on` still answers for the past.  A grid
manager draws and edits buildings only inside their own grids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError, PermissionDenied, ValidationError
from gridapp.services.basedata import links
from gridapp.services.session import Session, own_grid_ids
from gridapp.storage.queries import basedata as q
from gridapp.storage.queries import grids as grid_queries

EDIT = "building.edit"
READ = "workspace.read"


@dataclass
class BuildingDraft:
    """A building's attributes as typed in the form."""

    name: str
    kind: str | None = None
    households: int | str | None = 0
    floors: int | str | None = None
    address: str | None = None


def _int(value: Any, label_zh: str, label_en: str, low: int, high: int) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise ValidationError("{label_zh}应为 {low}–{high} 的整数（填写的是“{value}”）",
                              "{label_en} must be a whole number from {low} to {high}"
                              " (got '{value}')", label_zh=label_zh, label_en=label_en,
                              low=low, high=high, value=str(value))
    return number


def clean_building(draft: BuildingDraft) -> dict[str, Any]:
    """The attributes to store, or :class:`ValidationError` saying what is wrong."""
    name = (draft.name or "").strip()
    if not name:
        raise ValidationError("请填写楼栋名称", "Give the building's name")
    return {"name": name, "kind": (draft.kind or "").strip() or None,
            "households": _int(draft.households, "户数", "Households", 0, 5000) or 0,
            "floors": _int(draft.floors, "层数", "Floors", 1, 200),
            "address": (draft.address or "").strip() or None}


def clean_footprint(geom: BaseGeometry | None) -> BaseGeometry:
    """A drawn footprint: one valid polygon of plausible size (degrees, CGCS2000)."""
    if geom is None or geom.is_empty or geom.geom_type != "Polygon":
        raise ValidationError("楼栋轮廓应为一个面（至少三个点）",
                              "A building's footprint must be one polygon (three points or"
                              " more)")
    if not geom.is_valid:
        raise ValidationError("楼栋轮廓自相交，请重新绘制",
                              "The footprint crosses itself: draw it again")
    minx, miny, maxx, maxy = geom.bounds
    if maxx - minx > 0.01 or maxy - miny > 0.01:  # ~1 km: not a building
        raise ValidationError("楼栋轮廓超过约 1 公里，请检查", "The footprint spans more than"
                              " about 1 km: check it")
    return shapely.normalize(geom)


def _grid_at(session: Session, geom: BaseGeometry) -> int | None:
    grids = grid_queries.current_grids(session.store)
    at = links._containing(np.asarray([shapely.point_on_surface(geom)], dtype=object), grids)
    return int(grids["id"].iloc[at[0]]) if at[0] >= 0 else None


def _require_scope(session: Session, grid_id: int | None) -> None:
    own = own_grid_ids(session)
    if own is not None and grid_id not in own:
        raise PermissionDenied("您只能编辑自己网格内的楼栋",
                               "You may only edit buildings in your own grids",
                               grid_id=grid_id, user=session.user.username)


def _existing(session: Session, building_id: int) -> dict[str, Any]:
    found = q.building_attrs(session.store, building_id)
    if found is None:
        raise NotFoundError("没有 id={id} 的楼栋", "No building id={id}", id=building_id)
    return found


def add_building(session: Session, footprint: BaseGeometry, draft: BuildingDraft) -> int:
    """Add a drawn building; linked to its grid and community at once.  Returns its id."""
    session.require(EDIT)
    geom = clean_footprint(footprint)
    values = clean_building(draft)
    _require_scope(session, _grid_at(session, geom))
    with session.transaction() as tx:
        bid = tx.insert("building", {"geom": geom, **values})
        links._relink(session, tx, "building", now_iso(),
                      ([bid], np.asarray([geom], dtype=object)))
    return bid


def update_building(session: Session, building_id: int, *,
                    footprint: BaseGeometry | None = None,
                    draft: BuildingDraft | None = None) -> dict[str, list[Any]]:
    """Change a building's attributes and/or footprint; returns ``{field: [old, new]}``
    of the attributes changed (what an undo puts back).  A new footprint re-links it."""
    session.require(EDIT)
    old = _existing(session, building_id)
    _require_scope(session, old["grid_id"])
    geom = clean_footprint(footprint) if footprint is not None else None
    if geom is not None:
        _require_scope(session, _grid_at(session, geom))
    values = clean_building(draft) if draft is not None else {}
    changes = {k: [old[k], v] for k, v in values.items() if old[k] != v}
    if not changes and geom is None:
        return {}
    with session.transaction() as tx:
        tx.update("building", building_id,
                  {**{k: v[1] for k, v in changes.items()},
                   **({"geom": geom} if geom is not None else {})})
        if geom is not None:
            links._relink(session, tx, "building", now_iso(),
                          ([building_id], np.asarray([geom], dtype=object)))
    return changes


def delete_building(session: Session, building_id: int) -> None:
    """Delete a building that has no households (undoing a drawing); audited.

    A building with households is refused: its residents would lose their home.
    """
    session.require(EDIT)
    old = _existing(session, building_id)
    _require_scope(session, old["grid_id"])
    n = q.building_household_count(session.store, building_id)
    if n:
        raise ValidationError("楼栋“{name}”登记了 {n} 户，不能删除",
                              "The building '{name}' has {n} households: it cannot be deleted",
                              name=old["name"] or building_id, n=n)
    with session.transaction() as tx:
        q.delete_building_links(tx, building_id)
        tx.delete("building", building_id)


def building_grid_on(session: Session, building_id: int,
                     day: date | datetime | str) -> int | None:
    """The grid a building was in on *day* (a date: at the end of that day, Beijing
    time; or an instant), from the link history; ``None`` if it was in none."""
    session.require(READ)
    return links.grid_on(session, "building", building_id, day)[0]
