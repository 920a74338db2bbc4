"""Chinese for the outside-edits notice and dialog.

Texts are written in English in the code; :data:`ZH` holds the Chinese per Qt
context.  ``python -m gridapp.qt.catalogue`` builds
``resources/translations/outside_zh_CN`` from it (see :mod:`gridapp.qt.catalogue`).
"""

from __future__ import annotations

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
