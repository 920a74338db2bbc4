"""Routing a case by the duty list (职责清单): who should handle it.

:func:`propose_handler` reads the workspace's duty list for the case's
category (falling back to its parent class, then the category's default
department, then escalation to the district government) and proposes one of
four kinds of handling (DESIGN §3): the street office itself, one department,
several departments (a lead and assistants), or the district.  The dispatcher
confirms the proposal or overrides it with a written reason
(:func:`decide_routing`); :mod:`gridapp.services.cases.workflow` records the decision
when it dispatches.

Where the report is matters too (issue 21).  A duty-list line may carry an
``area_kind`` (``main_road``, ``compound``, ``market`` …): it applies to
reports inside a ``duty_area`` of that kind and wins over the line for
everywhere.  A report whose position is uncertain — within its GPS accuracy
(default :data:`DEFAULT_ACCURACY_M`) of a grid, street or duty-area boundary —
is flagged "近边界" with the candidates on both sides, so the dispatcher
decides.  Every proposal says why in :attr:`RoutingProposal.reasons`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point

from gridapp import i18n
from gridapp.domain.enums import Handling
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.cases.scope import visible_case
from gridapp.services.session import Session
from gridapp.storage import GeoPackageStore, geometry
from gridapp.storage.queries import cases as queries
from gridapp.storage.queries import duty as duty_queries

#: GPS error assumed when a report does not say (metres).
DEFAULT_ACCURACY_M = 20.0
_M_PER_DEG = 111_320.0

#: Kinds of duty area offered by the editor: key → (Chinese, English).  Other
#: keys may be typed; they are shown as they are.
AREA_KINDS: dict[str, tuple[str, str]] = {
    "main_road": ("主干道", "main road"),
    "compound": ("居民小区", "residential compound"),
    "market": ("集贸市场", "market"),
    "school": ("学校周边", "school surroundings"),
    "park": ("公园广场", "park or square"),
    "site": ("建筑工地", "building site"),
}


def area_kind_label(kind: str | None) -> str:
    """The user's-language name of an area kind ("everywhere" for None)."""
    if not kind:
        return i18n.pick("不限区域", "everywhere")
    zh, en = AREA_KINDS.get(kind, (kind, kind))
    return zh if i18n.language() == "zh" else en


@dataclass(frozen=True)
class BoundaryCandidate:
    """One side of a boundary a report lies close to.

    ``kind`` is ``"grid"``, ``"street"`` or ``"area"``; ``label`` names the
    side (grid code and name, the street or "outside the street", the area or
    "outside it"); ``distance_m`` is from the report to that side (0 inside);
    ``department_name`` is who the duty list names on that side (area sides).
    """

    kind: str
    ref_id: int | None
    label: str
    distance_m: float
    department_name: str = ""


@dataclass(frozen=True)
class RoutingProposal:
    """Who the duty list says should handle a category.

    Attributes
    ----------
    handling : Handling
        Office, one department, several departments, or the district.
    department_id : int or None
        The lead handler (the office's own team for ``OFFICE``, the district
        government's row for ``DISTRICT`` when the workspace has one).
    assist_department_ids : tuple of int
        Further departments for joint handling.
    source : str
        ``"duty_list"``, ``"parent_duty_list"``, ``"category"`` or
        ``"none"``: where the proposal came from.
    """

    handling: Handling
    department_id: int | None
    assist_department_ids: tuple[int, ...] = ()
    source: str = "duty_list"
    department_name: str = ""
    area_kind: str | None = None
    area_name: str = ""
    near_boundary: tuple[BoundaryCandidate, ...] = ()
    reasons: tuple[str, ...] = ()
    accuracy_m: float | None = None

    @property
    def is_near_boundary(self) -> bool:
        return bool(self.near_boundary)

    @property
    def why(self) -> str:
        """Every reason, one a line: category → department, area rule, near boundary."""
        return "\n".join(self.reasons) if self.reasons else self.explanation

    @property
    def explanation(self) -> str:
        where = {
            "duty_list": ("职责清单", "the duty list"),
            "area_rule": ("职责清单的区域规则", "the duty list's rule for the area"),
            "parent_duty_list": ("上级分类的职责清单", "the parent class's duty list"),
            "category": ("分类的默认处置部门", "the category's default department"),
            "none": (
                "职责不清，上报区政府",
                "no clear owner: escalate to the district",
            ),
        }[self.source]
        return i18n.pick(
            "{h}：{d}（依据{w}）",
            "{h}: {d} (from {w})",
            h=self.handling.label,
            d=self.department_name or "-",
            w=where[0] if i18n.language() == "zh" else where[1],
        )


