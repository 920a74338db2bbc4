"""Importing grid managers from Excel (.xlsx) or CSV: preview every row, then write all or none.

Columns are recognised by their names (姓名, 手机号码, 工号...; see
:data:`SYNONYMS`) or mapped by hand; every row is checked with the same rules
as the manager form (:func:`gridapp.services.people.managers.clean_fields`)
and against the staff numbers already in the workspace.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridapp.domain.enums import Employment
from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.people.managers import clean_fields
from gridapp.services.session import Session
from gridapp.storage.queries import people as q

FIELDS = ("name", "phone", "staff_no", "employment", "notes")
REQUIRED = ("name", "phone", "staff_no")
FIELD_LABELS = {"name": ("姓名", "name"), "phone": ("电话", "phone"),
                "staff_no": ("工号", "staff number"), "employment": ("用工性质", "employment"),
                "notes": ("备注", "notes")}
SYNONYMS = {
    "name": ("姓名", "名字", "网格员", "网格员姓名", "姓名（网格员）", "name", "manager"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "联系方式", "电话号码",
              "phone", "mobile", "tel"),
    "staff_no": ("工号", "编号", "员工编号", "人员编号", "网格员编号", "staff_no",
                 "staff number", "staff no", "id"),
    "employment": ("用工性质", "专兼职", "类型", "性质", "人员类型", "employment", "type"),
    "notes": ("备注", "说明", "notes", "note", "remark"),
}


@dataclass
class ImportProblem:
    line: int | None  # 1-based line (CSV) or row number (Excel); None: the whole file
    zh: str
    en: str
    kind: str = "value"  # value | file | duplicate_in_file | duplicate_in_workspace

    @property
    def message(self) -> str:
        from gridapp import i18n

        where = "" if self.line is None else i18n.pick(f"第{self.line}行：", f"row {self.line}: ")
        return where + i18n.pick(self.zh, self.en)

    def __str__(self) -> str:
        return self.message


@dataclass
class RawTable:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (line number, cells)
    problems: list[ImportProblem] = field(default_factory=list)
    header_line: int = 1


@dataclass
class ImportRow:
    line: int
    values: dict[str, Any]
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ManagerImportPreview:
    """What an import would write, and why rows would be rejected."""

    path: str
    headers: list[str]
    mapping: dict[str, int]  # field -> column index
    rows: list[ImportRow]
    file_problems: list[ImportProblem]

    @property
    def accepted(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def rejected(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def problems(self) -> list[ImportProblem]:
        return self.file_problems + [p for r in self.rows for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(path: str | Path, *, sheet: str | None = None,
               encoding: str | None = None) -> RawTable:
    """Read the header and rows of a CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX file."""
    path = Path(path)
    if not path.exists():
        raise NotFoundError("文件不存在：{path}", "No such file: {path}", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, encoding)
    raise ValidationError("不支持的文件类型 {suffix}：请使用 .xlsx 或 .csv",
                          "Unsupported file type {suffix}: use .xlsx or .csv",
                          suffix=suffix or "-", path=str(path))


def _read_csv(path: Path, encoding: str | None) -> RawTable:
    import csv

    raw = path.read_bytes()
    text = None
    for enc in ([encoding] if encoding else ["utf-8-sig", "gb18030"]):
        try:
            text = raw.decode(enc)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise ValidationError("无法识别文件编码（已尝试 {enc}）",
                              "Cannot decode the file (tried {enc})",
                              enc=encoding or "UTF-8, GBK", path=str(path))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = list(csv.reader(io.StringIO(text), dialect))
    numbered = [(i + 1, row) for i, row in enumerate(lines) if any(c.strip() for c in row)]
    if not numbered:
        return RawTable([], [], [ImportProblem(None, "文件是空的", "The file is empty")])
    header_line, header = numbered[0]
    return RawTable([c.strip() for c in header], numbered[1:], header_line=header_line)


def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ValidationError("无法读取 Excel 文件 {path}", "Cannot read the Excel file {path}",
                              path=str(path)) from exc
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ValidationError("工作簿中没有工作表“{sheet}”（有：{sheets}）",
                                  "The workbook has no sheet '{sheet}' (it has: {sheets})",
                                  sheet=sheet, sheets=", ".join(wb.sheetnames))
        ws = wb[sheet] if sheet else wb.worksheets[0]
        merged = list(ws.merged_cells.ranges)
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)
                if any(_cell_text(c) for c in r)]
    finally:
        wb.close()
    problems: list[ImportProblem] = []
    if not rows:
        return RawTable([], [], [ImportProblem(None, "工作表是空的", "The sheet is empty")])
    # Title rows (one merged cell spanning the table) come before the header.
    width = max(len(r) for _, r in rows)
    while rows:
        line, cells = rows[0]
        filled = [c for c in cells if _cell_text(c)]
        spans = [m for m in merged if m.min_row <= line <= m.max_row]
        if len(filled) == 1 and spans and len(rows) > 1:
            rows.pop(0)
            continue
        break
    header_line, header = rows[0]
    for m in merged:
        if m.min_row <= header_line <= m.max_row:
            problems.append(ImportProblem(
                None, f"表头（第{header_line}行）有合并单元格 {m.coord}：请取消合并，每列只写一个列名",
                f"the header (row {header_line}) has merged cells {m.coord}: unmerge them so "
                "that each column has one name"))
    headers = [_cell_text(c) for c in header] + [""] * (width - len(header))
    return RawTable(headers, rows[1:], problems, header_line=header_line)


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Field → column index, recognised from the column names."""
    normal = [re.sub(r"[\s*＊:：()（）]", "", h).lower() for h in headers]
    out: dict[str, int] = {}
    for fld, names in SYNONYMS.items():
        keys = [re.sub(r"[\s*＊:：()（）]", "", n).lower() for n in names]
        for key in keys:
            if key in normal and normal.index(key) not in out.values():
                out[fld] = normal.index(key)
                break
    return out


