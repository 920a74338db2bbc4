"""Indicators to an Excel workbook (openpyxl, already a GridApp dependency).

One sheet per unit kind with Chinese headers, the header row frozen, number
formats by indicator unit (counts, percentages, hours), the street's total
as the last row, and a 说明 sheet stating the period, when it was computed and
every formula.  The workbook is written next to the target and moved over it
only when complete, so a failure leaves no partial file; a target that is
open in LibreOffice/WPS (its lock file exists) or read-only is refused with a
clear message.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gridapp.domain.timeutil import format_local, now_utc
from gridapp.errors import ValidationError
from gridapp.services.assessment import formula as formulas
from gridapp.services.assessment.indicators import (
    UNIT_KINDS,
    KpiTable,
    _as_period,
    _check_by,
    compute_all,
)
from gridapp.services.assessment.periods import Period
from gridapp.services.session import Session

NUMBER_FORMATS = {"count": "0", "ratio": "0.0%", "hours": "0.0", "score": "0.00"}
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")


@dataclass(frozen=True)
class ExcelResult:
    path: Path
    sheets: list[str]
    rows: dict[str, int]


def _cell(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) \
        else float(value)


def _check_target(path: Path) -> None:
    lock = path.with_name(f".~lock.{path.name}#")
    if lock.exists() or path.with_name(f"~${path.name}").exists():
        raise ValidationError(
            "文件“{path}”正在被其他程序（LibreOffice / WPS / Excel）打开，请先关闭再导出",
            "'{path}' is open in another program (LibreOffice / WPS / Excel); close "
            "it and export again", path=str(path))
    # by the mode bits too: an administrator (root) could write over it anyway
    if path.exists() and (not os.access(path, os.W_OK)
                          or not path.stat().st_mode & 0o222):
        raise ValidationError("文件“{path}”是只读的，请另选位置或解除只读",
                              "'{path}' is read-only; choose another file",
                              path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise ValidationError("无法写入文件夹“{folder}”", "Cannot write in '{folder}'",
                              folder=str(folder))


def _sheet(wb: Workbook, table: KpiTable) -> int:
    ws = wb.create_sheet(UNIT_KINDS[table.by][0])
    inds = table.indicators
    ws.append([UNIT_KINDS[table.by][0], *[i.name_zh for i in inds]])
    for r in table.frame.itertuples(index=False):
        row = r._asdict()
        ws.append([str(row["label"]), *[_cell(row[i.code]) for i in inds]])
    ws.append(["合计（全街道）", *[_cell(table.total.get(i.code)) for i in inds]])
    for c, ind in enumerate(inds, start=2):
        fmt = NUMBER_FORMATS.get(ind.unit, "General")
        for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
            cell.number_format = fmt
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 28
    for c in range(2, len(inds) + 2):
        ws.column_dimensions[get_column_letter(c)].width = 13
    return len(table.frame) + 1


def _notes(wb: Workbook, period: Period, tables: list[KpiTable]) -> None:
    ws = wb.create_sheet("说明")
    ws.append(["考核周期", period.label])
    last = period.end - timedelta(days=1)
    ws.append(["起止", f"{period.start.isoformat()} 至 {last.isoformat()}"])
    ws.append(["生成时间", format_local(now_utc())])
    if tables and tables[0].empty:
        ws.append(["提示", tables[0].note])
    ws.append([])
    ws.append(["指标", "公式", "说明"])
    names = {m: zh for m, (zh, _) in formulas.MEASURES.items()}
    for ind in tables[0].indicators if tables else []:
        readable = ind.formula
        for m in sorted(names, key=len, reverse=True):
            readable = readable.replace(m, names[m])
        ws.append([ind.name_zh, readable, ind.description])
    ws.append([])
    ws.append(["计数口径", "应结案数：派遣后处置期限落在本期的案件；缓办数：其中已挂账的；"
                         "结案数：其中在期末前结案的；按期结案数：其中不晚于期限结案的；"
                         "处置时长按工作日历的办公时间计算（工作时）"])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 40


def export_xlsx(session: Session, period: Period | str, path: str | os.PathLike,
                by: list[str] | tuple[str, ...] | str = tuple(UNIT_KINDS)) -> ExcelResult:
    """Write the indicators of *period* by each unit kind of *by* to *path* (.xlsx)."""
    session.require("assessment.read")
    session.require("export.data")
    kinds = [by] if isinstance(by, str) else list(by)
    for k in kinds:
        _check_by(k)
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError("请以 .xlsx 为扩展名保存", "Save as a .xlsx file",
                              path=str(target))
    _check_target(target)
    period = _as_period(period)
    every = compute_all(session, period, tuple(dict.fromkeys(kinds)))  # one read
    tables = [every[k] for k in kinds]
    wb = Workbook()
    wb.remove(wb.active)
    rows = {UNIT_KINDS[t.by][0]: _sheet(wb, t) for t in tables}
    _notes(wb, period, tables)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=target.parent or ".")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise ValidationError("无法写入“{path}”：{reason}", "Cannot write '{path}': {reason}",
                              path=str(target), reason=exc.strerror or str(exc)) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return ExcelResult(target, [*rows, "说明"], rows)
