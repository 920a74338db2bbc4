"""Batch import of reports: encodings, mapping, coordinate systems, rejected rows,
all-or-nothing writes."""

from __future__ import annotations

import pytest

from gridapp.domain import coords
from gridapp.errors import ImportFileError, PermissionDenied
from gridapp.services.cases.report_import import (
    commit_report_import,
    guess_mapping,
    parse_time,
    prepare_report_import,
    read_rows,
)
from tests.services.test_reports import make_street

HEADER = "经度,纬度,事件类型,问题描述,上报时间,来源,紧急程度\n"


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def _csv(street, rows, enc="utf-8", tmp_path=None, name="reports.csv"):
    text = HEADER + "".join(",".join(map(str, r)) + "\n" for r in rows)
    path = tmp_path / name
    path.write_bytes(text.encode(enc))
    return path


def _good_rows(street, n=3):
    rows = []
    for k in range(n):
        lon, lat = street.inside(k % 4, 0.3, 0.6)
        rows.append(
            (
                f"{lon:.6f}",
                f"{lat:.6f}",
                "占道经营",
                f"第{k}条 门口摆摊",
                "2026/3/10 9:15",
                "居民反映",
                "紧急" if k == 0 else "一般",
            )
        )
    return rows


@pytest.mark.parametrize(
    "enc,expected", [("gbk", "gb18030"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8")]
)
def test_encodings_are_detected(street, tmp_path, enc, expected):
    path = _csv(street, _good_rows(street), enc, tmp_path)
    preview = prepare_report_import(street.session("office"), path)
    assert preview.encoding == expected
    assert not preview.rejected and len(preview.accepted) == 3
    assert preview.accepted[0].draft.description == "第0条 门口摆摊"
    res = commit_report_import(street.session("office"), preview)
    rows = street.store.query(
        "SELECT description, urgency, source, reported_at, grid_id "
        "FROM report ORDER BY id"
    )
    assert [r["description"] for r in rows] == [
        "第0条 门口摆摊",
        "第1条 门口摆摊",
        "第2条 门口摆摊",
    ]
    assert rows[0]["urgency"] == "urgent" and rows[1]["source"] == "resident"
    assert rows[0]["reported_at"] == "2026-03-10T01:15:00.000Z"
    assert [r["grid_id"] for r in rows] == street.grids[:3]
    assert len(res.case_nos) == 3


def test_wrong_encoding_choice_is_explained(street, tmp_path):
    path = _csv(street, _good_rows(street), "gbk", tmp_path)
    with pytest.raises(ImportFileError, match="GBK"):
        prepare_report_import(street.session("office"), path, encoding="utf-8")


def test_rejected_rows_with_reasons_and_nothing_written(street, tmp_path):
    good = _good_rows(street, 2)
    lon, lat = street.inside(0)
    rows = [
        *good,
        (f"{lat:.6f}", f"{lon:.6f}", "占道经营", "swapped", "", "", ""),  # row 4
        ("124.5", "29.5", "占道经营", "in the sea", "", "", ""),  # row 5
        (f"{lon:.6f}", f"{lat:.6f}", "飞碟降落", "unknown", "", "", ""),  # row 6
        ("abc", f"{lat:.6f}", "占道经营", "not a number", "", "", ""),  # row 7
        (f"{lon:.6f}", f"{lat:.6f}", "占道经营", "bad time", "昨天下午", "", ""),
    ]  # row 8
    path = _csv(street, rows, "gbk", tmp_path)
    preview = prepare_report_import(street.session("dispatcher"), path)
    assert len(preview.accepted) == 2
    reasons = {r.row_no: r.reason for r in preview.rejected}
    assert set(reasons) == {4, 5, 6, 7, 8}
    assert "写反" in reasons[4] and "网格" in reasons[5] and "飞碟降落" in reasons[6]
    assert "数字" in reasons[7] and "时间" in reasons[8]
    with pytest.raises(ImportFileError) as err:
        commit_report_import(street.session("dispatcher"), preview)
    assert len(err.value.params["problems"]) == 5
    assert street.store.scalar("SELECT count(*) FROM report") == 0
    out = tmp_path / "rejected.csv"
    preview.write_rejected(out)
    text = out.read_text("utf-8-sig")
    assert "飞碟降落" in text and "原因" in text.splitlines()[0]
    res = commit_report_import(
        street.session("dispatcher"), preview, skip_rejected=True
    )
    assert res.skipped == 5 and street.store.scalar("SELECT count(*) FROM report") == 2


def test_gcj02_columns_and_custom_mapping(street, tmp_path):
    lon, lat = street.inside(3)
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    path = tmp_path / "amap.csv"
    path.write_text(
        f"x;y;kind;text\n{glon:.7f};{glat:.7f};0401;高德坐标\n", encoding="utf-8"
    )
    mapping = {"lon": "x", "lat": "y", "category": "kind", "description": "text"}
    preview = prepare_report_import(
        street.session("office"), path, mapping, crs="gcj02"
    )
    (row,) = preview.accepted
    assert row.check.placement.grid_id == street.grids[3]
    assert abs(row.draft.lon - lon) < 1e-5 and abs(row.draft.lat - lat) < 1e-5


def test_position_text_column_and_xlsx(street, tmp_path):
    import openpyxl

    lon, lat = street.inside(1)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["位置", "类别", "描述", "时间"])
    ws.append([f"{lat:.6f}, {lon:.6f}", "0101", "垃圾", None])
    ws.append([None, None, None, None])
    path = tmp_path / "form.xlsx"
    wb.save(path)
    table = read_rows(path)
    assert table.columns == ["位置", "类别", "描述", "时间"] and len(table.rows) == 1
    preview = prepare_report_import(street.session("office"), path)
    assert (
        preview.mapping["position"] == "位置" and preview.mapping["category"] == "类别"
    )
    assert preview.accepted[0].check.placement.grid_id == street.grids[1]


def test_mapping_guess_and_errors(street, tmp_path):
    assert guess_mapping(["经度", "纬度", "事件类型", "问题描述", "联系电话"]) == {
        "lon": "经度",
        "lat": "纬度",
        "category": "事件类型",
        "description": "问题描述",
        "reporter_phone": "联系电话",
    }
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="位置"):
        prepare_report_import(street.session("office"), path)
    with pytest.raises(ImportFileError, match="nope"):
        prepare_report_import(street.session("office"), path, {"lon": "nope"})
    with pytest.raises(PermissionDenied):
        prepare_report_import(street.session("manager"), path)


def test_parse_time_forms():
    assert parse_time("2026年3月10日 9:15").isoformat() == "2026-03-10T09:15:00+08:00"
    assert parse_time("2026-03-10T01:15:00Z").utcoffset().total_seconds() == 0
    assert parse_time("") is None
