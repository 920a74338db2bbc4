"""Chinese for the duty-list editor (issue 21).

``python -m gridapp.qt.catalogue`` builds ``resources/translations/duty_zh_CN``
from this module (see :mod:`gridapp.qt.catalogue`).
"""

from __future__ import annotations

ZH: dict[str, dict[str, str]] = {
    "Actions": {
        "&Duty list (who handles what, where)…": "职责清单（何事何地由谁处置）(&D)…",
        "Draw a duty &area": "绘制职责区域(&A)",
        "Outline a duty area (main road, compound, market …) on the map: click its corners, "
        "click the first corner or right-click to finish, Esc cancels, Backspace drops the "
        "last corner":
            "在地图上勾绘职责区域（主干道、居民小区、市场等）：依次单击各角点，单击第一个角点或右键结束，"
            "Esc 取消，Backspace 删除上一个角点",
    },
    "DutyAreas": {
        "Undo duty area": "撤销职责区域",
        "Duty area saved: {name}. Undo: Tools › Undo duty area.":
            "已保存职责区域：{name}。撤销：工具 › 撤销职责区域。",
    },
    "DutyAreaForm": {
        "New duty area": "新建职责区域",
        "Kind": "区域类型",
        "Name": "名称",
        "optional, e.g. 中山路": "可不填，例如 中山路",
    },
    "DutyListEditor": {
        "Duty list: who handles what, where": "职责清单：何事、何地、由谁处置",
        "Duty-list line": "职责清单条目",
        "Category": "事件分类",
        "Where": "适用区域",
        "Handling": "处置方式",
        "Department": "处置部门",
        "Role": "角色",
        "Note": "备注",
        "(none: the district decides)": "（不指定：由区政府决定）",
        "Lead": "牵头",
        "Assists": "协办",
        "Add as a new line": "作为新条目添加",
        "Add the form's values as a new line of the duty list": "把表单中的内容作为职责清单的新条目添加",
        "Remove line": "删除条目",
        "Import areas…": "导入区域图层…",
        "Add duty areas (main roads, compounds, markets …) from a GeoPackage, Shapefile, "
        "GeoJSON or KML file; the kind comes from its kind field, else from Where":
            "从 GeoPackage、Shapefile、GeoJSON 或 KML 文件添加职责区域（主干道、居民小区、市场等）；"
            "区域类型取自文件的 kind/类型 字段，否则取“适用区域”中所选",
        "Vector files (*.gpkg *.shp *.geojson *.json *.kml *.kmz)":
            "矢量文件 (*.gpkg *.shp *.geojson *.json *.kml *.kmz)",
        "{n} duty areas": "{n} 个职责区域",
        "Imported {n} areas (now: {counts}). Undo with Ctrl+Z.":
            "已导入 {n} 个区域（现有：{counts}）。可按 Ctrl+Z 撤销。",
        "Filter by category code or name": "按分类代码或名称筛选",
        "Near duplicates of this category": "该分类的疑似重复判定",
        "Radius (m)": "范围（米）",
        "Within (days)": "时间窗（天）",
        "Save radius and window": "保存范围与时间窗",
        "Set for this category.": "本分类单独设定。",
        "Built-in value for this category.": "本分类的内置默认值。",
        "As its class.": "沿用所属大类的设定。",
        "Built-in value for its class.": "所属大类的内置默认值。",
        "General default.": "通用默认值。",
        "Added: {name}. Undo with Ctrl+Z.": "已添加：{name}。可按 Ctrl+Z 撤销。",
        "Removed: {name}. Undo with Ctrl+Z.": "已删除：{name}。可按 Ctrl+Z 撤销。",
        "Saved: {name}. Undo with Ctrl+Z.": "已保存：{name}。可按 Ctrl+Z 撤销。",
    },
}
