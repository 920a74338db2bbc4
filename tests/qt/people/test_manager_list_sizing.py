"""The grid managers' dock sizes its columns from a sample of rows (issue 21): a
district's 2,000 managers cost the window as many calls into the model as 50
would, where Qt's default measured up to 1,000 rows per column on every change."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gridapp.qt.people.manager_list_widget import ManagerListWidget
from gridapp.qt.people.manager_table_model import ManagerTableModel
from gridapp.qt.table_sizing import SAMPLE_ROWS


class CountingModel(ManagerTableModel):
    calls = 0

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            CountingModel.calls += 1
        return super().data(index, role)


def rows(n: int) -> list[dict[str, Any]]:
    return [{"id": i, "name": f"网格员{i:05d}", "grids": "520102003001001", "households": 300 + i,
             "phone": "13800000000", "staff_no": f"W{i:05d}", "employment": "full_time",
             "active": True} for i in range(n)]


def display_calls(qtbot, n: int) -> int:  # type: ignore[no-untyped-def]
    widget = ManagerListWidget()
    qtbot.addWidget(widget)
    model = CountingModel(widget)
    widget.proxy.setSourceModel(model)
    widget.resize(600, 400)
    widget.show()
    QApplication.processEvents()
    CountingModel.calls = 0
    model.set_rows(rows(n))
    QApplication.processEvents()
    return CountingModel.calls


def test_column_sizing_does_not_grow_with_the_managers(qtbot) -> None:  # type: ignore[no-untyped-def]
    small, large = display_calls(qtbot, 50), display_calls(qtbot, 2000)
    columns = ManagerTableModel().columnCount()
    # measuring 2,000 rows would take >= 2,000 calls per column; a sample of
    # SAMPLE_ROWS plus the rows on screen stays within a few hundred
    assert large < 4 * SAMPLE_ROWS * columns
    assert large < 2 * small + 200
