"""Import of boundary files: formats, encodings, CRS detection, problems."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from gridapp.errors import CRSError, ImportFileError
from gridapp.services.importing.source import (
    guess_mapping,
    prepare_import,
    read_source,
    validate_for_import,
)

_spec = importlib.util.spec_from_file_location(
    "make_files", Path(__file__).parents[1] / "data" / "make_files.py"
)
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

NAMES = [c[0] for c in make.COMMUNITIES]
CODES = [c[1] for c in make.COMMUNITIES]
# Metres in Guiyang's GK zone, to measure position errors independently of degrees.
_TO_M = Transformer.from_crs("EPSG:4490", "EPSG:4524", always_xy=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make.make_files(tmp_path_factory.mktemp("importing"))


def _max_error_m(geoms, truths) -> float:
    """Largest Hausdorff distance in metres (vertex order and start may differ)."""
    worst = 0.0
    for g, t in zip(geoms, truths, strict=True):
        a, b = (shapely.transform(x, lambda xy: np.column_stack(_TO_M.transform(*xy.T))) for x in (g, t))
        assert shapely.get_num_coordinates(a) == shapely.get_num_coordinates(b)
        worst = max(worst, float(shapely.hausdorff_distance(a, b)))
    return worst


@pytest.mark.parametrize(
    "key, encoding, crs, crs_how",
    [
        ("gk_gbk", "gbk", "EPSG:4524", "file"),
        ("gk_gbk_nocpg", "gbk", "EPSG:4524", "file"),
        ("gk_noprj", "gbk", "EPSG:4524", "zone_prefix"),
        ("geojson", "utf-8", "EPSG:4326", "file"),
        ("gpkg", "utf-8", "EPSG:4490", "file"),
        ("wkt_csv", "utf-8-sig", "EPSG:4490", "range"),
        ("xlsx", "utf-8", "EPSG:4490", "range"),
    ],
)
def test_each_format_gives_chinese_names_and_exact_positions(files, key, encoding, crs, crs_how):
    preview = read_source(files[key])
    assert preview.encoding == encoding
    assert (preview.source_crs, preview.crs_source) == (crs, crs_how)
    assert preview.frame.crs.to_epsg() == 4490
    name, code = preview.mapping["name"], preview.mapping["code"]
    assert list(preview.frame[name]) == NAMES
    assert list(preview.frame[code].astype(str)) == CODES
    assert _max_error_m(preview.frame.geometry, [c[2] for c in make.COMMUNITIES]) < 1.0
    assert preview.problems == []


def test_layers_listed_for_a_geopackage(files):
    preview = read_source(files["gpkg"])
    assert preview.layers == ["社区"] and preview.layer is None
    assert read_source(files["wkt_csv"]).layers == []


def test_encoding_sources(files):
    assert read_source(files["gk_gbk"]).encoding_source == "cpg"
    assert read_source(files["gk_gbk_nocpg"]).encoding_source == "detected"


def test_user_encoding_overrides_cpg(files):
    # GBK bytes read as UTF-8 cannot decode: the user is told to pick another.
    with pytest.raises(ImportFileError) as err:
        read_source(files["gk_gbk"], encoding="UTF-8")
    assert "GBK" in err.value.message_in("en")
    preview = read_source(files["gk_gbk_nocpg"], encoding="cp936")
    assert (preview.encoding, preview.encoding_source) == ("gbk", "user")
    assert list(preview.frame["名称"]) == NAMES


def test_kml_names_via_gdal(files):
    preview = read_source(files["kml"])
    assert preview.mapping["name"] == "Name"
    assert list(preview.frame["Name"]) == NAMES
    assert _max_error_m(preview.frame.geometry, [c[2] for c in make.COMMUNITIES]) < 1.0


def test_gk_without_prefix_or_prj_asks_for_the_crs(files):
    with pytest.raises(CRSError) as err:
        read_source(files["gk_noprefix"])
    assert "EPSG:4545" in err.value.message_in("en")
    preview = read_source(files["gk_noprefix"], source_crs="EPSG:4545")
    assert preview.crs_source == "user"
    assert _max_error_m(preview.frame.geometry, [c[2] for c in make.COMMUNITIES]) < 1.0


def test_gcj02_points_land_on_known_offices(files):
    preview = read_source(files["gcj_csv"], coord_system="gcj02")
    truths = [shapely.Point(lon, lat) for _, lon, lat in make.OFFICES]
    assert list(preview.frame["名称"]) == [o[0] for o in make.OFFICES]
    assert _max_error_m(preview.frame.geometry, truths) < 1.0
    # Without the conversion the points are hundreds of metres off.
    raw = read_source(files["gcj_csv"])
    assert _max_error_m(raw.frame.geometry, truths) > 100.0


def test_bd09_points_land_on_known_offices(files):
    preview = read_source(files["bd_csv"], coord_system="bd09")
    truths = [shapely.Point(lon, lat) for _, lon, lat in make.OFFICES]
    assert preview.mapping["name"] == "name"
    assert _max_error_m(preview.frame.geometry, truths) < 1.0


def test_gcj02_refused_for_projected_source(files):
    with pytest.raises(CRSError):
        read_source(files["gk_gbk"], coord_system="gcj02")


def test_every_bad_feature_is_reported_with_its_reason(tmp_path):
    preview = read_source(make.make_bad_csv(tmp_path))
    problems = validate_for_import(preview, "community", {"name": "名称", "code": None})
    reasons = {(p.index, p.reason) for p in problems}
    assert reasons == {
        (1, "invalid"),
        (2, "multipart"),
        (3, "empty"),
        (4, "swapped_latlon"),
        (5, "outside_china"),
        (6, "unparsed"),
        (6, "empty"),
    }
    invalid = next(p for p in problems if p.reason == "invalid")
    assert "Self-intersection" in invalid.en and "自相交" in invalid.zh


def test_nothing_is_imported_when_any_feature_is_bad(tmp_path):
    preview = read_source(make.make_bad_csv(tmp_path))
    with pytest.raises(ImportFileError) as err:
        prepare_import(preview, "community", {"name": "名称", "code": None})
    assert len(err.value.params["problems"]) == 7


def test_clean_file_prepares_name_code_geometry(files):
    out = prepare_import(read_source(files["gk_gbk"]), "community")
    assert list(out.columns) == ["name", "code", "geometry"]
    assert list(out["name"]) == NAMES
    assert out.crs.to_epsg() == 4490
    assert set(out.geom_type) == {"Polygon"}


def test_bad_and_duplicate_codes_block(files):
    preview = read_source(files["wkt_csv"])
    preview.frame.loc[1, "编码"] = "520103001001"  # duplicate of feature 0
    preview.frame.loc[2, "编码"] = "12345"
    problems = validate_for_import(preview, "community")
    assert {(p.index, p.reason) for p in problems} == {
        (0, "duplicate_code"),
        (1, "duplicate_code"),
        (2, "bad_code"),
    }


def test_grid_codes_must_have_15_digits(files):
    problems = validate_for_import(read_source(files["wkt_csv"]), "grid")
    assert [p.reason for p in problems] == ["bad_code"] * 3


def test_broken_file_raises_import_error(tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(ImportFileError):
        read_source(broken)


def test_unknown_crs_is_refused(tmp_path):
    path = tmp_path / "mercator.csv"
    path.write_text("name,x,y\nA,11877000,3070000\n", encoding="utf-8")
    with pytest.raises(CRSError):
        read_source(path)
    preview = read_source(path, source_crs="EPSG:3857")
    lon, lat = preview.frame.geometry.iloc[0].coords[0]
    # 11877000 m east in Web Mercator is 106.693°E (x / 6378137 in radians).
    assert lon == pytest.approx(np.degrees(11877000 / 6378137), abs=1e-6)
    assert 26.0 < lat < 27.0


def test_guess_mapping_prefers_exact_names():
    assert guess_mapping(["FID", "NAME", "CODE"]) == {"name": "NAME", "code": "CODE", "community": None}
    assert guess_mapping(["网格名称", "网格编码", "所属社区"]) == {
        "name": "网格名称",
        "code": "网格编码",
        "community": "所属社区",
    }


def test_csv_with_zone_prefixed_gk_columns(tmp_path):
    # Guiyang office at 106.696°E 26.5675°N in CGCS2000 GK zone 36 (EPSG:4524).
    x, y = Transformer.from_crs(4490, 4524, always_xy=True).transform(106.696, 26.5675)
    assert 36_000_000 < x < 37_000_000
    path = tmp_path / "gk.csv"
    path.write_text(f"名称,X坐标,Y坐标\n社区办公室,{x:.3f},{y:.3f}\n", encoding="gbk")
    preview = read_source(path)
    assert (preview.encoding, preview.source_crs, preview.crs_source) == ("gbk", "EPSG:4524", "zone_prefix")
    assert list(preview.frame["名称"]) == ["社区办公室"]
    assert _max_error_m(preview.frame.geometry, [shapely.Point(106.696, 26.5675)]) < 0.01


def test_swapped_gk_columns_are_named(tmp_path):
    path = tmp_path / "swapped.csv"
    path.write_text("名称,X,Y\n甲,2940000.0,36370000.0\n", encoding="utf-8")
    with pytest.raises(CRSError) as err:
        read_source(path)
    assert "swapped" in err.value.message_in("en")
    # Naming the columns the other way round fixes it.
    preview = read_source(path, x_field="Y", y_field="X")
    assert preview.crs_source == "zone_prefix" and preview.problems == []
