"""How the attribute table shows a cell (gridapp.qt.feature_table_model.show_value)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from gridapp.qt.feature_table_model import show_value


@pytest.mark.parametrize(("value", "shown"), [
    # stored in UTC, shown in Beijing time (UTC+8): across midnight and a year's end
    (pd.Timestamp("2026-12-31T16:30:00", tz="UTC"), "2027-01-01 00:30"),
    (datetime(2026, 11, 3, 1, 2, 59, tzinfo=UTC), "2026-11-03 09:02"),
    (pd.Timestamp("2026-06-01T12:00:00", tz=timezone(timedelta(hours=-5))), "2026-06-02 01:00"),
    # a Timestamp with nanoseconds is shown to the minute, without a warning
    (pd.Timestamp("2026-03-01T00:00:00.000000123", tz="UTC"), "2026-03-01 08:00"),
    # a time without a zone is shown as it is
    (pd.Timestamp("2026-05-04T07:08:00"), "2026-05-04 07:08"),
    (None, ""), (pd.NaT, ""), (np.nan, ""), (3.0, "3"), (2.5, "2.5"), ("网格001", "网格001"),
])
def test_cells_are_shown_as_people_read_them(value, shown, recwarn):
    assert show_value(value) == shown
    assert not [w for w in recwarn if "nanosecond" in str(w.message).lower()]


def test_a_column_read_at_once_shows_what_each_cell_shows(qapp):
    """fit_columns reads its sample a column at a time (column_texts, one pandas read)
    instead of one ``iat`` a cell: the texts must be the cell-by-cell ones."""
    from gridapp.qt.feature_table_model import FeatureTableModel

    frame = pd.DataFrame({
        "id": pd.array([1, 2, None, 4], dtype="Int64"),
        "status": ["closed", "new", None, "bogus"],  # coded: shown as labels
        "community_id": [10, 11, 99, np.nan],  # a reference: shown as the name
        "reported_at": pd.to_datetime(
            ["2026-12-31T16:30", None, "2026-06-01T00:00", "2026-01-01T00:00"], utc=True),
        "households": [3.0, 2.5, np.nan, 0.0],
        "notes": pd.array(["a", None, "网格", ""], dtype="string"),
    })
    model = FeatureTableModel()
    model.references = {"community_id": {10: "青云社区", 11: "白云社区"}}
    model.set_frame("grid", frame)
    rows = [3, 0, 2, 1]
    for column in range(len(frame.columns)):
        expected = [model.frame_text(r, column) for r in rows]
        assert model.column_texts(rows, column) == expected
    # and they are the texts people read, not the stored values
    assert model.column_texts([0], 1) != ["closed"]
    assert model.column_texts([0, 2], 2) == ["青云社区", "99"]
    assert model.column_texts([0], 3) == ["2027-01-01 00:30"]


def test_the_table_sizes_its_columns_without_reading_cell_by_cell(qapp, monkeypatch):
    from gridapp.qt.attribute_table import SAMPLE_ROWS, AttributeTable

    frame = pd.DataFrame({"code": [f"G{i:04d}" for i in range(500)],
                          "households": np.arange(500.0)})
    table = AttributeTable()
    cells = []
    monkeypatch.setattr(table.model, "frame_text",
                        lambda *a: cells.append(a) or "")  # the per-cell path
    table.set_layer("grid", frame)
    assert cells == []
    wide = table.view.columnWidth(0)
    table.set_layer("grid", frame.assign(code=["G" + "W" * 30] * 500))
    assert table.view.columnWidth(0) > wide  # measured from the texts
    assert table.model.rowCount() == 500 > SAMPLE_ROWS
    table.deleteLater()


def test_a_painted_cell_is_one_call_into_the_model_with_what_data_answers(qapp, monkeypatch):
    """The delegate asks seven roles of every cell it paints; multiData answers them
    in one call into Python (each call from C++ takes the GIL, which a worker
    running Python may hold: issue 21), with the same values as data()."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

    from gridapp.qt.feature_table_model import FeatureTableModel

    frame = pd.DataFrame({"status": ["closed", "new", None],
                          "households": [3.0, np.nan, 2.5]})
    model = FeatureTableModel()
    model.set_frame("report", frame, bad_rows={1})
    delegate = QStyledItemDelegate()
    for row in range(3):
        for column in range(2):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)  # asks through multiData
            assert option.text == model.data(index)
            background = model.data(index, Qt.ItemDataRole.BackgroundRole)
            if row == 1:
                assert option.backgroundBrush.color() == background
            else:
                assert background is None
                assert option.backgroundBrush.style() == Qt.BrushStyle.NoBrush
    assert model.data(model.index(0, 0)) != "closed"  # the label, not the code

    view = QTableView()
    view.setModel(model)
    view.resize(400, 200)
    view.show()
    qapp.processEvents()
    calls = {"data": 0, "multiData": 0}
    for name in calls:
        method = getattr(model, name)
        monkeypatch.setattr(model, name, lambda *a, _m=method, _n=name: (
            calls.__setitem__(_n, calls[_n] + 1), _m(*a))[1])
    view.viewport().repaint()
    assert calls["data"] == 0
    assert calls["multiData"] == 6  # one per painted cell
    view.deleteLater()
