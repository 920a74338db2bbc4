"""Chinese for the people widgets, and the command that writes their catalogue.

The widgets are written in English (``self.tr`` and ``QCoreApplication.translate``
in the ``People`` context); :data:`ZH` holds the Chinese.  Run from the
repository root after changing strings::

    /work/venv/bin/python -m gridapp.qt.people.translations_zh

It extracts this package's and :mod:`gridapp.qt.features.people`'s strings with
``lupdate``, fills them from :data:`ZH`, writes
``resources/translations/people_zh_CN.ts`` and compiles ``people_zh_CN.qm``
(the window loads every ``*_zh_CN.qm``).  Prints strings without Chinese and
exits 1 then.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

# Same Chinese in every context.
ZH: dict[str, str] = {
    # common / messages
    "Not allowed: {error}": "无权操作：{error}",
    "Unexpected error (please report it): {error}": "意外错误（请报告）：{error}",
    "GridApp": "网格化管理",
    "&People": "人员(&P)",
    "Grid managers": "网格员",
    "Assignment warnings": "分配提醒",
    "Deactivate grid manager": "停用网格员",
    "Deactivate {name}? Their current grids become unassigned and their account is "
    "disabled; their history is kept. To hand their grids to someone else first, use "
    "“Hand over all grids…”.": "停用{name}？其当前负责的网格将没有网格员，其账户将被停用，历史记录保留。"
    "如需先把网格交给其他人，请使用“移交全部网格…”。",
    "Select grids on the map or in the attribute table first.": "请先在地图或属性表中选择网格。",
    "Select the leaving manager in the manager list first.": "请先在网格员列表中选择要交接的网格员。",
    "{name} is now the primary manager of grid {grid}": "{name} 现为网格 {grid} 的主责网格员",
    "No primary manager": "无主责网格员",
    # actions
    "Grid &managers": "网格员(&M)",
    "&New grid manager…": "新增网格员(&N)…",
    "&Import grid managers…": "导入网格员(&I)…",
    "&Assign selected grids to manager…": "将所选网格分配给网格员(&A)…",
    "&Hand over all grids of a manager…": "移交网格员的全部网格(&H)…",
    "&Colour grids by manager": "按网格员着色(&C)",
    "Change my &password…": "修改我的密码(&P)…",
    "&Users…": "用户管理(&U)…",
    "Audit &log…": "审计日志(&L)…",
    # tables
    "No.": "序号",
    "Time": "时间",
    "Person": "操作人",
    "Action": "操作",
    "Table": "数据表",
    "Row": "行",
    "Changes": "变更内容",
    "Staff no.": "工号",
    "Name": "姓名",
    "Phone": "电话",
    "Employment": "用工性质",
    "Grids": "网格数",
    "Households": "户数",
    "Status": "状态",
    "User name": "用户名",
    "Display name": "显示名称",
    "Role": "角色",
    "Bound to": "绑定",
    "Last login": "最近登录",
    "Active": "在岗",
    "Inactive": "已停用",
    "Disabled": "已停用",
    "Locked": "已锁定",
    "Full-time": "专职",
    "Part-time": "兼职",
    # assign
    "Assign grids to a manager": "分配网格",
    "{n} grids: {grids}": "{n} 个网格：{grids}",
    "Manager": "网格员",
    "Primary": "主责",
    "Backup": "协助",
    "Select a manager.": "请选择网格员。",
    # warnings
    "No assignment problems.": "网格员分配没有问题。",
    "{n} assignment problems": "{n} 个分配问题",
    "Check again": "重新检查",
    # audit
    "Audit log": "审计日志",
    "Row id": "记录编号",
    "Everyone": "所有人",
    "All tables": "所有数据表",
    "From": "起始日期",
    "To": "截止日期",
    "Show": "查询",
    "Verify chain": "校验哈希链",
    "The row id must be a number.": "记录编号必须是数字。",
    "{n} entries": "{n} 条记录",
    "(the newest {limit}; narrow the filters)": "（仅显示最新 {limit} 条，请缩小筛选范围）",
    "The audit chain is intact.": "审计日志哈希链完整，未被篡改。",
    "The audit chain is broken at {n} places:": "审计日志哈希链有 {n} 处断裂：",
    # password
    "Change password": "修改密码",
    "Current password": "当前密码",
    "New password": "新密码",
    "Repeat new password": "再次输入新密码",
    "The two new passwords differ.": "两次输入的新密码不一致。",
    # manager form
    "New grid manager": "新增网格员",
    "Edit grid manager": "编辑网格员",
    "Photo": "照片",
    "Notes": "备注",
    "11-digit mobile or 0851-85551234": "11位手机号或 0851-85551234",
    # import
    "Import grid managers": "导入网格员",
    "Choose file…": "选择文件…",
    "Import all": "全部导入",
    "Check": "检查结果",
    "Choose an Excel (.xlsx) or CSV file with the columns 姓名, 电话, 工号 and optionally "
    "用工性质, 备注.": "请选择 Excel（.xlsx）或 CSV 文件，须有“姓名”“电话”“工号”列，"
    "可选“用工性质”“备注”列。",
    "Tables (*.xlsx *.csv)": "表格文件 (*.xlsx *.csv)",
    "OK": "通过",
    "{ok} rows accepted, {bad} rejected.": "{ok} 行可导入，{bad} 行被拒绝。",
    "Nothing is written until you press “Import all”.": "按“全部导入”之前不会写入任何数据。",
    "The file has no rows.": "文件中没有数据行。",
    "Fix the rejected rows in the file and choose it again: the import writes all rows "
    "or none.": "请在文件中修正被拒绝的行后重新选择：导入要么全部写入，要么一行也不写。",
    # manager list
    "Search name, phone, staff no.": "搜索姓名、电话、工号",
    "All": "全部",
    "Add…": "新增…",
    "Edit…": "编辑…",
    "Deactivate…": "停用…",
    "Import…": "导入…",
    "Assign selected grids": "分配所选网格",
    "Hand over all grids…": "移交全部网格…",
    "Drag a manager onto a grid on the map to make them its primary manager.": "把网格员拖到地图上的网格，即设为该网格的主责网格员。",
    "Select a manager first.": "请先选择网格员。",
    "{shown} of {total} managers": "显示 {shown} / 共 {total} 名网格员",
    # photo
    "Choose photo…": "选择照片…",
    "No photo": "无照片",
    "Choose photo": "选择照片",
    "Images (*.jpg *.jpeg *.png *.bmp *.gif *.webp)": "图片 (*.jpg *.jpeg *.png *.bmp *.gif *.webp)",
    "The file is not a readable image.": "该文件不是可识别的图片。",
    "Not an image": "不是图片",
    # reassign
    "Hand over all grids": "移交全部网格",
    "{name} is responsible for {n} grids: {codes}": "{name} 负责 {n} 个网格：{codes}",
    "Hand over to": "移交给",
    "Deactivate {name} (leaving)": "同时停用{name}（离岗）",
    # history
    "History…": "分配历史…",
    "Assignment history": "网格分配历史",
    "Grid": "网格",
    "{name}: {n} assignments, {current} current († retired grid version)": "{name}：共 {n} 条分配记录，现行 {current} 条（† 表示已停用的网格版本）",
    # users
    "New user": "新增用户",
    "Department": "所属部门",
    "Grid manager": "网格员",
    "Password": "密码",
    "Repeat password": "再次输入密码",
    "The two passwords differ.": "两次输入的密码不一致。",
    "Users": "用户管理",
    "Disable": "停用",
    "Enable": "启用",
    "Reset password…": "重置密码…",
    "Unlock": "解除锁定",
    "Close": "关闭",
    "Done: {user}": "已完成：{user}",
    "Reset password": "重置密码",
    "New password for {user}:": "{user} 的新密码：",
}

# Strings translated through a variable (lupdate cannot see them).
EXTRA: tuple[tuple[str, str], ...] = tuple(
    ("People", s)
    for s in ("Active", "Inactive", "Disabled", "Locked", "Full-time", "Part-time")
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
TS = ROOT / "resources" / "translations" / "people_zh_CN.ts"
QM = TS.with_suffix(".qm")
SOURCES = [
    *sorted(HERE.glob("*.py")),
    ROOT / "gridapp" / "qt" / "features" / "people.py",
]


def _tool(name: str) -> str:
    import PySide6.QtCore as qc

    return str(Path(qc.__file__).resolve().parent / name)


def extract() -> dict[str, list[str]]:
    """Context → source strings, in first-seen order."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "people.ts"
        subprocess.run(
            [
                _tool("lupdate"),
                *map(str, SOURCES),
                "-ts",
                str(out),
                "-target-language",
                "zh_CN",
                "-no-obsolete",
                "-locations",
                "none",
                "-silent",
            ],
            check=True,
        )
        root = ET.parse(out).getroot()
    found: dict[str, list[str]] = {}
    for ctx in root.findall("context"):
        # Module-level helpers call translate("People", …) through a variable.
        name = ctx.findtext("name") or "People"
        for msg in ctx.findall("message"):
            found.setdefault(name, [])
            src = msg.findtext("source") or ""
            if src not in found[name]:
                found[name].append(src)
    for name, src in EXTRA:
        found.setdefault(name, [])
        if src not in found[name]:
            found[name].append(src)
    return found


def main() -> int:
    found = extract()
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    missing = []
    for name, sources in found.items():
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = name
        for src in sources:
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = src
            zh = ZH.get(src)
            if zh is None:
                missing.append(f"{name}: {src}")
                ET.SubElement(msg, "translation", type="unfinished")
            else:
                ET.SubElement(msg, "translation").text = zh
    ET.indent(root)
    TS.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        + ET.tostring(root, encoding="unicode")
        + "\n",
        encoding="utf-8",
    )
    subprocess.run([_tool("lrelease"), "-silent", str(TS), "-qm", str(QM)], check=True)
    for m in missing:
        print("no Chinese:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
