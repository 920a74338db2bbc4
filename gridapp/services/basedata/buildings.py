"""Buildings of a grid with their households and population, for the base-data panel.

Counts only (no personal data): every role may read them, as
:func:`gridapp.services.basedata.residents.grid_population`.  Households are
the doors listed in a building, or, where none are listed, the count typed
on the building; population is the residents listed in it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gridapp.services.session import Session
from gridapp.storage.queries import basedata as q
from gridapp.storage.queries import grids as grid_queries

READ = "workspace.read"


@dataclass(frozen=True)
class BuildingRow:
    id: int
    name: str | None
    address: str | None
    kind: str | None
    floors: int | None
    households: int  # listed, else typed
    households_listed: int
    households_typed: int
    population: int


@dataclass(frozen=True)
class GridChoice:
    id: int
    code: str
    name: str | None


def current_grid_choices(session: Session) -> list[GridChoice]:
    """Every current grid (id, code, name), by code."""
    session.require(READ)
    frame = grid_queries.current_grids(session.store)
    rows = [GridChoice(int(i), str(c), n if isinstance(n, str) else None)
            for i, c, n in zip(frame["id"], frame["code"], frame["name"], strict=True)]
    return sorted(rows, key=lambda g: g.code)


def resident_categories(session: Session) -> list[tuple[str, str]]:
    """The active resident categories as ``(code, name)``, in their order."""
    session.require(READ)
    return [(r["code"], r["name"]) for r in q.categories(session.store, active_only=True)]


def grid_buildings(session: Session, grid_id: int) -> list[BuildingRow]:
    """The buildings currently linked to *grid_id*, with households and population."""
    session.require(READ)
    frame = q.base_frame(session.store, "building")
    frame = frame[frame["grid_id"] == grid_id]
    listed = Counter(b for b, _door in q.household_ids(session.store))
    people = Counter(r["building_id"] for r in q.residents(
        session.store, grid_ids=[grid_id], decrypt=False))

    def num(value: object) -> int | None:
        return None if value is None or value != value else int(value)  # type: ignore[arg-type]

    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    out = []
    for rec in frame.drop(columns="geometry").to_dict("records"):
        bid = int(rec["id"])
        typed = num(rec.get("households")) or 0
        out.append(BuildingRow(bid, text(rec.get("name")), text(rec.get("address")),
                               text(rec.get("kind")), num(rec.get("floors")),
                               listed[bid] or typed, listed[bid], typed, people[bid]))
    return sorted(out, key=lambda b: (b.name or "", b.id))
