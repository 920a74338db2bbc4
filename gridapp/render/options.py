"""The switches of one render (screen or paper), shared by the renderer and the labels.

Kept apart from :mod:`gridapp.render.renderer` so that :mod:`gridapp.render.text`
can take them without importing the renderer, which imports the text module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class RenderCancelled(Exception):
    """A render given up because its result is no longer wanted."""


@dataclass
class RenderOptions:
    """Switches for one render.

    Attributes
    ----------
    background : str or None
        Fill colour of the device first; None leaves it as it is.
    aggregate_points : bool
        Aggregate points into screen cells when more than
        *point_lod_threshold* are visible (screen); printing turns it off.
    raster_points_above : int
        Above this many markers they are stamped into a pixel buffer instead of
        drawn as vector ellipses.
    cell_px : int
        Aggregation cell size in screen pixels.
    pixel_scale : float
        Device pixels per screen pixel: symbol sizes, stroke widths, label
        fonts and cells are given for a 96-dpi screen and multiplied by this
        (``dpi / 96`` when printing).
    cancel : callable or None
        ``cancel() -> bool``, asked between layers and before the labels; when
        it answers True the render raises :class:`RenderCancelled` (a canvas
        rendering on a worker drops a view the user has already left).
    """

    background: str | None = "#ffffff"
    antialias: bool = True
    labels: bool = True
    aggregate_points: bool = True
    point_lod_threshold: int = 20_000
    raster_points_above: int = 3_000
    cell_px: int = 8
    label_font_family: str = "Noto Sans CJK SC"
    label_font_px: float = 12.0
    min_label_feature_px: float = 30.0
    pixel_scale: float = 1.0
    cancel: Callable[[], bool] | None = None

    @classmethod
    def for_print(cls, dpi: float, **kw: object) -> RenderOptions:
        """Options for a page: vector markers, no aggregation, sizes scaled to *dpi*."""
        base: dict[str, object] = dict(aggregate_points=False, raster_points_above=10**9,
                                       pixel_scale=dpi / 96.0, background=None)
        return cls(**(base | kw))  # type: ignore[arg-type]
