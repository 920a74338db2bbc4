"""Printing dialogs: poster print preview, grid atlas, offline web map export.

Each dialog runs its long work on a worker (:class:`gridapp.qt.job_progress.JobProgress`) with
progress and cancel; the page drawing itself is :mod:`gridapp.printing`.
"""

from __future__ import annotations

from gridapp.qt.printing.atlas_dialog import AtlasDialog
from gridapp.qt.printing.print_preview_dialog import PrintPreviewDialog
from gridapp.qt.printing.webmap_dialog import WebMapDialog

__all__ = ["AtlasDialog", "PrintPreviewDialog", "WebMapDialog"]
