"""The grid editor's edits from map input: split, merge, delete, draw, reshape, vertices.

:class:`GridEditOperations` is the part of
:class:`~gridapp.qt.grids.editor.GridEditor` that turns what a tool drew (in
the map's metric CRS) into a saved edit: it converts to EPSG:4490 through the
editor's :class:`~gridapp.qt.grids.grid_set.CurrentGrids`, picks the grids
involved and hands a service call to the editor's ``save`` (which asks for
confirmation when the coverage check finds problems and pushes the undo
command).  Texts are translated in the editor's context (``GridEditor``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from gridapp.errors import GeometryError, GridAppError

if TYPE_CHECKING:
    from shapely.geometry import LineString, Polygon
    from shapely.geometry.base import BaseGeometry

    from gridapp.services.grids.edit import EditResult


class GridEditOperations:
    """Edits from metric map input; mixed into ``GridEditor``, which provides
    ``session``, ``grids``, ``can_edit``, ``save``, ``notify``, ``grid_label``,
    ``polygons_near`` and ``tr``."""

    session: Any
    grids: Any
    can_edit: Callable[[], bool]
    save: Callable[..., EditResult | None]
    notify: Callable[[str], None]
    grid_label: Callable[[Any], str]
    polygons_near: Callable[..., tuple[Any, list[Any]]]
    tr: Callable[[str], str]
    edit_split: Callable[[Any], list[dict[str, Any]] | None]

    def split_with_line(self, line: LineString) -> EditResult | None:
        """Split the grid *line* (metric) crosses most."""
        import shapely

        from gridapp.services.grids import tools as grids_tools

        if not self.can_edit():
            return None
        assert self.grids is not None
        rows = self.grids.near(line)
        if not len(rows):
            self.notify(self.tr("The line does not cross a grid."))
            return None
        lengths = shapely.length(shapely.intersection(self.grids.metric[rows], line))
        gid = int(self.grids.ids[rows[int(np.argmax(lengths))]])
        stored = self.grids.to_storage(line)
        try:  # the pieces' codes and shared figures, shown and editable first
            plan = grids_tools.plan_split(self.session, gid, stored)
        except GridAppError as exc:
            self.notify(exc.message)
            return None
        pieces = self.edit_split(plan)
        if pieces is None:
            return None
        return self.save(
            self.tr("Split grid {code}").format(code=self.grids.label(gid)),
            lambda ok: grids_tools.split_grid(
                self.session, gid, stored, pieces=pieces, accept_problems=ok
            ),
        )

    def merge(self, ids: Sequence[int]) -> EditResult | None:
        from gridapp.services.grids import tools as grids_tools

        ids = [int(i) for i in ids]
        if len(ids) < 2:
            self.notify(self.tr("Select at least two neighbouring grids to merge."))
            return None
        codes = ", ".join(self.grid_label(i) for i in ids)
        return self.save(
            self.tr("Merge grids {codes}").format(codes=codes),
            lambda ok: grids_tools.merge_grids(self.session, ids, accept_problems=ok),
        )

    def delete(self, ids: Sequence[int]) -> EditResult | None:
        from gridapp.services.grids import tools as grids_tools

        ids = [int(i) for i in ids]
        if not ids:
            return None
        codes = ", ".join(self.grid_label(i) for i in ids)
        return self.save(
            self.tr("Delete grids {codes}").format(codes=codes),
            lambda ok: grids_tools.delete_grids(self.session, ids, accept_problems=ok),
        )

    def add_polygon(self, poly: Polygon, **attrs: Any) -> EditResult | None:
        """Save a drawn polygon (metric) as a new grid, sharing vertices with neighbours."""
        if not self.can_edit():
            return None
        assert self.grids is not None
        stored = self.grids.to_storage(poly)
        if not stored.is_valid:
            self.notify(self.tr("The drawn outline crosses itself."))
            return None

        def apply(ok: bool) -> EditResult:
            from gridapp.services.grids import edit as grid_service
            from gridapp.services.grids import tools as grids_tools
            from gridapp.services.grids.edit import GridDraft

            drafts = grids_tools.match_neighbours(
                self.session, [GridDraft(stored, **attrs)]
            )
            return grid_service.save_edit(
                self.session, drafts, action="new", accept_problems=ok
            )

        return self.save(self.tr("New grid"), apply)

    def reshape(
        self, changed: dict[int, BaseGeometry], title: str
    ) -> EditResult | None:
        """Save new outlines (metric) of grids by id."""
        from gridapp.services.grids import tools as grids_tools

        if not changed or not self.can_edit():
            return None
        assert self.grids is not None
        stored = {gid: self.grids.to_storage(g) for gid, g in changed.items()}
        return self.save(
            title,
            lambda ok: grids_tools.reshape_grids(
                self.session, stored, accept_problems=ok
            ),
        )

    def _vertex_edit(
        self, op: Callable[[list[Any]], list[Any]], where: BaseGeometry, tol: float
    ) -> dict[int, BaseGeometry]:
        """Run a coverage vertex operation on the grids near *where*; changed outlines."""
        assert self.grids is not None
        rows, polys = self.polygons_near(where, tol)
        if not len(rows):
            raise GeometryError("附近没有网格", "No grid near the pointer")
        out = op(polys)
        return {
            int(self.grids.ids[r]): new
            for r, old, new in zip(rows, polys, out, strict=True)
            if not new.equals_exact(old, 0.0)
        }

    def preview_move(
        self, old_xy: tuple[float, float], new_xy: tuple[float, float], tol: float
    ) -> dict[int, BaseGeometry]:
        """Outlines after moving the vertex at *old_xy* (nothing saved); may raise."""
        import shapely

        from gridapp.services.grids import geometry_edits as editing

        return self._vertex_edit(
            lambda p: editing.move_vertex_topologically(p, old_xy, new_xy, tol),
            shapely.Point(old_xy),
            tol,
        )

    def move_vertex(
        self, old_xy: tuple[float, float], new_xy: tuple[float, float], tol: float
    ) -> EditResult | None:
        try:
            changed = self.preview_move(old_xy, new_xy, tol)
        except GridAppError as exc:
            self.notify(exc.message)
            return None
        return self.reshape(changed, self.tr("Move vertex"))

    def insert_vertex(self, xy: tuple[float, float], tol: float) -> EditResult | None:
        import shapely

        from gridapp.services.grids import geometry_edits as editing

        try:
            changed = self._vertex_edit(
                lambda p: editing.insert_vertex(p, xy, tol), shapely.Point(xy), tol
            )
        except GridAppError as exc:
            self.notify(exc.message)
            return None
        return self.reshape(changed, self.tr("Add vertex"))

    def remove_vertex(self, xy: tuple[float, float], tol: float) -> EditResult | None:
        import shapely

        from gridapp.services.grids import geometry_edits as editing

        try:
            changed = self._vertex_edit(
                lambda p: editing.remove_vertex(p, xy, tol), shapely.Point(xy), tol
            )
        except GridAppError as exc:
            self.notify(exc.message)
            return None
        return self.reshape(changed, self.tr("Remove vertex"))

    def update_attributes(self, gid: int, changes: dict[str, Any]) -> EditResult | None:
        from gridapp.services.grids import tools as grids_tools

        if not changes:
            return None
        return self.save(
            self.tr("Edit grid {code}").format(code=self.grid_label(gid)),
            lambda ok: grids_tools.update_attributes(
                self.session, gid, accept_problems=ok, **changes
            ),
        )
