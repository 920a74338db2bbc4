"""Panels that read their rows only while someone can see them (issue 21).

A dock's widget stays ``isVisible()`` behind another tab of a tabified dock
area, so "on screen" also asks for a non-empty visible region.  Panels that
read from the workspace put the read off while hidden and catch up when shown
(the dock's ``visibilityChanged`` or the widget's ``showEvent``): nothing a
hidden panel would show is read on the GUI thread while a workspace loads.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


def on_screen(*widgets: QWidget) -> bool:
    """Whether any of *widgets* is shown and not behind another tab."""
    return any(w.isVisible() and not w.visibleRegion().isEmpty() for w in widgets)


class ReadWhenShown:
    """Mixin for a QWidget panel with a ``refresh()`` that reads its rows.

    ``refresh_when_shown()`` reads now if the panel is on screen, else marks it
    stale (and calls ``_while_stale()`` so the panel can say so); the first
    ``showEvent`` or ``ensure_loaded()`` after that reads.  ``refresh()`` must
    set ``self._stale = False``.
    """

    _stale = False

    def refresh(self) -> None:  # pragma: no cover - the panel's own
        raise NotImplementedError

    def on_screen(self) -> bool:
        return on_screen(self)  # type: ignore[arg-type]

    def refresh_when_shown(self) -> None:
        """Read now if on screen, else when next shown."""
        if self.on_screen():
            self.refresh()
        else:
            self._stale = True
            self._while_stale()

    def _while_stale(self) -> None:
        """What the panel shows while its read is put off (counts, buttons)."""

    def ensure_loaded(self) -> None:
        """Read now if a read was put off while the panel was hidden."""
        if self._stale:
            self.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)  # type: ignore[misc]
        self.ensure_loaded()
