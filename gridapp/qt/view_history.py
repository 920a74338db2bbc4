"""Back/forward through the views a user has looked at (Qt-free)."""

from __future__ import annotations

from gridapp.render.viewport import Viewport


class ViewHistory:
    """A browser-like history of viewports.

    Navigation pushes a view; going back and forward moves a cursor without
    pushing.  Pushing after going back drops the forward branch.

    Examples
    --------
    >>> h = ViewHistory()
    >>> h.push("a"); h.push("b"); h.back()
    'a'
    >>> h.can_forward
    True
    """

    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self._views: list[Viewport] = []
        self._pos = -1

    def push(self, view: Viewport) -> None:
        if self._pos >= 0 and self._views[self._pos] == view:
            return
        del self._views[self._pos + 1 :]
        self._views.append(view)
        if len(self._views) > self.limit:
            del self._views[0]
        self._pos = len(self._views) - 1

    @property
    def can_back(self) -> bool:
        return self._pos > 0

    @property
    def can_forward(self) -> bool:
        return 0 <= self._pos < len(self._views) - 1

    def back(self) -> Viewport | None:
        if not self.can_back:
            return None
        self._pos -= 1
        return self._views[self._pos]

    def forward(self) -> Viewport | None:
        if not self.can_forward:
            return None
        self._pos += 1
        return self._views[self._pos]

    def clear(self) -> None:
        self._views.clear()
        self._pos = -1

    def __len__(self) -> int:
        return len(self._views)
