"""Every case of a district on the web map: counted clusters, a heat map scaled to the
view, community names that do not pile up, and a scale in metres/km and 1:N (issue 21).

The page got one GeoJSON feature per case, which kept a district export to the latest
20,000 cases; here the cases go into the page once, as compact columns (coordinates
in 1e-5 degrees, about a metre; minutes since the first case; small integers for
status and category), and the browser builds the layers from them:

* one Leaflet.markercluster group per case state (open states shown, closed ones in
  the layer list) and per event class (hidden), each filled the first time it is
  shown: counted clusters open into single cases as you zoom, so every case is
  reachable; a case's popup is built on click, with text set as text (no HTML from
  the data reaches the page);
* the heat map uses the same columns; its scale is the 99th percentile of the cells
  in view, recomputed on every move, so it neither saturates at district zoom nor
  fades to nothing in a quiet corner;
* community names are placed largest community first and only where they fit: a
  name is shown when its community is at least as wide as the name on screen and it
  does not overlap a name already placed;
* the scale bar is metric only (Leaflet switches from m to km), with a 比例尺 1:N
  beside it (screen at 96 dpi).

Leaflet.markercluster 1.5.3 is bundled under ``resources/web`` like Leaflet.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from gridapp.services.maps_out.webmap_layers import (
    CATEGORY_COLOURS,
    CLOSED_STATUSES,
    HEAT_GRADIENT,
    STATUS_COLOURS,
    STATUS_ORDER,
)

CDN = "https://cdnjs.cloudflare.com/ajax/libs"
# Addresses go into the page up to this many cases; beyond, popups omit them.
DETAIL_LIMIT = 100_000


def _json(value: Any) -> str:
    """JSON safe inside a <script>: no '</' can end the element early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def report_payload(reports: Any, *, detail_limit: int = DETAIL_LIMIT) -> dict[str, Any]:
    """The page's columns for *reports* (EPSG:4326, as from ``load_webmap_data``)."""
    n = len(reports)
    xy = np.column_stack([reports.geometry.x.to_numpy(), reports.geometry.y.to_numpy()]) \
        if n else np.zeros((0, 2))
    statuses = sorted(set(reports["status"]) if n else set(),
                      key=lambda s: (STATUS_ORDER.index(s) if s in STATUS_ORDER else 99, s))
    s_index = {s: i for i, s in enumerate(statuses)}
    labels = (reports.drop_duplicates("status").set_index("status")["status_label"]
              if n else pd.Series(dtype=object))
    kinds = (reports["top_name"].astype(str) + " / " + reports["category"].astype(str)) \
        if n else pd.Series(dtype=object)
    kind_codes, kind_names = pd.factorize(kinds, sort=True)
    tops = (reports.drop_duplicates("top_code").sort_values("top_code")
            if n else reports.iloc[0:0])
    top_index = {c: i for i, c in enumerate(tops["top_code"])} if n else {}
    local = (reports["reported_at"].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
             if n else pd.Series(dtype="datetime64[ns]"))
    t0 = local.min() if n else pd.Timestamp("2000-01-01")
    minutes = ((local - t0).dt.total_seconds() // 60).astype(np.int64) if n else local
    counts_s = reports["status"].value_counts() if n else {}
    counts_t = reports["top_code"].value_counts() if n else {}
    return {
        "lat": np.round(xy[:, 1] * 1e5).astype(np.int64).tolist(),
        "lon": np.round(xy[:, 0] * 1e5).astype(np.int64).tolist(),
        "s": [s_index[v] for v in reports["status"]] if n else [],
        "c": [top_index[v] for v in reports["top_code"]] if n else [],
        "k": kind_codes.tolist(),
        "kinds": [str(k) for k in kind_names],
        "no": [str(v) for v in reports["case_no"]] if n else [],
        "t0": int(t0.value // 1_000_000),  # ms of the first case's local time read as UTC
        "t": minutes.tolist() if n else [],
        "a": ([("" if pd.isna(v) else str(v)) for v in reports["address"]]
              if 0 < n <= detail_limit else None),
        "statuses": [{"code": s, "label": f"事件·{labels[s]}（{int(counts_s[s])}）",
                      "name": str(labels[s]),
                      "colour": STATUS_COLOURS.get(s, "#666666"),
                      "show": s not in CLOSED_STATUSES} for s in statuses],
        "tops": [{"name": str(name), "label": f"类别·{name}（{int(counts_t[code])}）",
                  "colour": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]}
                 for i, (code, name) in enumerate(zip(tops["top_code"], tops["top_name"],
                                                      strict=True))] if n else [],
    }


def label_payload(communities: Any) -> list[dict[str, Any]]:
    """Community names with their anchor and box (EPSG:4326), largest community first."""
    if communities is None or not len(communities):
        return []
    # ranking only: areas in square degrees are fine for "largest first"
    frame = communities.assign(_area=shapely.area(communities.geometry.values)).sort_values(
        "_area", ascending=False)
    out = []
    for row in frame.itertuples():
        point = row.geometry.representative_point()
        out.append({"n": str(row.name or ""), "y": round(point.y, 6), "x": round(point.x, 6),
                    "b": [round(v, 6) for v in row.geometry.bounds]})
    return [o for o in out if o["n"]]


class DistrictLayers(JSCSSMixin, MacroElement):
    """The cases, heat map, community names and scale of the web map, built in the page."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.gridapp-cluster div{width:100%;height:100%;border-radius:50%;opacity:.88;display:flex;
 align-items:center;justify-content:center;border:2px solid rgba(255,255,255,.9);
 box-sizing:border-box;color:#fff;font:bold 12px sans-serif;text-shadow:0 0 2px #000}
.gridapp-label{white-space:nowrap;transform:translate(-50%,-50%);font-size:13px;
 font-weight:bold;color:#222;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;
 pointer-events:none;display:inline-block}
.gridapp-ratio{background:rgba(255,255,255,.8);padding:0 5px;font-size:11px;
 border:2px solid #777;border-top:none;margin-left:4px!important}
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var control = {{ this.control_name }};
  var D = {{ this.reports_json }};
  var LABELS = {{ this.labels_json }};
  var HEAT = {{ this.heat_json }};
  var n = D.lat.length;
  function where(i) { return [D.lat[i] / 1e5, D.lon[i] / 1e5]; }
  function two(v) { return (v < 10 ? '0' : '') + v; }
  function when(i) {
    var d = new Date(D.t0 + D.t[i] * 60000);
    return d.getUTCFullYear() + '-' + two(d.getUTCMonth() + 1) + '-' + two(d.getUTCDate())
      + ' ' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
  }
  function popup(i) {
    var box = document.createElement('div');
    box.className = 'gp';
    var table = document.createElement('table');
    var rows = [['案件编号', D.no[i]], ['类别', D.kinds[D.k[i]]],
                ['状态', D.statuses[D.s[i]].name], ['上报时间', when(i)]];
    if (D.a) rows.push(['地址', D.a[i] || '—']);
    rows.forEach(function (r) {
      var tr = table.insertRow();
      var th = document.createElement('th');
      th.textContent = r[0];
      tr.appendChild(th);
      tr.insertCell().textContent = r[1];
    });
    box.appendChild(table);
    return box;
  }
  function countText(c) { return c < 10000 ? String(c) : (c / 10000).toFixed(c < 100000 ? 1 : 0) + '万'; }
  function clusterIcon(colour) {
    return function (cluster) {
      var c = cluster.getChildCount();
      var size = c < 100 ? 30 : c < 1000 ? 36 : c < 10000 ? 42 : 50;
      return L.divIcon({html: '<div style="background:' + colour + '">' + countText(c) + '</div>',
                        className: 'gridapp-cluster', iconSize: L.point(size, size)});
    };
  }
  function caseGroup(colour, keep, fill) {
    var group = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false,
      maxClusterRadius: 60, spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon(colour)});
    var filled = false;
    group.on('add', function () {
      if (filled) return;
      filled = true;
      var markers = [];
      for (var i = 0; i < n; i++) {
        if (!keep(i)) continue;
        var m = L.circleMarker(where(i), {radius: 4.5, fillColor: fill(i), fillOpacity: 0.95,
                                          color: '#ffffff', weight: 1});
        m.bindPopup(popup.bind(null, i));
        markers.push(m);
      }
      group.addLayers(markers);
    });
    return group;
  }
  window.gridappCaseGroups = [];
  D.statuses.forEach(function (st, si) {
    var g = caseGroup(st.colour, function (i) { return D.s[i] === si; },
                      function () { return st.colour; });
    g.gridappCount = 0;
    for (var i = 0; i < n; i++) if (D.s[i] === si) g.gridappCount++;
    control.addOverlay(g, st.label);
    if (st.show) g.addTo(map);
    window.gridappCaseGroups.push(g);
  });
  D.tops.forEach(function (top, ti) {
    var g = caseGroup(top.colour, function (i) { return D.c[i] === ti; },
                      function () { return top.colour; });
    control.addOverlay(g, top.label);
  });

{% if this.with_heat %}
  if (HEAT) {
    // Leaflet.heat scaled to what is in view: the 99th percentile of the cells shown
    var ViewHeat = L.HeatLayer.extend({
      _redraw: function () {
        if (!this._map) return;
        var r = this._heat._r, size = this._map.getSize(), cell = r / 2;
        var shown = new L.Bounds(L.point([-r, -r]), size.add([r, r]));
        var pane = this._map._getMapPanePos(), ox = pane.x % cell, oy = pane.y % cell;
        var view = this._map.getBounds().pad(0.1);
        var s = view.getSouth() * 1e5, nn = view.getNorth() * 1e5;
        var w = view.getWest() * 1e5, e = view.getEast() * 1e5;
        var cells = {}, list = [];
        for (var i = 0; i < n; i++) {
          var la = D.lat[i], lo = D.lon[i];
          if (la < s || la > nn || lo < w || lo > e) continue;
          var p = this._map.latLngToContainerPoint([la / 1e5, lo / 1e5]);
          var key = Math.floor((p.x - ox) / cell) + ':' + Math.floor((p.y - oy) / cell);
          var c = cells[key];
          if (c) { c[0] += p.x; c[1] += p.y; c[2] += 1; }
          else { c = cells[key] = [p.x, p.y, 1]; list.push(c); }
        }
        var sums = list.map(function (c) { return c[2]; }).sort(function (a, b) { return a - b; });
        var top = sums.length ? Math.max(2, sums[Math.floor(0.99 * (sums.length - 1))]) : 1;
        this.gridappMax = top;
        this._heat.max(top);
        var data = [];
        list.forEach(function (c) {
          var x = c[0] / c[2], y = c[1] / c[2];
          if (shown.contains([x, y])) data.push([Math.round(x), Math.round(y), Math.min(c[2], top)]);
        });
        this._heat.data(data).draw(this.options.minOpacity);
        this._frame = null;
      }
    });
    var heat = new ViewHeat([], HEAT.options);
    control.addOverlay(heat, HEAT.name);
    heat.addTo(map);
    window.gridappHeat = heat;
  }
{% endif %}

  if (LABELS.length) {
    var names = L.layerGroup();
    var markers = LABELS.map(function (c) {
      var m = L.marker([c.y, c.x], {interactive: false, keyboard: false,
        icon: L.divIcon({className: '', html: '<span class="gridapp-label"></span>',
                         iconSize: null})});
      m.gridappName = c.n;
      m.gridappBox = c.b;
      names.addLayer(m);
      return m;
    });
    var declutter = function () {
      if (!map.hasLayer(names)) return;
      var placed = [];
      markers.forEach(function (m) {
        var el = m.getElement();
        if (!el) return;
        var span = el.firstChild;
        if (span.textContent !== m.gridappName) span.textContent = m.gridappName;
        el.style.display = '';
        var w = span.offsetWidth || 14 * m.gridappName.length, h = span.offsetHeight || 18;
        var p = map.latLngToContainerPoint(m.getLatLng());
        var b = m.gridappBox;
        var a = map.latLngToContainerPoint([b[1], b[0]]), z = map.latLngToContainerPoint([b[3], b[2]]);
        var room = Math.abs(z.x - a.x);
        var box = {x0: p.x - w / 2 - 4, x1: p.x + w / 2 + 4, y0: p.y - h / 2 - 2, y1: p.y + h / 2 + 2};
        var free = placed.every(function (q) {
          return box.x1 <= q.x0 || q.x1 <= box.x0 || box.y1 <= q.y0 || q.y1 <= box.y0;
        });
        var fits = room >= w && free;
        el.style.display = fits ? '' : 'none';
        if (fits) placed.push(box);
      });
      window.gridappLabelsShown = placed.length;
    };
    names.on('add', function () { setTimeout(declutter, 0); });
    map.on('zoomend moveend', declutter);
    names.addTo(map);
    control.addOverlay(names, '社区名称');
    window.gridappDeclutter = declutter;
  }

  L.control.scale({metric: true, imperial: false, maxWidth: 160}).addTo(map);
  var Ratio = L.Control.extend({
    options: {position: 'bottomleft'},
    onAdd: function () {
      this._div = L.DomUtil.create('div', 'gridapp-ratio');
      map.on('zoomend moveend resize', this._update, this);
      this._update();
      return this._div;
    },
    _update: function () {
      var c = map.getSize().divideBy(2);
      var a = map.containerPointToLatLng(c), b = map.containerPointToLatLng(c.add([100, 0]));
      var perPixel = a.distanceTo(b) / 100;           // metres on the ground per screen pixel
      var denominator = perPixel / (0.0254 / 96);     // a 96-dpi pixel is 0.0254/96 m
      var digits = Math.pow(10, Math.max(0, Math.floor(Math.log10(denominator)) - 1));
      denominator = Math.round(denominator / digits) * digits;
      this._div.textContent = '比例尺 1:' + denominator.toLocaleString('en-US');
    }
  });
  new Ratio().addTo(map);
})();
{% endmacro %}
""")

    default_js = [
        ("leaflet.markercluster.js", f"{CDN}/leaflet.markercluster/1.5.3/leaflet.markercluster.js"),
        ("leaflet_heat.min.js",
         "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/"
         "leaflet_heat.min.js"),
    ]
    default_css = [
        ("MarkerCluster.css", f"{CDN}/leaflet.markercluster/1.5.3/MarkerCluster.css"),
    ]

    def __init__(self, reports: Any, communities: Any, control: Any, *, heat: bool,
                 detail_limit: int = DETAIL_LIMIT) -> None:
        super().__init__()
        self._name = "GridAppDistrictLayers"
        self.control_name = control.get_name()
        payload = report_payload(reports, detail_limit=detail_limit)
        self.n_reports = len(payload["lat"])
        self.addresses = payload["a"] is not None
        # what the legend lists, in the layer list's order
        self.status_codes = [s["code"] for s in payload["statuses"]]
        self.top_names = [t["name"] for t in payload["tops"]]
        self.reports_json = _json(payload)
        self.labels_json = _json(label_payload(communities))
        self.with_heat = bool(heat and self.n_reports)
        if not self.with_heat:  # no heat map: not even its script in the page
            self.default_js = [js for js in self.default_js if js[0] != "leaflet_heat.min.js"]
        self.heat_json = _json({
            "name": f"热力图（{self.n_reports} 件）",
            "options": {"radius": 16, "blur": 14, "minOpacity": 0.0, "maxZoom": 16,
                        "gradient": {str(k): v for k, v in HEAT_GRADIENT.items()}},
        } if heat and self.n_reports else None)
