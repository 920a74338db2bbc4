"""Benchmark: A0 poster and 60-page atlas against a QGIS print layout.

Ours: ``poster_job`` + ``write_poster`` (A0 landscape vector PDF, data loading and grid
colouring included) and ``atlas_job`` + ``write_atlas`` (one A4 page per grid) of the
60-grid demo street.  Anchor, in the same run: a QGIS print layout
(``QgsPrintLayout`` + ``QgsLayoutExporter``, Debian ``python3-qgis``, system
``/usr/bin/python3``) of the same data and page — coloured grids with
three-line labels, community outlines, landmarks, title, legend, scale bar,
north arrow and a managers' attribute table; the atlas is a ``QgsLayoutAtlas``
over the grids with the page's grid coloured and the others grey.  Layer
loading is inside both timings.  Prints medians and the ratio ours / QGIS
(goal ≤ 1.0).

``python bench/print.py [--repeat 5] [--grids 60]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

QGIS_SCRIPT = r'''
import json, statistics, sys, time
from qgis.core import *
from qgis.PyQt.QtCore import QRectF, QPointF
from qgis.PyQt.QtGui import QFont, QColor

src, out, kind, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()

def text_format(size, bold=False, buffer=True):
    f = QgsTextFormat()
    font = QFont("Noto Sans CJK SC"); font.setBold(bold)
    f.setFont(font); f.setSize(size)
    if buffer:
        b = QgsTextBufferSettings(); b.setEnabled(True); b.setSize(0.8); f.setBuffer(b)
    return f

def build(project):
    grids = QgsVectorLayer(src + "|layername=grids", "网格", "ogr")
    comm = QgsVectorLayer(src + "|layername=communities", "社区界线", "ogr")
    marks = QgsVectorLayer(src + "|layername=landmarks", "地标", "ogr")
    for lay in (grids, comm, marks):
        assert lay.isValid(), lay.name()
        project.addMapLayer(lay)
    project.setCrs(grids.crs())
    comm.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#a61b1b", "outline_width": "0.9"})))
    marks.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#1a5fb4", "size": "2", "outline_color": "white"})))
    return grids, comm, marks

def label_grids(grids, size):
    s = QgsPalLayerSettings()
    s.fieldName = "\"name\" || '\\n' || \"code\" || '\\n' || '网格员 ' || \"manager\""
    s.isExpression = True
    s.setFormat(text_format(size))
    grids.setLabeling(QgsVectorLayerSimpleLabeling(s)); grids.setLabelsEnabled(True)

def add_label(layout, text, rect, size, bold=False):
    item = QgsLayoutItemLabel(layout); item.setText(text)
    font = QFont("Noto Sans CJK SC"); font.setPointSizeF(size); font.setBold(bold)
    item.setFont(font)  # QGIS 3.22: no setTextFormat yet
    item.attemptMove(QgsLayoutPoint(rect[0], rect[1])); item.attemptResize(QgsLayoutSize(rect[2], rect[3]))
    layout.addLayoutItem(item); return item

def poster():
    project = QgsProject.instance(); project.clear()
    grids, comm, marks = build(project)
    cats = []
    for c in sorted({f["colour"] for f in grids.getFeatures()}):
        cats.append(QgsRendererCategory(c, QgsFillSymbol.createSimple(
            {"color": c, "outline_color": "#5a5a5a", "outline_width": "0.25"}), c))
    grids.setRenderer(QgsCategorizedSymbolRenderer("colour", cats))
    label_grids(grids, 22)
    layout = QgsPrintLayout(project); layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize("A0", QgsLayoutItemPage.Landscape)
    add_label(layout, "青云路街道网格分布图", (300, 40, 600, 50), 90, True)
    m = QgsLayoutItemMap(layout); layout.addLayoutItem(m)  # add first, or the extent stays empty
    m.attemptMove(QgsLayoutPoint(40, 110))
    m.attemptResize(QgsLayoutSize(760, 660)); m.setLayers([marks, comm, grids])
    m.setCrs(grids.crs()); e = grids.extent(); e.scale(1.08); m.setExtent(e); m.zoomToExtent(e)
    m.setFrameEnabled(True)
    leg = QgsLayoutItemLegend(layout); leg.setLinkedMap(m); leg.attemptMove(QgsLayoutPoint(820, 640))
    layout.addLayoutItem(leg)
    sb = QgsLayoutItemScaleBar(layout); sb.setStyle("Single Box"); sb.setLinkedMap(m)
    sb.applyDefaultSize(); sb.attemptMove(QgsLayoutPoint(50, 740)); layout.addLayoutItem(sb)
    na = QgsLayoutItemPicture(layout)
    na.setPicturePath(QgsApplication.defaultThemePath() + "/../../svg/arrows/NorthArrow_02.svg")
    na.attemptMove(QgsLayoutPoint(740, 120)); na.attemptResize(QgsLayoutSize(40, 50)); layout.addLayoutItem(na)
    table = QgsLayoutItemAttributeTable.create(layout); table.setVectorLayer(grids)
    table.setMaximumNumberOfFeatures(1000)
    # Default columns and fonts: setColumns and setContent/HeaderTextFormat corrupt the
    # heap of QGIS 3.22 when called from Python.
    frame = QgsLayoutFrame(layout, table); frame.attemptMove(QgsLayoutPoint(820, 110))
    frame.attemptResize(QgsLayoutSize(340, 520)); table.addFrame(frame); layout.addMultiFrame(table)
    add_label(layout, "发布单位：贵阳市南明区青云路街道办事处", (40, 800, 500, 20), 24)
    s = QgsLayoutExporter.PdfExportSettings(); s.dpi = 300
    r = QgsLayoutExporter(layout).exportToPdf(out, s)
    assert r == QgsLayoutExporter.Success, r

def atlas():
    project = QgsProject.instance(); project.clear()
    grids, comm, marks = build(project)
    root = QgsRuleBasedRenderer.Rule(None)
    here = QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple(
        {"color": "#fbb4ae", "outline_color": "#a61b1b", "outline_width": "1.0"}),
        filterExp="@id = @atlas_featureid")
    other = QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple(
        {"color": "#e4e4e4", "outline_color": "#9a9a9a", "outline_width": "0.25"}),
        filterExp="ELSE")
    root.appendChild(here); root.appendChild(other)
    grids.setRenderer(QgsRuleBasedRenderer(root))
    label_grids(grids, 9)
    layout = QgsPrintLayout(project); layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize("A4", QgsLayoutItemPage.Portrait)
    add_label(layout, '[% "name" %]', (20, 12, 170, 14), 24, True)
    add_label(layout, '网格编码 [% "code" %]', (20, 26, 170, 8), 11)
    m = QgsLayoutItemMap(layout); layout.addLayoutItem(m); m.attemptMove(QgsLayoutPoint(12, 36))
    m.attemptResize(QgsLayoutSize(186, 165)); m.setLayers([marks, comm, grids])
    m.setCrs(grids.crs()); m.setExtent(grids.extent()); m.setAtlasDriven(True); m.setAtlasScalingMode(QgsLayoutItemMap.Auto); m.setAtlasMargin(0.35)
    m.setFrameEnabled(True)
    sb = QgsLayoutItemScaleBar(layout); sb.setStyle("Single Box"); sb.setLinkedMap(m)
    sb.applyDefaultSize(); sb.attemptMove(QgsLayoutPoint(16, 190)); layout.addLayoutItem(sb)
    add_label(layout, '网格员 [% "manager" %]  电话 [% "phone" %]\n户数 [% "households" %]  人口 [% "population" %]',
              (12, 210, 186, 30), 14)
    add_label(layout, "发布单位：贵阳市南明区青云路街道办事处", (12, 280, 120, 8), 9)
    at = layout.atlas(); at.setCoverageLayer(grids); at.setEnabled(True)
    at.setSortFeatures(True); at.setSortExpression('"code"')
    s = QgsLayoutExporter.PdfExportSettings(); s.dpi = 300
    r, err = QgsLayoutExporter.exportToPdf(at, out, s)
    assert r == QgsLayoutExporter.Success, err

times = []
for _ in range(repeat):
    t = time.perf_counter()
    (poster if kind == "poster" else atlas)()
    times.append(time.perf_counter() - t)
print(json.dumps({"times": times, "version": Qgis.version()}))
'''


def export_for_qgis(store, path: Path) -> None:
    """The same data as our print (grids with colour and manager) as a GeoPackage."""
    from gridapp.services.maps_out.print_data import load_print_data
    from gridapp.services.session import system_session

    data = load_print_data(system_session(store), street=True)
    cols = ["code", "name", "colour", "manager", "phone", "households", "population",
            "geometry"]
    g = data.grids[cols].copy()
    g["households"] = g["households"].astype("float")
    g.to_file(path, layer="grids", driver="GPKG")
    data.communities[["name", "geometry"]].to_file(path, layer="communities", driver="GPKG")
    data.landmarks[["name", "geometry"]].to_file(path, layer="landmarks", driver="GPKG")


def run_qgis(src: Path, out: Path, kind: str, repeat: int) -> dict | None:
    python = shutil.which("python3", path="/usr/bin")
    if not python:
        return None
    script = Path(tempfile.mkdtemp()) / "qgis_print.py"
    script.write_text(QGIS_SCRIPT, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([python, str(script), str(src), str(out), kind, str(repeat)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f"QGIS {kind} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def time_ours(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--grids", type=int, default=60)
    args = ap.parse_args()

    from gridapp.printing.jobs import write_atlas, write_poster
    from gridapp.printing.qtapp import ensure_gui_app
    from gridapp.services.demo.street import DemoSpec, write_demo
    from gridapp.services.maps_out.printing import PosterOptions, atlas_job, poster_job
    from gridapp.services.session import system_session
    from gridapp.storage import open_store

    ensure_gui_app()
    work = Path(tempfile.mkdtemp(prefix="bench_print_"))
    ws = work / "street.gpkg"
    write_demo(ws, DemoSpec(grids=args.grids, reports=200, hash_rounds=2**10))
    with open_store(ws, readonly=True) as store:
        n = store.scalar("SELECT count(*) FROM grid WHERE valid_to IS NULL")
        export_for_qgis(store, work / "qgis.gpkg")
        print(f"{n} grids; outputs in {work}")
        admin = system_session(store)
        poster = time_ours(lambda: write_poster(poster_job(admin, PosterOptions(
            street=True, paper="A0", orientation="landscape")), work / "poster.pdf"),
            args.repeat)
        atlas = time_ours(lambda: write_atlas(atlas_job(admin, PosterOptions(street=True)),
                                              work / "atlas.pdf"), max(args.repeat // 2, 2))
    rows = [("A0 poster PDF", poster, run_qgis(work / "qgis.gpkg", work / "qgis_poster.pdf",
                                                "poster", args.repeat)),
            (f"{n}-page atlas PDF", atlas, run_qgis(work / "qgis.gpkg", work / "qgis_atlas.pdf",
                                                   "atlas", max(args.repeat // 2, 2)))]
    for name, ours, anchor in rows:
        med = statistics.median(ours)
        if anchor:
            q = statistics.median(anchor["times"])
            print(f"{name:18s} GridApp {med:7.3f} s   QGIS {anchor['version']} {q:7.3f} s   "
                  f"ratio {med / q:5.2f} (goal <= 1.0)")
        else:
            print(f"{name:18s} GridApp {med:7.3f} s   QGIS anchor not available")


if __name__ == "__main__":
    main()
