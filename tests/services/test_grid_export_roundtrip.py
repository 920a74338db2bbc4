"""Grid export → import round-trips every attribute (issue 14, section 3).

Importing GridApp's own grids used to be refused (a workspace's grid layer
holds closed versions sharing a code: "code used more than once") and wrote
only code, name, community and kind='basic': kind, households, population and
notes were lost.  Here the grids of an edited demo street (a special grid, a
closed version, notes) go out through ``export_grids`` (GeoPackage, GeoJSON,
Shapefile, English or Chinese headers), through Debian's ``ogr2ogr -f GPKG``
copy of the whole workspace and through a QGIS-style ``ogr2ogr -f GeoJSON``
file, into a fresh workspace holding the same communities; the attribute
tables are compared as GDAL reads them, and ``check`` passes on the result.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely

from gridapp.errors import ImportFileError, ValidationError
from gridapp.services.grids.export import export_grids
from gridapp.services.grids.importer import import_file
from gridapp.services.grids.tools import update_attributes
from gridapp.services.integrity import check_workspace
from gridapp.services.session import system_session
from gridapp.services.workspace import StreetSpec, create_workspace

OGR2OGR = shutil.which("ogr2ogr")
needs_ogr2ogr = pytest.mark.skipif(OGR2OGR is None, reason="Debian's gdal-bin (ogr2ogr) absent")
ATTRS = ["code", "name", "kind", "households", "population", "community", "notes"]


@pytest.fixture
def source(demo_workspace):
    """The demo street with a special grid, changed counts and notes, and history."""
    session = system_session(demo_workspace)
    ids = [int(r[0]) for r in demo_workspace.query(
        "SELECT id FROM grid WHERE valid_to IS NULL ORDER BY code LIMIT 3")]
    update_attributes(session, ids[0], kind="special", name="学校专属网格", households=0,
                      population=1234, notes="含中学")
    update_attributes(session, ids[1], households=87, population=301)  # a closed version
    update_attributes(session, ids[2], kind="special")
    demo_workspace.close()
    return demo_workspace.path


def _ogr(*args: str) -> None:
    proc = subprocess.run([OGR2OGR, *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]


def _table(path: Path) -> pd.DataFrame:
    """Current grids as GDAL reads the workspace: attributes and the community's code."""
    grids = pyogrio.read_dataframe(path, layer="grid")
    grids = grids[grids["valid_to"].isna()]
    comms = pyogrio.read_dataframe(path, layer="community", read_geometry=False,
                                   fid_as_index=True)
    grids = grids.assign(community=[comms["code"].get(int(c)) for c in grids["community_id"]])
    out = grids[ATTRS].astype(object).where(grids[ATTRS].notna(), None)
    out["geometry"] = list(grids.geometry)
    return out.sort_values("code").reset_index(drop=True)


def _fresh(tmp_path: Path, source: Path):
    """A new workspace with the source's communities (imported from the source file)."""
    store = create_workspace(tmp_path / "fresh.gpkg",
                             StreetSpec("520102", "520102003", "中华南路街道"),
                             admin_username="admin", admin_password="Admin-pass-2026")
    import_file(system_session(store), source, "community", layer="community")
    return store


def _assert_same_grids(source: Path, target: Path) -> None:
    want, got = _table(source), _table(target)
    assert len(got) == len(want) > 0
    # the edits of the fixture are there to be lost: special grids, a zero count, notes
    assert {"basic", "special"} <= set(want["kind"]) and 0 in set(want["households"])
    assert "含中学" in set(want["notes"])
    assert got[ATTRS].to_dict("records") == want[ATTRS].to_dict("records")
    for a, b in zip(want["geometry"], got["geometry"], strict=True):
        assert shapely.hausdorff_distance(a, b) < 1e-7  # degrees: about a centimetre


