"""Map extent in metres and the device pixels it is drawn on.

Pure arithmetic, no Qt: the canvas, printing and tests share it.  Map y grows
northwards, device y grows downwards.  A :class:`Viewport` is immutable; every
navigation method returns a new one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from gridapp.errors import GridAppError

METRES_PER_INCH = 0.0254


class ViewportError(GridAppError):
    """A viewport cannot be built from the values given."""


@dataclass(frozen=True)
class Viewport:
    """A map view: a centre, a resolution and a device size.

    Parameters
    ----------
    width, height : int
        Device size in pixels.
    center_x, center_y : float
        Map coordinates (metres) of the device centre.
    resolution : float
        Map metres per device pixel.
    dpi : float
        Dots per inch of the device, used only for the scale denominator.

    Examples
    --------
    >>> vp = Viewport.fit((0, 0, 1000, 500), 200, 100)
    >>> vp.resolution
    5.0
    >>> vp.map_to_device(0.0, 500.0)
    (0.0, 0.0)
    """

    width: int
    height: int
    center_x: float
    center_y: float
    resolution: float
    dpi: float = 96.0

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ViewportError(
                "视图大小必须为正：{w}×{h}", "Viewport size must be positive: {w}×{h}",
                w=self.width, h=self.height,
            )
        if not (self.resolution > 0 and math.isfinite(self.resolution)):
            raise ViewportError(
                "分辨率必须为正数：{r}", "Resolution must be a positive number: {r}",
                r=self.resolution,
            )

    # ----------------------------------------------------------- construction
    @classmethod
    def fit(
        cls,
        extent: tuple[float, float, float, float],
        width: int,
        height: int,
        *,
        margin: float = 0.0,
        dpi: float = 96.0,
    ) -> Viewport:
        """The viewport showing all of *extent*, keeping the aspect ratio.

        *margin* is a fraction of the extent added on every side.
        """
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
        w = max(xmax - xmin, 1e-9) * (1.0 + 2.0 * margin)
        h = max(ymax - ymin, 1e-9) * (1.0 + 2.0 * margin)
        res = max(w / width, h / height)
        return cls(width, height, (xmin + xmax) / 2.0, (ymin + ymax) / 2.0, res, dpi)

    # ------------------------------------------------------------- properties
    @property
    def extent(self) -> tuple[float, float, float, float]:
        """Visible map extent ``(xmin, ymin, xmax, ymax)`` in metres."""
        hw = self.width * self.resolution / 2.0
        hh = self.height * self.resolution / 2.0
        return (self.center_x - hw, self.center_y - hh, self.center_x + hw, self.center_y + hh)

    @property
    def scale_denominator(self) -> float:
        """The *N* of a 1:N scale at this viewport's DPI."""
        return self.resolution * self.dpi / METRES_PER_INCH

    def affine(self) -> tuple[float, float, float, float, float, float]:
        """``(m11, m12, m21, m22, dx, dy)`` mapping map metres to device pixels.

        The tuple has the argument order of ``QTransform(m11, m12, m21, m22,
        dx, dy)``: ``px = m11*x + m21*y + dx``, ``py = m12*x + m22*y + dy``.
        """
        s = 1.0 / self.resolution
        xmin, _, _, ymax = self.extent
        return (s, 0.0, 0.0, -s, -xmin * s, ymax * s)

    # ------------------------------------------------------------- transforms
    def map_to_device(self, x, y):  # type: ignore[no-untyped-def]
        """Device pixel coordinates of map coordinates (scalars or arrays)."""
        xmin, _, _, ymax = self.extent
        px = (np.asarray(x, dtype=float) - xmin) / self.resolution
        py = (ymax - np.asarray(y, dtype=float)) / self.resolution
        if px.ndim == 0:
            return float(px), float(py)
        return px, py

    def device_to_map(self, px, py):  # type: ignore[no-untyped-def]
        """Map coordinates of device pixel coordinates (scalars or arrays)."""
        xmin, _, _, ymax = self.extent
        x = xmin + np.asarray(px, dtype=float) * self.resolution
        y = ymax - np.asarray(py, dtype=float) * self.resolution
        if x.ndim == 0:
            return float(x), float(y)
        return x, y

    # ------------------------------------------------------------- navigation
    def zoom_at(self, px: float, py: float, factor: float) -> Viewport:
        """Zoom by *factor* (>1 zooms in) keeping the map point under (px, py)."""
        if factor <= 0:
            raise ViewportError(
                "缩放倍数必须为正：{f}", "Zoom factor must be positive: {f}", f=factor
            )
        mx, my = self.device_to_map(px, py)
        res = self.resolution / factor
        cx = mx - (px - self.width / 2.0) * res
        cy = my + (py - self.height / 2.0) * res
        return replace(self, center_x=cx, center_y=cy, resolution=res)

    def pan_pixels(self, dx: float, dy: float) -> Viewport:
        """Move the content by (dx, dy) device pixels, as a mouse drag does."""
        return replace(
            self,
            center_x=self.center_x - dx * self.resolution,
            center_y=self.center_y + dy * self.resolution,
        )

    def with_scale(self, denominator: float) -> Viewport:
        """The same centre shown at 1:*denominator*."""
        return replace(self, resolution=denominator * METRES_PER_INCH / self.dpi)

    def resized(self, width: int, height: int) -> Viewport:
        """The same centre and resolution on a device of another size."""
        return replace(self, width=int(width), height=int(height))

    def offset_of(self, other: Viewport) -> tuple[float, float] | None:
        """Device offset at which an image rendered for *other* appears here.

        None when the two differ in resolution, so a pan blit is not possible.
        """
        if not math.isclose(self.resolution, other.resolution, rel_tol=1e-9):
            return None
        oxmin, _, _, oymax = other.extent
        return self.map_to_device(oxmin, oymax)
