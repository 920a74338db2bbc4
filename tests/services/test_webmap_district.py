"""The web map at district size (issue 21): every case reachable through counted
clusters, a heat map scaled to the view, community names that do not overlap, a
metric scale with 1:N; and the compact columns that carry a district's cases."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from gridapp.services.maps_out.webmap import WebMapOptions, export_webmap
from gridapp.services.maps_out.webmap_points import _json, report_payload
from gridapp.services.session import system_session
from gridapp.storage import open_store
from tests.services.test_webmap import _chromium, needs_chromium

PROBE = """<script>
window.addEventListener('load', function () { setTimeout(function () {
  var out = {};
  var map = null;
  for (const key of Object.keys(window)) {
    if (key.startsWith('map_') && window[key] && window[key].getZoom) map = window[key];
  }
  var groups = window.gridappCaseGroups;
  out.shownGroups = groups.filter(function (g) { return map.hasLayer(g); }).length;
  groups.forEach(function (g) { if (!map.hasLayer(g)) g.addTo(map); });
  out.markers = groups.reduce(function (a, g) { return a + g.getLayers().length; }, 0);
  out.counted = groups.reduce(function (a, g) { return a + g.gridappCount; }, 0);
  out.clusterIcons = document.querySelectorAll('.gridapp-cluster').length;
  out.heatMaxHere = window.gridappHeat.gridappMax;
  function labelRects() {
    return Array.from(document.querySelectorAll('.gridapp-label')).filter(function (s) {
      return s.parentNode.style.display !== 'none'; }).map(function (s) {
      var r = s.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, s.textContent]; });
  }
  out.labelsHere = labelRects();
  out.ratio = document.querySelector('.gridapp-ratio').textContent;
  out.scaleLines = document.querySelectorAll('.leaflet-control-scale-line').length;
  out.scaleText = document.querySelector('.leaflet-control-scale-line').textContent;
  map.setZoom(map.getZoom() - 3, {animate: false});
  out.labelsOut = labelRects();
  out.heatMaxOut = window.gridappHeat.gridappMax;
  out.ratioOut = document.querySelector('.gridapp-ratio').textContent;
  var pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
}, 200); });
</script>"""


@needs_chromium
def test_every_case_is_reachable_and_labels_do_not_overlap(demo_file, tmp_path):
    out = tmp_path / "map.html"
    with open_store(demo_file, readonly=True) as store:
        result = export_webmap(system_session(store), out, WebMapOptions(days=3650, heat=True))
        total = store.scalar("SELECT count(*) FROM report")
    assert result.reports == total  # ten years: every case of the demo, none left out
    probe = tmp_path / "probe.html"
    probe.write_text(out.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                     encoding="utf-8")
    proc, requests = _chromium(probe.as_uri(), "--dump-dom")
    assert requests == []
    dom = proc.stdout.decode("utf-8", errors="replace")
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    got = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    # every case is a marker in one state's group; open states shown at first
    assert got["markers"] == got["counted"] == total
    assert 0 < got["shownGroups"] < len(result.grid_colours) + 20
    assert got["clusterIcons"] > 0  # counted clusters at the street's zoom
    # names placed: none overlaps another, and fewer fit when zoomed out three levels
    for key in ("labelsHere", "labelsOut"):
        rects = got[key]
        for i, a in enumerate(rects):
            for b in rects[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert len(got["labelsHere"]) >= 4
    assert len(got["labelsOut"]) < len(got["labelsHere"])
    # the heat map's scale follows the view: more cases per cell when zoomed out
    assert got["heatMaxOut"] > got["heatMaxHere"] >= 2
    # metric only (Leaflet switches m / km), with a ratio that grows as the map zooms out
    assert got["scaleLines"] == 1 and re.fullmatch(r"\d+ (m|km)", got["scaleText"])
    here = int(got["ratio"].removeprefix("比例尺 1:").replace(",", ""))
    far = int(got["ratioOut"].removeprefix("比例尺 1:").replace(",", ""))
    assert 7 <= far / here <= 9  # three zoom levels: 2**3


def _reports(n: int, address: str = "青云路1号") -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    at = pd.Timestamp("2026-11-01T00:00:00Z") + pd.to_timedelta(
        rng.integers(0, 30 * 24 * 60, n), unit="min")
    return gpd.GeoDataFrame({
        "case_no": [f"C{i:07d}" for i in range(n)],
        "status": np.where(np.arange(n) % 3 == 0, "closed", "reported"),
        "status_label": np.where(np.arange(n) % 3 == 0, "已结案", "待立案"),
        "top_code": "01", "top_name": "市容环境", "category": "暴露垃圾",
        "reported_at": at, "address": address,
    }, geometry=[Point(106.7 + i * 1e-5, 26.57) for i in range(n)], crs=4326)


def test_payload_columns_and_the_address_limit():
    small = report_payload(_reports(10), detail_limit=10)
    assert len(small["lat"]) == len(small["no"]) == len(small["t"]) == 10
    assert small["lat"][0] == 2657000 and small["lon"][3] == 10670003  # 1e-5 degrees
    assert [s["name"] for s in small["statuses"]] == ["待立案", "已结案"]
    assert [s["show"] for s in small["statuses"]] == [True, False]
    assert small["statuses"][1]["label"] == "事件·已结案（4）"
    assert small["a"] == ["青云路1号"] * 10
    big = report_payload(_reports(11), detail_limit=10)
    assert big["a"] is None and len(big["no"]) == 11


def test_data_cannot_end_the_script_element():
    hostile = report_payload(_reports(2, address="</script><script>alert(1)</script>"))
    text = _json(hostile)
    assert "</script>" not in text and "<\\/script>" in text
    assert json.loads(text)["a"][0] == "</script><script>alert(1)</script>"
