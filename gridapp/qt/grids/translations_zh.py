"""Chinese for the grid editor's strings, and how they reach its own catalogue.

The widgets are written in English (``self.tr``, ``QT_TRANSLATE_NOOP``);
:data:`ZH` holds the Chinese per context.  ``python -m
gridapp.qt.grids.translations_zh`` extracts the strings of this package and
of ``gridapp/qt/features/grids.py`` with ``lupdate``, fills them from
:data:`ZH`, writes ``resources/translations/grids_zh_CN.ts`` and compiles
``grids_zh_CN.qm`` (the window loads every ``*_zh_CN.qm``).  Prints strings
that have no Chinese and exits 1 then.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gridapp.qt.catalogue import build, report

_CLOSE = {"Close": "关闭", "Cancel": "取消"}

ZH: dict[str, dict[str, str]] = {
    "Actions": {
        "&Draw grid": "绘制网格(&D)",
        "Draw a new grid: click its corners, click the first corner or right-click to finish": "绘制新网格：依次点击各个角点，点击第一个角点或右键结束",
        "&Split grid": "分割网格(&S)",
        "Split a grid: draw a line across it, right-click to finish": "分割网格：画一条穿过网格的线，右键结束",
        "&Reshape grids": "修整网格(&R)",
        "Drag a vertex (shared boundaries move together), click an edge to add a vertex, "
        "right-click a vertex to remove it": "拖动节点（共用边界一起移动），点击边添加节点，右键点击节点删除它",
        "&Merge selected grids": "合并所选网格(&M)",
        "De&lete selected grids": "删除所选网格(&L)",
        "Grid &attributes…": "网格属性(&A)…",
        "&Undo grid edit": "撤销网格编辑(&U)",
        "&Redo grid edit": "重做网格编辑(&R)",
        "&Check all grids": "检查全部网格(&C)",
        "S&napping": "捕捉(&N)",
        "Show grids as of &date…": "显示某日的网格(&D)…",
        "Show &current grids": "显示当前网格(&C)",
        "&Import boundaries…": "导入边界(&I)…",
        "Di&vide a community into grids…": "社区自动划分网格(&V)…",
    },
    "AsOfDialog": {
        "Show grids as of date": "显示某日的网格",
        "The grids in force at the end of that day (Beijing time) are drawn over the map. "
        "Use “Show current grids” to go back.": "在地图上叠加显示当天结束时（北京时间）有效的网格。用“显示当前网格”返回。",
        "Date": "日期",
    },
    "DivisionDialog": {
        **_CLOSE,
        "Divide a community into grids": "社区自动划分网格",
        "Households per grid": "每格户数",
        "Number of grids": "网格数量",
        "Community": "社区",
        "Propose": "生成方案",
        "Accept and save": "采纳并保存",
        "Reject": "放弃",
        "Code": "编码",
        "Households": "户数",
        "Buildings": "楼栋数",
        "Area (m²)": "面积（平方米）",
        "Working…": "正在计算…",
        "Cancelled.": "已取消。",
        "Divide community {name}": "划分社区 {name}",
        "Saved {n} grids.": "已保存 {n} 个网格。",
    },
    "GridAttributeDialog": {
        "Basic grid": "基础网格",
        "Special grid (school, hospital, market, park…)": "专属网格（学校、医院、市场、园区…）",
        "Code": "编码",
        "Name": "名称",
        "Kind": "类型",
        "Households": "户数",
        "Population": "人口",
        "Notes": "备注",
        "Grid {code}": "网格 {code}",
        "Code {code} is already used by another grid.": "编码 {code} 已被其他网格使用。",
    },
    "GridEditor": {
        "Coverage problems": "覆盖问题",
        "This change leaves {n} coverage problems:\n{list}{more}\n\nSave it anyway? "
        "The decision is recorded.": "此修改会留下 {n} 个覆盖问题：\n{list}{more}\n\n仍然保存吗？此决定会被记录。",
        "Not saved: the change would leave coverage problems.": "未保存：此修改会留下覆盖问题。",
        "The line does not cross a grid.": "这条线没有穿过任何网格。",
        "Split grid {code}": "分割网格 {code}",
        "Select at least two neighbouring grids to merge.": "请至少选择两个相邻网格进行合并。",
        "Merge grids {codes}": "合并网格 {codes}",
        "Delete grids {codes}": "删除网格 {codes}",
        "The drawn outline crosses itself.": "所画的边界自相交。",
        "New grid": "新网格",
        "Move vertex": "移动节点",
        "Add vertex": "添加节点",
        "Remove vertex": "删除节点",
        "Edit grid {code}": "编辑网格 {code}",
        "Nothing could be fixed automatically.": "没有可以自动修复的问题。",
        "Fix coverage automatically": "自动修复覆盖问题",
    },
    "GridImportWizard": {
        **_CLOSE,
        "Import boundaries": "导入边界",
        "Browse…": "浏览…",
        "Community boundaries": "社区边界",
        "Grids": "网格",
        "Detect": "自动识别",
        "from the file, or e.g. EPSG:4524": "取自文件，或如 EPSG:4524",
        "As the CRS says (CGCS2000, WGS84…)": "按坐标系（CGCS2000、WGS84…）",
        "GCJ-02 (AMap, Tencent)": "GCJ-02（高德、腾讯）",
        "BD-09 (Baidu)": "BD-09（百度）",
        "Preview": "预览",
        "1. File": "1. 文件",
        "File": "文件",
        "Import as": "导入为",
        "Text encoding": "文字编码",
        "Coordinate system": "坐标系",
        "Offset coordinates": "偏移坐标",
        "2. Preview": "2. 预览",
        "Name field": "名称字段",
        "Code field": "编码字段",
        "Problems": "问题",
        "Import": "导入",
        "Boundary files ({patterns})": "边界文件（{patterns}）",
        "{n} features · coordinates {crs} ({crs_how}) · encoding {enc} ({enc_how})": "{n} 个要素 · 坐标系 {crs}（{crs_how}）· 编码 {enc}（{enc_how}）",
        "(none)": "（无）",
        "Name": "名称",
        "Code": "编码",
        "Geometry": "几何",
        "{n} problems must be fixed in the file before importing; nothing will be imported.": "有 {n} 个问题需先在文件中修正；不会导入任何要素。",
        "Ready to import {n} features.": "可以导入 {n} 个要素。",
        "Importing…": "正在导入…",
        "Imported {n} features.": "已导入 {n} 个要素。",
        "The imported grids have {n} coverage problems; see the problems panel.": "导入的网格有 {n} 个覆盖问题，请查看问题面板。",
        "Nothing was imported: {error}": "未导入任何要素：{error}",
    },
    "GridsFeature": {
        "&Grids": "网格(&G)",
        "Grid editing": "网格编辑",
        "Grid problems": "网格问题",
        "Grids as of {date} ({n} grids)": "{date} 的网格（{n} 个）",
        "Imported {n} features.": "已导入 {n} 个要素。",
    },
    "ProblemsModel": {
        "Invalid geometry": "几何无效",
        "Not a polygon": "不是面",
        "Overlap": "重叠",
        "Edges do not match": "边界不吻合",
        "Gap": "缝隙",
        "Outside its community": "超出所属社区",
        "Sliver": "碎片",
        "Problem": "问题",
        "Grids": "网格",
        "Size": "大小",
        "Details": "说明",
    },
    "ProblemsPanel": {
        "Check all grids": "检查全部网格",
        "Fix automatically": "自动修复",
        "Zoom to": "缩放到",
        "{n} coverage problems": "{n} 个覆盖问题",
        "No coverage problems: the grids are a clean coverage.": "没有覆盖问题：网格无缝无重叠。",
        "No problems found around the last edit.": "上次编辑附近没有发现问题。",
        "Checking grid coverage": "正在检查网格覆盖",
    },
}

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent


def main() -> int:
    sources = sorted(HERE.glob("*.py")) + [ROOT / "gridapp" / "qt" / "features" / "grids.py"]
    return report(build("grids", sources, ZH))


if __name__ == "__main__":
    sys.exit(main())
