"""Reading a large report file: the rows the csv module gives, with repeated cells shared.

A million-row file used to hold one ``str`` per cell for the whole import
(issue 22: 2.4 GB peak at 1,000,000 rows); cells of a column that repeats
(categories, sources, urgency) are now one object per distinct text.
"""

from __future__ import annotations

import csv
import io

from gridapp.services.cases import report_import
from gridapp.services.cases.report_import import read_rows


def _file(tmp_path, n, *, crlf=False, ragged_every=0):
    end = "\r\n" if crlf else "\n"
    lines = ["编号,经度,纬度,事件类型,来源,备注" + end]
    for i in range(n):
        row = [f"R{i:07d}", f"{106.6 + i * 1e-7:.7f}", f"{26.5 + i * 1e-7:.7f}",
               ("占道经营", "垃圾满溢", "井盖破损")[i % 3], ("巡查", "居民")[i % 2],
               '"两行\n备注"' if i % 1000 == 0 else ""]
        if ragged_every and i % ragged_every == 0:
            row = row[:4]
        lines.append(",".join(row) + end)
        if i % 20_000 == 0:
            lines.append(end)  # blank lines are dropped
    path = tmp_path / "big.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _as_csv_reads_it(path):
    text = path.read_text(encoding="utf-8")
    return [r for r in csv.reader(io.StringIO(text)) if "".join(r).strip()]


def test_a_large_file_reads_as_the_csv_module_reads_it(tmp_path):
    n = report_import._CHUNK_ROWS * 2 + 7
    for crlf, ragged in ((False, 0), (True, 0), (False, 997)):
        path = _file(tmp_path, n, crlf=crlf, ragged_every=ragged)
        expected = _as_csv_reads_it(path)
        table = read_rows(path)
        assert [table.columns, *table.rows] == expected
        assert len(table.rows) == n


def test_repeated_cells_are_shared_and_distinct_ones_kept(tmp_path):
    n = report_import._CHUNK_ROWS * 2 + 7
    table = read_rows(_file(tmp_path, n))
    objects = [len({id(r[j]) for r in table.rows}) for j in range(len(table.columns))]
    assert objects[0] == n and objects[1] == n  # ids and coordinates: one each
    assert objects[3] == 3 and objects[4] == 2  # three categories, two sources
    assert objects[5] <= 2  # the note: empty or the same two-line text


def test_a_small_file_is_read_as_it_is(tmp_path):
    table = read_rows(_file(tmp_path, 3_000))
    assert [table.columns, *table.rows] == _as_csv_reads_it(tmp_path / "big.csv")
    # Less than one chunk: nothing is shared (no cost for the everyday import).
    assert len({id(r[3]) for r in table.rows}) == 3_000
