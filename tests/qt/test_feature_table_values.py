"""How the attribute table shows a cell (gridapp.qt.feature_table_model.show_value)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from gridapp.qt.feature_table_model import show_value


@pytest.mark.parametrize(("value", "shown"), [
    # stored in UTC, shown in Beijing time (UTC+8): across midnight and a year's end
    (pd.Timestamp("2026-12-31T16:30:00", tz="UTC"), "2027-01-01 00:30"),
    (datetime(2026, 11, 3, 1, 2, 59, tzinfo=timezone.utc), "2026-11-03 09:02"),
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
