"""Residents (居民): who lives in each household, kept confidential (issue 18).

Every read passes the masking rules per role
(:data:`gridapp.domain.masking.REACH`): office staff, dispatchers and the
administrator see every resident in full, a grid manager sees the residents
of their own grids in full (and no others), the leader and department
liaisons see masked values (张*, 520***********1234, 138****5678).  Each
read that shows personal data in full writes one ``view_personal`` audit
entry naming the rows; a workspace that cannot be written shows masked
values.  ID numbers, phones, names and notes are stored encrypted
(:mod:`gridapp.storage.queries.basedata`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gridapp.domain import idcard, masking
from gridapp.domain.timeutil import today_local
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.people.personal_data import log_full_view
from gridapp.services.session import Session, own_grid_ids
from gridapp.storage.queries import basedata as q

EDIT = "resident.edit"
ERASE = "resident.erase"
READ = "workspace.read"
COLUMNS = {"name": "name", "id_number": "id_number", "phone": "phone"}


@dataclass
class ResidentDraft:
    """A resident as typed or imported (clear values; checked by :func:`clean_resident`)."""

    name: str
    household_id: int | None = None
    id_number: str | None = None
    phone: str | None = None
    categories: list[str] = field(default_factory=list)
    notes: str | None = None


@dataclass(frozen=True)
class ResidentView:
    """A resident as one user may see them (``masked`` says whether values are masked)."""

    id: int
    household_id: int | None
    building_id: int | None
    building_name: str | None
    door: str | None
    grid_id: int | None
    name: str | None
    id_number: str | None
    phone: str | None
    categories: tuple[str, ...]
    notes: str | None
    masked: bool
    age: int | None = None


def clean_phone(text: Any) -> str | None:
    """A mobile (11 digits, 1…) or a landline (7–12 digits with an optional area code)."""
    value = re.sub(r"[\s\-()（）]", "", str(text or ""))
    if not value:
        return None
    if re.fullmatch(r"(\+?86)?1[3-9]\d{9}", value):
        return value[-11:]
    if re.fullmatch(r"0?\d{7,11}", value):
        return value
    raise ValidationError("电话号码“{phone}”无效：手机应为 11 位，固话 7–12 位",
                          "Invalid phone number '{phone}': mobiles have 11 digits,"
                          " landlines 7–12", phone=str(text))


def clean_resident(draft: ResidentDraft, category_codes: set[str], *,
                   today: date | None = None, checked_id: str | None = None
                   ) -> dict[str, Any]:
    """The values to store, or :class:`ValidationError` saying what is wrong.

    *today* (default: :func:`today_local`) bounds birth dates; an import reads
    the clock once for all its rows.  *checked_id*: the draft's ID number,
    normalised and already found valid (an import checks the whole column at
    once with :func:`idcard.problems_many`).
    """
    name = (draft.name or "").strip()
    if not name:
        raise ValidationError("缺少姓名", "Missing name")
    number = None
    if checked_id:
        number = checked_id
    elif draft.id_number not in (None, ""):
        number = idcard.parse(draft.id_number, today=today or today_local()).number
    unknown = [c for c in draft.categories if c not in category_codes]
    if unknown:
        raise ValidationError("未知的居民类别：{codes}（可用：{known}）",
                              "Unknown resident categories: {codes} (known: {known})",
                              codes="、".join(unknown), known="、".join(sorted(category_codes)))
    return {"name": name, "household_id": draft.household_id, "id_number": number,
            "phone": clean_phone(draft.phone), "categories": list(dict.fromkeys(
                draft.categories)), "notes": (draft.notes or "").strip() or None}


def _category_codes(session: Session, names: bool = False) -> set[str] | dict[str, str]:
    """Active category codes (or ``{name: code}`` with *names*)."""
    rows = q.categories(session.store, active_only=True)
    return {r["name"]: r["code"] for r in rows} if names else {r["code"] for r in rows}


def _require_household_scope(session: Session, household_id: int | None) -> None:
    own = own_grid_ids(session)
    if own is None:
        return
    grid = q.household_grid(session.store, household_id) if household_id else None
    if grid not in own:
        raise PermissionDenied("您只能登记自己网格内的居民",
                               "You may only record residents of your own grids",
                               household_id=household_id, user=session.user.username)


def add_resident(session: Session, draft: ResidentDraft) -> int:
    """Add one resident; a duplicate ID number is refused (naming the existing row)."""
    session.require(EDIT)
    _require_household_scope(session, draft.household_id)
    values = clean_resident(draft, _category_codes(session))  # type: ignore[arg-type]
    with session.transaction() as tx:
        if values["id_number"]:
            found = q.resident_ids_by_hash(tx, [q.id_hash(tx, values["id_number"])]) \
                if q.resident_count(tx) else {}
            if found:
                raise ValidationError("身份证号码已登记（居民 #{id}）",
                                      "This ID number is already recorded (resident #{id})",
                                      id=next(iter(found.values())))
        return q.insert_resident(tx, values)


def update_resident(session: Session, resident_id: int, **changes: Any) -> None:
    """Change a resident (``name``, ``id_number``, ``phone``, ``categories``, ``notes``,
    ``household_id``); values are checked as on entry."""
    session.require(EDIT)
    current = q.residents(session.store, resident_ids=[resident_id])
    if not current:
        raise ValidationError("没有 id={id} 的居民", "No resident id={id}", id=resident_id)
    _require_household_scope(session, current[0]["household_id"])
    if "household_id" in changes:
        _require_household_scope(session, changes["household_id"])
    merged = {**current[0], **changes}
    draft = ResidentDraft(merged["name"], merged["household_id"], merged["id_number"],
                          merged["phone"], list(merged["categories"]), merged["notes"])
    values = clean_resident(draft, _category_codes(session))  # type: ignore[arg-type]
    with session.transaction() as tx:
        if "id_number" in changes and values["id_number"]:
            found = q.resident_ids_by_hash(tx, [q.id_hash(tx, values["id_number"])])
            if found and next(iter(found.values())) != resident_id:
                raise ValidationError("身份证号码已登记（居民 #{id}）",
                                      "This ID number is already recorded (resident #{id})",
                                      id=next(iter(found.values())))
        q.update_resident(tx, resident_id, {k: values[k] for k in changes if k in values})


def erase_resident(session: Session, resident_id: int, reason: str) -> None:
    """Erase a resident on request: the row goes, the erasure is audited without
    personal data (the log never held any: entries name rows, not values)."""
    session.require(ERASE)
    if not (reason or "").strip():
        raise ValidationError("请填写删除原因（例如：本人申请）",
                              "Give the reason for the erasure (e.g. the resident's request)")
    with session.transaction() as tx:
        q.erase_resident(tx, resident_id, reason.strip())


def _view(row: dict[str, Any], full: bool) -> ResidentView:
    shown = row if full else masking.mask_record(row, COLUMNS)
    age = None
    if full and row.get("id_number"):
        try:
            age = idcard.age_on(idcard.parse(row["id_number"]), today_local())
        except ValidationError:
            age = None
    return ResidentView(row["id"], row["household_id"], row["building_id"],
                        row["building_name"], row["door"], row["grid_id"], shown["name"],
                        shown["id_number"], shown["phone"], tuple(row["categories"]),
                        row["notes"] if full else None, not full, age)


def list_residents(session: Session, *, grid_id: int | None = None,
                   building_id: int | None = None) -> list[ResidentView]:
    """Residents as this user may see them; a grid manager only sees their own grids'."""
    session.require(READ)
    own = own_grid_ids(session)
    grids = None if grid_id is None else [grid_id]
    if own is not None:
        grids = sorted(own if grid_id is None else own & {grid_id})
    rows = q.residents(session.store, grid_ids=grids, building_id=building_id)
    return _reveal(session, rows, "residents")