def _resolve_mapping(headers: list[str], mapping: dict[str, str | int] | None,
                     problems: list[ImportProblem]) -> dict[str, int]:
    result = guess_mapping(headers)
    for fld, col in (mapping or {}).items():
        if fld not in FIELDS:
            problems.append(ImportProblem(None, f"未知字段“{fld}”", f"unknown field '{fld}'"))
            continue
        if isinstance(col, int) or (isinstance(col, str) and col.isdigit()
                                    and col not in headers):
            idx = int(col)
        elif col in headers:
            idx = headers.index(col)
        else:
            problems.append(ImportProblem(None, f"文件中没有列“{col}”", f"the file has no "
                                          f"column '{col}'"))
            continue
        if not 0 <= idx < len(headers):
            problems.append(ImportProblem(None, f"列号 {idx} 超出范围", f"column {idx} is out "
                                          "of range"))
            continue
        result[fld] = idx
    missing = [f for f in REQUIRED if f not in result]
    if missing:
        found = "、".join(h for h in headers if h) or "-"
        problems.append(ImportProblem(
            None,
            "缺少必需的列：{m}（文件中的列：{found}）".format(
                m="、".join(FIELD_LABELS[f][0] for f in missing), found=found),
            "missing required columns: {m} (columns in the file: {found})".format(
                m=", ".join(FIELD_LABELS[f][1] for f in missing), found=found)))
    return result


def preview_manager_import(session: Session, path: str | Path, *,
                           mapping: dict[str, str | int] | None = None,
                           sheet: str | None = None,
                           encoding: str | None = None) -> ManagerImportPreview:
    """Read a file of managers and check every row without writing anything.

    *mapping* overrides recognised columns: ``{"phone": "联系电话"}`` or a
    column index.
    """
    session.require("manager.edit")
    table = read_table(path, sheet=sheet, encoding=encoding)
    problems = list(table.problems)
    cols = _resolve_mapping(table.headers, mapping, problems) if table.headers else {}
    rows: list[ImportRow] = []
    if problems:
        return ManagerImportPreview(str(path), table.headers, cols, rows, problems)
    for line, cells in table.rows:
        raw = {f: (cells[i] if i < len(cells) else None) for f, i in cols.items()}
        row = ImportRow(line, {})
        for fld in FIELDS:
            if fld not in raw:
                continue
            try:
                if fld in REQUIRED and not _cell_text(raw[fld]):
                    zh, en = FIELD_LABELS[fld]
                    raise ValidationError(f"缺少{zh}", f"missing {en}")
                row.values.update(clean_fields({fld: raw[fld]}))
            except ValidationError as exc:
                row.problems.append(ImportProblem(line, exc.zh.format(**exc.params),
                                                  exc.en.format(**exc.params)))
        rows.append(row)
    _check_duplicates(session, rows)
    if not rows:
        problems.append(ImportProblem(None, "文件中没有数据行", "The file has no data rows"))
    return ManagerImportPreview(str(path), table.headers, cols, rows, problems)


def _check_duplicates(session: Session, rows: list[ImportRow]) -> None:
    seen: dict[str, list[int]] = {}
    for row in rows:
        staff = row.values.get("staff_no")
        if staff:
            seen.setdefault(staff.lower(), []).append(row.line)
    existing = q.staff_nos(session.store)
    for row in rows:
        staff = row.values.get("staff_no")
        if not staff:
            continue
        lines = seen[staff.lower()]
        if len(lines) > 1:
            others = "、".join(str(n) for n in lines if n != row.line)
            row.problems.append(ImportProblem(
                row.line, f"工号“{staff}”在文件中重复（另见第{others}行）",
                f"staff number '{staff}' appears more than once in the file "
                f"(also row {others.replace('、', ', ')})", "duplicate_in_file"))
        if staff.lower() in existing:
            row.problems.append(ImportProblem(
                row.line, f"工号“{staff}”已存在于工作空间中",
                f"staff number '{staff}' already exists in the workspace",
                "duplicate_in_workspace"))


def import_managers(session: Session, source: ManagerImportPreview | str | Path, *,
                    mapping: dict[str, str | int] | None = None, sheet: str | None = None,
                    encoding: str | None = None) -> int:
    """Write every row of an import, or nothing.

    Raises :class:`ImportFileError` (``params['problems']`` lists every
    rejected row and file problem) when any row is rejected.  Returns the
    number of managers added.
    """
    from gridapp.errors import ImportFileError

    session.require("manager.edit")
    preview = source if isinstance(source, ManagerImportPreview) else preview_manager_import(
        session, source, mapping=mapping, sheet=sheet, encoding=encoding)
    # Re-check against the workspace: it may have changed since the preview.
    for row in preview.rows:
        row.problems = [p for p in row.problems if not p.kind.startswith("duplicate")]
    _check_duplicates(session, preview.rows)
    if not preview.ok:
        problems = preview.problems
        raise ImportFileError(
            "导入未执行：{n}个问题，未写入任何数据。{first}",
            "Nothing was imported: {n} problems. {first}",
            n=len(problems), first=problems[0].message if problems else "",
            problems=problems, path=preview.path)
    now = now_iso()
    with session.transaction() as tx:
        for row in preview.rows:
            values = {"employment": Employment.FULL_TIME.value, **row.values}
            tx.insert("manager", {**values, "active": 1, "created_at": now})
    return len(preview.rows)
