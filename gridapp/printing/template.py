"""Layout templates (``maps/*.toml``): loading, checking, paper sizes.

Qt-free.  A template is a TOML file with one table per block (``title``,
``map``, ``legend``, ``managers``, ``scale_bar``, ``north_arrow``, ``qr``,
``footer``, ``logo``, ``info``) holding its settings, and one table per
orientation (``landscape``, ``portrait``) giving each block's rectangle as
fractions ``[x, y, w, h]`` of the area inside the page margins.  Sizes given
in millimetres (``*_mm``) are for A4 and grow with the short side of the
paper, so one template serves A4 to A0.  ``maps/README.md`` documents every
key.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridapp.errors import ValidationError

MAPS_DIR = Path(__file__).resolve().parents[2] / "maps"

# ISO 216 A series, portrait (width, height) in millimetres.
PAPER_MM: dict[str, tuple[float, float]] = {
    "A0": (841.0, 1189.0), "A1": (594.0, 841.0), "A2": (420.0, 594.0),
    "A3": (297.0, 420.0), "A4": (210.0, 297.0),
}
ORIENTATIONS = ("portrait", "landscape")
REFERENCE_SHORT_MM = 210.0  # sizes in templates are given for A4
BLOCKS = ("title", "map", "legend", "managers", "qr", "footer", "logo", "info")


class TemplateError(ValidationError):
    """A layout template that cannot be read or used."""


@dataclass(frozen=True)
class Paper:
    """A sheet: ISO name, orientation and size in millimetres."""

    name: str
    orientation: str
    width_mm: float
    height_mm: float

    @classmethod
    def of(cls, name: str, orientation: str = "portrait") -> Paper:
        key = name.strip().upper()
        if key not in PAPER_MM:
            raise TemplateError("不支持的纸张：{p}（可用 A4、A3、A2、A1、A0）",
                                "Unsupported paper {p} (use A4, A3, A2, A1 or A0)", p=name)
        if orientation not in ORIENTATIONS:
            raise TemplateError("纸张方向应为 portrait 或 landscape：{o}",
                                "Orientation must be portrait or landscape: {o}",
                                o=orientation)
        w, h = PAPER_MM[key]
        if orientation == "landscape":
            w, h = h, w
        return cls(key, orientation, w, h)

    @property
    def scale(self) -> float:
        """How much A4-based template sizes grow on this sheet."""
        return min(self.width_mm, self.height_mm) / REFERENCE_SHORT_MM

    def pixels(self, dpi: float) -> tuple[int, int]:
        """Page size in device pixels at *dpi*."""
        return (round(self.width_mm / 25.4 * dpi), round(self.height_mm / 25.4 * dpi))


@dataclass
class Template:
    """A parsed layout template.

    ``blocks[name]`` holds a block's settings; ``rects[orientation][name]``
    its rectangle as page-area fractions.  ``path`` is where it came from
    (relative logo paths are resolved against its folder).
    """

    kind: str
    name: str
    page: dict[str, Any]
    blocks: dict[str, dict[str, Any]]
    rects: dict[str, dict[str, tuple[float, float, float, float]]]
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def block(self, name: str) -> dict[str, Any]:
        """Settings of block *name* (empty when the template has none)."""
        return self.blocks.get(name, {})

    def shows(self, name: str, orientation: str) -> bool:
        """Whether block *name* is drawn: it has a rectangle and is not switched off."""
        return name in self.rects.get(orientation, {}) and self.block(name).get("show", True)

    def resolve(self, relative: str) -> Path:
        base = self.path.parent if self.path else MAPS_DIR
        return (base / relative).resolve()


def default_template_path(kind: str) -> Path:
    """``maps/poster.toml`` or ``maps/atlas.toml``."""
    return MAPS_DIR / f"{kind}.toml"


def load_template(source: str | Path | None = None, kind: str = "poster") -> Template:
    """Read and check a template file (the default of *kind* when *source* is None).

    Raises
    ------
    TemplateError
        The file is missing, not TOML, or a rectangle is not four fractions.
    """
    path = Path(source) if source else default_template_path(kind)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError("找不到模板文件：{p}", "Template file not found: {p}",
                            p=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError("模板文件不是有效的 TOML 格式：{p}：{e}", "Template file is not valid TOML: {p}: {e}",
                            p=str(path), e=str(exc)) from None
    return parse_template(raw, path, kind)


def parse_template(raw: dict[str, Any], path: Path | None = None,
                   kind: str = "poster") -> Template:
    """Build a :class:`Template` from parsed TOML (see :func:`load_template`)."""
    meta = raw.get("meta", {})
    page = {"paper": "A4", "orientation": "portrait", "margin_mm": 10.0,
            "font": "Noto Sans CJK SC", "background": "#ffffff", "ink": "#1f1f1f",
            "accent": "#a61b1b", "frame_width_mm": 0.5} | raw.get("page", {})
    rects: dict[str, dict[str, tuple[float, float, float, float]]] = {}
    for orient in ORIENTATIONS:
        table = raw.get(orient, {})
        out = {}
        for name, value in table.items():
            if (not isinstance(value, list) or len(value) != 4
                    or not all(isinstance(v, (int, float)) for v in value)
                    or any(v < 0 or v > 1 for v in value)):
                raise TemplateError(
                    "模板 {p} 中 [{o}] {b} 应为四个 0–1 之间的数 [x, y, 宽, 高]",
                    "In template {p}, [{o}] {b} must be four numbers 0–1 [x, y, w, h]",
                    p=str(path), o=orient, b=name)
            out[name] = (float(value[0]), float(value[1]), float(value[2]), float(value[3]))
        rects[orient] = out
    if not rects["portrait"] and not rects["landscape"]:
        raise TemplateError("模板 {p} 没有 [portrait] 或 [landscape] 版面",
                            "Template {p} has no [portrait] or [landscape] layout", p=str(path))
    for orient in ORIENTATIONS:  # a template with one layout serves both
        if not rects[orient]:
            other = "landscape" if orient == "portrait" else "portrait"
            rects[orient] = dict(rects[other])
    blocks = {k: dict(v) for k, v in raw.items()
              if isinstance(v, dict) and k not in ("meta", "page", *ORIENTATIONS)}
    return Template(kind=str(meta.get("kind", kind)), name=str(meta.get("name", "")),
                    page=page, blocks=blocks, rects=rects, path=path,
                    raw=copy.deepcopy(raw))
