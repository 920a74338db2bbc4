"""Grid attributes beyond name and code in imported files (issue 14).

A grid file written by GridApp (``export grids``), by ``ogr2ogr`` from a
workspace, or by QGIS carries each grid's kind (基础网格/专属网格),
households, population and notes, and, when it holds history, the closed
versions (``valid_to`` set).  :func:`guess_grid_fields` finds those fields
(English column names or the usual Chinese headers 类型, 户数, 人口, 备注),
:func:`grid_attributes` parses them into the values the ``grid`` table
stores, and :func:`closed_versions` names the rows that are history.

Closed versions are skipped with a note rather than imported as history: a
history row needs the version it replaced (``previous_id``) and its own
``valid_from``, which a file cannot tie to rows of another workspace, and the
current grids alone make the coverage the workspace is edited from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from gridapp.domain.enums import GridKind
from gridapp.services.importing.checks import ImportProblem

__all__ = ["GRID_FIELDS", "closed_versions", "grid_attributes", "guess_grid_fields",
           "parse_kind"]

# Candidate field names per attribute, best first (compared lower-cased, stripped).
GRID_FIELDS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "类型", "网格类型", "网格类别", "类别", "grid_kind", "type", "lx"),
    "households": ("households", "户数", "总户数", "住户数", "hs"),
    "population": ("population", "人口", "人口数", "总人口", "人数", "rk"),
    "notes": ("notes", "备注", "说明", "note", "remark", "bz"),
    "valid_to": ("valid_to", "失效时间", "停用时间", "废止时间"),
}
ATTRIBUTES = ("kind", "households", "population", "notes")
_SHOWN = 20  # rows named in one note; the rest are counted


def guess_grid_fields(fields: Sequence[str],
                      taken: Sequence[str | None] = ()) -> dict[str, str | None]:
    """Which fields hold kind, households, population, notes and ``valid_to``.

    Fields in *taken* (already mapped to name, code or community) are not
    used again.

    Examples
    --------
    >>> guess_grid_fields(["网格编码", "网格名称", "类型", "户数", "人口"])
    {'kind': '类型', 'households': '户数', 'population': '人口', 'notes': None, 'valid_to': None}
    """
    lowered = {str(f).strip().lower(): f for f in fields if f not in set(taken)}
    out: dict[str, str | None] = {}
    for target, candidates in GRID_FIELDS.items():
        out[target] = next((lowered[c] for c in candidates if c in lowered), None)
    return out


def parse_kind(value: object) -> GridKind | None:
    """The kind for a stored value or label (``special``, ``专属网格``, ``Special grid``).

    Empty means basic; an unknown text gives None.

    Examples
    --------
    >>> parse_kind("专属网格"), parse_kind("basic"), parse_kind(None)
    (<GridKind.SPECIAL: 'special'>, <GridKind.BASIC: 'basic'>, <GridKind.BASIC: 'basic'>)
    """
    if _empty(value):
        return GridKind.BASIC
    text = str(value).strip()
    for kind in GridKind:
        if text.lower() in (kind.value, kind.en.lower()) or text in (kind.zh, kind.zh[:2]):
            return kind
    return None


def _empty(value: object) -> bool:
    """None, NaN, NaT, pd.NA or blank text."""
    return bool(pd.api.types.is_scalar(value) and pd.isna(value)) or not str(value).strip()


def closed_versions(frame: pd.DataFrame, mapping: Mapping[str, str | None]) -> list[int]:
    """Positions of rows whose ``valid_to`` field is set (closed historical versions)."""
    column = mapping.get("valid_to")
    if not column or column not in frame.columns:
        return []
    return [i for i, v in enumerate(frame[column]) if not _empty(v)]


def closed_note(rows: Sequence[int]) -> ImportProblem:
    """The non-blocking note saying which closed versions were skipped."""
    shown = ", ".join(str(i) for i in rows[:_SHOWN]) + (" …" if len(rows) > _SHOWN else "")
    return ImportProblem(
        None, "closed_versions",
        f"{len(rows)} 个要素是已停用的历史版本（valid_to 有值），未导入：要素 {shown}",
        f"{len(rows)} features are closed historical versions (valid_to set) and were "
        f"skipped: features {shown}", blocking=False)


def _count(value: object) -> int | None | str:
    """A non-negative whole number, None for empty, or the text for an error."""
    if _empty(value):
        return None
    try:
        number = float(str(value).strip().replace(",", ""))
    except ValueError:
        return str(value)
    if not np.isfinite(number) or number < 0 or not number.is_integer():
        return str(value)
    return int(number)


def grid_attributes(frame: pd.DataFrame, mapping: Mapping[str, str | None]
                    ) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """Kind, households, population and notes per row (index of *frame*), and problems.

    An unknown kind or a count that is not a whole number ≥ 0 blocks the
    import, naming the feature and what is accepted.
    """
    out = pd.DataFrame(index=frame.index)
    problems: list[ImportProblem] = []
    labels = "、".join(f"{k.value}/{k.zh}" for k in GridKind)
    labels_en = ", ".join(f"{k.value}/{k.zh}/{k.en}" for k in GridKind)
    column = mapping.get("kind")
    kinds: list[str] = []
    for i, value in enumerate(frame[column] if column else [None] * len(frame)):
        kind = parse_kind(value)
        if kind is None:
            problems.append(ImportProblem(
                i, "bad_kind", f"要素 {i}：类型“{value}”不是网格类型（可用：{labels}）",
                f"Feature {i}: kind '{value}' is not a grid kind (use {labels_en})"))
        kinds.append((kind or GridKind.BASIC).value)
    out["kind"] = kinds
    for target, zh in (("households", "户数"), ("population", "人口")):
        column = mapping.get(target)
        values: list[int | None] = []
        for i, value in enumerate(frame[column] if column else [None] * len(frame)):
            n = _count(value)
            if isinstance(n, str):
                problems.append(ImportProblem(
                    i, f"bad_{target}", f"要素 {i}：{zh}“{n}”不是非负整数",
                    f"Feature {i}: {target} '{n}' is not a whole number of 0 or more"))
                n = None
            values.append(n)
        out[target] = pd.array(values, dtype="Int64")
    column = mapping.get("notes")
    out["notes"] = [None if (not column or _empty(v)) else str(v).strip()
                    for v in (frame[column] if column else [None] * len(frame))]
    return out, problems
