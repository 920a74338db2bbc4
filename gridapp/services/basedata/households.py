"""Households (户): doors in buildings, where residents are listed."""

from __future__ import annotations

from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.session import Session, own_grid_ids
from gridapp.storage.queries import basedata as q


def add_household(session: Session, building_id: int, door: str, *,
                  size: int | None = None) -> int:
    """Add a household (door *door*, e.g. ``2单元301``) to a building; returns its id.

    A grid manager adds households only to buildings in their own grids.
    *size* is the typed number of people, used when residents are not listed.
    """
    session.require("building.edit")
    grid = q.building_grid(session.store, building_id)
    own = own_grid_ids(session)
    if own is not None and grid not in own:
        raise PermissionDenied("您只能登记自己网格内的住户",
                               "You may only record households of your own grids",
                               building_id=building_id, user=session.user.username)
    door = (door or "").strip()
    if not door:
        raise ValidationError("缺少门牌/室号", "Missing the door (unit and room)")
    if size is not None and not 0 <= int(size) <= 100:
        raise ValidationError("户人数 {size} 不合理", "Household size {size} is implausible",
                              size=size)
    if (building_id, door) in q.household_ids(session.store):
        raise ValidationError("该楼栋已有门牌“{door}”", "The building already has door '{door}'",
                              door=door)
    with session.transaction() as tx:
        return q.insert_household(tx, building_id, door, size)
