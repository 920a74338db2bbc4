"""Make folium's HTML self-contained: inline Leaflet from ``resources/web``.

folium writes ``<script src="https://cdn...">`` and ``<link href="https://cdn...">``
tags.  Each is replaced by the bundled file's text (CSS images become ``data:``
URIs) or, for libraries the web map does not use (jQuery, Bootstrap, Font
Awesome, awesome-markers), removed.  A URL that is neither is an error, and so
is any remote reference left in the result: the file must work with no
internet.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from gridapp.errors import GridAppError

WEB_RESOURCES = Path(__file__).resolve().parents[3] / "resources" / "web"

# basename of the CDN file → bundled file (relative to WEB_RESOURCES)
BUNDLED: dict[str, str] = {
    "leaflet.js": "leaflet/leaflet.js",
    "leaflet.css": "leaflet/leaflet.css",
    "leaflet_heat.min.js": "leaflet.heat/leaflet_heat.min.js",
    "leaflet-heat.js": "leaflet.heat/leaflet_heat.min.js",
    "leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
    "MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
}

# Files folium's Map template always lists; the web map uses none of them
# (no Icon markers, no Bootstrap widgets), so they are dropped, not bundled.
UNUSED: frozenset[str] = frozenset({
    "jquery-3.7.1.min.js",
    "bootstrap.bundle.min.js",
    "bootstrap.min.css",
    "bootstrap-glyphicons.css",
    "all.min.css",
    "leaflet.awesome-markers.js",
    "leaflet.awesome-markers.css",
    "leaflet.awesome.rotate.min.css",
})

_SCRIPT = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*["'](?P<url>[^"']+)["'][^>]*>\s*</script>""",
    re.IGNORECASE)
_LINK = re.compile(
    r"""<link\b[^>]*?\bhref\s*=\s*["'](?P<url>[^"']+)["'][^>]*/?>""",
    re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?(?P<url>[^"')]+)["']?\s*\)""")

# What a browser would fetch by itself: src/href of loading elements, CSS
# url() and @import.  Anchors (<a href>, e.g. Leaflet's own attribution link)
# are only followed on a click, so they do not count.
_REMOTE = re.compile(
    r"""(?:<(?:script|link|img|iframe|source|video|audio|embed|object|input|track)\b"""
    r"""[^>]*?\b(?:src|href|srcset|poster|data)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["'])"""
    r"""(?P<url>(?:https?:)?//[^"'\s)>]+)""",
    re.IGNORECASE)


class OfflineAssetError(GridAppError):
    """The web map would need a file from the internet."""


def inline_assets(html: str, root: Path = WEB_RESOURCES) -> str:
    """Replace every CDN script and style sheet in *html* by its bundled text."""

    def script(match: re.Match[str]) -> str:
        name = _basename(match["url"])
        if name in UNUSED:
            return ""
        js = _bundled(root, name, match["url"])
        return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>"

    def link(match: re.Match[str]) -> str:
        tag = match.group(0)
        if not _is_remote(match["url"]):
            return tag
        name = _basename(match["url"])
        if name in UNUSED:
            return ""
        if "stylesheet" not in tag.lower():
            raise _unknown(match["url"])
        css = _bundled(root, name, match["url"])
        return "<style>\n" + css.replace("</style", "<\\/style") + "\n</style>"

    html = _SCRIPT.sub(script, html)
    html = _LINK.sub(link, html)
    remaining = remote_references(html)
    if remaining:
        raise OfflineAssetError(
            "网页地图仍引用网络资源：{urls}",
            "The web map still references remote resources: {urls}",
            urls=", ".join(remaining[:5]))
    return html


def remote_references(html: str) -> list[str]:
    """Every ``http(s)://`` or ``//host`` URL a browser would load from *html*."""
    return sorted({m["url"] for m in _REMOTE.finditer(html)})


def _basename(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1]


def _is_remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def _unknown(url: str) -> OfflineAssetError:
    return OfflineAssetError(
        "没有随程序附带的网页资源：{url}（见 resources/web/README.md）",
        "No bundled copy of the web resource {url} (see resources/web/README.md)",
        url=url)


def _bundled(root: Path, name: str, url: str) -> str:
    if not _is_remote(url):
        raise _unknown(url)
    rel = BUNDLED.get(name)
    if rel is None:
        raise _unknown(url)
    return _read(root / rel)


@lru_cache(maxsize=16)
def _read(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OfflineAssetError(
            "缺少网页地图资源文件 {p}；请运行 resources/web/fetch.sh",
            "Missing web map resource {p}; run resources/web/fetch.sh", p=str(path)) from exc
    if path.suffix == ".css":
        text = _CSS_URL.sub(lambda m: _data_uri(path.parent, m["url"]), text)
    return text


def _data_uri(folder: Path, url: str) -> str:
    if url.startswith(("data:", "#")):
        return f'url("{url}")'
    if _is_remote(url):
        raise _unknown(url)
    file = folder / url
    kind = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}.get(
        file.suffix.lower(), "application/octet-stream")
    data = base64.b64encode(file.read_bytes()).decode("ascii")
    return f'url("data:{kind};base64,{data}")'
