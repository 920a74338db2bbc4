"""QAbstractTableModel over a layer's attribute frame, with sort and filter.

Sorting and filtering are done with numpy/pandas on a row order array, not by
a QSortFilterProxyModel, so a million-row report layer sorts in well under a
second.  View row *v* shows frame row ``order[v]``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from gridapp.qt.field_titles import VALUE_LABELS, field_title, value_label
from gridapp.qt.reference_labels import reference_label

SHANGHAI = ZoneInfo("Asia/Shanghai")
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument


def show_value(value: Any) -> str:
    """A cell as text: times in Asia/Shanghai, missing as empty."""
    if (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or value is pd.NaT
    ):
        return ""
    if isinstance(value, datetime):  # pd.Timestamp is one too
        if isinstance(value, pd.Timestamp):
            # the standard library's conversion: ~3 µs a cell against ~8 µs for
            # Timestamp.tz_convert (a table sizes itself from many cells at once)
            value = value.to_pydatetime(warn=False)
        if value.tzinfo is not None:
            value = value.astimezone(SHANGHAI)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


class FeatureTableModel(QAbstractTableModel):
    """The attribute table of one layer (frame row order = feature order)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self.layer_name = ""
        self.order = np.empty(0, dtype=np.int64)
        self._inverse: np.ndarray | None = None
        self.filter_text = ""
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.bad_rows: set[int] = set()
        # field → {id: name}: ids of other records shown as names (reference_labels)
        self.references: dict[str, dict[int, str]] = {}

    def set_frame(
        self, name: str, frame: pd.DataFrame, bad_rows: set[int] | None = None
    ) -> None:
        self.beginResetModel()
        self.layer_name = name
        self.frame = frame
        self.bad_rows = bad_rows or set()
        self.filter_text = ""
        self.sort_column = -1
        self.order = np.arange(len(frame), dtype=np.int64)
        self._inverse = None
        self.endResetModel()

    # ------------------------------------------------------------ mapping
    def frame_row(self, view_row: int) -> int:
        return int(self.order[view_row])

    def view_rows(self, frame_rows: Any) -> np.ndarray:
        """View rows of *frame_rows* (rows filtered out are dropped)."""
        if self._inverse is None:
            inv = np.full(len(self.frame), -1, dtype=np.int64)
            inv[self.order] = np.arange(len(self.order))
            self._inverse = inv
        v = self._inverse[np.asarray(frame_rows, dtype=np.int64)]
        return v[v >= 0]

    def _set_order(self, order: np.ndarray) -> None:
        # A reset, not a layout change: no persistent index may outlive the new order.
        self.beginResetModel()
        self.order = order.astype(np.int64)
        self._inverse = None
        self.endResetModel()

    # ------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.frame.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = int(self.order[index.row()])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.frame_text(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole and row in self.bad_rows:
            return _bad_colour()
        return None

    def multiData(self, index: Index, roleDataSpan: Any) -> None:  # noqa: N802, N803 - Qt's names
        """Every role a view asks of a cell, in one call into Python.

        A table view's delegate asks seven roles of each cell it paints
        (font, alignment, colours, check state, icon, text, background);
        Qt's own ``multiData`` calls :meth:`data` once per role, each a call
        from C++ into Python that takes the GIL, and with a worker running
        Python every one may wait for it (issue 21).  Same answers as
        :meth:`data`.
        """
        if not index.isValid():
            return
        row = int(self.order[index.row()])
        text: str | None = None
        for i in range(len(roleDataSpan)):
            item = roleDataSpan[i]
            role = item.role()
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                if text is None:
                    text = self.frame_text(row, index.column())
                item.setData(text)
            elif role == Qt.ItemDataRole.BackgroundRole and row in self.bad_rows:
                item.setData(_bad_colour())
            else:
                item.clearData()

    def frame_text(self, frame_row: int, column: int) -> str:
        """The text shown for frame row *frame_row*, column *column*."""
        return self._text(str(self.frame.columns[column]), self.frame.iat[frame_row, column])

    def column_texts(self, frame_rows: Any, column: int) -> list[str]:
        """The texts shown for *frame_rows* of *column*, as :meth:`frame_text` gives them.

        One pandas read for all the rows instead of one ``iat`` a cell (a
        table sizing its columns from a sample reads hundreds of cells at
        once on the GUI thread; issue 21).
        """
        rows = np.asarray(frame_rows, dtype=np.int64)
        field = str(self.frame.columns[column])
        return [self._text(field, v) for v in self.frame.iloc[rows, column].tolist()]

    def _text(self, field: str, value: Any) -> str:
        label = value_label(field, value)
        if label is None:
            label = reference_label(self.references, field, value)
        return label if label is not None else show_value(value)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self.frame.columns):
                return None
            return field_title(str(self.frame.columns[section]))
        return str(section + 1)

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        if not (0 <= column < len(self.frame.columns)):
            return
        self.sort_column, self.sort_order = column, order
        col = self.frame.iloc[self.order, column]
        keys = np.argsort(_sort_key(col), kind="stable")
        if order == Qt.SortOrder.DescendingOrder:
            keys = keys[::-1]
        self._set_order(self.order[keys])

    def set_filter(self, text: str) -> None:
        """Show rows where any field contains *text* (case-insensitive)."""
        self.filter_text = text.strip()
        if not self.filter_text:
            rows = np.arange(len(self.frame), dtype=np.int64)
        else:
            hit = np.zeros(len(self.frame), dtype=bool)
            needle = self.filter_text.lower()
            numeric_needle = needle.replace(".", "", 1).lstrip("-").isdigit()
            for c in self.frame.columns:
                s = self.frame[c]
                if pd.api.types.is_datetime64_any_dtype(s):
                    continue  # shown as local time; searching UTC text would mislead
                if pd.api.types.is_numeric_dtype(s) and not numeric_needle:
                    continue
                if c in VALUE_LABELS:  # coded values: search their labels too
                    codes, uniq = pd.factorize(s)
                    found = np.array(
                        [needle in (value_label(c, v) or "").lower() for v in uniq]
                        + [False]
                    )
                    hit |= found[codes]  # code -1 (missing) picks the trailing False
                text_col = (
                    s.astype(str)
                    if not pd.api.types.is_string_dtype(s)
                    else s.fillna("")
                )
                hit |= (
                    text_col.str.lower()
                    .str.contains(needle, regex=False)
                    .to_numpy(bool)
                )
            rows = np.flatnonzero(hit)
        self.beginResetModel()
        self.order = rows.astype(np.int64)
        self._inverse = None
        self.endResetModel()
        if self.sort_column >= 0:
            self.sort(self.sort_column, self.sort_order)


def _bad_colour() -> Any:
    """The background of a row with bad geometry."""
    from PySide6.QtGui import QColor

    return QColor("#fde0dd")


def _sort_key(col: pd.Series) -> np.ndarray:
    """Sortable codes of a column: numbers and times by value, text as text, NaN last."""
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
        codes = pd.Series(pd.factorize(col, sort=True)[0])
    else:
        codes = pd.Series(
            pd.factorize(col.astype(str).where(col.notna(), None), sort=True)[0]
        )
    arr = codes.to_numpy(np.int64, copy=True)
    arr[arr < 0] = np.iinfo(np.int64).max
    return arr