@dataclass(frozen=True)
class RoutingDecision:
    """What the dispatcher chose; ``overridden`` when it differs from the proposal."""

    handling: Handling
    department_id: int
    assist_department_ids: tuple[int, ...] = ()
    overridden: bool = False
    reason: str = ""
    proposal: RoutingProposal | None = field(default=None, compare=False)


def department_name(session: Session, department_id: int | None) -> str:
    """A department's name ("" for None or an unknown id)."""
    session.require("workspace.read")
    return _department_name(session.store, department_id)


def _department_name(store: GeoPackageStore, department_id: int | None) -> str:
    if department_id is None:
        return ""
    return queries.department_name(store, department_id) or ""


def _from_duty_rows(rows: list[Any]) -> tuple[Handling, int | None, tuple[int, ...]]:
    lead = [r for r in rows if r["role"] == "lead"] or rows[:1]
    handling = Handling(lead[0]["handling"])  # type: ignore[call-arg]
    lead_id = lead[0]["department_id"]
    assist = tuple(
        int(r["department_id"])
        for r in rows
        if r["department_id"] is not None and r["department_id"] != lead_id
    )
    return handling, lead_id, assist


def _local(g: Any, lon: float, lat: float) -> Any:
    """*g* in metres east/north of (lon, lat) (equirectangular; fine below a few km)."""
    k = math.cos(math.radians(lat)) * _M_PER_DEG
    return shapely.transform(
        g, lambda xy: (xy - [lon, lat]) * [k, _M_PER_DEG])


def _deg(metres: float, lat: float) -> tuple[float, float]:
    dy = metres / _M_PER_DEG
    return dy / max(math.cos(math.radians(lat)), 0.01), dy


def _areas_at(store: GeoPackageStore, lon: float, lat: float,
              reach_m: float) -> list[tuple[Any, float, bool]]:
    """Duty areas within *reach_m*: (row, distance to its boundary in m, inside)."""
    dx, dy = _deg(reach_m, lat)
    out = []
    for r in duty_queries.duty_areas_by_id(
            store, duty_queries.area_ids_near(store, lon, lat, dx, dy)):
        g = geometry.decode(r["geom"])
        if g is None or g.is_empty:
            continue
        local = _local(g, lon, lat)
        origin = Point(0, 0)
        inside = bool(local.covers(origin))
        edge = float(local.boundary.distance(origin))
        if inside or edge <= reach_m:
            out.append((r, edge, inside))
    return out


def _lines_for(rows: list[Any], kinds: set[str]) -> tuple[list[Any], str | None]:
    """The lines for the first of *kinds* that has any, else the lines for everywhere."""
    for kind in sorted(kinds):
        hit = [r for r in rows if r["area_kind"] == kind]
        if hit:
            return hit, kind
    return [r for r in rows if r["area_kind"] is None], None


