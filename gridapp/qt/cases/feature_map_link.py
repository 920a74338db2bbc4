"""The case list and detail in step with the report layer on the map.

A mixin of :class:`~gridapp.qt.cases.feature.CasesFeature`: selecting a case
in the list shows it in the detail and selects its point on the map (centred
if it is off screen; activating it zooms there); selecting or identifying a
report on the map shows its case in the detail and selects it in the list.
The selection is set with signals held back (``_syncing``, blocked list
signals) so neither side echoes the other.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gridapp.render.viewport import Viewport

from . import report_layer


class CaseMapLink:
    """List ↔ map selection; mixed into ``CasesFeature``, which provides
    ``window``, ``case_list``, ``detail`` and ``detail_dock``."""

    window: Any
    case_list: Any
    detail: Any
    detail_dock: Any
    _syncing: bool
    ensure_widgets: Any

    def _on_case_selected(self, report_id: int) -> None:
        if self.detail is not None:
            self.detail.set_case(report_id)
        self.highlight_case(report_id, zoom=False)
        self.window.actions.update_enabled()

    def _on_case_activated(self, report_id: int) -> None:
        if self.detail is not None:
            self.detail.set_case(report_id)
        self.detail_dock.raise_()
        self.highlight_case(report_id, zoom=True)

    def highlight_case(self, report_id: int, *, zoom: bool) -> bool:
        """Select the case's point on the map; centre or zoom to it."""
        row = report_layer.row_of(self.window, report_id)
        canvas = self.window.canvas
        if row is None:
            return False
        self._syncing = True
        try:
            canvas.set_selection(report_layer.LAYER, [row], emit=False)
        finally:
            self._syncing = False
        if zoom:
            canvas.zoom_to_selection()
            return True
        vp = canvas.viewport
        geom = canvas.workspace.data[report_layer.LAYER].geoms[row]
        if vp is not None and geom is not None:
            x0, y0, x1, y1 = vp.extent
            if not (x0 <= geom.x <= x1 and y0 <= geom.y <= y1):
                canvas.set_viewport(
                    Viewport(vp.width, vp.height, geom.x, geom.y, vp.resolution, vp.dpi)
                )
        return True

    def show_case(self, report_id: int) -> None:
        """Show a case picked on the map in the detail and, if loaded, the list."""
        if not self.ensure_widgets():
            return
        self.detail.set_case(report_id)
        self.detail_dock.raise_()
        self._select_in_list(report_id)
        self.window.actions.update_enabled()

    def _select_in_list(self, report_id: int) -> None:
        if self.case_list is None:
            return
        model = self.case_list.model
        for i in range(model.rowCount()):
            if model.row_at(i).id == report_id:
                view = self.case_list.view
                view.blockSignals(True)
                view.selectionModel().blockSignals(True)
                view.selectRow(i)
                view.selectionModel().blockSignals(False)
                view.blockSignals(False)
                view.scrollTo(model.index(i, 0))
                return
        self.case_list.view.clearSelection()

    def _on_map_selection_changed(self, name: str) -> None:
        if self._syncing or name != report_layer.LAYER:
            return
        rows = self.window.canvas.selection.get(name, np.empty(0, np.int64))
        if len(rows) == 1:
            rid = report_layer.id_of(self.window, int(rows[0]))
            if rid is not None:
                self.show_case(rid)

    def _on_identified(self, hits: list[tuple[str, int]]) -> None:
        if hits and hits[0][0] == report_layer.LAYER:
            rid = report_layer.id_of(self.window, hits[0][1])
            if rid is not None:
                self.show_case(rid)
