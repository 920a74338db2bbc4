"""The folium layers, title and legend of the web map (input in EPSG:4326).

Popups are built here as escaped HTML, because folium's ``GeoJsonPopup``
inserts property values into the page as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import pandas as pd

from gridapp.domain.enums import CaseStatus

# Case states: warm colours for what needs action, greys for what is over.
STATUS_COLOURS: dict[str, str] = {
    CaseStatus.REPORTED: "#e41a1c",
    CaseStatus.REGISTERED: "#ff7f00",
    CaseStatus.DISPATCHED: "#984ea3",
    CaseStatus.IN_PROGRESS: "#377eb8",
    CaseStatus.HANDLER_DONE: "#1b9e77",
    CaseStatus.SENT_BACK: "#a65628",
    CaseStatus.VERIFIED: "#66a61e",
    CaseStatus.CLOSED: "#8c8c8c",
    CaseStatus.REJECTED: "#4d4d4d",
}
STATUS_ORDER = [s.value for s in CaseStatus]
CLOSED_STATUSES = {CaseStatus.CLOSED.value, CaseStatus.REJECTED.value}
# ColorBrewer Dark2 + Set1 for event classes (by top-level category code).
CATEGORY_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                    "#a6761d", "#e41a1c", "#377eb8", "#666666")
COMMUNITY_LINE = "#333333"
HEAT_GRADIENT = {0.25: "#ffffb2", 0.5: "#fecc5c", 0.7: "#fd8d3c", 0.85: "#f03b20",
                 1.0: "#bd0026"}
CLUSTER_COLOUR = "#d7301f"
TASK_COLOUR = "#6a3d9a"


def _table(rows: Sequence[tuple[str, object]], head: str | None = None) -> str:
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(_text(v))}</td></tr>"
                    for k, v in rows)
    top = f"<b>{escape(head)}</b>" if head else ""
    return f"<div class='gp'>{top}<table>{cells}</table></div>"


POPUP_CSS = (".gp{font-size:13px;min-width:180px}.gp b{display:block;margin-bottom:4px}"
             ".gp th{text-align:left;padding-right:8px;color:#555;font-weight:normal;"
             "white-space:nowrap}")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "—"
    if isinstance(value, list | tuple | set):
        return f"{len(value)} 项"
    return str(value)


def add_grids(fmap, grids) -> None:
    """Grid polygons filled by colour class, with a popup of who is responsible."""
    import folium

    if not len(grids):
        return
    props = grids[["code", "name", "fill", "geometry"]].copy()
    props["popup"] = [
        _table([("网格编码", r.code), ("所属社区", r.community), ("户数", r.households),
                ("网格员", r.manager), ("联系电话", r.phone or "—")], head=r.name or r.code)
        for r in grids.itertuples()]
    props["label"] = [f"{r.name or ''}（{r.code}）" for r in grids.itertuples()]
    folium.GeoJson(
        props.to_json(drop_id=True), name=f"网格（{len(grids)}）",
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.85,
                                  "color": "#ffffff", "weight": 1.2},
        highlight_function=lambda f: {"weight": 3, "color": "#222222"},
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        zoom_on_click=False,
    ).add_to(fmap)


def add_communities(fmap, communities) -> None:
    """Community boundaries as dark dashed lines (their names: webmap_points)."""
    import folium

    if not len(communities):
        return
    group = folium.FeatureGroup(name="社区边界", show=True)
    folium.GeoJson(
        communities[["name", "code", "geometry"]].to_json(drop_id=True),
        style_function=lambda f: {"fill": False, "color": COMMUNITY_LINE, "weight": 2.5,
                                  "dashArray": "6 4"},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(group)
    # the names are placed in the page so they do not pile up (webmap_points)
    group.add_to(fmap)


def add_clusters(fmap, clusters) -> int:
    """Cluster hulls with whatever the clustering service put in their columns."""
    import folium

    if clusters is None or not len(clusters):
        return 0
    frame = clusters.reset_index(drop=True)
    names = {"id": "编号", "cluster_id": "编号", "size": "事件数", "n_reports": "事件数",
             "count": "事件数", "report_ids": "成员事件", "member_ids": "成员事件",
             "categories": "类别", "first_at": "最早", "last_at": "最晚", "label": "说明"}
    columns = [c for c in frame.columns if c != frame.geometry.name]
    popups = [_table([(names.get(c, c), getattr_row(row, c)) for c in columns],
                     head=f"聚集区 {i + 1}") for i, row in frame.iterrows()]
    shapes = frame[[frame.geometry.name]].assign(popup=popups)
    folium.GeoJson(
        shapes.to_json(drop_id=True), name=f"事件聚集区（{len(frame)}）",
        style_function=lambda f: {"color": CLUSTER_COLOUR, "weight": 2, "dashArray": "4 3",
                                  "fillColor": CLUSTER_COLOUR, "fillOpacity": 0.15},
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
    ).add_to(fmap)
    return len(frame)


def getattr_row(row, column: str) -> object:
    value = row[column]
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("Asia/Shanghai").strftime("%Y-%m-%d") if value.tzinfo \
            else value.strftime("%Y-%m-%d")
    return value


def add_tasks(fmap, tasks) -> int:
    """Joint-enforcement task footprints."""
    import folium

    if tasks is None or not len(tasks):
        return 0
    frame = tasks.reset_index(drop=True)
    popups = []
    for _, row in frame.iterrows():
        rows = [(label, getattr_row(row, col)) for col, label in
                (("task_no", "任务编号"), ("state_label", "状态"), ("action_at", "行动时间"),
                 ("deadline", "期限")) if col in frame.columns]
        popups.append(_table(rows, head=str(row.get("title", "联合执法任务"))))
    shapes = frame[[frame.geometry.name]].assign(popup=popups)
    folium.GeoJson(
        shapes.to_json(drop_id=True), name=f"联合执法任务（{len(frame)}）",
        style_function=lambda f: {"color": TASK_COLOUR, "weight": 2.5, "fillColor": TASK_COLOUR,
                                  "fillOpacity": 0.2},
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
    ).add_to(fmap)
    return len(frame)


def title_html(title: str, subtitle: str) -> str:
    return (
        "<div id='gridapp-title' style='position:fixed;top:10px;left:60px;z-index:1000;"
        "background:rgba(255,255,255,0.92);padding:6px 14px;border-radius:4px;"
        "box-shadow:0 1px 4px rgba(0,0,0,0.3);max-width:60%'>"
        f"<div style='font-size:20px;font-weight:bold'>{escape(title)}</div>"
        f"<div style='font-size:12px;color:#444'>{escape(subtitle)}</div></div>"
        f"<style>{POPUP_CSS}{LABEL_CSS}</style>")


LABEL_CSS = (".gridapp-community-label div{font-size:13px;font-weight:bold;color:#222;"
             "text-align:center;white-space:nowrap;"
             "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}")


def legend_html(grid_colours: Sequence[str], statuses: Mapping[str, str],
                categories: Mapping[str, str], *, heat: bool, clusters: bool,
                tasks: bool) -> str:
    def swatch(colour: str, shape: str = "box") -> str:
        if shape == "dot":
            return (f"<span style='display:inline-block;width:10px;height:10px;"
                    f"border-radius:50%;background:{colour};margin-right:6px'></span>")
        if shape == "line":
            return (f"<span style='display:inline-block;width:18px;border-top:2.5px dashed "
                    f"{colour};margin-right:6px;vertical-align:middle'></span>")
        return (f"<span style='display:inline-block;width:14px;height:10px;background:{colour};"
                f"margin-right:1px;border:1px solid #fff'></span>")

    labels = {s.value: s.zh for s in CaseStatus}
    lines = ["<div style='font-weight:bold;margin-bottom:4px'>图例</div>",
             "<div>" + "".join(swatch(c) for c in grid_colours)
             + " 网格（相邻网格颜色不同）</div>",
             f"<div>{swatch(COMMUNITY_LINE, 'line')}社区边界</div>"]
    if statuses:
        lines.append("<div style='margin-top:4px;color:#555'>事件状态</div>")
        lines += [f"<div>{swatch(c, 'dot')}{escape(labels.get(s, s))}</div>"
                  for s, c in statuses.items()]
    if categories:
        lines.append("<div style='margin-top:4px;color:#555'>事件类别（图层中切换）</div>")
        lines += [f"<div>{swatch(c, 'dot')}{escape(n)}</div>" for n, c in categories.items()]
    if heat:
        lines.append("<div style='margin-top:4px'><span style='display:inline-block;width:40px;"
                     "height:10px;background:linear-gradient(90deg,#ffffb2,#fd8d3c,#bd0026);"
                     "margin-right:6px'></span>事件密度</div>")
    if clusters:
        lines.append(f"<div>{swatch(CLUSTER_COLOUR)}事件聚集区</div>")
    if tasks:
        lines.append(f"<div>{swatch(TASK_COLOUR)}联合执法任务</div>")
    return ("<div id='gridapp-legend' style='position:fixed;bottom:60px;left:10px;z-index:1000;"
            "background:rgba(255,255,255,0.92);padding:8px 12px;border-radius:4px;"
            "font-size:12px;line-height:18px;box-shadow:0 1px 4px rgba(0,0,0,0.3);"
            "max-height:60%;overflow:auto'>" + "".join(lines) + "</div>")
