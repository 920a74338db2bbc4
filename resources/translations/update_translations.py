"""Refresh the Chinese catalogue: extract strings, fill translations, compile.

Run from the repository root after changing UI strings::

    /work/venv/bin/python resources/translations/update_translations.py

English is the source language written in the code (``tr()`` and
``QT_TRANSLATE_NOOP``); Chinese (Simplified) lives in :data:`ZH` below and is
written into ``gridapp_zh_CN.ts``, then compiled to ``gridapp_zh_CN.qm`` (both
are committed, so a fresh clone runs without this step).  Prints any source
string that has no translation and exits 1 in that case.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TS = HERE / "gridapp_zh_CN.ts"
QM = HERE / "gridapp_zh_CN.qm"

ZH = {
    "&New workspace…": "新建工作空间(&N)…",
    "&Open…": "打开(&O)…",
    "&Import layer…": "导入图层(&I)…",
    "&Close workspace": "关闭工作空间(&C)",
    "&Quit": "退出(&Q)",
    "Zoom &in": "放大(&I)",
    "Zoom &out": "缩小(&O)",
    "Zoom to &full extent": "全图显示(&F)",
    "Zoom to &layer": "缩放到图层(&L)",
    "Zoom to &selection": "缩放到所选(&S)",
    "&Back": "后退(&B)",
    "&Forward": "前进(&F)",
    "&Reload layers": "重新加载图层(&R)",
    "&Pan": "平移(&P)",
    "&Zoom to box": "拉框放大(&Z)",
    "&Identify": "识别(&I)",
    "&Select": "选择(&S)",
    "&Clear selection": "清除选择(&C)",
    "Layer &style…": "图层样式(&S)…",
    "&Background tiles…": "背景瓦片(&B)…",
    "&No background": "无背景(&N)",
    "中文": "中文",
    "English": "English",
    "Filter: text in any field": "筛选：任意字段包含的文字",
    "{shown} of {total} features, {sel} selected": "显示 {shown} / 共 {total} 个要素，已选 {sel} 个",
    "Field": "字段",
    "Value": "值",
    "Nothing here": "此处没有要素",
    "Import layer: {name}": "导入图层：{name}",
    "Importing is not available in this version.": "此版本尚不能导入。",
    "{n} features; coordinates {crs} ({crs_how}); encoding {enc}; fields: {fields}.\n"
    "Importing into the workspace is done by the grid import wizard.": "{n} 个要素；坐标系 {crs}（{crs_how}）；编码 {enc}；字段：{fields}。\n"
    "写入工作空间请使用网格导入向导。",
    "Move layer up": "图层上移",
    "Move layer down": "图层下移",
    "Style…": "样式…",
    "Zoom to layer": "缩放到图层",
    "Opacity": "不透明度",
    "{n} features, opacity {o}%": "{n} 个要素，不透明度 {o}%",
    "{n} features with bad geometry": "{n} 个要素几何有问题",
    "Street": "街道",
    "Communities": "社区",
    "Grids": "网格",
    "Buildings": "楼栋",
    "Reports": "巡查上报",
    "Joint tasks": "联合执法任务",
    "Log in": "登录",
    "User name": "用户名",
    "Password": "密码",
    "Demo users:": "演示用户：",
    "no geometry": "无几何",
    "empty geometry": "空几何",
    "wrong geometry type": "几何类型不符",
    "invalid geometry (drawn)": "几何无效（仍绘制）",
    "No workspace open. Use File › Open.": "没有打开的工作空间。请使用“文件 › 打开”。",
    "&File": "文件(&F)",
    "&View": "视图(&V)",
    "&Tools": "工具(&T)",
    "&Layer": "图层(&L)",
    "L&anguage": "语言(&A)",
    "Open &recent": "最近打开(&R)",
    "Map tools": "地图工具",
    "Layers": "图层",
    "Identify": "识别结果",
    "Messages": "消息",
    "Attribute table": "属性表",
    "GridApp": "网格化管理系统",
    "Not logged in. Use File › Open.": "未登录。请使用“文件 › 打开”。",
    "Cannot open workspace {path}: {error}": "无法打开工作空间 {path}：{error}",
    "Loading layers…": "正在加载图层…",
    "Loading layers": "加载图层",
    "Loading buildings and reports": "加载楼栋和巡查上报",
    "Layer {layer}: {n} features with bad geometry: {list}": "图层“{layer}”有 {n} 个要素几何有问题：{list}",
    "Loaded in {s:.2f} s": "加载用时 {s:.2f} 秒",
    "The layers could not be loaded: {error}": "图层加载失败：{error}",
    "Open workspace": "打开工作空间",
    "GeoPackage (*.gpkg)": "GeoPackage 文件 (*.gpkg)",
    "Import layer": "导入图层",
    "Boundary files (*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx)": "边界文件 (*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx)",
    "Background tiles (MBTiles)": "背景瓦片（MBTiles）",
    "MBTiles (*.mbtiles)": "MBTiles 文件 (*.mbtiles)",
    "XYZ tile folder": "XYZ 瓦片文件夹",
    "Cannot use {path} as background: {error}": "无法将 {path} 用作背景：{error}",
    "(none)": "（无）",
    "User: {name}": "用户：{name}",
    "Scale 1:{n}": "比例尺 1:{n}",
    "Unexpected error (please report it): {error}": "意外错误（请报告）：{error}",
    "New workspace": "新建工作空间",
    "Browse…": "浏览…",
    "File": "文件",
    "Street name": "街道名称",
    "Office name": "街道办事处名称",
    "District code (6 digits)": "区县代码（6位）",
    "Street code (9 digits)": "街道代码（9位）",
    "Administrator": "管理员用户名",
    "Repeat password": "再次输入密码",
    "Style: {layer}": "样式：{layer}",
    "Single symbol": "单一符号",
    "Categorised by field": "按字段分类",
    "Graduated by number": "按数值分级",
    "Fill": "填充",
    "Outline": "边线",
    "Classes (quantiles)": "分级数（分位数）",
    "The layer has no numeric field.": "该图层没有数值字段。",
    "Type": "类型",
    "none": "无",
    "Cancel": "取消",
    "Cancelling…": "正在取消…",
    # Fields
    "ID": "ID",
    "Code": "编码",
    "Name": "名称",
    "Kind": "类型",
    "Community": "社区",
    "Households": "户数",
    "Population": "人口",
    "Notes": "备注",
    "Valid from": "生效日期",
    "Valid to": "失效日期",
    "Previous version": "前一版本",
    "District code": "区县代码",
    "Office": "办事处",
    "Floors": "层数",
    "Address": "地址",
    "Case no.": "案件编号",
    "Category": "类别",
    "Status": "状态",
    "Urgency": "紧急程度",
    "Source": "来源",
    "Grid": "网格",
    "Reported at": "上报时间",
    "Deadline": "处置时限",
    "Task no.": "任务编号",
    "Title": "标题",
    "State": "状态",
}


# The contexts this script owns; other widgets' contexts (e.g. the report
# widgets, refreshed by gridapp/qt/reports/translations_zh.py) are kept as they are.
OWN_CONTEXTS = {
    "Actions",
    "AttributeTable",
    "IdentifyPanel",
    "ImportPreviewDialog",
    "LayerPanel",
    "LayerTreeModel",
    "Layers",
    "LoginDialog",
    "MainWindow",
    "MapStatusBar",
    "MessagePanel",
    "NewWorkspaceDialog",
    "StyleDialog",
    "JobProgress",
    "Fields",
}


def qt_tool(name: str) -> str:
    import PySide6.QtCore as qc

    return str(Path(qc.__file__).resolve().parent / name)


def main() -> int:
    sources = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "gridapp" / "qt").rglob("*.py")
    )
    subprocess.run(
        [
            qt_tool("lupdate"),
            *sources,
            "-ts",
            str(TS),
            "-target-language",
            "zh_CN",
            "-no-obsolete",
            "-locations",
            "none",
        ],
        cwd=ROOT,
        check=True,
    )
    tree = ET.parse(TS)
    missing = []
    for context in tree.iter("context"):
        own = context.findtext("name") in OWN_CONTEXTS
        for message in context.iter("message"):
            source = message.find("source").text or ""
            translation = message.find("translation")
            if own and source in ZH:
                translation.text = ZH[source]
                translation.attrib.pop("type", None)
            elif not (translation.text or "").strip():
                missing.append(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([qt_tool("lrelease"), str(TS), "-qm", str(QM)], check=True)
    for source in missing:
        print("untranslated:", repr(source))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