def _propose(store: GeoPackageStore, cat: Any, kinds: set[str]) -> tuple[
        Handling, int | None, tuple[int, ...], str, str | None]:
    """(handling, lead, assist, source, area kind used) for a category in *kinds*."""
    source = "duty_list"
    for cid in (cat["id"], cat["parent_id"]):
        if cid is None:
            continue
        lines, kind = _lines_for(duty_queries.duty_lines(store, cid), kinds)
        if lines:
            handling, lead, assist = _from_duty_rows(lines)
            if kind is not None:
                source = "area_rule"
            break
        source = "parent_duty_list"
    else:
        kind = None
        if cat["department_id"] is not None:
            lead = cat["department_id"]
            dkind = queries.department_kind(store, lead)
            handling = {"office": Handling.OFFICE, "district": Handling.DISTRICT}.get(
                dkind, Handling.DEPARTMENT
            )
            assist, source = (), "category"
        else:
            handling, lead, assist, source = Handling.DISTRICT, None, (), "none"
    if lead is None:
        lead = (
            queries.first_active_department(store, "office")
            if handling is Handling.OFFICE
            else queries.first_active_department(store, "district")
            if handling is Handling.DISTRICT
            else None
        )
    return handling, lead, assist, source, kind


def _grid_sides(store: GeoPackageStore, lon: float, lat: float,
                acc: float) -> tuple[BoundaryCandidate, ...]:
    """The grids within *acc* m when more than one is (the report may be in either)."""
    dx, dy = _deg(acc, lat)
    sides = []
    for r in duty_queries.grids_by_id(store, duty_queries.grid_ids_near(store, lon, lat,
                                                                        dx, dy)):
        g = geometry.decode(r["geom"])
        if g is None:
            continue
        d = float(_local(g, lon, lat).distance(Point(0, 0)))
        if d <= acc:
            sides.append(BoundaryCandidate("grid", int(r["id"]),
                                           f"{r['code']} {r['name'] or ''}".strip(), d))
    return tuple(sorted(sides, key=lambda c: (c.distance_m, c.label))) \
        if len(sides) > 1 else ()


def _street_sides(store: GeoPackageStore, lon: float, lat: float,
                  acc: float) -> tuple[BoundaryCandidate, ...]:
    """This street and "outside" when its outline is within *acc* m."""
    for r in duty_queries.street_rows(store):
        g = geometry.decode(r["geom"])
        if g is None or g.is_empty:
            continue
        local = _local(g, lon, lat)
        edge = float(local.boundary.distance(Point(0, 0)))
        if edge <= acc:
            inside = bool(local.covers(Point(0, 0)))
            return (
                BoundaryCandidate("street", int(r["id"]), r["name"] or "",
                                  0.0 if inside else edge),
                BoundaryCandidate("street", None,
                                  i18n.pick("相邻街道（辖区外）", "the neighbouring street"),
                                  edge if inside else 0.0),
            )
    return ()


