"""A duty area drawn on the map (issue 21): the duty list's "where", without a file.

:func:`gridapp.services.cases.routing.import_duty_areas` brings areas from a
vector file; :func:`add_duty_area` saves one outline drawn in the window,
checked the same way (a valid polygon, a kind of at most 30 characters) and
audited by the transaction.  Removing it again (undo) is
:func:`~gridapp.services.cases.routing.remove_duty_areas`.
"""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import Polygon
from shapely.validation import explain_validity

from gridapp.errors import ValidationError
from gridapp.services.session import Session

EDIT = "category.edit"  # who edits the duty list edits its areas
MAX_KIND = 30
MAX_NAME = 60


def add_duty_area(session: Session, outline: Polygon, kind: str, name: str | None = None
                  ) -> int:
    """Save *outline* (CGCS2000 longitude/latitude, EPSG:4490) as a duty area; its id.

    Raises
    ------
    ValidationError
        Fewer than three corners, an outline that crosses itself or has no
        area, no kind or a kind longer than 30 characters, a name longer than
        60; nothing is saved.
    """
    session.require(EDIT)
    area = clean_outline(outline)
    kind = (kind or "").strip()
    if not kind:
        raise ValidationError("请选择或填写区域类型", "Choose or enter the area's kind")
    if len(kind) > MAX_KIND:
        raise ValidationError("区域类型最多 {n} 个字符", "The area kind has at most {n} characters",
                              n=MAX_KIND)
    name = (name or "").strip() or None
    if name is not None and len(name) > MAX_NAME:
        raise ValidationError("区域名称最多 {n} 个字符", "The area name has at most {n} characters",
                              n=MAX_NAME)
    with session.transaction() as tx:
        return int(tx.insert("duty_area", {"geom": area, "kind": kind, "name": name}))


def clean_outline(outline: Any) -> Polygon:
    """*outline* as a valid polygon, or :class:`ValidationError` saying what is wrong."""
    if not isinstance(outline, Polygon) or outline.is_empty \
            or len(outline.exterior.coords) < 4:
        raise ValidationError("区域至少需要 3 个角点", "An area needs at least 3 corners")
    if not outline.is_valid:
        raise ValidationError("区域边界自相交或不闭合（{why}），未保存",
                              "The area's outline crosses itself ({why}); not saved",
                              why=explain_validity(outline))
    if outline.area <= 0:
        raise ValidationError("区域面积为零，未保存", "The area has no area; not saved")
    return shapely.normalize(outline)