def find_by_id_number(session: Session, id_number: str) -> ResidentView | None:
    """The resident with this ID number (exact, through the keyed hash), as the user may
    see them; ``None`` when nobody has it (or they are outside a manager's grids)."""
    session.require(READ)
    number = idcard.normalise(id_number)
    if not q.resident_count(session.store):
        return None
    found = q.resident_ids_by_hash(session.store, [q.id_hash(session.store, number)])
    if not found:
        return None
    rows = q.residents(session.store, resident_ids=list(found.values()))
    own = own_grid_ids(session)
    rows = [r for r in rows if own is None or r["grid_id"] in own]
    shown = _reveal(session, rows, "resident_lookup")
    return shown[0] if shown else None


def _reveal(session: Session, rows: list[dict[str, Any]], what: str) -> list[ResidentView]:
    full = masking.reach(session.user.role) in (masking.ALL, masking.OWN_GRID)
    if full and rows and not log_full_view(session, "resident", [r["id"] for r in rows], what):
        full = False
    return [_view(r, full) for r in rows]


@dataclass(frozen=True)
class GridPopulation:
    grid_id: int
    households: int  # listed households, else the buildings' typed counts
    population: int  # listed residents
    households_listed: int
    households_typed: int


def grid_population(session: Session) -> list[GridPopulation]:
    """Households and population of every current grid, from its buildings and residents.

    Households: the households listed in the grid's buildings, or, where none
    are listed, the counts typed on the buildings.  Counts only: everyone
    may read them (the leader sees numbers, not people).
    """
    session.require(READ)
    return [GridPopulation(g, listed or typed, people, listed, typed)
            for g, typed, listed, people in q.grid_counts(session.store)]
