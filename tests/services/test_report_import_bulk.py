"""The report import's bulk path: the same answers as filing row by row, a fixed
number of SQL calls whatever the file's length, and an R-tree packed again."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import numpy as np
import pytest

from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.services.cases import placement
from gridapp.services.cases.drafts import ReportDraft
from gridapp.services.cases.report_import import (
    commit_report_import,
    prepare_report_import,
)
from gridapp.services.cases.reports import file_report
from gridapp.services.workspace import open_workspace
from gridapp.storage import connection
from tests.services.test_reports import DX, DY, X0, Y0, make_street

HEADER = "编号,经度,纬度,事件类型,问题描述,地址,上报时间\n"


class CountingConnection(sqlite3.Connection):
    """Counts the statements GridApp hands SQLite (an executemany is one call)."""

    calls = 0

    def execute(self, *args, **kwargs):  # noqa: D102
        CountingConnection.calls += 1
        return super().execute(*args, **kwargs)

    def executemany(self, *args, **kwargs):  # noqa: D102
        CountingConnection.calls += 1
        return super().executemany(*args, **kwargs)


def _write_csv(path, n, seed=3, address_every=2):
    rng = np.random.default_rng(seed)
    xs = rng.uniform(X0 + 1e-4, X0 + 2 * DX - 1e-4, n)
    ys = rng.uniform(Y0 + 1e-4, Y0 + 2 * DY - 1e-4, n)
    lines = [HEADER]
    for i in range(n):
        addr = f"青云路{i}号" if i % address_every == 0 else ""
        lines.append(f"X{i:06d},{xs[i]:.7f},{ys[i]:.7f},占道经营,第{i}条,{addr},"
                     f"2026-03-{1 + i % 9:02d} 09:{i % 60:02d}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return xs, ys


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def test_hints_and_duplicates_match_the_one_by_one_answers(street, tmp_path):
    office = street.session("office")
    # Open cases for the duplicate check, some near the rows below.
    for k in range(6):
        lon, lat = street.inside(k % 4, 0.5, 0.5)
        file_report(office, ReportDraft(category="占道经营", lon=lon + k * 1e-5, lat=lat,
                                        description=f"旧{k}",
                                        reported_at=datetime(2026, 3, 3, 9, tzinfo=LOCAL_TZ)))
    path = tmp_path / "r.csv"
    rows = [HEADER]
    for k in range(40):
        lon, lat = street.inside(k % 4, 0.3 + 0.01 * k, 0.5)
        rows.append(f"A{k},{lon:.7f},{lat:.7f},占道经营,第{k}条,,2026-03-0{1 + k % 5} 10:00\n")
    path.write_text("".join(rows), encoding="utf-8")
    preview = prepare_report_import(office, path)
    assert not preview.rejected and len(preview.accepted) == 40
    found_dup = found_hint = 0
    for row in preview.accepted:
        p = row.check.placement
        assert p.address_hint == placement.place_hint(street.store, p.lon, p.lat)
        # The window's single report: the category's radius and window, ranked.
        one = placement.ranked_duplicates(street.store, p.lon, p.lat, row.check.category_id,
                                          row.draft.reported_at, row.draft.description)
        assert [(d.report_id, round(d.distance_m, 6), d.score) for d in row.check.duplicates] \
            == [(d.report_id, round(d.distance_m, 6), d.score) for d in one]
        found_dup += bool(one)
        found_hint += bool(p.address_hint)
    assert found_dup and found_hint  # the comparison saw both kinds of answer


def _import_counting(tmp_path, monkeypatch, n, name):
    from gridapp.services.workspace import StreetSpec, create_workspace

    ws = create_workspace(tmp_path / f"{name}.gpkg", StreetSpec("520102", "520102003", "测"))
    street = make_street(ws)
    ws.close()
    real_connect = sqlite3.connect
    monkeypatch.setattr(connection.sqlite3, "connect",
                        lambda *a, **k: real_connect(*a, factory=CountingConnection, **k))
    store = open_workspace(tmp_path / f"{name}.gpkg")
    monkeypatch.setattr(connection.sqlite3, "connect", real_connect)
    try:
        session = type(street.session("office"))(store, street.session("office").user)
        path = tmp_path / f"{name}.csv"
        _write_csv(path, n)
        with session.transaction():
            pass  # the login's write; the count starts after it
        CountingConnection.calls = 0
        preview = prepare_report_import(session, path)
        result = commit_report_import(session, preview)
        assert len(result.report_ids) == n and not preview.rejected
        back = store.query("SELECT count(*) AS n, count(DISTINCT case_no) AS nos,"
                           " (SELECT count(*) FROM case_event) AS ev,"
                           " (SELECT count(*) FROM rtree_report_geom) AS rt FROM report")[0]
        assert (back["n"], back["nos"], back["ev"], back["rt"]) == (n, n, n, n)
        assert store.scalar("SELECT rtreecheck('rtree_report_geom')") == "ok"
        return CountingConnection.calls
    finally:
        store.close()


def test_statements_for_10000_rows_are_as_many_as_for_1000(tmp_path, monkeypatch):
    small = _import_counting(tmp_path, monkeypatch, 1_000, "small")
    large = _import_counting(tmp_path, monkeypatch, 10_000, "large")
    # O(1) batches: the file's length changes nothing but the batches' sizes.
    assert large == small
    assert large < 200


def test_a_second_import_adds_to_a_packed_tree_and_numbers_on(street, tmp_path):
    office = street.session("office")
    first = tmp_path / "a.csv"
    _write_csv(first, 300, seed=1)
    res1 = commit_report_import(office, prepare_report_import(office, first))
    second = tmp_path / "b.csv"
    text = first.read_text(encoding="utf-8").replace(",X", ",Y").replace("\nX", "\nY")
    second.write_text(text, encoding="utf-8")
    res2 = commit_report_import(office, prepare_report_import(office, second))
    # Same days, so the second file's case numbers continue the first's.
    day = res1.case_nos[0][:8]
    seqs = sorted(int(c[8:]) for c in res1.case_nos + res2.case_nos if c.startswith(day))
    assert seqs == list(range(1, len(seqs) + 1))
    assert street.store.scalar("SELECT rtreecheck('rtree_report_geom')") == "ok"
    hits = street.store.query(
        "SELECT count(*) FROM rtree_report_geom WHERE minx <= ? AND maxx >= ?"
        " AND miny <= ? AND maxy >= ?", (X0 + 2 * DX, X0, Y0 + 2 * DY, Y0))[0][0]
    assert hits == 600
    entry = street.store.query(
        "SELECT changes FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1")[0]
    assert '"sha256": "' in entry["changes"] and '"rows": 300' in entry["changes"]


def test_duplicates_use_each_categorys_own_radius_and_window(street, tmp_path):
    """Two categories, 30 m / 1 day and 200 m / 30 days: the import flags what the
    window's single report flags, not a flat 50 m / 7 days."""
    admin, office = street.session("admin1"), street.session("office")
    tight, wide = street.categories["0401"], street.categories["0101"]
    placement.set_category_duplicate_rule(admin, tight, 30, 1)
    placement.set_category_duplicate_rule(admin, wide, 200, 30)
    lon, lat = street.inside(0, 0.5, 0.5)
    old = datetime(2026, 3, 1, 9, tzinfo=LOCAL_TZ)
    old_tight = file_report(office, ReportDraft(category="0401", lon=lon, lat=lat,
                                                description="旧占道", reported_at=old))
    lon2, lat2 = street.inside(3, 0.5, 0.5)
    old_wide = file_report(office, ReportDraft(category="0101", lon=lon2, lat=lat2,
                                               description="旧部件", reported_at=old))
    east_100m = 100 / (111_320 * np.cos(np.radians(lat)))  # about 100 m east
    east_20m = 20 / (111_320 * np.cos(np.radians(lat)))
    names = {r["id"]: r["name"] for r in street.store.query("SELECT id, name FROM category")}
    rows = [  # (category, lon, lat, time): expected duplicate or None
        ("0401", lon + east_100m, lat, "2026-03-01 10:00", None),   # 100 m > 30 m
        ("0401", lon + east_20m, lat, "2026-03-01 10:00", old_tight),  # 20 m, 1 hour
        ("0401", lon + east_20m, lat, "2026-03-04 10:00", None),    # 3 days > 1 day
        ("0101", lon2 + east_100m, lat2, "2026-03-01 10:00", old_wide),  # 100 m < 200 m
        ("0101", lon2 + east_100m, lat2, "2026-03-20 10:00", old_wide),  # 19 days < 30
    ]
    path = tmp_path / "two.csv"
    path.write_text(HEADER + "".join(
        f"T{k},{x:.7f},{y:.7f},{names[street.categories[c]]},第{k}条,,{t}\n"
        for k, (c, x, y, t, _) in enumerate(rows)), encoding="utf-8")
    preview = prepare_report_import(office, path)
    assert not preview.rejected and len(preview.accepted) == len(rows)
    for row, (_c, _x, _y, _t, expected) in zip(preview.accepted, rows, strict=True):
        got = [d.report_id for d in row.check.duplicates]
        assert got == ([] if expected is None else [expected.report_id]), row.row_no
        p = row.check.placement
        one = placement.ranked_duplicates(street.store, p.lon, p.lat, row.check.category_id,
                                          row.draft.reported_at, row.draft.description)
        assert [(d.report_id, d.score) for d in row.check.duplicates] == \
            [(d.report_id, d.score) for d in one]
