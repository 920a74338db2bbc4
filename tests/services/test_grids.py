"""Grids service: import into a workspace, versioned edits, codes, as-of-date, roles."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, box

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import from_iso
from gridapp.errors import ImportFileError, PermissionDenied, ValidationError
from gridapp.services.grids import edit as grids
from gridapp.services.grids import tools as grids_tools
from gridapp.services.grids.history import as_of, current_grids, grid_history
from gridapp.services.grids.importer import import_file
from gridapp.services.session import Session, User, system_session

_spec = importlib.util.spec_from_file_location(
    "make_files", Path(__file__).parents[1] / "data" / "make_files.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)
_TO_M = Transformer.from_crs("EPSG:4490", "EPSG:4524", always_xy=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make.make_files(tmp_path_factory.mktemp("grids_import"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _metres(g):
    return shapely.transform(g, lambda xy: np.column_stack(_TO_M.transform(*xy.T)))


# ------------------------------------------------------------------ import
def test_gbk_shapefile_imports_with_names_and_positions(empty_workspace, files):
    session = system_session(empty_workspace)
    out = import_file(session, files["gk_gbk"], "community")
    assert len(out.ids) == 3
    comms = empty_workspace.read_layer("community").sort_values("code")
    assert list(comms["name"]) == [c[0] for c in make.COMMUNITIES]
    assert list(comms["code"]) == [c[1] for c in make.COMMUNITIES]
    for g, (_, _, truth) in zip(comms.geometry, make.COMMUNITIES, strict=True):
        assert shapely.hausdorff_distance(_metres(g), _metres(truth)) < 0.01  # < 1 cm


def test_grids_import_numbers_and_assigns_communities(empty_workspace, files, tmp_path):
    session = system_session(empty_workspace)
    import_file(session, files["gk_gbk"], "community")
    # Two grids per community: west and east halves, no codes in the file.
    import geopandas as gpd
    rows = []
    for name, _code, b in make.COMMUNITIES:
        x0, y0, x1, y1 = b.bounds
        xm = (x0 + x1) / 2
        rows += [(f"{name}西", box(x0, y0, xm, y1)), (f"{name}东", box(xm, y0, x1, y1))]
    path = tmp_path / "grids.geojson"
    gpd.GeoDataFrame({"名称": [r[0] for r in rows]}, geometry=[r[1] for r in rows],
                     crs=4490).to_file(path)
    out = import_file(session, path, "grid")
    assert len(out.ids) == 6 and out.report is not None
    cur = current_grids(session).sort_values("code")
    first = cur[cur["code"].str.startswith("520103001001")]
    assert list(first["code"]) == ["520103001001001", "520103001001002"]
    assert list(first["name"]) == ["中华中路社区西", "中华中路社区东"]  # numbered west → east


def test_failed_import_changes_nothing(empty_workspace, files, tmp_path):
    session = system_session(empty_workspace)
    import_file(session, files["gk_gbk"], "community")
    empty_workspace.close()
    path = Path(empty_workspace.path)
    before = _sha(path)
    from gridapp.storage import open_store
    with open_store(path) as store:
        s = system_session(store)
        with pytest.raises(ImportFileError) as err:  # same codes again
            import_file(s, files["gk_gbk"], "community")
        assert {p.reason for p in err.value.params["problems"]} == {"code_taken"}
        assert store.scalar("SELECT count(*) FROM community") == 3
    assert _sha(path) == before


# ---------------------------------------------------------------- versions
def _grid_with_report(store) -> tuple[int, int]:
    row = store.query("SELECT r.id, r.grid_id FROM report r JOIN grid g ON g.id = r.grid_id"
                      " WHERE g.valid_to IS NULL LIMIT 1")[0]
    return int(row[0]), int(row[1])


def _vertical_line(geom) -> LineString:
    c = geom.centroid
    return LineString([(c.x, geom.bounds[1] - 0.001), (c.x, geom.bounds[3] + 0.001)])


def test_split_versions_history_and_reports(demo_workspace):
    session = system_session(demo_workspace)
    report_id, gid = _grid_with_report(demo_workspace)
    old = demo_workspace.get("grid", gid)
    n_before = demo_workspace.scalar("SELECT count(*) FROM grid")
    res = grids_tools.split_grid(session, gid, _vertical_line(old["geom"]))
    pieces = [o for o, d in zip(res.opened, res.drafts, strict=True) if d.replaces == (gid,)]
    assert len(pieces) == 2 and gid in res.closed
    closed = demo_workspace.get("grid", gid)
    assert closed["valid_to"] == res.at
    new = [demo_workspace.get("grid", i) for i in pieces]
    assert all(r["previous_id"] == gid and r["valid_to"] is None for r in new)
    assert new[0]["code"] == old["code"] and new[1]["code"] != old["code"]
    assert new[1]["code"][:12] == old["code"][:12]
    assert abs(sum(r["geom"].area for r in new) - old["geom"].area) < 1e-12
    # Only the split grid and neighbours that needed the crossing vertex changed.
    assert demo_workspace.scalar("SELECT count(*) FROM grid") == n_before + len(res.opened)
    assert demo_workspace.get("report", report_id)["grid_id"] == gid
    before = from_iso(res.at) - timedelta(seconds=1)
    past = as_of(session, before)
    assert gid in set(past["id"]) and not set(pieces) & set(past["id"])
    now = as_of(session, from_iso(res.at))
    assert set(pieces) <= set(now["id"]) and gid not in set(now["id"])
    assert len(past) == 60 and len(now) == 61
    hist = grid_history(session, pieces[1])
    assert list(hist["id"])[0] == gid


def test_merge_and_unchanged_grids_untouched(demo_workspace):
    session = system_session(demo_workspace)
    cur = current_grids(session)
    a = cur.iloc[0]
    nb = cur[cur.geometry.touches(a.geometry) & (cur["community_id"] == a["community_id"])]
    nb = nb[[a.geometry.intersection(g).length > 0 for g in nb.geometry]]
    b = nb.iloc[0]
    others = cur[~cur["id"].isin([a["id"], b["id"]])]
    stamp = {int(r["id"]): r["valid_from"] for r in others.to_dict("records")}
    res = grids_tools.merge_grids(session, [int(a["id"]), int(b["id"])])
    assert sorted(res.closed) == sorted([int(a["id"]), int(b["id"])]) and len(res.opened) == 1
    merged = demo_workspace.get("grid", res.opened[0])
    assert merged["code"] == a["code"]
    assert abs(merged["geom"].area - a.geometry.area - b.geometry.area) < 1e-12
    after = current_grids(session)
    assert len(after) == 59
    for r in after[after["id"].isin(list(stamp))].to_dict("records"):
        assert r["valid_from"] == stamp[int(r["id"])]


def test_problems_refused_without_accept_and_audited_with(demo_workspace):
    session = system_session(demo_workspace)
    gid = int(current_grids(session).iloc[0]["id"])
    with pytest.raises(grids.CoverageProblemsError) as err:
        grids_tools.delete_grids(session, [gid])  # leaves a gap
    assert err.value.params["report"].of_kind("gap")
    assert demo_workspace.get("grid", gid)["valid_to"] is None
    res = grids_tools.delete_grids(session, [gid], accept_problems=True, note="建筑拆除")
    assert res.accepted_problems and res.closed == [gid]
    row = demo_workspace.query("SELECT changes FROM audit_log WHERE action ="
                               " 'accept_coverage_problems' ORDER BY id DESC LIMIT 1")
    assert row and "gap" in json.loads(row[0][0])["problems"][0]["kind"]


def test_codes_validated_unique_and_next(demo_workspace):
    session = system_session(demo_workspace)
    cur = current_grids(session).sort_values("code")
    a, b = cur.iloc[0], cur.iloc[1]
    with pytest.raises(ValidationError):
        grids_tools.update_attributes(session, int(a["id"]), code=b["code"])  # taken
    with pytest.raises(ValidationError):
        grids_tools.update_attributes(session, int(a["id"]), code="12345")
    with pytest.raises(ValidationError):  # another community's prefix
        grids_tools.update_attributes(session, int(a["id"]), code="520102003099001")
    res = grids_tools.update_attributes(session, int(a["id"]), name="新名字", households=321)
    row = demo_workspace.get("grid", res.opened[0])
    assert (row["name"], row["households"], row["code"]) == ("新名字", 321, a["code"])
    assert row["geom"].equals(a.geometry)
    used = [c for c in demo_workspace.query("SELECT code FROM grid")]
    prefix = a["code"][:12]
    top = max(int(c[0][12:]) for c in used if c[0][:12] == prefix)
    res = grids_tools.split_grid(session, res.opened[0], _vertical_line(a.geometry))
    assert res.codes[1] == f"{prefix}{top + 1:03d}"


def test_only_office_and_admin_edit(demo_workspace):
    gid = int(current_grids(system_session(demo_workspace)).iloc[0]["id"])
    for role in (Role.MANAGER, Role.DISPATCHER, Role.LEADER, Role.LIAISON):
        s = Session(demo_workspace, User(99, "x", "x", role))
        with pytest.raises(PermissionDenied):
            grids_tools.update_attributes(s, gid, name="x")
    s = Session(demo_workspace, User(98, "wgb", "网格办", Role.OFFICE))
    assert grids_tools.update_attributes(s, gid, name="办公室改名").opened


def test_split_then_merge_gives_back_area_and_boundary(demo_workspace):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    session = system_session(demo_workspace)
    gid0 = int(current_grids(session).iloc[5]["id"])
    state = {"gid": gid0}

    @settings(max_examples=8, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.floats(0.2, 0.8), st.floats(-0.3, 0.3))
    def prop(fx, tilt):
        g = demo_workspace.get("grid", state["gid"])["geom"]
        x0, y0, x1, y1 = g.bounds
        x = x0 + fx * (x1 - x0)
        dx = tilt * (x1 - x0)
        line = LineString([(x - dx, y0 - 0.001), (x + dx, y1 + 0.001)])
        try:
            res = grids_tools.split_grid(session, state["gid"], line)
        except ValidationError:
            return  # a line that does not cut the grid in two is refused
        pieces = [o for o, d in zip(res.opened, res.drafts, strict=True)
                  if d.replaces == (state["gid"],)]
        back = grids_tools.merge_grids(session, pieces)
        merged = demo_workspace.get("grid", back.opened[0])["geom"]
        assert abs(merged.area - g.area) < 1e-12
        assert merged.symmetric_difference(g).area < 1e-12
        assert merged.boundary.hausdorff_distance(g.boundary) < 1e-9
        assert not back.report.problems
        state["gid"] = back.opened[0]

    prop()
