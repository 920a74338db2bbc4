"""Residents' 台账 import (issue 18): rows checked, duplicates by ID, all or nothing."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.errors import ImportFileError
from gridapp.services.basedata import residents as svc
from gridapp.services.basedata.links import relink_base_data
from gridapp.services.basedata.resident_import import (
    import_residents,
    preview_resident_import,
)
from tests.services.test_reports import make_street

HEADER = ["序号", "姓名", "身份证号码", "联系电话", "楼栋", "门牌", "人员类别", "备注"]
# Check characters worked out by hand in tests/domain/test_idcard.py.
GOOD = [
    [1, "王小明", "52010219900101123X", "13812345678", "3栋", "1单元101", "独居老人", ""],
    [2, "李小红", "520102200002290029", "0851-85551234", "3栋", "1单元101", "低保、残疾人", ""],
    [3, "张大山", "11010519491231002X", "", "花果园路12号", "2单元202", "", "长期外出"],
]


def sheet(path, rows, *, title=True, merged_header=False):
    wb = Workbook()
    ws = wb.active
    ws.title = "居民台账"
    if title:
        ws.append(["花果园社区居民信息台账"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    if merged_header:
        ws.merge_cells(start_row=ws.max_row, start_column=3, end_row=ws.max_row, end_column=4)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def street(empty_workspace):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        s = make_street(empty_workspace)
        relink_base_data(s.session("admin1"))
        yield s


def test_a_good_sheet_imports_with_households_and_categories(street, tmp_path):
    path = sheet(tmp_path / "台账.xlsx", GOOD)
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        preview = preview_resident_import(street.session("office"), path)
        assert preview.ok, [p.message for p in preview.problems]
        assert import_residents(street.session("office"), preview) == 3
        seen = {r.name: r for r in svc.list_residents(street.session("office"))}
    assert seen["李小红"].categories == ("dibao", "disabled")
    assert seen["李小红"].phone == "085185551234"
    assert seen["王小明"].household_id == seen["李小红"].household_id
    assert seen["张大山"].household_id != seen["王小明"].household_id
    assert street.store.query("SELECT count(*) FROM household")[0][0] == 2


def test_bad_rows_are_listed_by_row_and_nothing_is_written(street, tmp_path):
    rows = [*GOOD,
            [4, "赵六", "110105194912310021", "", "3栋", "101", "", ""],   # check digit
            [5, "钱七", "52010219900101123X", "", "3栋", "102", "", ""],   # duplicate of row 3
            [6, "孙八", "", "12345", "3栋", "103", "", ""],                 # phone
            [7, "周九", "", "", "不存在楼", "104", "", ""],                  # building
            [8, "吴十", "", "", "3栋", "105", "外星人", ""]]                 # category
    path = sheet(tmp_path / "bad.xlsx", rows)
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        with pytest.raises(ImportFileError) as err:
            import_residents(street.session("office"), path)
    problems = err.value.params["problems"]
    lines = sorted({p.line for p in problems})
    # Title row 1, header row 2: data rows are 3..10.
    assert lines == [3, 6, 7, 8, 9, 10]
    text = "\n".join(p.message for p in problems)
    for needle in ("校验位", "重复", "电话号码", "不存在", "外星人"):
        assert needle in text
    assert street.store.query("SELECT count(*) FROM resident")[0][0] == 0
    assert street.store.query("SELECT count(*) FROM household")[0][0] == 0


def test_merged_header_cells_are_refused_with_their_place(street, tmp_path):
    path = sheet(tmp_path / "merged.xlsx", GOOD, merged_header=True)
    preview = preview_resident_import(street.session("office"), path)
    assert not preview.ok
    assert "合并单元格" in preview.problems[0].message and "C2:D2" in \
        preview.problems[0].message


def test_ids_already_in_the_workspace_are_duplicates(street, tmp_path):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        import_residents(street.session("office"), sheet(tmp_path / "a.xlsx", GOOD[:1]))
        preview = preview_resident_import(street.session("office"),
                                          sheet(tmp_path / "b.xlsx", GOOD))
    kinds = [(p.line, p.kind) for p in preview.problems]
    assert kinds == [(3, "duplicate_in_workspace")]


def test_a_manager_imports_only_into_their_own_grids(street, tmp_path):
    path = sheet(tmp_path / "m.xlsx", GOOD[:1])
    assert preview_resident_import(street.session("manager"), path).ok  # 3栋 is in grid 0
    preview = preview_resident_import(street.session("manager2"), path)
    assert "不在您负责的网格" in preview.problems[0].message