def propose_handler(
    session: Session,
    category_id: int,
    lon: float | None = None,
    lat: float | None = None,
    *,
    accuracy_m: float | None = None,
) -> RoutingProposal:
    """The handler the duty list proposes for a category, at a place when given.

    With a position (CGCS2000 lon/lat), duty-list lines for the kind of a
    duty area the report is in win over the lines for everywhere, and the
    report is checked against grid, street and duty-area boundaries within
    *accuracy_m* (default :data:`DEFAULT_ACCURACY_M`): near one, the proposal
    lists both sides in ``near_boundary``.  ``reasons`` always says why.

    Raises
    ------
    NotFoundError
        The category does not exist.
    """
    session.require("workspace.read")
    store = session.store
    cat = queries.category_routing(store, category_id)
    if cat is None:
        raise NotFoundError(
            "没有编号为 {id} 的事件分类", "No category with id {id}", id=category_id
        )
    acc = DEFAULT_ACCURACY_M if accuracy_m is None or accuracy_m <= 0 else float(accuracy_m)
    areas = [] if lon is None or lat is None else _areas_at(store, lon, lat, acc)
    inside = {str(r["kind"]) for r, _, ins in areas if ins}
    handling, lead, assist, source, kind = _propose(store, cat, inside)
    name = _department_name(store, lead)
    area_name = next((r["name"] or "" for r, _, ins in areas if ins and r["kind"] == kind),
                     "")
    label = duty_queries.category_label(store, category_id)
    base = RoutingProposal(handling, lead, assist, source, name)
    reasons = [i18n.pick("分类“{c}”→{d}（依据{w}）", "Category '{c}' → {d} (from {w})",
                         c=label, d=name or "-", w=_where(source))]
    if kind is not None:
        reasons.append(i18n.pick(
            "位于{k}“{a}”：职责清单对该区域另有规定", "In the {k} '{a}': the duty list has "
            "a rule for this area", k=area_kind_label(kind), a=area_name or "-"))
    sides: list[BoundaryCandidate] = []
    if lon is not None and lat is not None:
        grid_sides = _grid_sides(store, lon, lat, acc)
        street_sides = _street_sides(store, lon, lat, acc)
        if grid_sides:
            reasons.append(i18n.pick(
                "近边界：位于网格 {a} 与 {b} 的分界附近（定位误差约{e}米），请调度员确认",
                "Near a boundary: between grids {a} and {b} (GPS error about {e} m); "
                "the dispatcher decides", a=grid_sides[0].label, b=grid_sides[1].label,
                e=round(acc)))
        if street_sides:
            reasons.append(i18n.pick(
                "近边界：距街道边界约{d}米（定位误差约{e}米），可能属于相邻街道，请调度员确认",
                "Near a boundary: about {d} m from the street's edge (GPS error about "
                "{e} m); it may belong to the neighbouring street, the dispatcher decides",
                d=round(max(s.distance_m for s in street_sides)), e=round(acc)))
        for r, edge, ins in areas:
            if edge > acc:
                continue
            other = _propose(store, cat, inside - {str(r["kind"])} if ins
                             else inside | {str(r["kind"])})
            if other[1] == lead and other[2] == assist:
                continue  # the same handler on both sides: nothing to decide
            here = BoundaryCandidate("area", int(r["id"]), _area_label(r, True),
                                     0.0 if ins else edge,
                                     name if ins else _department_name(store, other[1]))
            there = BoundaryCandidate("area", None, _area_label(r, False),
                                      edge if ins else 0.0,
                                      _department_name(store, other[1]) if ins else name)
            sides += [here, there]
            reasons.append(i18n.pick(
                "近边界：距{a}边界约{d}米（定位误差约{e}米）；区内由{x}处置，区外由{y}处置，请调度员确认",
                "Near a boundary: about {d} m from the edge of {a} (GPS error about {e} m); "
                "inside {x} handles it, outside {y}; the dispatcher decides",
                a=_area_label(r, True), d=round(edge), e=round(acc),
                x=here.department_name or "-", y=there.department_name or "-"))
        sides = [*grid_sides, *street_sides, *sides]
    return RoutingProposal(
        base.handling, base.department_id, base.assist_department_ids, base.source,
        base.department_name, kind, area_name, tuple(sides), tuple(reasons),
        None if lon is None else acc)


def _where(source: str) -> str:
    zh, en = {
        "duty_list": ("职责清单", "the duty list"),
        "area_rule": ("职责清单的区域规则", "the duty list's rule for the area"),
        "parent_duty_list": ("上级分类的职责清单", "the parent class's duty list"),
        "category": ("分类的默认处置部门", "the category's default department"),
        "none": ("职责不清，上报区政府", "no clear owner: escalate to the district"),
    }[source]
    return zh if i18n.language() == "zh" else en


def _area_label(r: Any, inside: bool) -> str:
    name = f"{area_kind_label(r['kind'])}“{r['name'] or ''}”" if r["name"] \
        else area_kind_label(r["kind"])
    return name if inside else i18n.pick("{a}以外", "outside {a}", a=name)


def propose_for_case(session: Session, report_id: int, *,
                     accuracy_m: float | None = None) -> RoutingProposal:
    """:func:`propose_handler` for a case: its category at its position.

    Raises
    ------
    NotFoundError
        No such case, or it has no category.
    PermissionDenied
        The user may not see the case.
    """
    row = visible_case(session, report_id)
    if row["category_id"] is None:
        raise NotFoundError("案件 {no} 没有分类", "Case {no} has no category",
                            no=row["case_no"])
    g = row["geom"]
    lon, lat = (None, None) if g is None or g.is_empty else (g.x, g.y)
    return propose_handler(session, int(row["category_id"]), lon, lat,
                           accuracy_m=accuracy_m)


