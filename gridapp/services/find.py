"""Find a grid, community, place, building or case by what the user types.

The window's search box (Ctrl+F, issue 21) lists what matches and zooms to
the one chosen.  Every hit carries its box in EPSG:4490; the window turns it
into its own CRS.  Grids, communities, places and buildings are readable by
every role (``workspace.read``); a case is listed only when the user may read
it (the same record scope as the case list: a grid manager their grids' cases
and their own reports, a liaison their department's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridapp.errors import PermissionDenied
from gridapp.services.cases.scope import visible_case
from gridapp.services.session import Session
from gridapp.storage.queries import find as queries

__all__ = ["Found", "find_features"]

# Kinds in the order the list shows them.
KINDS = ("grid", "community", "place", "building", "case")
_CASE_NO = re.compile(r"^[0-9A-Za-z-]{4,}$")


@dataclass(frozen=True)
class Found:
    """One hit: its kind (one of :data:`KINDS`), row id, code and name, box in EPSG:4490."""

    kind: str
    id: int
    code: str | None
    name: str | None
    box: tuple[float, float, float, float]

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.code, self.name) if p)


def find_features(session: Session, text: str, *, limit: int = 8) -> list[Found]:
    """What is called like *text*: up to *limit* hits of each kind, best first.

    Empty or blank *text* finds nothing.  Case numbers are matched by prefix
    when the text looks like one (four or more letters, digits or dashes).
    """
    session.require("workspace.read")
    text = text.strip()
    if not text:
        return []
    out: list[Found] = []
    for table in ("grid", "community", "place", "building"):
        for i, code, name, *box in queries.named(session.store, table, text, limit):
            out.append(Found(table, i, code, name, tuple(box)))  # type: ignore[arg-type]
    if _CASE_NO.match(text):
        for i, code, _name, *box in queries.case_numbers(session.store, text, limit):
            try:
                visible_case(session, i)
            except PermissionDenied:
                continue
            out.append(Found("case", i, code, None, tuple(box)))  # type: ignore[arg-type]
    return out
