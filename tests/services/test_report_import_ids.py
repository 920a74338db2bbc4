"""Report import keeps the source's id, maps unknown categories, and says how far
GCJ-02/BD-09 positions moved (issue 14, section 3)."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from gridapp.domain import coords
from gridapp.errors import ImportFileError
from gridapp.services.cases.query import CaseFilter, CaseQuery
from gridapp.services.cases.report_import import (
    commit_report_import,
    prepare_report_import,
    read_category_map,
)
from tests.services.test_reports import make_street

GEOD = Geod(ellps="WGS84")


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def _write(tmp_path, header, rows, name="hotline.csv"):
    path = tmp_path / name
    lines = [",".join(header)] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows(street, ids, label="占道经营"):
    out = []
    for k, ext in enumerate(ids):
        lon, lat = street.inside(k % 4, 0.2 + 0.6 * (k % 7) / 7, 0.5)
        out.append((ext, f"{lon:.6f}", f"{lat:.6f}", label, f"第{k}条"))
    return out


HEADER = ("编号", "经度", "纬度", "事件类型", "问题描述")


def test_external_id_is_kept_listed_and_searchable(street, tmp_path):
    path = _write(tmp_path, HEADER, _rows(street, ["RX-0012", "RX-0013"]))
    office = street.session("office")
    preview = prepare_report_import(office, path)
    assert preview.mapping["external_id"] == "编号"
    commit_report_import(office, preview)
    stored = dict(street.store.query("SELECT description, external_id FROM report"))
    assert stored == {"第0条": "RX-0012", "第1条": "RX-0013"}

    (row,) = CaseQuery(office, CaseFilter(external_id="RX-0013")).page(0, 10)
    assert row.external_id == "RX-0013" and row.description == "第1条"
    found = CaseQuery(office, CaseFilter(text="RX-001")).page(0, 10)
    assert sorted(r.external_id for r in found) == ["RX-0012", "RX-0013"]
    assert CaseQuery(office, CaseFilter(external_id="RX-9")).count() == 0


def test_reimport_of_known_ids_is_refused_with_a_bounded_list(street, tmp_path):
    ids = [f"A{k:03d}" for k in range(15)]
    path = _write(tmp_path, HEADER, _rows(street, ids))
    office = street.session("office")
    commit_report_import(office, prepare_report_import(office, path))
    before = street.store.scalar("SELECT count(*) FROM report")
    assert before == 15

    with pytest.raises(ImportFileError) as err:
        prepare_report_import(office, path)
    zh, en = err.value.message_in("zh"), err.value.message_in("en")
    assert "15 个编号已经导入过" in zh and "等共 15 个" in zh
    named = [i for i in ids if i in zh]
    assert len(named) == 10  # bounded: ten named, the rest counted
    assert "and 5 more" in en
    assert len(err.value.params["problems"]) == 15
    assert street.store.scalar("SELECT count(*) FROM report") == before


def test_ids_imported_between_preview_and_commit_are_refused(street, tmp_path):
    office = street.session("office")
    first = _write(tmp_path, HEADER, _rows(street, ["B1", "B2"]), "a.csv")
    second = _write(tmp_path, HEADER, _rows(street, ["B2", "B3"]), "b.csv")
    late = prepare_report_import(office, second)
    commit_report_import(office, prepare_report_import(office, first))
    with pytest.raises(ImportFileError, match="B2"):
        commit_report_import(office, late)
    assert street.store.scalar("SELECT count(*) FROM report") == 2


def test_an_id_twice_in_the_file_rejects_the_second_row(street, tmp_path):
    path = _write(tmp_path, HEADER, _rows(street, ["C1", "C2", "C1"]))
    preview = prepare_report_import(street.session("office"), path)
    assert [r.row_no for r in preview.rejected] == [4]
    assert "C1" in preview.rejected[0].reason and "2" in preview.rejected[0].reason
    assert len(preview.accepted) == 2


def test_numeric_ids_from_excel_lose_no_digits_and_gain_no_decimals(street, tmp_path):
    import openpyxl

    lon, lat = street.inside(0)
    wb = openpyxl.Workbook()
    wb.active.append(list(HEADER))
    wb.active.append([20260012.0, lon, lat, "0401", "x"])
    path = tmp_path / "ids.xlsx"
    wb.save(path)
    preview = prepare_report_import(street.session("office"), path)
    assert preview.accepted[0].draft.external_id == "20260012"


def test_unknown_labels_are_counted_then_mapped_by_a_csv(street, tmp_path):
    rows = _rows(street, ["D1", "D2"], "摊贩占道") + _rows(street, ["D3"], "井盖丢失")
    rows[2] = ("D3", *rows[2][1:])
    path = _write(tmp_path, HEADER, rows)
    office = street.session("office")
    preview = prepare_report_import(office, path)
    assert not preview.accepted
    assert preview.unknown_categories == {"摊贩占道": 2, "井盖丢失": 1}
    assert "--category-map" in preview.rejected[0].reason_en

    cmap = tmp_path / "labels.csv"
    cmap.write_text("来源类别,类别\n摊贩占道,0401\n井盖丢失,上水井盖\n", encoding="gbk")
    mapping = read_category_map(cmap)
    assert mapping == {"摊贩占道": "0401", "井盖丢失": "上水井盖"}
    preview = prepare_report_import(office, path, category_map=mapping)
    assert not preview.rejected and not preview.unknown_categories
    commit_report_import(office, preview)
    got = dict(
        street.store.query(
            "SELECT r.external_id, c.code FROM report r "
            "JOIN category c ON c.id = r.category_id"
        )
    )
    assert got == {"D1": "0401", "D2": "0401", "D3": "B0101"}


def test_a_map_to_a_category_that_does_not_exist_is_refused(street, tmp_path):
    path = _write(tmp_path, HEADER, _rows(street, ["E1"], "摊贩占道"))
    with pytest.raises(ImportFileError, match="9999"):
        prepare_report_import(
            street.session("office"), path, category_map={"摊贩占道": "9999"}
        )
    bad = tmp_path / "bad.csv"
    bad.write_text("摊贩占道\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="两列"):
        read_category_map(bad)
    clash = tmp_path / "clash.csv"
    clash.write_text("摊贩,0401\n摊贩,0403\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="摊贩"):
        read_category_map(clash)


def test_gcj02_import_reports_how_far_points_moved(street, tmp_path):
    # GCJ-02 input made from known WGS84 positions; the stored positions must be
    # those positions again, and the summary must give the distances moved.
    wgs = np.array([street.inside(k, 0.5, 0.5) for k in range(4)])
    glon, glat = coords.wgs84_to_gcj02(wgs[:, 0], wgs[:, 1])
    rows = [
        (f"F{k}", f"{glon[k]:.7f}", f"{glat[k]:.7f}", "0401", f"r{k}") for k in range(4)
    ]
    path = _write(tmp_path, HEADER, rows)
    preview = prepare_report_import(street.session("office"), path, crs="gcj02")
    assert len(preview.accepted) == 4
    lon = np.array([r.draft.lon for r in preview.accepted])
    lat = np.array([r.draft.lat for r in preview.accepted])
    assert np.abs(lon - wgs[:, 0]).max() < 1e-6
    dist = np.asarray(GEOD.inv(glon, glat, lon, lat)[2])
    assert 100 < dist.min() and dist.max() < 1000
    (shift,) = preview.shifts
    assert (shift.source, shift.moved, shift.kept) == ("gcj02", 4, 0)
    assert shift.max_m == pytest.approx(dist.max(), abs=0.5)
    assert shift.median_m == pytest.approx(np.median(dist), abs=0.5)
    assert f"{dist.max():.0f} 米" in shift.message_in("zh")


def test_amap_link_detected_as_gcj02_warns_with_metres(street, tmp_path):
    lon, lat = street.inside(2)
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    link = f"https://uri.amap.com/marker?position={glon:.7f}%2C{glat:.7f}"
    path = tmp_path / "links.csv"
    path.write_text(f"编号,位置,类别\nG1,{link},0401\n", encoding="utf-8")
    preview = prepare_report_import(street.session("office"), path)
    (row,) = preview.accepted
    moved = float(GEOD.inv(glon, glat, row.draft.lon, row.draft.lat)[2])
    assert 100 < moved < 1000
    assert any("GCJ02" in w and f"{moved:.0f}" in w for w in row.warnings)
    (shift,) = preview.shifts
    assert shift.source == "gcj02" and shift.max_m == pytest.approx(moved, abs=0.5)


def test_gcj02_positions_in_hong_kong_are_not_shifted(street, tmp_path):
    # Hong Kong uses plain WGS84 on AMap too: a "GCJ-02" position there stays
    # where it is (and is then outside this street's grids).
    path = _write(tmp_path, HEADER, [("H1", "114.158000", "22.282000", "0401", "hk")])
    preview = prepare_report_import(street.session("office"), path, crs="gcj02")
    (rej,) = preview.rejected
    assert "114.158000" in rej.reason_en and "22.282000" in rej.reason_en
    (shift,) = preview.shifts
    assert (shift.moved, shift.kept, shift.max_m) == (0, 1, 0.0)
    assert "未偏移" in shift.message_in("zh")


@pytest.mark.parametrize("scan_from", [1, 10**9], ids=["table-scan", "json-list"])
def test_known_ids_are_found_either_way(street, tmp_path, monkeypatch, scan_from):
    """A file longer than the table's ids compares with the table's ids (one scan);
    a shorter one binds its ids: both name the same ids with their first case."""
    from gridapp.storage.queries import report_bulk

    office = street.session("office")
    first = prepare_report_import(office, _write(tmp_path, HEADER,
                                                 _rows(street, ["A1", "A2", "A3"]), "a.csv"))
    nos = commit_report_import(office, first).case_nos
    monkeypatch.setattr(report_bulk, "_SCAN_FROM", scan_from)
    asked = ["B1", "A3", None, "", "A1", "B2", "A3", *[f"C{k}" for k in range(20)]]
    assert report_bulk.existing_external_ids(street.store, asked) == \
        {"A1": nos[0], "A3": nos[2]}
    with pytest.raises(ImportFileError) as err:
        prepare_report_import(office, _write(tmp_path, HEADER, _rows(
            street, ["B1", "A2", *[f"D{k}" for k in range(10)]]), "b.csv"))
    assert err.value.params["problems"] == [f"A2: {nos[1]}"]