def resolve_department(session: Session, handler: int | str) -> int:
    """A department id from an id or a department code ("CG", "JD" …)."""
    session.require("workspace.read")
    store = session.store
    if isinstance(handler, int) or (isinstance(handler, str) and handler.isdigit()):
        row = queries.department_id(store, int(handler))
    else:
        row = queries.department_id_by_key(store, handler)
    if row is None:
        raise NotFoundError(
            "没有处置单位“{handler}”",
            "No handling unit '{handler}'",
            handler=str(handler),
        )
    return int(row)


def decide_routing(
    session: Session,
    proposal: RoutingProposal,
    department: int | str | None = None,
    *,
    reason: str = "",
    assist: tuple[int | str, ...] | None = None,
) -> RoutingDecision:
    """Confirm the proposal (*department* None or equal) or override it.

    Overriding the lead department or the assisting departments needs a
    written *reason*.

    Raises
    ------
    ValidationError
        An override without a reason, or no handler at all (the duty list
        named none and the dispatcher chose none).
    """
    session.require("workspace.read")
    chosen = (
        resolve_department(session, department)
        if department is not None
        else proposal.department_id
    )
    if chosen is None:
        raise ValidationError(
            "职责清单没有给出处置单位，请指定一个",
            "The duty list names no handler; choose one",
        )
    helpers = (
        tuple(resolve_department(session, a) for a in assist)
        if assist is not None
        else proposal.assist_department_ids
    )
    helpers = tuple(h for h in dict.fromkeys(helpers) if h != chosen)
    overridden = chosen != proposal.department_id or set(helpers) != set(
        proposal.assist_department_ids
    )
    if overridden and not reason.strip():
        raise ValidationError(
            "改变职责清单建议的处置单位（建议：{proposed}）必须填写原因",
            "Overriding the duty list's proposal ({proposed}) needs a written reason",
            proposed=proposal.department_name or "-",
            department_id=chosen,
        )
    handling = proposal.handling
    if overridden:
        kind = queries.department_kind(session.store, chosen)
        handling = {"office": Handling.OFFICE, "district": Handling.DISTRICT}.get(
            kind
        ) or (Handling.JOINT if helpers else Handling.DEPARTMENT)
    return RoutingDecision(
        handling, int(chosen), helpers, overridden, reason.strip(), proposal
    )


# -- the duty list editor ---------------------------------------------------------
_ROLES = ("lead", "assist")
_LINE_FIELDS = ("category_id", "handling", "department_id", "role", "area_kind", "note")


def duty_list(session: Session) -> list[dict[str, Any]]:
    """Every duty-list line with category code and name, department name and area kind."""
    session.require("workspace.read")
    return duty_queries.duty_table(session.store)


def area_kinds(session: Session) -> list[tuple[str, str]]:
    """(key, label) of the area kinds offered: the built-in ones and those in use."""
    session.require("workspace.read")
    keys = list(AREA_KINDS) + [k for k in duty_queries.area_kinds_in_use(session.store)
                               if k not in AREA_KINDS]
    return [(k, area_kind_label(k)) for k in keys]


