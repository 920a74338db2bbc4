"""Chinese for the base-data panel (居民与楼栋, issue 18), context ``BaseData``.

``python -m gridapp.qt.catalogue`` builds ``resources/translations/basedata_zh_CN``
from it (see :mod:`gridapp.qt.catalogue`).
"""

from __future__ import annotations

ZH: dict[str, dict[str, str]] = {
    "BaseData": {
        "Residents and buildings": "居民与楼栋",
        "Grid": "网格",
        "Category": "人员类别",
        "All categories": "全部类别",
        "Building": "楼栋",
        "Households": "户数",
        "Population": "人数",
        "Name": "姓名",
        "ID number": "身份证号码",
        "Phone": "联系电话",
        "Door": "门牌",
        "Categories": "类别",
        "Age": "年龄",
        "Notes": "备注",
        "{buildings} buildings, {households} households, {people} residents listed":
            "楼栋 {buildings} 栋，{households} 户，登记居民 {people} 人",
        "No residents listed in this building.": "该楼栋尚未登记居民。",
        "Reading the grid's buildings…": "正在读取该网格的楼栋…",
        "Names, ID numbers and phone numbers are masked for your role; notes are not shown.":
            "按您的角色，姓名、身份证号码和电话已脱敏，备注不显示。",
        "Shown in full: this view is recorded in the audit log.":
            "完整显示：本次查看已记入审计日志。",
        "Edit buildings…": "编辑楼栋…",
        "Draw building": "绘制楼栋",
        "Click the corners on the map; click the first corner or right-click to finish,"
        " Esc cancels": "在地图上依次点击楼栋各角点；点回第一个角点或单击右键结束，Esc 取消",
        "Building saved: {name}. Undo with Ctrl+Z.": "楼栋已保存：{name}。可按 Ctrl+Z 撤销。",
        "Resident categories…": "居民类别…",
    },
    "ResidentCategoryEditor": {
        "Code": "代码",
        "Name": "名称",
        "In use": "启用",
        "Residents": "居民数",
        "Resident categories": "居民类别",
        "Category": "类别",
        "In use (offered for new entries)": "启用（登记新居民时可选）",
        "New code, e.g. veteran": "新代码，例如 veteran",
        "Name, e.g. 退役军人": "名称，例如 退役军人",
        "Add category": "添加类别",
        "Added: {name}. Undo retires it.": "已添加：{name}。撤销将停用该类别。",
    },
    "BuildingFormDialog": {
        "New building": "新建楼栋",
        "Name": "名称",
        "Kind": "类型",
        "Households": "户数",
        "Floors": "层数",
        "Address": "地址",
        "e.g. residential, shop, school": "例如：住宅、商铺、学校",
    },
    "BuildingEditor": {
        "Building": "楼栋",
        "Kind": "类型",
        "Households": "户数",
        "Floors": "层数",
        "Address": "地址",
        "Buildings": "楼栋属性",
        "Name": "名称",
    },
}

# Texts passed to translate() through a variable (lupdate cannot see them).
EXTRA: tuple[tuple[str, str], ...] = tuple(
    ("BaseData", s) for s in ("Building", "Households", "Population", "Name",
                              "ID number", "Phone", "Door", "Categories", "Age", "Notes")
)