def _import_and_compare(tmp_path: Path, source: Path, file: Path, **options):
    store = _fresh(tmp_path, source)
    try:
        out = import_file(system_session(store), file, "grid", **options)
        assert not [p for p in check_workspace(store) if p.severity == "error"]
    finally:
        store.close()
    _assert_same_grids(source, store.path)
    return out


@pytest.mark.parametrize(("suffix", "headers", "history"), [
    (".gpkg", "en", False), (".geojson", "zh", False), (".geojson", "en", True),
    (".shp", "en", False),
])
def test_export_then_import_gives_the_same_grids(source, tmp_path, suffix, headers, history):
    from gridapp.storage import open_store

    file = tmp_path / f"grids{suffix}"
    with open_store(source) as store:
        n = export_grids(system_session(store), file, headers=headers, history=history)
    assert n == len(pyogrio.read_dataframe(file, read_geometry=False))
    fields = list(pyogrio.read_info(file)["fields"])
    if headers == "zh":
        assert {"网格编码", "网格名称", "类型", "户数", "人口"} <= set(fields)
        assert "专属网格" in set(pyogrio.read_dataframe(file, read_geometry=False)["类型"])
    out = _import_and_compare(tmp_path, source, file)
    notes = [p for p in out.problems if p.reason == "closed_versions"]
    assert bool(notes) == history and all(not p.blocking for p in notes)


@needs_ogr2ogr
def test_a_plain_ogr2ogr_copy_reimports_with_history_skipped(source, tmp_path):
    copy = tmp_path / "copy.gpkg"
    _ogr("-f", "GPKG", str(copy), str(source))
    out = _import_and_compare(tmp_path, source, copy, layer="grid")
    closed = int(pyogrio.read_dataframe(copy, layer="grid", read_geometry=False)["valid_to"]
                 .notna().sum())
    assert closed >= 1
    [note] = [p for p in out.problems if p.reason == "closed_versions"]
    assert note.zh.startswith(f"{closed} 个要素是已停用的历史版本")


@needs_ogr2ogr
def test_a_qgis_style_geojson_reimports(source, tmp_path):
    geojson = tmp_path / "grid.geojson"
    _ogr("-f", "GeoJSON", "-lco", "RFC7946=NO", str(geojson), str(source), "grid")
    _import_and_compare(tmp_path, source, geojson)


def _geojson(tmp_path: Path, source: Path, **columns) -> Path:
    frame = pyogrio.read_dataframe(source, layer="grid", where="valid_to IS NULL")
    frame = frame.drop(columns=["valid_to", "previous_id", "community_id"])
    for name, values in columns.items():
        frame[name] = values(frame)
    path = tmp_path / "bad.geojson"
    pyogrio.write_dataframe(frame, path)
    return path


@pytest.mark.parametrize(("column", "values", "words"), [
    ("kind", lambda f: ["大网格"] + list(f["kind"].iloc[1:]), "大网格"),
    ("households", lambda f: [-3] + list(f["households"].iloc[1:]), "户数“-3”"),
    ("population", lambda f: ["很多"] + list(f["population"].iloc[1:]), "人口“很多”"),
])
def test_bad_kind_or_counts_are_refused_and_nothing_is_written(source, tmp_path, column,
                                                               values, words):
    path = _geojson(tmp_path, source, **{column: values})
    store = _fresh(tmp_path, source)
    try:
        with pytest.raises(ImportFileError) as err:
            import_file(system_session(store), path, "grid")
        messages = [p.message for p in err.value.params["problems"] if p.blocking]
        assert any(m.startswith("要素 0：") and words in m for m in messages), messages
        assert store.scalar("SELECT count(*) FROM grid") == 0
    finally:
        store.close()


def test_export_to_an_unknown_format_is_refused(source, tmp_path):
    from gridapp.storage import open_store

    with open_store(source) as store, pytest.raises(ValidationError, match=r"\.kml"):
        export_grids(system_session(store), tmp_path / "grids.kml")
    assert not (tmp_path / "grids.kml").exists()
