"""Chinese for the outside-edits notice and dialog, and how they reach their catalogue.

``python -m gridapp.qt.outside.translations_zh`` extracts the strings of this
package and of ``gridapp/qt/features/outside_edits.py`` with ``lupdate``,
fills them from :data:`ZH` and writes ``resources/translations/outside_zh_CN.ts``
and ``.qm`` (the window loads every ``*_zh_CN.qm``).  Exits 1 when a string
has no Chinese.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gridapp.qt.catalogue import build, report

ZH: dict[str, dict[str, str]] = {
    "Actions": {
        "Edits made &outside GridApp…": "GridApp 之外的修改(&O)…",
    },
    "OutsideEditsFeature": {
        "{n} edits made outside GridApp (QGIS, sqlite3…): review them to accept or revert":
            "有 {n} 处修改是在 GridApp 之外做的（QGIS、sqlite3 等）：请审核，接受或撤销",
        "{n} edits made outside GridApp (QGIS, sqlite3…): an administrator should review them":
            "有 {n} 处修改是在 GridApp 之外做的（QGIS、sqlite3 等）：请管理员审核",
        "⚠ {n} edits outside GridApp": "⚠ {n} 处外部修改",
    },
    "OutsideEditsModel": {
        "Record": "记录", "When": "时间", "Table": "表", "Row": "行", "Change": "操作",
        "Before → after": "修改前 → 修改后",
        "inserted": "新增", "updated": "修改", "deleted": "删除",
    },
    "OutsideEditsDialog": {
        "Edits made outside GridApp": "GridApp 之外的修改",
        "&Accept into history": "接受并写入历史(&A)",
        "&Revert": "撤销(&R)",
        "{n} edits were made outside GridApp (QGIS, sqlite3…). Accept them into history and "
        "the audit log, or revert them. With no row selected, the buttons act on all of them.":
            "有 {n} 处修改是在 GridApp 之外做的（QGIS、sqlite3 等）。可接受（写入历史和审计日志）"
            "或撤销。未选中任何行时，按钮作用于全部修改。",
    },
}

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent


def main() -> int:
    sources = sorted(HERE.glob("*.py")) + [ROOT / "gridapp" / "qt" / "features" /
                                           "outside_edits.py"]
    return report(build("outside", sources, ZH))


if __name__ == "__main__":
    sys.exit(main())
