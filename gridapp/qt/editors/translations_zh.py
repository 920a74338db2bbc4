"""Chinese for the reference-data editors and the 设置 menu (issue 21).

``python -m gridapp.qt.catalogue`` builds ``resources/translations/editors_zh_CN``
from this module (see :mod:`gridapp.qt.catalogue`).
"""

from __future__ import annotations

ZH: dict[str, dict[str, str]] = {
    "Actions": {
        "&Categories and time limits…": "事件分类与处置时限(&C)…",
        "&Departments and liaisons…": "职能部门与联络人(&D)…",
        "C&lustering parameters per category…": "分类聚类参数(&L)…",
        "&Reactivate a grid manager…": "重新启用网格员(&R)…",
        "&Task place and photos…": "任务范围与照片(&T)…",
    },
    "EditorsFeature": {
        "&Settings": "设置(&S)",
    },
    "EditorDialog": {
        "Save": "保存",
        "Undo": "撤销",
        "Redo": "重做",
        "Undo the last saved change (Ctrl+Z)": "撤销最近一次保存的修改（Ctrl+Z）",
        "Redo the change undone last (Ctrl+Y)": "重做刚撤销的修改（Ctrl+Y）",
        "Nothing to save: the form is as stored.": "没有需要保存的修改。",
        "Saved: {name}. Undo with Ctrl+Z.": "已保存：{name}。可按 Ctrl+Z 撤销。",
        "Undone: {name}.": "已撤销：{name}。",
        "Redone: {name}.": "已重做：{name}。",
    },
    "CategoryEditor": {
        "Code": "编码",
        "Name": "名称",
        "Time limit": "处置时限",
        "Default department": "默认处置部门",
        "In use": "启用",
        "Categories (events and components)": "事件与部件分类",
        "Category": "分类",
        "Show": "显示",
        "All classes": "全部分类",
        "Events (事件)": "事件",
        "Components (部件)": "部件",
        "Unit": "时限单位",
        "e.g. 2 (a class has none)": "如 2（大类不设时限）",
        "In use (offered when filing)": "启用（上报时可选）",
        "(none)": "（无）",
    },
    "DepartmentEditor": {
        "Code": "编码",
        "Name": "名称",
        "Short name": "简称",
        "Liaison": "联络人",
        "Phone": "电话",
        "In use": "启用",
        "Departments and liaisons": "职能部门与联络人",
        "Department": "部门",
        "Liaison's phone": "联络人电话",
        "Mobile or 0851-85551234": "手机号或 0851-85551234",
        "In use (can be sent cases and summoned)": "启用（可派遣案件、可吹哨召集）",
        " (disabled)": "（已停用）",
        "Liaison accounts in GridApp: {names}": "本系统中的联络员账户：{names}",
        "No liaison account in GridApp for this department (add one under People › Users).":
            "该部门在本系统中还没有联络员账户（可在“人员 › 用户管理”中添加）。",
    },
    "ClusterParamsEditor": {
        "Code": "编码",
        "Name": "名称",
        "Distance (m)": "空间距离（米）",
        "Time window (days)": "时间窗（天）",
        "Min. reports": "最少事件数",
        "Clustering parameters per category": "分类聚类参数",
        "Parameters": "参数",
        "Category": "分类",
        "Own parameters for this category": "为此分类单独设置参数",
        "empty: chosen from the data": "留空：按数据自动确定",
        "A category without its own parameters uses its class's, else the default. "
        "Reports of one category closer than the distance and filed within the time "
        "window count as one place's problem.":
            "未单独设置的分类沿用其大类的参数，大类也未设置则用默认值。"
            "同一分类的事件，相距小于空间距离且上报时间相差在时间窗以内，视为同一处的问题。",
        " (class)": "（大类）",
        " (default)": "（默认）",
        "auto": "自动",
    },
    "ManagerReactivateDialog": {
        "Staff no.": "工号",
        "Name": "姓名",
        "Phone": "电话",
        "State": "状态",
        "Reactivate": "重新启用",
        "Reactivate a grid manager": "重新启用网格员",
        "Grid manager": "网格员",
        "Only deactivated managers": "只显示已停用的网格员",
        "Employment": "用工性质",
        "Reactivating gives the manager back, not their grids or account: assign "
        "grids again and enable the account under People.":
            "重新启用只恢复网格员本人，不恢复其网格和账户：请在“人员”菜单中重新分配网格、启用账户。",
        "active": "在职",
        "deactivated": "已停用",
    },
    "TaskPlaceEditor": {
        "Task no.": "任务编号",
        "Title": "标题",
        "State": "状态",
        "Task place and photos": "任务范围与照片",
        "Save place": "保存范围",
        "Place": "任务范围",
        "Corners (CGCS2000 longitude, latitude)": "顶点（CGCS2000 经度、纬度）",
        "Longitude": "经度",
        "Latitude": "纬度",
        "Add corner": "添加顶点",
        "Remove corner": "删除顶点",
        "Photos before and after the action": "处置前后照片",
        "Add photo before…": "添加处置前照片…",
        "Add photo after…": "添加处置后照片…",
        "Remove photo": "移除照片",
        "Choose a photo": "选择照片",
        "Images (*.jpg *.jpeg *.png *.bmp *.webp)": "图片 (*.jpg *.jpeg *.png *.bmp *.webp)",
        "Photo added: {name}. Undo with Ctrl+Z.": "已添加照片：{name}。可按 Ctrl+Z 撤销。",
        "Photo removed: {name}. Undo with Ctrl+Z.": "已移除照片：{name}。可按 Ctrl+Z 撤销。",
        "Select a photo first.": "请先选择一张照片。",
    },
}

# translated in gridapp.qt.editors.editor_dialog through its CONTEXT constant
EXTRA: tuple[tuple[str, str], ...] = tuple(("EditorDialog", source) for source in ZH["EditorDialog"])
