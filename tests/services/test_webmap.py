"""Offline web map: no remote URL, opens in Chromium with no network, shows the grids."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

from gridapp.errors import Cancelled, NotFoundError
from gridapp.progress import CancelToken
from gridapp.services.grids.colouring import GRID_PALETTE
from gridapp.services.maps_out.webmap import BACKGROUND, WebMapOptions, export_webmap
from gridapp.services.maps_out.webmap_assets import (
    OfflineAssetError,
    inline_assets,
    remote_references,
)
from gridapp.services.session import system_session
from gridapp.storage import open_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium")
GRID_OPACITY = 0.85  # as in webmap_layers.add_grids


# -- fixtures -----------------------------------------------------------------
def _demo_extras(store):
    """Clusters (hulls round two report groups) and a task footprint, in EPSG:4490."""
    reports = store.read_layer("report", columns=["case_no"]).sort_values("id")
    metric = reports.to_crs(store.metric_epsg)
    ids, hulls = [], []
    for seed in (0, 1):  # reports within 60 m of two reports: small, like real clusters
        near = metric[metric.distance(metric.geometry.iloc[seed]) < 60]
        ids.append(near["id"].tolist())
        hulls.append(near.union_all().convex_hull.buffer(15))
    clusters = gpd.GeoDataFrame(
        {"cluster_id": [1, 2], "report_ids": ids, "label": ["夜市占道", "工地扬尘"]},
        geometry=hulls, crs=store.metric_epsg).to_crs(4490)
    centre = store.read_layer("grid", "valid_to IS NULL").geometry.iloc[0].centroid
    task = gpd.GeoDataFrame(
        {"task_no": ["LH2026001"], "title": ["夜市占道联合整治"], "state_label": ["已吹哨"]},
        geometry=[gpd.GeoSeries([centre], crs=4490).to_crs(store.metric_epsg)
                  .buffer(80).to_crs(4490).iloc[0]], crs=4490)
    return clusters, task


@pytest.fixture(scope="module")
def exported(demo_file, tmp_path_factory):
    """The demo street's web map with clusters and a task; (path, result, store facts)."""
    out = tmp_path_factory.mktemp("webmap") / "map.html"
    with open_store(demo_file, readonly=True) as store:
        clusters, tasks = _demo_extras(store)
        now = store.read_layer("report", columns=["reported_at"])["reported_at"].max()
        result = export_webmap(system_session(store), out, WebMapOptions(days=30),
                               clusters=clusters, tasks=tasks, now=now.to_pydatetime())
        managers = store.query(
            "SELECT g.code, m.name, m.phone FROM grid g JOIN grid_assignment a "
            "ON a.grid_id = g.id AND a.valid_to IS NULL AND a.role = 'primary' "
            "JOIN manager m ON m.id = a.manager_id WHERE g.valid_to IS NULL ORDER BY g.code")
    return out, result, [tuple(r) for r in managers]


class _Refs(HTMLParser):
    """Every URL-valued attribute, and style text, of a parsed page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self.tags: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data", "action") and value:
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def _decoded(html: str) -> str:
    """The page with JSON \\uXXXX escapes undone (folium writes data with ensure_ascii)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), html)


def _is_remote(url: str) -> bool:
    return re.match(r"^\s*(https?:)?//", url, re.IGNORECASE) is not None


# -- the file -------------------------------------------------------------------
def test_html_references_no_remote_url(exported):
    path, result, _ = exported
    html = path.read_text(encoding="utf-8")
    refs = _Refs()
    refs.feed(html)
    assert [u for u in refs.urls if _is_remote(u[2])] == []
    css_urls = [m for s in refs.styles for m in re.findall(r"url\(\s*['\"]?([^'\")]+)", s)]
    assert css_urls and all(u.startswith(("data:", "#")) for u in css_urls)
    assert not any("@import" in s for s in refs.styles)
    # everything is inline: no external script or style sheet at all
    assert not [u for u in refs.urls if u[0] in ("script", "link")]
    assert "Leaflet 1.9.4" in html and "L.heatLayer" in html
    assert remote_references(html) == []
    assert result.size_bytes == path.stat().st_size < 5_000_000


