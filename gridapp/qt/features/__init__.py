"""Features that plug into the main window (grid editing, people, cases, tasks, printing).

Each module here defines ``install(window) -> Feature``: it adds its actions to
``window.actions`` (ids like ``gridapp.grid.split``), menu entries to
``window.menus[...]`` (or a new menu on ``window.menuBar()``), panels with
``window.add_dock(key, widget, area)``, map tools with
``window.canvas.add_tool(tool)``, and reads its part of a loaded workspace in a
``window.when_loaded(fn)`` hook (each hook gets a turn of the event loop of its own).
The returned object's ``retranslate()`` is called on a language switch.  The
window knows none of them by name, so features are added without editing it.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Feature(Protocol):
    def retranslate(self) -> None: ...


def install_all(window: Any) -> list[Feature]:
    """Install every feature module found in this package, in name order."""
    features = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        features.append(module.install(window))
    return features
