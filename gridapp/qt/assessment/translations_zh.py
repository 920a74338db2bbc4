"""Chinese for the assessment dashboard and its feature (issue 17).

``python -m gridapp.qt.catalogue`` builds ``resources/translations/assessment_zh_CN``
from it (see :mod:`gridapp.qt.catalogue`).
"""

from __future__ import annotations

ZH: dict[str, dict[str, str]] = {
    "DashboardWidget": {
        "Month": "月", "Quarter": "季度", "Year": "年", "Week": "周",
        "Period:": "考核周期：", "By:": "考核对象：", "Refresh": "刷新",
        "Export Excel…": "导出Excel…", "Figures": "指标", "Warnings": "预警",
        "Formulas": "指标公式", "Indicator": "指标", "Formula": "公式",
        "Red / yellow": "红线 / 黄线", "Meaning": "说明", "Computing…": "正在计算…",
        "Street total": "合计（全街道）",
        "No unit has stayed in red or yellow.": "没有连续处于红色或黄色预警的单位。",
        "Trend (street)": "全街道趋势", "By department": "各职能部门",
        "Export Excel": "导出Excel", "Saved {path}": "已保存 {path}",
        "Monthly report PDF…": "月度考核通报PDF…", "Monthly report PDF": "月度考核通报PDF",
        "Colour map by warning": "地图按预警着色",
        "Fill grids and outline communities on the map in the colour of their "
        "worst warning level in the period shown":
            "按本期最差的预警等级为地图上的网格填色、为社区描边",
        "Print / PDF…": "打印/导出PDF…", "Print / PDF": "打印/导出PDF",
        "Write the dashboard as shown to an A4 landscape PDF":
            "将看板按屏幕所见输出为A4横向PDF",
        "Nothing to print yet: pick a period first": "尚无可打印的内容：请先选择考核周期",
        "Assessment dashboard {p}": "考核看板 {p}",
    },
    "HeatMapView": {
        "{n} open cases; darkest cell {peak}; cells of about {m} m":
            "未结案件 {n} 件；最密的格 {peak} 件；每格约 {m} 米",
        "Open cases (heat map)": "未结案件热力图", "No open cases": "没有未结案件",
    },
    # the leader's assessment rows of 今日待办 (gridapp/qt/today_panel.py)
    "TodayPanel": {
        "Assessment": "考核",
        "This month ({month}): {figures}": "本月（{month}）：{figures}",
        "{month}: no unit stayed in red or yellow": "{month}：没有连续红黄预警的单位",
        "{month} warnings: {red} red, {yellow} yellow":
            "{month} 连续预警：红色 {red} 项，黄色 {yellow} 项",
        "… and {n} more": "…… 另有 {n} 项",
        "{unit}: {indicator} {level} {n} periods running": "{unit}：{indicator}连续{n}期{level}",
    },
    "CasesBehindDialog": {
        "Case no.": "案件编号", "Status": "状态", "Category": "类别",
        "Department": "处置部门", "Grid": "网格", "Deadline": "处置期限",
        "Closed": "结案时间", "{n} cases": "共 {n} 件",
    },
    "AssessmentFeature": {
        "&Assessment": "考核督办(&A)", "Assessment": "考核督办",
        "No warning level": "无预警等级",
    },
    "Actions": {
        "Assessment &dashboard": "考核看板(&D)",
        "Run &supervision now": "立即自动督办(&S)",
    },
}
