"""Grid files without GB/T codes are numbered per community on import (issue 14).

A file of bare outlines, or one whose code field holds local numbers ("1",
"A-01"), used to be refused ("no field is mapped to the name", "grid code
must be 15 digits").  Now each grid is numbered within its community west to
east, north to south, after every code the community has ever used, and
named after its number.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from pyproj import Transformer

from gridapp.errors import ImportFileError
from gridapp.services.grids.history import current_grids
from gridapp.services.grids.importer import import_file
from gridapp.services.integrity import check_workspace
from gridapp.services.session import system_session

COMMUNITY = "520102003004"


def _outlines(store):
    session = system_session(store)
    cur = current_grids(session)
    cid = int(store.scalar("SELECT id FROM community WHERE code = ?", (COMMUNITY,)))
    mine = cur[cur["community_id"] == cid]
    # Shuffle the file order: numbering must not follow it.
    return list(mine.geometry.iloc[np.random.default_rng(3).permutation(len(mine))])


def _expected_order(geoms, epsg):
    """West→east within 100 m rows, rows north→south (in the workspace's metric CRS)."""
    fwd = Transformer.from_crs(4490, epsg, always_xy=True)
    pts = [g.representative_point() for g in geoms]
    xy = np.array([fwd.transform(p.x, p.y) for p in pts])
    top = xy[:, 1].max()
    return sorted(range(len(geoms)), key=lambda i: ((top - xy[i, 1]) // 100, xy[i, 0]))


@pytest.mark.parametrize("fields", ["none", "local_code", "local_bianhao"])
def test_grids_without_gbt_codes_are_numbered_after_every_used_code(demo_workspace, tmp_path,
                                                                    fields):
    geoms = _outlines(demo_workspace)
    n = len(geoms)
    attrs = {"none": {}, "local_code": {"code": [str(i + 1) for i in range(n)]},
             "local_bianhao": {"编号": [f"A-{i:02d}" for i in range(n)],
                               "名称": [f"第{i}格" for i in range(n)]}}[fields]
    path = tmp_path / "grids.geojson"
    gpd.GeoDataFrame(attrs, geometry=geoms, crs=4490).to_file(path)
    # Every code the community ever used, read by GDAL (closed versions included).
    used = pyogrio.read_dataframe(demo_workspace.path, layer="grid", read_geometry=False)["code"]
    top = max(int(c[12:]) for c in used if c.startswith(COMMUNITY))
    session = system_session(demo_workspace)
    out = import_file(session, path, "grid", replace=True)
    assert len(out.ids) == n and len(out.closed) == n
    new = [demo_workspace.get("grid", i) for i in out.ids]
    codes = [r["code"] for r in new]
    assert sorted(codes) == [f"{COMMUNITY}{top + k:03d}" for k in range(1, n + 1)]
    order = _expected_order([r["geom"] for r in new], demo_workspace.metric_epsg)
    assert [codes[i] for i in order] == sorted(codes)  # west→east, north→south
    if fields == "local_bianhao":
        assert {r["name"] for r in new} == {f"第{i}格" for i in range(n)}
    else:
        assert all(r["name"] == f"网格{r['code'][-3:]}" for r in new)
    assert [p for p in check_workspace(demo_workspace) if p.severity == "error"] == []


def test_a_file_mixing_gbt_codes_and_garbage_is_still_refused(demo_workspace, tmp_path):
    geoms = _outlines(demo_workspace)[:2]
    path = tmp_path / "mixed.geojson"
    gpd.GeoDataFrame({"code": [f"{COMMUNITY}901", "12"], "名称": ["甲", "乙"]},
                     geometry=geoms, crs=4490).to_file(path)
    before = demo_workspace.scalar("SELECT count(*) FROM grid")
    with pytest.raises(ImportFileError) as err:
        import_file(system_session(demo_workspace), path, "grid", replace=True)
    assert [p.reason for p in err.value.params["problems"] if p.blocking] == ["bad_code"]
    assert demo_workspace.scalar("SELECT count(*) FROM grid") == before
