"""Routing a case by the duty list (职责清单): who should handle it.

:func:`propose_handler` reads the workspace's duty list for the case's
category (falling back to its parent class, then the category's default
department, then escalation to the district government) and proposes one of
four kinds of handling (DESIGN §3): the street office itself, one department,
several departments (a lead and assistants), or the district.  The dispatcher
confirms the proposal or overrides it with a written reason
(:func:`decide_routing`); :mod:`gridapp.services.cases.workflow` records the decision
when it dispatches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridapp import i18n
from gridapp.domain.enums import Handling
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.session import Session
from gridapp.storage import GeoPackageStore
from gridapp.storage.queries import cases as queries


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

    @property
    def explanation(self) -> str:
        where = {
            "duty_list": ("职责清单", "the duty list"),
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


def propose_handler(session: Session, category_id: int) -> RoutingProposal:
    """The handler the duty list proposes for a category.

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
    source = "duty_list"
    for cid in (cat["id"], cat["parent_id"]):
        if cid is None:
            continue
        rows = queries.duty_items(store, cid)
        if rows:
            handling, lead, assist = _from_duty_rows(rows)
            break
        source = "parent_duty_list"
    else:
        if cat["department_id"] is not None:
            lead = cat["department_id"]
            kind = queries.department_kind(store, lead)
            handling = {"office": Handling.OFFICE, "district": Handling.DISTRICT}.get(
                kind, Handling.DEPARTMENT
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
    return RoutingProposal(handling, lead, assist, source, _department_name(store, lead))


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
