"""Joint enforcement in the window (issue 7): clusters → proposals → tasks.

Adds a 联合执法 menu, three docks (cluster panel, proposals, task board),
the cluster overlay layer on the map, and printing of the task order.

The docks read nothing while none of them is on screen (issue 21: at a
district's load the reference names, read twice, the proposals and the board
were ~20-30 ms of the GUI thread's worst gap); they read the open workspace
once when one is shown or its tab raised.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtWidgets import QMenu

from gridapp.qt.actions import ActionSpec
from gridapp.qt.on_screen import on_screen
from gridapp.qt.tasks.cluster_panel import ClusterPanel
from gridapp.qt.tasks.lookup import read_names
from gridapp.qt.tasks.map_overlay import MapOverlay
from gridapp.qt.tasks.proposal_list import ProposalList
from gridapp.qt.tasks.task_board import TaskBoard


class TasksFeature(QObject):
    """Owns the feature's panels and keeps them in step with each other and the map."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.overlay = MapOverlay(window)
        self.clusters = ClusterPanel(window)
        self.proposals = ProposalList(window)
        self.board = TaskBoard(window)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.docks = {
            "clusters": window.add_dock("task_clusters", self.clusters, right),
            "proposals": window.add_dock("task_proposals", self.proposals, right,
                                         tabify_with="task_clusters"),
            "board": window.add_dock("task_board", self.board,
                                     Qt.DockWidgetArea.BottomDockWidgetArea,
                                     tabify_with="table"),
        }
        ws = lambda: window.session is not None  # noqa: E731
        window.actions.add_all([
            ActionSpec("gridapp.task.clusters", QT_TRANSLATE_NOOP("Actions", "Find &clusters…"),
                       lambda: self._show("clusters"), None, ws),
            ActionSpec("gridapp.task.proposals",
                       QT_TRANSLATE_NOOP("Actions", "Joint-enforcement &proposals"),
                       lambda: self._show("proposals"), None, ws),
            ActionSpec("gridapp.task.board", QT_TRANSLATE_NOOP("Actions", "Task &board"),
                       lambda: self._show("board"), None, ws),
            ActionSpec("gridapp.task.print_order",
                       QT_TRANSLATE_NOOP("Actions", "Print task &order…"),
                       self.board.print_order, None,
                       lambda: window.session is not None and self.board.task is not None),
        ])
        self.menu = QMenu(window)
        self.menu.setObjectName("menu_tasks")
        window.actions.fill_menu(self.menu, ["gridapp.task.clusters", "gridapp.task.proposals",
                                             "gridapp.task.board", "-",
                                             "gridapp.task.print_order"])
        window.menuBar().insertMenu(window.menus["language"].menuAction(), self.menu)

        self.clusters.clustersFound.connect(self._on_clusters_found)
        self.clusters.clusterSelected.connect(self._on_cluster_selected)
        self.clusters.proposalsSaved.connect(lambda _ids: self._after_proposals_saved())
        self.proposals.proposalSelected.connect(self._on_proposal_selected)
        self.proposals.changed.connect(self._show_proposal_hulls)
        self.proposals.taskCreated.connect(self._on_task_created)
        self.board.taskChanged.connect(lambda _id: self._on_tasks_changed())
        self.board.taskSelected.connect(lambda _t: window.actions.update_enabled())
        for panel in (self.clusters, self.proposals, self.board):
            panel.failed.connect(window.messages.add)
        self._stale = False  # a workspace loaded that the hidden docks have not read
        for dock in self.docks.values():
            dock.visibilityChanged.connect(lambda shown: shown and self.ensure_loaded())
        window.when_loaded(self._on_workspace_loaded)
        window.workspaceClosed.connect(self._on_workspace_closed)
        window.installEventFilter(self)
        self.retranslate()

    # ------------------------------------------------------------ window
    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Joint enforcement"))
        self.docks["clusters"].setWindowTitle(self.tr("Clusters"))
        self.docks["proposals"].setWindowTitle(self.tr("Proposals"))
        self.docks["board"].setWindowTitle(self.tr("Task board"))
        for panel in (self.clusters, self.proposals, self.board):
            panel.retranslate()

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802
        if obj is self.window and ev.type() == QEvent.Type.Close:
            self.clusters.shutdown()
        return False

    def _show(self, key: str) -> None:
        dock = self.docks[key]
        dock.show()
        dock.raise_()

    def _on_screen(self) -> bool:
        """One of the docks is shown and not behind another tab."""
        return on_screen(*self.docks.values())

    def _on_workspace_loaded(self) -> None:
        self._stale = True
        if self._on_screen():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        """Read the open workspace into the panels if a load has not been read yet."""
        if not self._stale:
            return
        self._stale = False
        names = read_names(self.window.session)  # once for both panels
        self.clusters.workspace_changed(names)
        self.proposals.workspace_changed(names)
        self.board.refresh()

    def _on_workspace_closed(self) -> None:
        # Nothing of the closed workspace stays in the panels (issue 21): the
        # session is gone, so each panel reads itself empty.
        self._stale = False
        self.clusters.cancel()
        self.clusters.workspace_changed()
        self.proposals.workspace_changed()
        self.board.refresh()

    # ------------------------------------------------------------ map
    def _on_clusters_found(self, result: Any) -> None:
        names = self.clusters.names
        self.overlay.show_hulls([c.hull for c in result.clusters],
                                [f"{c.size} · {names.top_categories(c.categories, 1)}"
                                 for c in result.clusters])

    def _on_cluster_selected(self, cluster: Any) -> None:
        result = self.clusters.result
        if result is not None and self.overlay.hulls != [c.hull for c in result.clusters]:
            self._on_clusters_found(result)  # a proposal was shown meanwhile
        if cluster is None:
            self.overlay.select(None)
            return
        self.overlay.select(self.clusters.model.rows.index(cluster), cluster.report_ids)

    def _show_proposal_hulls(self) -> None:
        rows = self.proposals.model.rows
        if rows and self.clusters.result is None:
            self.overlay.show_hulls([p.hull for p in rows], [p.title for p in rows])

    def _on_proposal_selected(self, proposal: Any) -> None:
        if proposal is None:
            return
        self.overlay.show_hulls([proposal.hull], [proposal.title])
        self.overlay.select(0, proposal.report_ids)

    def _after_proposals_saved(self) -> None:
        self.proposals.refresh()
        self._show("proposals")

    def _on_task_created(self, task_id: int) -> None:
        self._on_tasks_changed()
        self.board.select_task(task_id)
        self._show("board")

    def _on_tasks_changed(self) -> None:
        self.overlay.reload_tasks()
        self.window.actions.update_enabled()


def install(window: Any) -> TasksFeature:
    return TasksFeature(window)
