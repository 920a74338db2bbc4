"""Every write keeps the geometry type a layer declares (GeoPackage Req 32)."""

from __future__ import annotations

import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from gridapp.errors import GeometryError
from gridapp.storage import geometry


def test_polygon_becomes_one_part_multipolygon_and_back():
    poly = box(0, 0, 1, 1)
    (multi,) = geometry.conform([poly], "MULTIPOLYGON")
    assert multi.geom_type == "MultiPolygon" and list(multi.geoms) == [poly]
    (single,) = geometry.conform([MultiPolygon([poly])], "POLYGON")
    assert single.geom_type == "Polygon" and single.equals(poly)
    (line,) = geometry.conform([LineString([(0, 0), (1, 1)])], "multilinestring")
    assert line.geom_type == "MultiLineString"
    # GEOMETRY takes anything; None stays None.
    out = geometry.conform([Point(0, 0), None], "GEOMETRY")
    assert out[0].geom_type == "Point" and out[1] is None
    assert geometry.conform([None, Polygon()], "MULTIPOLYGON")[1].geom_type == "MultiPolygon"


@pytest.mark.parametrize("geom, declared", [
    (MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)]), "POLYGON"),
    (Point(0, 0), "POLYGON"),
    (box(0, 0, 1, 1), "POINT"),
])
def test_a_type_that_cannot_be_coerced_is_refused_in_both_languages(geom, declared):
    with pytest.raises(GeometryError) as err:
        geometry.conform([geom], declared, "grid")
    assert "grid" in str(err.value) and declared in str(err.value)
    assert err.value.message_in("en").startswith("Layer grid holds")
    assert "图层 grid 只能保存" in err.value.message_in("zh")


def test_row_writes_keep_the_declared_type(demo_workspace):
    cid, grid_id = (demo_workspace.scalar("SELECT min(id) FROM community"),
                    demo_workspace.scalar("SELECT min(id) FROM grid"))
    outline = shapely.get_parts(demo_workspace.get("community", cid)["geom"])[0]
    with demo_workspace.transaction("test") as tx:
        tx.update("community", cid, {"geom": outline})  # a bare Polygon
        tx.update("grid", grid_id, {"geom": MultiPolygon([demo_workspace.get(
            "grid", grid_id)["geom"]])})
    demo_workspace.close()
    # Read back by GDAL, not by GridApp's own decoder.
    comm = pyogrio.read_dataframe(demo_workspace.path, layer="community")
    assert set(comm.geom_type) == {"MultiPolygon"}
    grid = pyogrio.read_dataframe(demo_workspace.path, layer="grid")
    assert set(grid.geom_type) == {"Polygon"}


def test_a_refused_type_changes_nothing(demo_workspace):
    grid_id = demo_workspace.scalar("SELECT min(id) FROM grid")
    before = demo_workspace.get("grid", grid_id)["geom"]
    n_audit = demo_workspace.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(GeometryError):
        with demo_workspace.transaction("test") as tx:
            tx.update("grid", grid_id, {"geom": MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)])})
    assert demo_workspace.get("grid", grid_id)["geom"].equals_exact(before, 0.0)
    assert demo_workspace.scalar("SELECT count(*) FROM audit_log") == n_audit
