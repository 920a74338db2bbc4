"""The problems panel: coverage problems after each edit or a full check, fix, zoom."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.grids.problems_model import ProblemsModel
from gridapp.qt.table_sizing import SAMPLE_ROWS


class ProblemsPanel(QWidget):
    """Lists the editor's problems; double-click or "Zoom to" shows one on the map."""

    def __init__(self, editor: Any, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("gridProblemsPanel")
        self.editor = editor
        self.window = window
        self.model = ProblemsModel(editor.grid_label, self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setObjectName("gridProblemsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch
        )
        self.view.verticalHeader().setVisible(False)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.check_button = QPushButton(self)
        self.fix_button = QPushButton(self)
        self.zoom_button = QPushButton(self)
        self.check_button.clicked.connect(self.check_all)
        self.fix_button.clicked.connect(self.fix)
        self.zoom_button.clicked.connect(self.zoom_to_current)
        buttons = QHBoxLayout()
        for b in (self.check_button, self.fix_button, self.zoom_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        editor.problemsChanged.connect(self._on_problems_changed)
        self.checked_all = False
        self.retranslate()
        self._on_problems_changed(None, force=True)

    def retranslate(self) -> None:
        self.check_button.setText(self.tr("Check all grids"))
        self.fix_button.setText(self.tr("Fix automatically"))
        self.zoom_button.setText(self.tr("Zoom to"))
        self.model.retranslate()
        self._update_summary()

    def _update_summary(self) -> None:
        n = len(self.model.problems)
        if n:
            self.summary.setText(self.tr("{n} coverage problems").format(n=n))
        elif self.checked_all:
            self.summary.setText(
                self.tr("No coverage problems: the grids are a clean coverage.")
            )
        else:
            self.summary.setText(self.tr("No problems found around the last edit."))

    def _on_problems_changed(self, report: Any, force: bool = False) -> None:
        self.checked_all = False
        if report is None and not self.model.problems and not force:
            # Every workspace load clears the report: with nothing shown and
            # nothing to show, no model reset nor column sizing (issue 21).
            self.fix_button.setEnabled(False)
            self.zoom_button.setEnabled(False)
            self._update_summary()
            return
        self.model.set_report(report)
        self.fix_button.setEnabled(bool(self.model.problems) and self.editor.can_edit())
        self.zoom_button.setEnabled(bool(self.model.problems))
        self.view.horizontalHeader().setResizeContentsPrecision(SAMPLE_ROWS)
        self.view.resizeColumnsToContents()
        self._update_summary()
        if self.model.problems and self.window.docks.get("grid_problems") is not None:
            self.window.docks["grid_problems"].raise_()

    # ------------------------------------------------------------ actions
    def check_all(self) -> None:
        """Check every current grid (on a worker) and list what is found."""
        if self.editor.session is None:
            return
        editor = self.editor

        def work(progress: Any, cancel: Any) -> Any:
            return editor.check_all(progress, cancel)

        def done(report: Any) -> None:
            editor.set_report(report)
            self.checked_all = True  # after set_report, which resets it
            self._update_summary()

        def failed(exc: BaseException) -> None:
            text = (
                exc.message
                if isinstance(exc, GridAppError)
                else self.window.messages.add_error(exc)
            )
            self.editor.notify(text)

        self.window.progress.run(work, done, failed, self.tr("Checking grid coverage"))

    def fix(self) -> None:
        try:
            self.editor.fix_automatically()
        except GridAppError as exc:
            self.editor.notify(exc.message)

    def current_row(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else (0 if self.model.problems else -1)

    def zoom_to(self, row: int) -> None:
        import shapely

        if not 0 <= row < len(self.editor.problem_geoms):
            return
        g = self.editor.problem_geoms[row]
        x0, y0, x1, y1 = shapely.bounds(g)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half = max(x1 - x0, y1 - y0, 60.0) * 0.75  # at least ~90 m across
        self.window.canvas.zoom_to_extent((cx - half, cy - half, cx + half, cy + half))

    def zoom_to_current(self) -> None:
        self.zoom_to(self.current_row())

    def _on_double_clicked(self, index: QModelIndex) -> None:
        self.zoom_to(index.row())