def test_html_content(exported):
    path, result, managers = exported
    html = _decoded(path.read_text(encoding="utf-8"))
    assert result.grids == 60 and result.reports > 100
    assert result.clusters == 2 and result.tasks == 1
    assert "<title>青云路街道网格分布与事件地图</title>" in html
    for text in ("图例", "相邻网格颜色不同", "社区边界", "事件·已结案", "类别·市容环境",
                 "热力图", "事件聚集区（2）", "联合执法任务（1）", "夜市占道联合整治",
                 "青云路街道办事处", "近 30 天", "案件编号", "上报时间"):
        assert text in html, text
    for code, name, phone in managers:
        assert code in html and name in html and phone in html
    assert set(result.grid_colours) <= set(GRID_PALETTE) and len(result.grid_colours) >= 4
    # residents' personal data never reaches the page
    assert "reporter_name" not in html and "reporter_phone" not in html


def test_inline_assets_keeps_unknown_cdn_out():
    page = ('<html><head><script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/'
            'leaflet.js"></script><script src="https://code.jquery.com/jquery-3.7.1.min.js">'
            '</script><link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/'
            'dist/leaflet.css"/></head><body></body></html>')
    html = inline_assets(page)
    assert "jquery" not in html and "<script src" not in html
    assert "Leaflet 1.9.4" in html and "data:image/png;base64," in html
    with pytest.raises(OfflineAssetError, match="cdn.example.com"):
        inline_assets('<script src="https://cdn.example.com/lib.js"></script>')
    with pytest.raises(OfflineAssetError):
        inline_assets('<img src="//tiles.example.com/1/2/3.png">')


def test_community_filter_and_unassigned_grid(demo_workspace, tmp_path):
    store = demo_workspace
    code = "520102003004"
    grid_id, grid_code = tuple(store.query(
        "SELECT g.id, g.code FROM grid g JOIN community c ON c.id = g.community_id "
        "WHERE c.code = ? AND g.valid_to IS NULL ORDER BY g.code LIMIT 1", (code,))[0])
    with store.transaction("test") as tx:
        tx.execute("UPDATE grid_assignment SET valid_to = '2026-11-01T00:00:00.000Z' "
                   "WHERE grid_id = ? AND valid_to IS NULL", (grid_id,))
    result = export_webmap(system_session(store), tmp_path / "one.html",
                           WebMapOptions(community=code))
    html = _decoded((tmp_path / "one.html").read_text(encoding="utf-8"))
    assert result.grids == 8 and "明珠社区网格分布与事件地图" in html
    assert grid_code in html and "未分配" in html
    others = [r[0] for r in store.query(
        "SELECT code FROM grid WHERE valid_to IS NULL AND code NOT LIKE ?", (code + "%",))]
    assert not any(c in html for c in others)
    with pytest.raises(NotFoundError):
        export_webmap(system_session(store), tmp_path / "x.html",
                      WebMapOptions(community="不存在社区"))


def test_progress_cancel_and_tiles(demo_file, tmp_path):
    seen: list[tuple[int, int]] = []
    with open_store(demo_file, readonly=True) as store:
        export_webmap(system_session(store), tmp_path / "t.html",
                      WebMapOptions(days=7, heat=False,
                                    tile_url="https://tile.example.com/{z}/{x}/{y}.png",
                                    tile_attribution="© 示例"),
                      progress=lambda d, t, m="": seen.append((d, t)))
        token = CancelToken()
        token.cancel()
        with pytest.raises(Cancelled):
            export_webmap(system_session(store), tmp_path / "c.html", cancel=token)
    assert not (tmp_path / "c.html").exists()
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    html = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "https://tile.example.com/{z}/{x}/{y}.png" in html
    assert "L.heatLayer(" not in html.split("L.HeatLayer=")[-1].split("</script>", 1)[-1]


def test_empty_workspace_exports(empty_workspace, tmp_path):
    result = export_webmap(system_session(empty_workspace), tmp_path / "e.html")
    assert result.grids == 0 and result.reports == 0
    assert "测试街道网格分布与事件地图" in (tmp_path / "e.html").read_text(encoding="utf-8")


