"""Files that used to make imports lie, hang or flood (issue 14, "Imports that lie").

Shapefile fixtures are written by Debian's own ``ogr2ogr`` from a GeoJSON with
Chinese names, exactly as a user would make them; the expected names come
from that GeoJSON, never from GridApp.
"""

from __future__ import annotations

import codecs
import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pyogrio
import pytest

from gridapp.errors import ImportFileError
from gridapp.services.cases.report_import import read_rows
from gridapp.services.importing.source import prepare_import, read_source
from gridapp.services.importing.text import MAX_FIELD_CHARS

OGR2OGR = shutil.which("ogr2ogr")
needs_ogr2ogr = pytest.mark.skipif(OGR2OGR is None, reason="Debian gdal-bin (ogr2ogr) absent")

NAMES = ["中华中路社区", "省府路社区"]
CODES = ["520103001001", "520103001002"]


def _square(x: float) -> list:
    return [[[x, 26.566], [x + 0.004, 26.566], [x + 0.004, 26.569], [x, 26.569], [x, 26.566]]]


@pytest.fixture
def geojson(tmp_path: Path) -> Path:
    features = [
        {"type": "Feature", "properties": {"NAME": n, "CODE": c},
         "geometry": {"type": "Polygon", "coordinates": _square(106.694 + 0.004 * i)}}
        for i, (n, c) in enumerate(zip(NAMES, CODES, strict=True))
    ]
    path = tmp_path / "src.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _ogr2ogr(src: Path, dst: Path, *options: str) -> Path:
    subprocess.run([OGR2OGR, "-f", "ESRI Shapefile", str(dst), str(src), *options],
                   check=True, capture_output=True)
    return dst


# ------------------------------------------------------------ Shapefile text
@needs_ogr2ogr
@pytest.mark.parametrize("options", [(), ("-lco", "ENCODING=ISO-8859-1")])
def test_ogr2ogr_latin1_shapefile_with_lost_chinese_is_refused(geojson, tmp_path, options):
    shp = _ogr2ogr(geojson, tmp_path / "out.shp", *options)
    # What GDAL itself reads back: the characters really are gone.
    assert set("".join(pyogrio.read_dataframe(shp)["NAME"])) == {"?"}
    preview = read_source(shp)
    lost = [p for p in preview.problems if p.reason == "text_lost"]
    assert len(lost) == 1 and lost[0].blocking and lost[0].index is None
    assert "NAME" in lost[0].zh and "ENCODING=UTF-8" in lost[0].en
    with pytest.raises(ImportFileError):
        prepare_import(preview, "community")


def _declare_latin1(shp: Path, how: str) -> None:
    cpg = shp.with_suffix(".cpg")
    if how == "cpg":
        cpg.write_text("ISO-8859-1", encoding="ascii")
    else:  # no .cpg, DBF language driver id 0x57 (ISO-8859-1), GDAL's default
        cpg.unlink(missing_ok=True)
        dbf = shp.with_suffix(".dbf")
        data = bytearray(dbf.read_bytes())
        data[29] = 0x57
        dbf.write_bytes(bytes(data))


@needs_ogr2ogr
@pytest.mark.parametrize(
    "written, declared, expected",
    [("UTF-8", "cpg", "utf-8"), ("CP936", "cpg", "gbk"), ("CP936", "ldid", "gbk")],
)
def test_shapefile_declared_latin1_over_chinese_bytes_is_read_right(
    geojson, tmp_path, written, declared, expected
):
    shp = _ogr2ogr(geojson, tmp_path / "out.shp", "-lco", f"ENCODING={written}")
    _declare_latin1(shp, declared)
    # GDAL trusts the declaration and garbles the names: the lie being fixed.
    assert list(pyogrio.read_dataframe(shp)["NAME"]) != NAMES
    preview = read_source(shp)
    assert list(preview.frame["NAME"]) == NAMES
    assert (preview.encoding, preview.encoding_source) == (expected, "detected")
    notes = [p for p in preview.problems if p.reason == "encoding_guessed"]
    assert len(notes) == 1 and not notes[0].blocking
    assert expected.upper() in notes[0].en and "ISO-8859-1" in notes[0].en
    assert list(prepare_import(preview, "community")["name"]) == NAMES


@needs_ogr2ogr
def test_user_encoding_still_wins_over_detection(geojson, tmp_path):
    shp = _ogr2ogr(geojson, tmp_path / "out.shp", "-lco", "ENCODING=CP936")
    _declare_latin1(shp, "cpg")
    preview = read_source(shp, encoding="GBK")
    assert preview.encoding_source == "user" and list(preview.frame["NAME"]) == NAMES
    assert not [p for p in preview.problems if p.reason == "encoding_guessed"]


# ------------------------------------------------------------ CSV text
def _csv_with_bad_line(tmp_path: Path, *, bom: bool) -> Path:
    rows = ["名称,编码,WKT"]
    for i in range(40):
        rows.append(f"社区{i},5201030010{i:02d},\"POLYGON ((106.7 26.5, 106.71 26.5, 106.71 26.51, "
                    f"106.7 26.5))\"")
    raw = "\n".join(rows).encode("utf-8") + b"\n"
    lines = raw.split(b"\n")
    lines[4] = "河滨社区".encode("gbk") + lines[4][len("社区3".encode()):]  # line 5 is GBK
    data = (codecs.BOM_UTF8 if bom else b"") + b"\n".join(lines)
    path = tmp_path / ("bom.csv" if bom else "mostly_utf8.csv")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("bom", [True, False])
