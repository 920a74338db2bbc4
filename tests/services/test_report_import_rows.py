"""check_rows works on whole columns; each row still gets the first refusal the
row-by-row checks gave it (id, category, position, source, time), and typed cells
from a spreadsheet convert as ``float()`` converts them."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.progress import NEVER_CANCELLED, no_progress
from gridapp.services.cases.report_import import _source, parse_time
from gridapp.services.cases.report_import_rows import cached, check_rows

COLUMNS = ["id", "x", "y", "cat", "src", "time", "urgent"]
MAPPING = {"external_id": "id", "lon": "x", "lat": "y", "category": "cat",
           "source": "src", "reported_at": "time", "urgency": "urgent"}
CATS = {"占道经营": 1, "垃圾满溢": 2}


def _check(rows, crs="cgcs2000"):
    return check_rows(rows, COLUMNS, MAPPING, crs, CATS, {}, cached(_source),
                      cached(parse_time), no_progress, NEVER_CANCELLED)


def _reasons(checked):
    return {k + 2: exc.message_in("en") for k, exc in checked.rejected}


def test_each_row_gets_its_first_refusal():
    ok = ["106.71", "26.58", "占道经营", "居民", "2026-10-01 08:00", "紧急"]
    rows = [
        ["A", *ok],
        ["B", *ok[:2], "无此类", *ok[3:]],             # unknown category
        [" A ", *ok],                                  # the same id once stripped
        ["C", "abc", *ok[1:]],                         # not a number
        ["D", "26.58", "106.71", *ok[2:]],             # swapped
        ["E", *ok[:3], "外星", "昨天", "一般"],         # bad source (and bad time)
        ["F", *ok[:4], "昨天", ""],                    # bad time
        ["G", "", "", *ok[2:]],                        # no position
        ["", *ok[:5], "yes"],                          # no id: fine
        ["H", *ok[:3], "居民", "2026/10/2 9:30", "一般"],
    ]
    checked = _check(rows)
    reasons = _reasons(checked)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert reasons[3].startswith("Unknown category '无此类'")
    assert reasons[4] == "Id 'A' appears twice in the file (already on row 2)"
    assert reasons[5] == "Coordinates are not numbers: abc, 26.58"
    assert "Unknown source '外星'" in reasons[7]
    assert "Cannot read the time '昨天'" in reasons[8]
    assert reasons[9] == "No position"
    assert [i + 2 for i in checked.index] == [2, 10, 11]
    assert checked.external_id == ["A", None, "H"]
    assert checked.source == ["resident", "resident", "resident"]
    assert checked.urgent.tolist() == [True, True, False]
    assert checked.reported_at == [datetime(2026, 10, 1, 8, tzinfo=LOCAL_TZ),
                                   datetime(2026, 10, 1, 8, tzinfo=LOCAL_TZ),
                                   datetime(2026, 10, 2, 9, 30, tzinfo=LOCAL_TZ)]
    assert checked.unknown == {"无此类": 1}
    assert checked.seen_ids == list("ABCDEFGH")


def test_spreadsheet_cells_convert_as_float_does():
    """Numbers, booleans and empty cells as openpyxl gives them: a number converts,
    None is no number (numpy alone would make it NaN), True is 1.0 (out of range)."""
    day = datetime(2026, 10, 5, 7, 0)
    rows = [
        [12.0, 106.71, 26.58, "占道经营", "巡查", day, "紧急"],
        ["13", 106.72, None, "占道经营", "巡查", day, ""],
        [14, True, 26.58, "占道经营", "巡查", "2026-10-05 07:00", ""],
        ["15", "106.73", 26.59, "垃圾满溢", "巡查", day, 1],
    ]
    checked = _check(rows)
    reasons = _reasons(checked)
    assert sorted(reasons) == [3, 4]
    assert reasons[3] == "Coordinates are not numbers: 106.72, None"
    assert [i + 2 for i in checked.index] == [2, 5]
    assert checked.external_id == ["12", "15"]
    assert np.allclose(checked.lon, [106.71, 106.73]) and np.allclose(checked.lat, [26.58, 26.59])
    assert checked.category_id.tolist() == [1, 2]
    assert checked.urgent.tolist() == [True, True]
    assert checked.reported_at == [day.replace(tzinfo=LOCAL_TZ)] * 2


def test_offset_positions_are_counted_for_the_shift_summary():
    rows = [[f"R{k}", f"{106.71 + k * 1e-4:.6f}", "26.58", "占道经营", "", "", ""]
            for k in range(5)]
    rows[2][4] = "外星"  # refused for its source, after its position was read
    checked = _check(rows, crs="gcj02")
    assert [i + 2 for i in checked.index] == [2, 3, 5, 6]
    moves = checked.moves["gcj02"]
    assert [m[0] for m in moves] == [float(r[1]) for r in rows]
    assert all(abs(m[2] - m[0]) > 1e-4 for m in moves)  # converted, so moved
