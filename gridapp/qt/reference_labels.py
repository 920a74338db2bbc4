"""Names and codes where a table would show another record's internal id.

The attribute table and the identify panel show ``community_id`` as the
community's name, ``grid_id`` as the grid's code, ``street_id`` as the street's
name: looked up in the layers the window already holds, so no query is made.
An id no layer knows (a retired grid version, say) stays a number.
"""

from __future__ import annotations

from typing import Any

# field → (layer whose rows it points at, column shown instead of the id)
REFERENCES: dict[str, tuple[str, str]] = {
    "community_id": ("community", "name"),
    "grid_id": ("grid", "code"),
    "previous_id": ("grid", "code"),
    "street_id": ("street", "name"),
}


def reference_labels(workspace: Any) -> dict[str, dict[int, str]]:
    """Field → {id: name or code} from *workspace*'s layers (empty without one)."""
    out: dict[str, dict[int, str]] = {}
    data = getattr(workspace, "data", None) or {}
    for field, (layer, column) in REFERENCES.items():
        source = data.get(layer)
        if source is None:
            continue
        attrs = source.layer.attributes
        if "id" not in attrs.columns or column not in attrs.columns:
            continue
        out[field] = {int(i): str(v) for i, v in zip(attrs["id"], attrs[column], strict=False)
                      if v is not None and str(v)}
    return out


def reference_label(labels: dict[str, dict[int, str]], field: str, value: Any) -> str | None:
    """The name or code for *value* of *field*, or None."""
    table = labels.get(field)
    if table is None or value is None:
        return None
    try:
        return table.get(int(value))
    except (TypeError, ValueError):
        return None