def test_damaged_utf8_csv_is_refused_with_its_line(tmp_path, bom):
    path = _csv_with_bad_line(tmp_path, bom=bom)
    with pytest.raises(ImportFileError) as grid_err:
        read_source(path)
    assert grid_err.value.params["lines"] == [5]
    assert "5" in grid_err.value.message_in("zh") and "GBK" in grid_err.value.message_in("en")
    with pytest.raises(ImportFileError) as report_err:
        read_rows(path)
    assert report_err.value.params["lines"] == [5]


def test_plain_gbk_csv_is_still_detected(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("名称,经度,纬度\n中华中路社区,106.70,26.57\n".encode("gbk"))
    assert read_rows(path).rows == [["中华中路社区", "106.70", "26.57"]]


def test_ten_megabyte_field_is_refused_with_its_line(tmp_path):
    path = tmp_path / "huge.csv"
    big = "x" * 10_000_000
    path.write_text(f"名称,经度,纬度,类别\n甲,106.70,26.57,市容\n{big},106.70,26.57,市容\n",
                    encoding="utf-8")
    with pytest.raises(ImportFileError) as report_err:
        read_rows(path)
    assert report_err.value.params["line"] == 3
    with pytest.raises(ImportFileError) as grid_err:
        read_source(path)
    assert grid_err.value.params["line"] == 3 and grid_err.value.params["column"] == "名称"
    assert str(MAX_FIELD_CHARS) in grid_err.value.message_in("en")


def test_field_at_the_limit_is_accepted(tmp_path):
    path = tmp_path / "limit.csv"
    path.write_text(f"名称,经度,纬度\n{'x' * MAX_FIELD_CHARS},106.70,26.57\n", encoding="utf-8")
    assert len(read_rows(path).rows[0][0]) == MAX_FIELD_CHARS


# ------------------------------------------------------------ GeoPackage layers
def _gpkg_with_layers(geojson: Path, tmp_path: Path, n: int) -> Path:
    """A GeoPackage of *n* feature layers: the first written by GDAL, the others
    registered copies of its (empty) table, all in one SQLite script."""
    path = tmp_path / "layers.gpkg"
    frame = pyogrio.read_dataframe(geojson)
    pyogrio.write_dataframe(frame, path, layer="layer_00000", driver="GPKG")
    con = sqlite3.connect(path)
    ddl = con.execute("SELECT sql FROM sqlite_master WHERE name = 'layer_00000'").fetchone()[0]
    (srs,) = con.execute("SELECT srs_id FROM gpkg_contents").fetchone()
    (gtype,) = con.execute("SELECT geometry_type_name FROM gpkg_geometry_columns").fetchone()
    script = ["BEGIN;"]
    for i in range(1, n):
        name = f"layer_{i:05d}"
        script.append(ddl.replace("layer_00000", name) + ";")
        script.append(f"INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)"
                      f" VALUES ('{name}', 'features', '{name}', {srs});")
        script.append(f"INSERT INTO gpkg_geometry_columns VALUES ('{name}', 'geom', "
                      f"'{gtype}', {srs}, 0, 0);")
    script.append("COMMIT;")
    con.executescript("\n".join(script))
    con.close()
    return path


def test_twenty_thousand_layers_need_a_choice_and_fail_fast(geojson, tmp_path):
    path = _gpkg_with_layers(geojson, tmp_path, 20_000)
    start = time.monotonic()
    with pytest.raises(ImportFileError) as err:
        read_source(path)
    assert time.monotonic() - start < 15  # GDAL's own listing takes over a minute
    assert len(err.value.params["layers"]) == 20_000
    assert "--layer" in err.value.message_in("en")
    assert len(err.value.message_in("zh")) < 600  # names a few, not 20,000


def test_a_chosen_layer_of_several_is_read(geojson, tmp_path):
    path = _gpkg_with_layers(geojson, tmp_path, 3)
    with pytest.raises(ImportFileError) as err:
        read_source(path)
    assert err.value.params["layers"] == ["layer_00000", "layer_00001", "layer_00002"]
    assert list(read_source(path, layer="layer_00000").frame["NAME"]) == NAMES
    assert len(read_source(path, layer="layer_00002").frame) == 0  # the empty copy
    with pytest.raises(ImportFileError) as missing:
        read_source(path, layer="nope")
    assert "nope" in missing.value.message_in("en")


@pytest.mark.timeout(60)
def test_endless_view_is_stopped_with_a_message(geojson, tmp_path):
    path = tmp_path / "view.gpkg"
    pyogrio.write_dataframe(pyogrio.read_dataframe(geojson), path, layer="good", driver="GPKG")
    con = sqlite3.connect(path)
    con.execute("CREATE VIEW forever AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
                "SELECT x + 1 FROM c) SELECT x AS fid, NULL AS geom FROM c WHERE x < 0")
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES ('forever', 'features', 'forever', 4326)")
    con.execute("INSERT INTO gpkg_geometry_columns VALUES ('forever', 'geom', 'POLYGON', "
                "4326, 0, 0)")
    con.commit()
    con.close()
    with pytest.raises(ImportFileError) as several:
        read_source(path, timeout=0.5)
    assert several.value.params["layers"] == ["good", "forever"]
    start = time.monotonic()
    with pytest.raises(ImportFileError) as err:
        read_source(path, layer="forever", timeout=0.5)
    assert time.monotonic() - start < 10
    assert err.value.params["layer"] == "forever" and "0.5" in err.value.message_in("en")
    assert list(read_source(path, layer="good", timeout=0.5).frame["NAME"]) == NAMES
