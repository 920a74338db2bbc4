"""The residents' importer's own .xlsx row reader (gridapp.services.basedata.xlsx_rows)."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook

from gridapp.services.basedata import xlsx_rows


def test_shared_strings_numbers_gaps_merges_and_sheets(tmp_path):
    wb = Workbook()  # a normal save: text in sharedStrings.xml
    wb.active.title = "封面"
    wb.active["A1"] = "说明"
    ws = wb.create_sheet("台账")
    ws["A1"] = "居民台账 <2026> & 附表"
    ws.merge_cells("A1:G1")
    ws.append(["姓名", "身份证号码", "联系电话", None, "门牌", True, 1.5])
    ws["A5"], ws["C5"], ws["E5"], ws["J5"] = "张三", 13812345678, "  空格 ", 3
    path = tmp_path / "b.xlsx"
    wb.save(path)
    out = xlsx_rows.read_sheet(path, "台账")
    assert out.rows == [
        (1, ["居民台账 <2026> & 附表"]),
        (2, ["姓名", "身份证号码", "联系电话", None, "门牌", True, 1.5]),
        (5, ["张三", None, 13812345678, None, "  空格 ", None, None, None, None, 3]),
    ]
    assert out.merged == [("A1:G1", (1, 1, 7, 1))]
    assert xlsx_rows.read_sheet(path).rows == [(1, ["说明"])]
    assert xlsx_rows.sheet_names(path) == ["封面", "台账"]
    with pytest.raises(KeyError):
        xlsx_rows.read_sheet(path, "没有")


def test_inline_strings_across_pieces(tmp_path):
    wb = Workbook(write_only=True)  # openpyxl's write-only mode writes inline strings
    ws = wb.create_sheet("s")
    for k in range(3000):
        ws.append([f"居民{k}", f"{k:018d}", None, "低保" if k % 2 else ""])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        assert b"inlineStr" in zf.read("xl/worksheets/sheet1.xml")
    out = xlsx_rows.read_sheet(path)
    assert len(out.rows) == 3000
    assert out.rows[0] == (1, ["居民0", "000000000000000000"])
    assert out.rows[2999] == (3000, ["居民2999", "000000000000002999", None, "低保"])


def test_a_row_cut_between_two_pieces_is_read_whole(tmp_path, monkeypatch):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    for k in range(50):
        ws.append([f"名{k}", k])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    real = xlsx_rows._pieces
    monkeypatch.setattr(xlsx_rows, "_pieces", lambda f: real(f, size=37))
    out = xlsx_rows.read_sheet(path)
    assert [r for _, r in out.rows] == [[f"名{k}", k] for k in range(50)]


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(zipfile.BadZipFile):
        xlsx_rows.read_sheet(bad)