def _clean_line(session: Session, values: dict[str, Any],
                line_id: int | None) -> dict[str, Any]:
    """A whole line checked: known category and department, a handling, one lead."""
    store = session.store
    unknown = set(values) - set(_LINE_FIELDS)
    if unknown:
        raise ValidationError("未知字段 {field}", "Unknown field {field}",
                              field="、".join(sorted(unknown)))
    out = {k: values.get(k) for k in _LINE_FIELDS}
    if out["category_id"] in (None, ""):
        raise ValidationError("请选择事件分类", "Choose a category")
    cat = queries.category_routing(store, int(out["category_id"]))
    if cat is None:
        raise ValidationError("没有编号为 {id} 的事件分类", "No category with id {id}",
                              id=out["category_id"])
    out["category_id"] = int(out["category_id"])
    try:
        handling = Handling(out["handling"] or "")  # type: ignore[call-arg]
    except ValueError:
        raise ValidationError("请选择处置方式", "Choose how it is handled") from None
    out["handling"] = handling.value
    if out["department_id"] in (None, ""):
        if handling is not Handling.DISTRICT:
            raise ValidationError("请选择处置部门（只有“上报区政府”可以不指定部门）",
                                  "Choose a department (only 'escalate to the district' "
                                  "may name none)")
        out["department_id"] = None
    else:
        dep = int(out["department_id"])
        if queries.department_name(store, dep) is None:
            raise ValidationError("没有编号为 {id} 的部门", "No department with id {id}",
                                  id=dep)
        out["department_id"] = dep
    role = out["role"] or "lead"
    if role not in _ROLES:
        raise ValidationError("角色应为“牵头”或“协办”", "The role must be lead or assist")
    out["role"] = role
    kind = str(out["area_kind"] or "").strip()
    if len(kind) > 30:
        raise ValidationError("区域类型名称太长（最多 30 个字）",
                              "The area kind is too long (30 characters at most)")
    out["area_kind"] = kind or None
    note = str(out["note"] or "").strip()
    out["note"] = note[:200] or None
    if duty_queries.same_line_exists(store, out["category_id"], out["department_id"],
                                     out["area_kind"], line_id):
        raise ValidationError(
            "职责清单已有这一条：{cat}，{area}，{dep}",
            "The duty list already has this line: {cat}, {area}, {dep}",
            cat=duty_queries.category_label(store, out["category_id"]),
            area=area_kind_label(out["area_kind"]),
            dep=_department_name(store, out["department_id"]) or "-")
    if role == "lead" and any(
            r["role"] == "lead" and r["area_kind"] == out["area_kind"] and r["id"] != line_id
            for r in duty_queries.duty_lines(store, out["category_id"])):
        raise ValidationError(
            "{cat}在“{area}”已有牵头部门；请把这一条设为协办，或先修改原牵头部门",
            "{cat} already has a lead department for '{area}'; make this line an "
            "assisting one, or change the lead first",
            cat=duty_queries.category_label(store, out["category_id"]),
            area=area_kind_label(out["area_kind"]))
    return out


def add_duty_line(session: Session, *, restore_id: int | None = None, **values: Any) -> int:
    """Add a line to the duty list (``category_id``, ``handling``, ``department_id``,
    ``role`` lead/assist, ``area_kind`` or None for everywhere, ``note``); audited.

    *restore_id* puts a removed line back under its old id (undo of
    :func:`remove_duty_line`), so later undo steps still find it.

    Raises
    ------
    ValidationError
        No or an unknown category or department (only district escalation may
        name none), an unknown handling or role, the same line twice, a second
        lead for the same category and area.
    """
    session.require("category.edit")
    line = _clean_line(session, values, None)
    if restore_id is not None:
        if duty_queries.duty_line(session.store, int(restore_id)) is not None:
            raise ValidationError("职责清单第 {id} 条仍在", "Duty-list line {id} still exists",
                                  id=restore_id)
        line = {"id": int(restore_id)} | line
    with session.transaction() as tx:
        return int(tx.insert("duty_item", line))


def update_duty_line(session: Session, line_id: int, **changes: Any) -> dict[str, Any]:
    """Change fields of a duty-list line; returns ``{column: [old, new]}`` (audited).

    Raises
    ------
    NotFoundError
        No such line.
    ValidationError
        As :func:`add_duty_line`, for the line as changed.
    """
    session.require("category.edit")
    old = duty_queries.duty_line(session.store, int(line_id))
    if old is None:
        raise NotFoundError("职责清单没有第 {id} 条", "No duty-list line {id}", id=line_id)
    merged = {k: old[k] for k in _LINE_FIELDS} | changes
    line = _clean_line(session, merged, int(line_id))
    changed = {k: v for k, v in line.items() if old[k] != v}
    if not changed:
        return {}
    with session.transaction() as tx:
        return tx.update("duty_item", int(line_id), changed)


