"""Attribute table of the current layer, with filter and select-on-map both ways."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.feature_table_model import FeatureTableModel

SAMPLE_ROWS = 40  # rows measured to size the columns
MAX_COLUMN_WIDTH = 320  # px: a long description is read in its tooltip
CELL_PADDING = 14  # px: the cell's margins and grid line
HEADER_PADDING = 28  # px: the title's margins and the sort arrow


class AttributeTable(QWidget):
    """A :class:`FeatureTableModel` in a table view.

    ``rowsSelected(layer, frame_rows)`` is emitted when the user selects rows;
    :meth:`select_rows` mirrors a map selection without echoing it back.
    """

    rowsSelected = Signal(str, object)
    rowActivated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FeatureTableModel(self)
        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_changed)
        self.count = QLabel(self)
        self.view = QTableView(self)
        self.view.setObjectName("attributeTable")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.doubleClicked.connect(
            lambda idx: self.rowActivated.emit(
                self.model.layer_name, self.model.frame_row(idx.row())
            )
        )
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._selected = np.empty(0, dtype=np.int64)
        self.model.modelReset.connect(self._restore_selection)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter: text in any field"))
        self._update_count()

    def set_layer(self, name: str, frame, bad_rows=None) -> None:  # type: ignore[no-untyped-def]
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self._selected = np.empty(0, dtype=np.int64)
        self.model.set_frame(name, frame, bad_rows)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Size the columns from their titles and the first :data:`SAMPLE_ROWS` rows.

        Not ``resizeColumnsToContents``: Qt asks the model for every cell it
        measures, a call into Python each; for a 500-grid layer that was
        10,000 calls and 0.3-0.5 s of a frozen window while a district loaded
        (issue 21).  Measured here in one pass over a sample, capped at
        :data:`MAX_COLUMN_WIDTH`.
        """
        model, view = self.model, self.view
        cells = view.fontMetrics()
        titles = view.horizontalHeader().fontMetrics()
        rows = model.order[:SAMPLE_ROWS]
        for column in range(model.columnCount()):
            title = model.headerData(column, Qt.Orientation.Horizontal) or ""
            width = titles.horizontalAdvance(str(title)) + HEADER_PADDING
            for text in set(model.column_texts(rows, column)):  # one read a column
                width = max(width, cells.horizontalAdvance(text) + CELL_PADDING)
            view.setColumnWidth(column, min(width, MAX_COLUMN_WIDTH))

    def _on_filter_changed(self, text: str) -> None:
        self.model.set_filter(text)

    def _update_count(self) -> None:
        self.count.setText(
            self.tr("{shown} of {total} features, {sel} selected").format(
                shown=self.model.rowCount(),
                total=len(self.model.frame),
                sel=len(self._selected),
            )
        )

    def selected_rows(self) -> np.ndarray:
        return self._selected

    def _on_selection_changed(self, *_args: object) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        self._selected = (
            np.unique(self.model.order[np.asarray(rows, dtype=np.int64)])
            if rows
            else np.empty(0, dtype=np.int64)
        )
        self._update_count()
        self.rowsSelected.emit(self.model.layer_name, self._selected)

    def select_rows(self, frame_rows) -> None:  # type: ignore[no-untyped-def]
        """Select *frame_rows* in the view without emitting :attr:`rowsSelected`."""
        self._selected = np.unique(np.asarray(frame_rows, dtype=np.int64))
        self._restore_selection()

    def _restore_selection(self) -> None:
        sm = self.view.selectionModel()
        view_rows = (
            np.sort(self.model.view_rows(self._selected)) if len(self._selected) else []
        )
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        # Contiguous runs become one range each.
        if len(view_rows):
            breaks = np.flatnonzero(np.diff(view_rows) != 1)
            starts = np.r_[view_rows[0], view_rows[breaks + 1]]
            stops = np.r_[view_rows[breaks], view_rows[-1]]
            for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
                selection.select(self.model.index(a, 0), self.model.index(b, last))
        sm.blockSignals(True)
        sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        sm.blockSignals(False)
        self.view.viewport().update()
        if len(view_rows):
            self.view.scrollTo(self.model.index(int(view_rows[0]), 0))
        self._update_count()
