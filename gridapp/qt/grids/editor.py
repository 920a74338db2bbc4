"""The grid editor: tool results in map metres become saved, undoable grid versions.

Every edit goes through :meth:`GridEditor.save`: the service saves it (and
checks the coverage around it); if the check finds problems the user is
asked to confirm (``accept_problems=True``, recorded in the audit log) and
the problems go to the problems panel and the map either way.  A saved edit
is pushed on :attr:`GridEditor.undo_stack` as a
:class:`~gridapp.qt.grids.edit_command.GridEditCommand`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from gridapp.errors import GridAppError
from gridapp.qt.grids.edit_command import GridEditCommand
from gridapp.qt.grids.edit_operations import GridEditOperations
from gridapp.qt.grids.grid_set import CurrentGrids
from gridapp.qt.grids.snapping import Snapper

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from gridapp.services.grids.coverage import CoverageReport
    from gridapp.services.grids.edit import EditResult

Apply = Callable[[bool], "EditResult"]


class GridEditor(GridEditOperations, QObject):
    """Edits the current grids of the window's workspace.

    Signals
    -------
    gridsChanged
        The current grids were saved anew (an edit, undo or redo).
    problemsChanged(object)
        The coverage report shown (a :class:`CoverageReport` or None).
    overlayChanged
        Something drawn over the map changed (problems, as-of grids, proposal).
    """

    gridsChanged = Signal()
    problemsChanged = Signal(object)
    overlayChanged = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.canvas = window.canvas
        self.undo_stack = QUndoStack(self)
        self._grids: CurrentGrids | None = None
        # The current grids are read when the editor is first used, not when a
        # workspace loads (0.3-0.4 s on the GUI thread for 500 grids; issue 22).
        self._stale = False
        self.report: CoverageReport | None = None
        self.problem_geoms: np.ndarray = np.empty(0, dtype=object)  # metric
        self.as_of: tuple[str, np.ndarray, list[str]] | None = (
            None  # label, geoms, codes
        )
        self.proposal: tuple[np.ndarray, list[str]] | None = None  # geoms, labels
        self.snapper = Snapper(self.canvas)
        # Asked before saving with problems; tests replace it.
        self.confirm: Callable[[CoverageReport], bool] = self._ask_confirm
        # Shown before a split is saved (its pieces' codes and figures); tests replace it.
        self.edit_split: Callable[[Any], list[dict[str, Any]] | None] = self._ask_split
        self._codes_of_new: dict[Hashable, str] = {}

    # ------------------------------------------------------------ state
    @property
    def session(self) -> Any:
        return self.window.session

    @property
    def grids(self) -> CurrentGrids | None:
        """The workspace's current grids in map metres; read on first use after a load."""
        if self._stale:
            self._stale = False
            self.reload()
        return self._grids

    @grids.setter
    def grids(self, value: CurrentGrids | None) -> None:
        self._stale = False
        self._grids = value

    def has_grids(self) -> bool:
        """Whether a workspace's grids are there to edit (without reading them)."""
        return self._stale or self._grids is not None

    def can_edit(self) -> bool:
        s = self.session
        return (
            s is not None
            and self.has_grids()
            and s.can("grid.edit")
            and self.canvas.workspace is not None
        )

    def on_workspace_loaded(self) -> None:
        self.undo_stack.clear()
        self.as_of = self.proposal = None
        self._grids = None
        self._stale = self.session is not None  # read when first needed
        self.set_report(None)

    def on_workspace_closed(self) -> None:
        self.undo_stack.clear()
        self.grids = None
        self.as_of = self.proposal = None
        self.set_report(None)

    def reload(self) -> None:
        """Read the current grids again (after any save)."""
        from gridapp.services.grids.history import current_grids
        from gridapp.services.workspace import map_setup

        if self.session is None:
            self.grids = None
            return
        epsg, _tables = map_setup(self.session)
        self.grids = CurrentGrids(current_grids(self.session), epsg)

    def refresh_layer(self) -> None:
        """Redraw the grid layer from the workspace, keeping its place and look."""
        from gridapp.qt.layer_data import grid_colours, load_workspace_layers

        ws = self.canvas.workspace
        if ws is None or self.session is None:
            return
        fresh = load_workspace_layers(
            self.session, names=["grid"], colour_grids=grid_colours
        )
        if "grid" not in fresh.data:
            return
        # Keeps a chosen style (e.g. colour by manager); the opening colours
        # are worked out again so that new grids get theirs.
        self.window.layer_model.replace_layer("grid", fresh.data["grid"])
        self.window.actions.update_enabled()

    # ------------------------------------------------------------ problems
    def set_report(
        self, report: CoverageReport | None, new_codes: Sequence[str] = ()
    ) -> None:
        """Show *report* in the panel and on the map (None clears)."""
        self.report = report if report is not None and report.problems else None
        self._codes_of_new = {-(i + 1): c for i, c in enumerate(new_codes)}
        geoms = [p.geometry for p in (self.report.problems if self.report else [])]
        if geoms and self.grids is not None:
            self.problem_geoms = self.grids.to_metric_many(
                np.array(geoms, dtype=object)
            )
        else:
            self.problem_geoms = np.empty(0, dtype=object)
        self.problemsChanged.emit(self.report)
        self.overlayChanged.emit()

    def grid_label(self, grid_id: Hashable) -> str:
        if grid_id in self._codes_of_new:
            return self._codes_of_new[grid_id]
        return self.grids.label(grid_id) if self.grids is not None else str(grid_id)

    def _ask_confirm(self, report: CoverageReport) -> bool:
        lines = "\n".join(f"• {p.message}" for p in report.problems[:8])
        more = "" if len(report.problems) <= 8 else "\n…"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Coverage problems"),
            self.tr(
                "This change leaves {n} coverage problems:\n{list}{more}\n\n"
                "Save it anyway? The decision is recorded."
            ).format(n=len(report.problems), list=lines, more=more),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Save

    def _ask_split(self, plan: Any) -> list[dict[str, Any]] | None:
        from gridapp.qt.grids.split_dialog import SplitDialog

        total = (sum(p.households or 0 for p in plan.pieces) if any(
            p.households is not None for p in plan.pieces) else None,
            sum(p.population or 0 for p in plan.pieces) if any(
            p.population is not None for p in plan.pieces) else None)
        dialog = SplitDialog(plan, total, self.window)
        try:
            return dialog.edits() if dialog.exec() == SplitDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def notify(self, text: str) -> None:
        self.window.messages.add(text)
        self.window.status.showMessage(text, 10_000)

    # ------------------------------------------------------------ saving
    def save(self, title: str, apply: Apply) -> EditResult | None:
        """Save an edit; with problems, save only if the user confirms."""
        from gridapp.services.grids.edit import CoverageProblemsError

        if not self.can_edit():
            return None
        try:
            result = apply(False)
        except CoverageProblemsError as err:
            report = err.params["report"]
            self.set_report(report)
            if not self.confirm(report):
                self.notify(
                    self.tr("Not saved: the change would leave coverage problems.")
                )
                return None
            try:
                result = apply(True)
            except GridAppError as exc:
                self.notify(exc.message)
                return None
        except GridAppError as exc:
            self.notify(exc.message)
            return None
        self.undo_stack.push(GridEditCommand(self, title, result.closed, result.opened))
        self._after_save(result)
        return result

    def _after_save(self, result: EditResult) -> None:
        self.reload()
        self.refresh_layer()
        self.set_report(result.report, result.codes)
        if result.opened:
            self.select_ids(result.opened)  # show what the edit made
        self.gridsChanged.emit()

    def swap(
        self, live: list[int], target: list[dict[str, Any]], action: str
    ) -> list[int]:
        """Replace the rows *live* by copies of *target* rows (undo/redo); new ids."""
        from gridapp.services.grids import edit as grid_service
        from gridapp.services.grids.edit import GridDraft
        from gridapp.services.grids.history import grid_version

        if self.session is None:
            return live
        claimed: set[int] = set()
        drafts = []
        olds = {i: grid_version(self.session, i)["geom"] for i in live}
        for row in target:
            best, area = None, 0.0
            for i, g in olds.items():
                a = g.intersection(row["geom"]).area if i not in claimed else 0.0
                if a > area:
                    best, area = i, a
            if best is not None:
                claimed.add(best)
            drafts.append(
                GridDraft(
                    row["geom"],
                    (best,) if best is not None else (),
                    code=row["code"],
                    name=row["name"],
                    kind=row["kind"],
                    households=row["households"],
                    population=row["population"],
                    notes=row["notes"],
                    community_id=row["community_id"],
                )
            )
        try:
            result = grid_service.save_edit(
                self.session,
                drafts,
                deleted=[i for i in live if i not in claimed],
                accept_problems=True,
                action=action,
            )
        except GridAppError as exc:
            self.notify(exc.message)
            return live
        self._after_save(result)
        return list(result.opened)

    # ------------------------------------------------------------ picking
    def selected_ids(self) -> list[int]:
        ws = self.canvas.workspace
        rows = self.canvas.selection.get("grid")
        if ws is None or rows is None or "grid" not in ws.data:
            return []
        return [int(i) for i in ws.data["grid"].ids[rows]]

    def select_ids(self, ids: Sequence[int]) -> None:
        ws = self.canvas.workspace
        if ws is None or "grid" not in ws.data:
            return
        rows = np.flatnonzero(np.isin(ws.data["grid"].ids, list(ids)))
        self.canvas.set_selection("grid", rows)

    def grid_at(self, x: float, y: float) -> int | None:
        if self.grids is None:
            return None
        row = self.grids.at(x, y)
        return None if row is None else int(self.grids.ids[row])

    def polygons_near(
        self, geom: BaseGeometry, distance: float
    ) -> tuple[np.ndarray, list[Any]]:
        """Rows and metric polygons of current grids near *geom*."""
        assert self.grids is not None
        rows = self.grids.near(geom, distance)
        return rows, list(self.grids.metric[rows])

    # ------------------------------------------------------------ checks and fixes
    def check_all(self, progress: Any = None, cancel: Any = None) -> CoverageReport:
        """Check the whole current coverage (call on a worker; no Qt here)."""
        from gridapp.services.grids import tools as grids_tools

        kw = {
            k: v
            for k, v in (("progress", progress), ("cancel", cancel))
            if v is not None
        }
        return grids_tools.check_workspace(self.session, **kw)

    def fix_automatically(self) -> EditResult | None:
        """Fix the problems shown (``grids_tools.plan_fix`` on their communities) and save."""
        import shapely

        from gridapp.services.grids import tools as grids_tools

        if self.report is None or not self.can_edit():
            return None
        assert self.grids is not None
        frame = self.grids.frame
        zone = shapely.union_all(self.problem_geoms).buffer(1.0)
        rows = self.grids.near(zone, 1.0)
        comm_ids = set(frame["community_id"].iloc[rows].dropna().astype(int))
        comm_ids |= {
            int(p.community)
            for p in self.report.problems
            if isinstance(p.community, (int, np.integer))
        }
        plan = grids_tools.plan_fix(
            self.session, sorted(comm_ids) if comm_ids else None
        )
        if plan.empty:
            self.notify(self.tr("Nothing could be fixed automatically."))
            return None
        for change in plan.result.changes:
            self.window.messages.add(change.message)
        return self.save(
            self.tr("Fix coverage automatically"),
            lambda ok: grids_tools.save_fix(self.session, plan, accept_problems=ok),
        )

    # ------------------------------------------------------------ overlays
    def show_as_of(self, label: str, frame: Any) -> None:
        """Draw *frame* (grids in EPSG:4490, e.g. from ``as_of``) over the map."""
        if self.grids is None:
            return
        geoms = self.grids.to_metric_many(
            np.asarray(frame.geometry.array, dtype=object)
        )
        self.as_of = (label, geoms, [str(c) for c in frame["code"]])
        self.overlayChanged.emit()

    def clear_as_of(self) -> None:
        self.as_of = None
        self.overlayChanged.emit()

    def show_proposal(self, frame: Any | None) -> None:
        """Draw proposed grids (EPSG:4490, with ``code`` and ``households``)."""
        if frame is None or self.grids is None:
            self.proposal = None
        else:
            geoms = self.grids.to_metric_many(
                np.asarray(frame.geometry.array, dtype=object)
            )
            labels = [
                f"{str(c)[-3:]}\n{int(h)}"
                for c, h in zip(frame["code"], frame["households"], strict=True)
            ]
            self.proposal = (geoms, labels)
        self.overlayChanged.emit()