# -- in a browser with networking disabled -------------------------------------------
class _ProxyRecorder:
    """A 'proxy' on loopback that records every request Chromium tries, then hangs up."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.requests.append(conn.recv(4096).split(b"\r\n", 1)[0].decode())
                except OSError:
                    self.requests.append("?")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def _chromium(url: str, *extra: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    proxy = _ProxyRecorder()
    with tempfile.TemporaryDirectory() as profile:
        try:
            proc = subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                 f"--user-data-dir={profile}", f"--proxy-server=127.0.0.1:{proxy.port}",
                 "--proxy-bypass-list=<-loopback>", "--window-size=1200,900",
                 "--virtual-time-budget=5000", *extra, url],
                capture_output=True, timeout=90)
        finally:
            proxy.close()
    return proc, [r for r in proxy.requests if not _chromium_own(r)]


# Chromium's own background services (clock, updater, accounts) that the flags
# above do not fully silence; no page of ours names these hosts.
_CHROMIUM_OWN = re.compile(r"^\S+ (https?://)?[\w.-]*\.(google\.com|googleapis\.com)[:/]")


def _chromium_own(request: str) -> bool:
    return _CHROMIUM_OWN.match(request) is not None


@needs_chromium
def test_harness_sees_network_requests(tmp_path):
    """The recorder is not blind: a page with a remote image is caught."""
    page = tmp_path / "remote.html"
    page.write_text('<img src="http://example.com/x.png">', encoding="utf-8")
    _, requests = _chromium(page.as_uri(), f"--screenshot={tmp_path / 's.png'}")
    assert any("example.com" in r for r in requests)


@needs_chromium
def test_opens_offline_and_shows_grids(exported, tmp_path):
    from PIL import Image

    path, result, _ = exported
    shot = tmp_path / "shot.png"
    proc, requests = _chromium(path.as_uri(), f"--screenshot={shot}")
    assert shot.exists(), proc.stderr.decode(errors="replace")[-2000:]
    shutil.copy(shot, path.with_suffix(".png"))  # for a person to look at
    assert requests == []  # nothing at all went to the network
    img = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert img.shape == (900, 1200, 3)
    bg = np.array([int(BACKGROUND[i:i + 2], 16) for i in (1, 3, 5)])
    for colour in result.grid_colours:
        fill = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        shown = GRID_OPACITY * fill + (1 - GRID_OPACITY) * bg
        hits = (np.abs(img - shown).max(axis=2) <= 3).sum()
        assert hits > 2000, (colour, hits)  # each grid colour covers real area
    # the map fills the window (tile-less background round the street)
    assert (np.abs(img - bg).max(axis=2) <= 2).sum() > 50_000


@needs_chromium
def test_grid_popup_shows_manager(exported, tmp_path):
    """Open a grid's popup in the browser; its text names the grid's manager."""
    path, _, managers = exported
    code, name, phone = managers[len(managers) // 2]
    probe = tmp_path / "probe.html"
    script = (
        "<script>window.addEventListener('load', function () { setTimeout(function () {"
        "  for (const key of Object.keys(window)) {"
        "    const layer = window[key];"
        "    if (!key.startsWith('geo_json_') || !layer || !layer.eachLayer) continue;"
        "    layer.eachLayer(function (f) {"
        f"     if (f.feature && f.feature.properties.code === '{code}')"
        "        f.fire('click', {latlng: f.getBounds().getCenter()}, true);"
        "    });"
        "  }"
        "}, 100); });</script>")
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", script + "</body>"),
                     encoding="utf-8")
    proc, requests = _chromium(probe.as_uri(), "--dump-dom")
    dom = proc.stdout.decode("utf-8", errors="replace")
    popups = re.findall(r'<div class="leaflet-popup-content"[^>]*>(.*?)</div></div>', dom,
                        re.S)
    assert requests == []
    assert len(popups) == 1, dom[-3000:]
    text = re.sub(r"<[^>]+>", " ", popups[0])
    assert code in text and name in text and phone in text and "网格员" in text
