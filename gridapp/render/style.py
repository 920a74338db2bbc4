"""Layer styles: one symbol, a symbol per category, or graduated classes.

Qt-free.  A style turns a layer's attribute table into a class index per
feature plus a list of :class:`Symbol`; the renderer draws each class with one
brush and pen, and a legend lists the same symbols.  Colours are CSS-like hex
strings (``"#rrggbb"`` or ``"#rrggbbaa"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import Any

import numpy as np

from gridapp.errors import GridAppError


class StyleError(GridAppError):
    """A style that cannot be applied to a layer."""


# Qualitative palette (ColorBrewer Set3/Paired-like, readable under labels).
PALETTE: tuple[str, ...] = (
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
    "#b3de69", "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f", "#a6cee3",
    "#b2df8a", "#fb9a99", "#fdbf6f", "#cab2d6",
)


def parse_colour(text: str | None) -> tuple[int, int, int, int] | None:
    """``(r, g, b, a)`` of ``"#rgb"``, ``"#rrggbb"`` or ``"#rrggbbaa"``; None stays None."""
    if text is None:
        return None
    h = text.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if len(h) not in (6, 8):
        raise StyleError("无法识别的颜色：{c}", "Unrecognised colour: {c}", c=text)
    try:
        vals = [int(h[i:i + 2], 16) for i in range(0, len(h), 2)]
    except ValueError:
        raise StyleError("无法识别的颜色：{c}", "Unrecognised colour: {c}", c=text) from None
    if len(vals) == 3:
        vals.append(255)
    return (vals[0], vals[1], vals[2], vals[3])


@dataclass(frozen=True)
class Symbol:
    """How one class of features looks.

    Parameters
    ----------
    fill : str or None
        Fill colour of polygons and point markers; None for no fill.
    stroke : str or None
        Outline colour; None for no outline.
    stroke_width : float
        Outline width in device pixels (cosmetic: it does not scale with zoom).
    size : float
        Point marker diameter in device pixels.
    label : str
        Text for the legend.
    """

    fill: str | None = "#80b1d3"
    stroke: str | None = "#333333"
    stroke_width: float = 1.0
    size: float = 5.0
    label: str = ""

    def __post_init__(self) -> None:
        parse_colour(self.fill)
        parse_colour(self.stroke)


def _column(table: Any, name: str) -> np.ndarray:
    try:
        return np.asarray(table[name])
    except (KeyError, IndexError, TypeError):
        raise StyleError(
            "图层没有字段“{field}”", "The layer has no field '{field}'", field=name
        ) from None


@dataclass(frozen=True)
class SingleStyle:
    """Every feature drawn with one symbol."""

    symbol: Symbol = dc_field(default_factory=Symbol)

    def classify(self, table: Any, n: int) -> tuple[np.ndarray, list[Symbol]]:
        """Class index per feature (all 0) and the one symbol."""
        return np.zeros(n, dtype=np.int32), [self.symbol]


@dataclass(frozen=True)
class CategorizedStyle:
    """A symbol per value of a field; other values get *default*.

    *mapping* values may be Symbols or fill colours.
    """

    field: str
    mapping: Mapping[Any, Symbol | str]
    default: Symbol = dc_field(default_factory=lambda: Symbol(fill="#d9d9d9", label="其他"))

    @classmethod
    def from_values(
        cls, field_name: str, values: Sequence[Any], base: Symbol | None = None,
        palette: Sequence[str] = PALETTE,
    ) -> CategorizedStyle:
        """One palette colour per distinct value, in sorted order."""
        base = base or Symbol()
        uniq = sorted({v for v in values if v is not None}, key=str)
        mapping = {v: replace(base, fill=palette[i % len(palette)], label=str(v))
                   for i, v in enumerate(uniq)}
        return cls(field_name, mapping)

    def symbols(self) -> list[Symbol]:
        out = []
        for value, sym in self.mapping.items():
            if isinstance(sym, str):
                sym = Symbol(fill=sym, label=str(value))
            out.append(sym)
        return out + [self.default]

    def classify(self, table: Any, n: int) -> tuple[np.ndarray, list[Symbol]]:
        """Class index per feature: position in *mapping*, or the default's."""
        col = _column(table, self.field)
        symbols = self.symbols()
        classes = np.full(n, len(symbols) - 1, dtype=np.int32)
        keys = list(self.mapping.keys())
        # Factorise once, then map the few distinct values (fast for 1M rows).
        uniq, inverse = np.unique(col.astype(object).astype(str), return_inverse=True)
        lookup = {str(k): i for i, k in enumerate(keys)}
        per_uniq = np.array([lookup.get(u, len(symbols) - 1) for u in uniq], dtype=np.int32)
        if len(col):
            classes[:] = per_uniq[inverse.ravel()]
        return classes, symbols


@dataclass(frozen=True)
class GraduatedStyle:
    """Classes by a numeric field: class *i* holds ``breaks[i] <= v < breaks[i+1]``.

    *colours* has ``len(breaks) - 1`` entries; values below the first break go
    to class 0, values at or above the last to the last class, NaN to *default*.
    """

    field: str
    breaks: Sequence[float]
    colours: Sequence[str]
    base: Symbol = dc_field(default_factory=Symbol)
    default: Symbol = dc_field(default_factory=lambda: Symbol(fill="#d9d9d9", label="无数据"))

    def __post_init__(self) -> None:
        if len(self.colours) != len(self.breaks) - 1 or len(self.breaks) < 2:
            raise StyleError(
                "分级数与颜色数不符：{b}个断点，{c}种颜色",
                "Breaks and colours do not match: {b} breaks, {c} colours",
                b=len(self.breaks), c=len(self.colours),
            )
        if np.any(np.diff(np.asarray(self.breaks, dtype=float)) <= 0):
            raise StyleError("断点必须递增", "Breaks must increase")

    def symbols(self) -> list[Symbol]:
        b = self.breaks
        return [replace(self.base, fill=c, label=f"{b[i]:g} – {b[i + 1]:g}")
                for i, c in enumerate(self.colours)] + [self.default]

    def classify(self, table: Any, n: int) -> tuple[np.ndarray, list[Symbol]]:
        """Class index per feature from the breaks."""
        values = _column(table, self.field).astype(float)
        k = len(self.colours)
        classes = np.clip(np.searchsorted(np.asarray(self.breaks[1:-1], float), values,
                                          side="right"), 0, k - 1).astype(np.int32)
        classes[np.isnan(values)] = k
        return classes, self.symbols()


Style = SingleStyle | CategorizedStyle | GraduatedStyle
