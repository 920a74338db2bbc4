"""The map coloured by 红黄蓝 warning level: styles for the grid and community layers.

:func:`gridapp.services.assessment.warnings.map_levels` says each grid's and
community's worst level; :func:`warning_styles` turns that into categorised
styles on the layers' ``id`` (no widget here).  Grids are filled with their
level's colour (grids with no figure to judge stay pale grey); communities
keep no fill (the grids lie on top) and get a thick outline in their level's
colour.
"""

from __future__ import annotations

from typing import Any

from gridapp import i18n
from gridapp.render.style import CategorizedStyle, Symbol
from gridapp.services.assessment.warnings import LEVELS

NO_LEVEL_FILL = "#eeeeee"
GRID_STROKE = "#636363"
COMMUNITY_STROKE = "#4a1486"
FILL_ALPHA = "c0"  # the base map shows through a little


def level_label(level: str) -> str:
    zh, en, _ = LEVELS[level]
    return i18n.pick(f"{zh}色预警", f"{en} warning")


def level_colour(level: str) -> str:
    return LEVELS[level][2]


def warning_styles(levels: dict[str, dict[int, str]],
                   no_level: str) -> dict[str, CategorizedStyle]:
    """Layer name → style for *levels* (as ``warnings.map_levels`` returns them)."""
    grid: dict[Any, Symbol] = {
        int(gid): Symbol(fill=level_colour(lv) + FILL_ALPHA, stroke=GRID_STROKE,
                         stroke_width=0.8, label=level_label(lv))
        for gid, lv in levels.get("grid", {}).items()}
    community: dict[Any, Symbol] = {
        int(cid): Symbol(fill=None, stroke=level_colour(lv), stroke_width=3.5,
                         label=level_label(lv))
        for cid, lv in levels.get("community", {}).items()}
    return {
        "grid": CategorizedStyle("id", grid, Symbol(fill=NO_LEVEL_FILL, stroke=GRID_STROKE,
                                                    stroke_width=0.8, label=no_level)),
        "community": CategorizedStyle("id", community,
                                      Symbol(fill=None, stroke=COMMUNITY_STROKE,
                                             stroke_width=2.0, label=no_level)),
    }
