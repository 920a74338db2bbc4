"""Chinese for the report widgets' strings, and how they reach the catalogue.

The widgets are written in English (``self.tr``); :data:`ZH` holds the Chinese,
per context.  ``python -m gridapp.qt.reports.translations_zh`` extracts this
package's strings with ``lupdate``, fills them from :data:`ZH`, replaces this
package's contexts in ``resources/translations/gridapp_zh_CN.ts`` (other
contexts are left as they are) and recompiles the ``.qm``.  Prints strings that
have no Chinese and exits 1 then.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

_COMMON = {
    "Status": "状态",
    "Category": "事件类别",
    "Grid": "网格",
    "Address": "地址",
    "Position": "位置",
    "Urgency": "紧急程度",
    "Reported": "上报时间",
    "Handler": "处置单位",
    "Deadline": "处置时限",
    "Description": "问题描述",
    "Photos": "照片",
    "Overdue": "已超期",
    "Due soon": "即将到期",
    "Cancel": "取消",
    "Cancelled.": "已取消。",
}

ZH: dict[str, dict[str, str]] = {
    "Reports": {
        "Unexpected error (please report it): {error}": "意外错误（请报告）：{error}",
    },
    "CaseTableModel": {**_COMMON, "Case no.": "案件编号"},
    "CaseDetailWidget": {
        **_COMMON,
        "Source id": "来源编号",
        "Time": "时间",
        "Action": "操作",
        "By": "操作人",
        "Note": "意见",
        "Actions": "办理",
        "Note or reason (required for some actions)": "办理意见或理由（部分操作必填）",
        "Timeline": "办理过程",
        "No case selected": "未选择案件",
        "{action}: {old} → {new}": "{action}：{old} → {new}",
        "Case {no}": "案件 {no}",
        "Report filed": "上报",
        "Attached": "并入案件",
        "As proposed by the duty list": "按职责清单建议",
        "Proposed: {name}": "建议：{name}",
        "No action of yours is possible on this case now.": "您当前不能对该案件进行任何操作。",
    },
    "CaseListWidget": {
        "All statuses": "全部状态",
        "All categories": "全部类别",
        "All grids": "全部网格",
        "All handlers": "全部处置单位",
        "Overdue only": "仅超期",
        "My work": "我的待办",
        "Cases waiting for my action": "等待我办理的案件",
        "Search case no., description, address": "搜索案件编号、描述、地址",
        "From": "从",
        "to": "至",
        "any": "不限",
        "{n} cases": "共 {n} 件",
    },
    "PhotoDropImport": {
        "Cancel": "取消",
        "Cancelled.": "已取消。",
        "Drop photos here to report what they show.": "将照片拖放到此处即可上报照片中的问题。",
        "No image files among the dropped files.": "拖入的文件中没有图片。",
        "Reading {n} photos…": "正在读取 {n} 张照片…",
        "Reading {name}…": "正在读取 {name}…",
        "{a} photos with a position, {b} without, {c} refused.": "{a} 张照片有位置，{b} 张没有位置，{c} 个文件无法读取。",
        "Click the map to place the photos without a position.": "请在地图上点击，为没有位置的照片指定位置。",
    },
    "ReportDialog": {
        **_COMMON,
        "File a report": "巡查上报",
        "e.g. 106.7079, 26.5722 or 26°34'19\"N 106°42'28\"E or a phone map link": "如 106.7079, 26.5722，或 26°34'19\"N 106°42'28\"E，或手机地图分享的位置",
        "Community": "社区",
        "Search by name, code or pinyin initials (e.g. zd)": "按名称、编码或拼音首字母搜索（如 zd）",
        "Found at": "发现时间",
        "Add photos…": "添加照片…",
        "File report": "上报",
        "Click the map or enter a position.": "请在地图上点击或输入位置。",
        "Choose a category.": "请选择事件类别。",
        "Ready to file.": "可以上报。",
        "GCJ-02 (AMap, Tencent)": "GCJ-02（高德、腾讯）",
        "BD-09 (Baidu)": "BD-09（百度）",
        "Attach to the open case {no} instead of opening a new one": "并入在办案件 {no}，不另立新案",
        "Add photos": "添加照片",
        "Images ({patterns})": "图片 ({patterns})",
    },
    "ReportImportDialog": {
        **_COMMON,
        "Longitude": "经度",
        "Latitude": "纬度",
        "Position (text)": "位置（文本）",
        "Reported at": "上报时间",
        "Source": "来源",
        "Reporter": "上报人",
        "Phone": "电话",
        "Source id": "来源编号",
        "Import reports": "导入上报记录",
        "Browse…": "浏览…",
        "Detect": "自动识别",
        "Read columns": "读取列",
        "File": "文件",
        "Encoding": "编码",
        "Coordinates": "坐标系",
        "Preview": "预览",
        "Row": "行号",
        "Warnings": "提示",
        "Reason": "原因",
        "Values": "内容",
        "Accepted": "可导入",
        "Rejected": "不能导入",
        "Import the accepted rows, skip the rejected": "导入可导入的行，跳过不能导入的行",
        "Save rejected rows…": "保存不能导入的行…",
        "Import": "导入",
        "Close": "关闭",
        "Columns": "列对应",
        "(none)": "（无）",
        "{n} rows, encoding {enc}.": "共 {n} 行，编码 {enc}。",
        "Working…": "正在处理…",
        "{a} rows accepted, {r} rejected.": "{a} 行可导入，{r} 行不能导入。",
        "{n} reports imported, {s} rows skipped.": "已导入 {n} 条上报，跳过 {s} 行。",
        "Accepted ({n})": "可导入（{n}）",
        "Rejected ({n})": "不能导入（{n}）",
        "Tables (*.csv *.xlsx)": "表格 (*.csv *.xlsx)",
        "Save rejected rows": "保存不能导入的行",
        "CSV (*.csv)": "CSV 文件 (*.csv)",
    },
}

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
TS = ROOT / "resources" / "translations" / "gridapp_zh_CN.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> str:
    import PySide6.QtCore as qc

    return str(Path(qc.__file__).resolve().parent / name)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "reports.ts"
        sources = sorted(str(p) for p in HERE.glob("*.py"))
        subprocess.run(
            [
                _tool("lupdate"),
                *sources,
                "-ts",
                str(ours),
                "-target-language",
                "zh_CN",
                "-no-obsolete",
                "-locations",
                "none",
                "-silent",
            ],
            check=True,
        )
        mine = ET.parse(ours).getroot()
    missing = []
    for ctx in mine.iter("context"):
        name = ctx.find("name").text or ""
        for message in ctx.iter("message"):
            source = message.find("source").text or ""
            tr = message.find("translation")
            if source in ZH.get(name, {}):
                tr.text = ZH[name][source]
                tr.attrib.pop("type", None)
            else:
                missing.append(f"{name}: {source!r}")
    names = {c.find("name").text for c in mine.iter("context")}
    tree = ET.parse(TS)
    root = tree.getroot()
    for ctx in list(root.iter("context")):
        if ctx.find("name").text in names:
            root.remove(ctx)
    for ctx in mine.iter("context"):
        root.append(ctx)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([_tool("lrelease"), "-silent", str(TS), "-qm", str(QM)], check=True)
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
