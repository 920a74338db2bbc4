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
