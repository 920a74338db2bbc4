"""Reports and the case workflow in the main window (issue 6).

Adds the *Cases* menu, the *File a report* map tool, the case list and case
detail docks, photo drops on the map, report import, report styles and the
督办单; see :mod:`gridapp.qt.cases.feature`.
"""

from __future__ import annotations

from typing import Any


def install(window: Any) -> Any:
    from gridapp.qt.cases.feature import CasesFeature

    return CasesFeature(window)
