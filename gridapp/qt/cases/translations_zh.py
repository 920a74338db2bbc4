"""Chinese for the cases feature (docks, actions, supervision notice).

Texts are written in English in the code; :data:`ZH` holds the Chinese per Qt
context.  ``python -m gridapp.qt.catalogue`` builds
``resources/translations/cases_zh_CN`` from it (see :mod:`gridapp.qt.catalogue`).
"""

from __future__ import annotations

ZH: dict[str, dict[str, str]] = {
    "RoutedCaseDetail": {
        "Candidates:": "候选：",
        "Proposed: {name}": "建议：{name}",
    },
    "Actions": {
        "Import &holiday schedule (节假日安排)…": "导入节假日安排(&H)…",
        "&File a report on the map": "地图上报(&F)",
        "Click the map where the problem is to file a report": "在地图上点击问题所在位置，填写上报",
        "&Import reports (CSV/XLSX)…": "导入上报 (CSV/XLSX)(&I)…",
        "&My work": "我的待办(&M)",
        "Re&fresh cases": "刷新案件(&F)",
        "Supervision &notice (督办单)…": "督办单(&N)…",
        "Reports by &status": "上报按状态着色(&S)",
        "Reports by &category": "上报按类别着色(&C)",
    },
    "CasesFeature": {
        "Cases to register, dispatch or close": "待立案、待派遣、待结案的案件",
        "Cases sent to my department, to handle": "派遣给本部门、待处置的案件",
        "Cases for the office's own team": "街道自办的案件",
        "Cases reported done in my grids, to verify on site": "本人网格内已反馈、待现场核查的案件",
        "Overdue open cases": "已超期的未结案件",
        "Open a workspace to see its cases.": "打开工作空间后在此查看案件。",
        "Report {no} filed.": "已上报，案件编号 {no}。",
        "Click the map where {name} was taken ({n} left).": "请在地图上点击照片 {name} 的拍摄位置（还有 {n} 张）。",
        "Overdue: {o} · due soon: {s}": "已超期 {o} · 即将到期 {s}",
        "Open cases past their deadline, and due within a day": "超过处置时限的未结案件，以及即将到期的案件",
        "Other": "其他",
        "Cases": "案件",
        "Cases ({o} overdue, {s} due soon)": "案件（已超期 {o}，即将到期 {s}）",
        "Case detail": "案件详情",
        "&Cases": "案件(&C)",
        "File a report": "上报",
        "Place photos": "放置照片",
    },
    "SupervisionNoticeDialog": {
        "Supervision notice {no}": "督办单 {no}",
        "Save as PDF…": "保存为 PDF…",
        "The case was escalated to {to}. Print or save this notice and send it with the case file.": (
            "案件已上报{to}。请打印或保存本督办单，随案卷一并报送。"
        ),
        "Saved {path}": "已保存 {path}",
        "Save supervision notice": "保存督办单",
        "PDF (*.pdf)": "PDF 文件 (*.pdf)",
    },
}
