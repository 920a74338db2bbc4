"""The report layer: reloaded after a change, drawn by status or by category.

No widgets: the reload runs on a worker thread, the styles are plain
:mod:`gridapp.render.style` values.
"""

from __future__ import annotations

from typing import Any

from gridapp.domain.enums import CaseStatus
from gridapp.qt.layer_data import WorkspaceLayers, load_workspace_layers
from gridapp.render.style import PALETTE, CategorizedStyle, Style, Symbol

LAYER = "report"
STATUS_COLOURS = {
    CaseStatus.REPORTED: "#e31a1c",
    CaseStatus.REGISTERED: "#fd8d3c",
    CaseStatus.REJECTED: "#969696",
    CaseStatus.DISPATCHED: "#feb24c",
    CaseStatus.IN_PROGRESS: "#fed976",
    CaseStatus.HANDLER_DONE: "#78c679",
    CaseStatus.SENT_BACK: "#c51b8a",
    CaseStatus.VERIFIED: "#41ab5d",
    CaseStatus.CLOSED: "#2171b5",
}
# Top-level event classes first, then the palette (GB/T 30428 order).
CLASS_COLOURS = ("#e41a1c", "#377eb8", "#ff7f00", "#984ea3", "#4daf4a", "#a65628")


def _point(fill: str, label: str) -> Symbol:
    return Symbol(fill=fill, stroke="#ffffff", stroke_width=0.5, size=6.0, label=label)


def status_style(other: str = "") -> Style:
    """One colour per case status, labelled in the UI language."""
    mapping = {s.value: _point(c, s.label) for s, c in STATUS_COLOURS.items()}
    return CategorizedStyle("status", mapping, _point("#737373", other))


def category_style(rows: list[Any], present: Any = None, other: str = "") -> Style:
    """One colour per top-level event class; each sub-category is listed.

    *rows* are the categories (``id, code, name, parent_id`` by code, from
    :func:`gridapp.services.cases.lookups.category_tree`); *present*
    (category ids in the layer) keeps the legend to what is drawn.
    """
    by_id = {int(r["id"]): r for r in rows}
    tops = [int(r["id"]) for r in rows if r["parent_id"] is None]
    colours = {
        t: (CLASS_COLOURS + PALETTE)[i % (len(CLASS_COLOURS) + len(PALETTE))]
        for i, t in enumerate(tops)
    }
    keep = None if present is None else {int(v) for v in present if v == v}
    mapping: dict[Any, Symbol] = {}
    for r in rows:
        cid = int(r["id"])
        if keep is not None and cid not in keep:
            continue
        top = cid
        while (
            by_id[top]["parent_id"] is not None
            and int(by_id[top]["parent_id"]) in by_id
        ):
            top = int(by_id[top]["parent_id"])
        label = r["name"] if top == cid else f"{by_id[top]['name']} · {r['name']}"
        mapping[cid] = _point(colours.get(top, "#737373"), label)
    return CategorizedStyle("category_id", mapping, _point("#737373", other))


def load_report_layer(session: Any, since: Any = None, *, all_time: bool = False) -> WorkspaceLayers:
    """Read the report layer alone (worker thread): reports since *since*, or
    every report with *all_time* (the user removed the 90-day window).

    A district's report layer is read by view (issue 22): then no row is read
    here, the result lists the layer in ``windowed`` and
    :func:`replace_report_layer` has the window read the view again.
    """
    from datetime import timedelta

    from gridapp.qt.layer_data import DEFAULT_REPORT_DAYS, WINDOW_ABOVE

    if all_time:
        return load_workspace_layers(session, names=(LAYER,), report_days=None,
                                     window_above=WINDOW_ABOVE)
    return load_workspace_layers(
        session,
        names=(LAYER,),
        now=None if since is None else since + timedelta(days=DEFAULT_REPORT_DAYS),
        window_above=WINDOW_ABOVE,
    )


def replace_report_layer(
    window: Any, fresh: WorkspaceLayers, style: Style | None = None
) -> bool:
    """Swap the window's report layer for *fresh*'s, keeping place and visibility.

    *style* None keeps the style the layer had.  The selection and identify
    highlight on the old layer are dropped by the window (its rows mean
    nothing now).  A *fresh* read by view (a district) is not swapped in: the
    window reads the reports in view again, in the new *style*.
    """
    if window.canvas.workspace is None or LAYER not in fresh.data:
        return False
    if LAYER in fresh.windowed and hasattr(window, "view_loader"):
        if style is not None:
            window.layer_model.set_style(LAYER, style)
        window.view_loader().reread(LAYER)
        return True
    window.layer_model.replace_layer(LAYER, fresh.data[LAYER], style)
    return True


def row_of(window: Any, report_id: int) -> int | None:
    """The report layer row of a report id, or None if it is not drawn."""
    ws = window.canvas.workspace
    if ws is None or LAYER not in ws.data:
        return None
    import numpy as np

    hit = np.flatnonzero(np.asarray(ws.data[LAYER].ids) == report_id)
    return int(hit[0]) if len(hit) else None


def id_of(window: Any, row: int) -> int | None:
    ws = window.canvas.workspace
    if ws is None or LAYER not in ws.data or not (0 <= row < len(ws.data[LAYER].ids)):
        return None
    return int(ws.data[LAYER].ids[row])