def remove_duty_line(session: Session, line_id: int) -> dict[str, Any]:
    """Remove a duty-list line; returns its values (to add it back); audited.

    Raises
    ------
    NotFoundError
        No such line.
    """
    session.require("category.edit")
    old = duty_queries.duty_line(session.store, int(line_id))
    if old is None:
        raise NotFoundError("职责清单没有第 {id} 条", "No duty-list line {id}", id=line_id)
    with session.transaction() as tx:
        tx.delete("duty_item", int(line_id))
    return {k: old[k] for k in _LINE_FIELDS}


# -- duty areas ------------------------------------------------------------------
_KIND_FIELDS = ("kind", "area_kind", "类型", "区域类型")
_NAME_FIELDS = ("name", "名称", "区域名称")


def duty_areas(session: Session) -> list[tuple[str, int]]:
    """(kind, number of areas) of the workspace's duty areas."""
    session.require("workspace.read")
    return [(r["kind"], int(r["n"])) for r in duty_queries.duty_area_count(session.store)]


def import_duty_areas(session: Session, path: str, *, kind: str | None = None,
                      layer: str | int | None = None) -> list[int]:
    """Add the polygons of a vector file (GeoPackage, Shapefile, GeoJSON, KML …)
    as duty areas; returns the new ids (audited, all or nothing).

    The kind is *kind* when given, else each feature's ``kind`` / ``类型``
    field; the name is its ``name`` / ``名称`` field.  Coordinates are taken
    from the file's CRS (or inferred as the importers do) and stored in
    CGCS2000 (EPSG:4490).  Multipolygons become one area per part.

    Raises
    ------
    ValidationError
        No polygon, a feature without a kind, an invalid polygon (row numbers
        named).
    """
    session.require("category.edit")
    # GDAL and geopandas only when a duty-area file is imported
    from gridapp.services.importing.readers import infer_crs, read_vector

    frame, _enc, _how = read_vector(Path(path), layer, None)
    crs, _why = infer_crs(frame.total_bounds, frame.crs, None)
    frame = frame.set_crs(crs, allow_override=True).to_crs(4490)
    cols = {str(c).lower(): c for c in frame.columns}
    kind_col = next((cols[f] for f in _KIND_FIELDS if f in cols), None)
    name_col = next((cols[f] for f in _NAME_FIELDS if f in cols), None)
    rows, bad, no_kind = [], [], []
    for i, rec in enumerate(frame.itertuples(index=False), start=1):
        g = getattr(rec, frame.geometry.name)
        k = (kind or (str(getattr(rec, kind_col)) if kind_col else "")).strip()
        if g is None or g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon") \
                or not g.is_valid:
            bad.append(i)
            continue
        if not k or k == "None" or len(k) > 30:
            no_kind.append(i)
            continue
        name = str(getattr(rec, name_col)).strip() if name_col else ""
        for part in getattr(g, "geoms", [g]):
            rows.append({"geom": part, "kind": k,
                         "name": name if name and name != "None" else None})
    if bad:
        raise ValidationError("第 {rows} 个要素不是有效的面，未导入任何区域",
                              "Features {rows} are not valid polygons; no area imported",
                              rows="、".join(map(str, bad[:20])))
    if no_kind:
        raise ValidationError("第 {rows} 个要素没有区域类型（kind/类型 字段），未导入任何区域",
                              "Features {rows} have no area kind (kind field); no area "
                              "imported", rows="、".join(map(str, no_kind[:20])))
    if not rows:
        raise ValidationError("文件中没有面要素", "The file has no polygons")
    with session.transaction() as tx:
        return [int(tx.insert("duty_area", r)) for r in rows]


def remove_duty_areas(session: Session, area_ids: list[int]) -> int:
    """Remove duty areas (undo of an import); how many were removed (audited)."""
    session.require("category.edit")
    with session.transaction() as tx:
        for i in area_ids:
            tx.delete("duty_area", int(i))
    return len(area_ids)
