"""Categories, grids and handling departments: choice lists, and their editors.

The choice lists are read-only; every role may read them (``workspace.read``).
The category and department editors (issue 21) change names, deadlines,
default handlers and liaisons through :func:`update_category` and
:func:`update_department` (``category.edit`` / ``department.edit``), one
audited transaction each.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from gridapp.domain.enums import TimeUnit
from gridapp.errors import ValidationError
from gridapp.services.people.managers import normalize_phone
from gridapp.services.session import Session
from gridapp.storage.queries import cases as queries
from gridapp.storage.queries import editors as editor_rows


def category_choices(session: Session) -> list[tuple[int, str, bool]]:
    """(id, "code name", is_top_level) of active categories, in code order."""
    session.require("workspace.read")
    return [
        (int(r["id"]), f"{r['code']} {r['name']}", r["parent_id"] is None)
        for r in queries.category_tree(session.store, active_only=True)
    ]


def category_tree(session: Session) -> list[dict[str, Any]]:
    """``id, code, name, parent_id`` of every category (active or not), by code."""
    session.require("workspace.read")
    return [dict(r) for r in queries.category_tree(session.store)]


def grid_choices(session: Session) -> list[tuple[int, str]]:
    """(id, "code name") of the current grids."""
    session.require("workspace.read")
    return [
        (int(r["id"]), f"{r['code']} {r['name'] or ''}".strip())
        for r in queries.current_grids(session.store)
    ]


def department_choices(session: Session) -> list[dict[str, Any]]:
    """Handlers: id, name, kind (office / department / district)."""
    session.require("workspace.read")
    return queries.departments(session.store)


# -- editing (issue 21: the category and department editors) -----------------
# Largest time limit per unit: a year of working days, of office hours (8 a
# day) and a month of round-the-clock urgent hours.
TIME_LIMIT_MAX = {TimeUnit.WORKDAY: 250.0, TimeUnit.WORKHOUR: 2000.0,
                  TimeUnit.URGENT_HOUR: 720.0}
NAME_MAX = 30


def category_rows(session: Session) -> list[dict[str, Any]]:
    """Every category with ``department_id, time_limit, time_unit, active``, by code."""
    session.require("workspace.read")
    return editor_rows.category_rows(session.store)


def _clean_name(value: Any, what_zh: str, what_en: str) -> str:
    text = re.sub(r"\s+", " ", str(value if value is not None else "")).strip()
    if not text:
        raise ValidationError("请填写{what}", "Enter the {what_en}", what=what_zh,
                              what_en=what_en)
    if len(text) > NAME_MAX:
        raise ValidationError("{what}“{value}”过长（最多 {n} 个字）",
                              "The {what_en} '{value}' is too long (at most {n} characters)",
                              what=what_zh, what_en=what_en, value=text, n=NAME_MAX)
    return text


def parse_time_limit(value: Any, unit: TimeUnit | str) -> float:
    """A positive time limit, at most :data:`TIME_LIMIT_MAX` of its unit.

    Accepts numbers and text (``"2"``, ``"1.5"``, full-width digits).

    Examples
    --------
    >>> parse_time_limit("２", "workday")
    2.0
    """
    unit = TimeUnit(unit)
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    try:
        number = float(text)
    except ValueError:
        raise ValidationError("处置时限“{value}”不是数字", "The time limit '{value}' is not a "
                              "number", value=text) from None
    top = TIME_LIMIT_MAX[unit]
    if not math.isfinite(number) or not 0 < number <= top:
        raise ValidationError(
            "处置时限必须大于 0，且不超过 {top:g} 个{unit}（现为 {value}）",
            "The time limit must be above 0 and at most {top:g} {unit_en} (got {value})",
            top=top, unit=unit.zh, unit_en=unit.en, value=text)
    return number


def _department_or_none(session: Session, value: Any) -> int | None:
    if value is None or value == "":
        return None
    dep = int(value)
    rows = {int(r["id"]): r for r in editor_rows.department_rows(session.store)}
    if dep not in rows or not rows[dep]["active"]:
        raise ValidationError("未知或已停用的部门（id={id}）", "Unknown or inactive department "
                              "(id={id})", id=dep)
    return dep


def update_category(session: Session, category_id: int, **changes: Any) -> dict[str, Any]:
    """Change a category's ``name``, ``time_limit``, ``time_unit``, ``department_id``
    (default handler) or ``active``; returns ``{column: [old, new]}`` (audited).

    A sub-category keeps a time limit (its cases' deadlines count from it); a
    class (top level) has none.  Names are unique under one parent.

    Raises
    ------
    ValidationError
        An empty or too long name, a name a sibling has, a time limit that is
        not a positive number within its unit's range, an unknown unit or
        department, an unknown field.
    """
    session.require("category.edit")
    row = session.store.get("category", int(category_id))
    unknown = set(changes) - {"name", "time_limit", "time_unit", "department_id", "active"}
    if unknown:
        raise ValidationError("未知字段 {field}", "Unknown field {field}",
                              field="、".join(sorted(unknown)))
    out: dict[str, Any] = {}
    if "name" in changes:
        out["name"] = _clean_name(changes["name"], "分类名称", "category name")
        if editor_rows.sibling_name_taken(session.store, row["parent_id"], out["name"],
                                          int(category_id)):
            raise ValidationError("同一大类下已有名为“{name}”的分类",
                                  "Another category of the same class is named '{name}'",
                                  name=out["name"])
    is_class = row["parent_id"] is None
    if "time_unit" in changes or "time_limit" in changes:
        unit_value = changes.get("time_unit", row["time_unit"])
        limit_value = changes.get("time_limit", row["time_limit"])
        if is_class and limit_value in (None, ""):
            out["time_limit"], out["time_unit"] = None, None
        else:
            try:
                unit = TimeUnit(unit_value or TimeUnit.WORKDAY.value)
            except ValueError:
                raise ValidationError("未知的时限单位“{unit}”", "Unknown time unit '{unit}'",
                                      unit=unit_value) from None
            if limit_value in (None, ""):
                raise ValidationError("请填写处置时限", "Enter the time limit")
            out["time_limit"] = parse_time_limit(limit_value, unit)
            out["time_unit"] = unit.value
    if "department_id" in changes:
        out["department_id"] = _department_or_none(session, changes["department_id"])
    if "active" in changes:
        out["active"] = 1 if changes["active"] else 0
    with session.transaction() as tx:
        return tx.update("category", int(category_id), out)


def department_rows(session: Session) -> list[dict[str, Any]]:
    """Every department with its liaison (``contact_person``, ``contact_phone``)."""
    session.require("workspace.read")
    return editor_rows.department_rows(session.store)


def update_department(session: Session, department_id: int, **changes: Any) -> dict[str, Any]:
    """Change a department's ``name``, ``short_name``, liaison (``contact_person``,
    ``contact_phone``) or ``active``; returns ``{column: [old, new]}`` (audited).

    A department that categories or the duty list still send work to cannot
    be deactivated (change those first); names are unique.
    """
    session.require("department.edit")
    session.store.get("department", int(department_id))
    unknown = set(changes) - {"name", "short_name", "contact_person", "contact_phone",
                              "active"}
    if unknown:
        raise ValidationError("未知字段 {field}", "Unknown field {field}",
                              field="、".join(sorted(unknown)))
    out: dict[str, Any] = {}
    if "name" in changes:
        out["name"] = _clean_name(changes["name"], "部门名称", "department name")
        if editor_rows.department_name_taken(session.store, out["name"], int(department_id)):
            raise ValidationError("已有名为“{name}”的部门", "Another department is named "
                                  "'{name}'", name=out["name"])
    if "short_name" in changes:
        out["short_name"] = _clean_name(changes["short_name"], "简称", "short name")
    if "contact_person" in changes:
        value = changes["contact_person"]
        out["contact_person"] = (_clean_name(value, "联络人姓名", "liaison's name")
                                 if value not in (None, "") and str(value).strip() else None)
    if "contact_phone" in changes:
        value = changes["contact_phone"]
        out["contact_phone"] = (normalize_phone(value)
                                if value not in (None, "") and str(value).strip() else None)
    if "active" in changes:
        out["active"] = 1 if changes["active"] else 0
        if not out["active"] and editor_rows.department_in_use(session.store,
                                                               int(department_id)):
            raise ValidationError(
                "仍有事件分类或职责清单指向该部门，不能停用；请先改为其他部门",
                "Categories or the duty list still send work to this department; it "
                "cannot be deactivated until they name another", id=department_id)
    with session.transaction() as tx:
        return tx.update("department", int(department_id), out)


def department_liaison_accounts(session: Session) -> dict[int, list[dict[str, Any]]]:
    """Each department's liaison accounts (``username, display_name, active``): who
    receives its cases and summonses in GridApp, beside the liaison it names."""
    session.require("department.edit")
    out: dict[int, list[dict[str, Any]]] = {}
    for r in editor_rows.liaison_accounts(session.store):
        out.setdefault(int(r["department_id"]), []).append(
            {"username": r["username"], "display_name": r["display_name"] or r["username"],
             "active": bool(r["active"])})
    return out
