"""Map drawing with QPainter on any paint device (screen canvas and print).

Only QtGui is used here, never QtWidgets.  See :func:`render_map`.
"""

from __future__ import annotations

from gridapp.render._pyside_guard import ensure_none_survives

ensure_none_survives()
