"""The import preview dialog asks which layer of a multi-layer file to read (issue 14)."""

from __future__ import annotations

import json

import pyogrio

from gridapp.qt.import_preview_dialog import ImportPreviewDialog


def _two_layer_gpkg(tmp_path):
    square = [[[106.694, 26.566], [106.698, 26.566], [106.698, 26.569], [106.694, 26.569],
               [106.694, 26.566]]]
    frame = pyogrio.read_dataframe(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"名称": "中华中路社区"},
         "geometry": {"type": "Polygon", "coordinates": square}}]}))
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(frame.iloc[:0], path, layer="roads", driver="GPKG")
    pyogrio.write_dataframe(frame, path, layer="社区", driver="GPKG", append=True)
    return path


def test_several_layers_offer_a_choice_then_read_the_chosen(qtbot, tmp_path):
    dialog = ImportPreviewDialog(_two_layer_gpkg(tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.preview is None  # not silently the first layer
    assert not dialog.layer_combo.isHidden()
    items = [dialog.layer_combo.itemText(i) for i in range(dialog.layer_combo.count())]
    assert items == ["", "roads", "社区"]
    assert "--layer" in dialog.summary.text() or "图层" in dialog.summary.text()
    dialog.layer_combo.setCurrentText("社区")
    assert dialog.preview is not None
    assert list(dialog.preview.frame["名称"]) == ["中华中路社区"]
    dialog.layer_combo.setCurrentText("roads")
    assert dialog.preview is not None and len(dialog.preview.frame) == 0


def test_single_layer_file_needs_no_choice(qtbot, tmp_path):
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"名称": "甲"}, "geometry": {
            "type": "Polygon", "coordinates": [[[106.694, 26.566], [106.698, 26.566],
                                                [106.698, 26.569], [106.694, 26.566]]]}}]},
        ensure_ascii=False), encoding="utf-8")
    dialog = ImportPreviewDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.layer_combo.isHidden() and dialog.preview is not None
