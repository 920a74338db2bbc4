"""The "colour grids by manager" style: one fill per primary manager (no widget here)."""

from __future__ import annotations

from typing import Any

from gridapp.render.style import PALETTE, CategorizedStyle, Symbol

UNASSIGNED_FILL = "#f0f0f0"
STROKE = "#636363"


def manager_style(
    grid_ids: Any, primary: dict[int, int], names: dict[int, str], unassigned_label: str
) -> CategorizedStyle:
    """A categorised style on the grid layer's ``id``: each grid gets its primary
    manager's colour (by manager id, stable across refreshes); grids without a
    primary manager are pale grey.  Legend labels are the managers' names."""
    colour_of = {
        mid: PALETTE[i % len(PALETTE)]
        for i, mid in enumerate(sorted(set(primary.values())))
    }
    mapping: dict[Any, Symbol] = {}
    for gid in grid_ids:
        gid = int(gid)
        mid = primary.get(gid)
        if mid is None:
            continue
        mapping[gid] = Symbol(
            fill=colour_of[mid],
            stroke=STROKE,
            stroke_width=0.8,
            label=names.get(mid, str(mid)),
        )
    return CategorizedStyle(
        "id",
        mapping,
        Symbol(
            fill=UNASSIGNED_FILL,
            stroke=STROKE,
            stroke_width=0.8,
            label=unassigned_label,
        ),
    )
