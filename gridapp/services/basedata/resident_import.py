"""Importing residents from the usual 台账 (Excel or CSV): preview, then all rows or none.

Columns are recognised by name (:data:`SYNONYMS`: 姓名, 身份证号码, 联系电话,
楼栋, 门牌/室号, 人员类别, 备注) or mapped by hand.  The sheet is read by the
managers' importer (:func:`gridapp.services.people.manager_import.read_table`):
title rows above the header are skipped, merged header cells are refused
with their position.  Each row is checked like the form (GB 11643 ID number,
phone, known categories by name or code, a building that exists, the user's
own grids for a grid manager); duplicate ID numbers are found within the
file and against the workspace (through the keyed hash), and every problem
is listed by row.  Households (building + door) are created as needed.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridapp.domain import idcard
from gridapp.domain.timeutil import today_local
from gridapp.errors import ImportFileError, ValidationError
from gridapp.services.basedata import residents as rs
from gridapp.services.basedata import xlsx_rows
from gridapp.services.people.manager_import import (
    ImportProblem,
    ImportRow,
    RawTable,
    read_table,
)
from gridapp.services.session import Session, own_grid_ids
from gridapp.storage.queries import basedata as q

FIELDS = ("name", "id_number", "phone", "building", "door", "categories", "notes")
SYNONYMS = {
    "name": ("姓名", "名字", "居民姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "id_number",
                  "id"),
    "phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "phone", "mobile"),
    "building": ("楼栋", "楼栋名称", "所在楼栋", "楼号", "地址", "住址", "building"),
    "door": ("门牌", "门牌号", "室号", "房号", "户", "单元室号", "door", "room"),
    "categories": ("类别", "人员类别", "居民类别", "重点人群", "categories", "category"),
    "notes": ("备注", "说明", "notes", "note"),
}
_SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclass
class ResidentImportPreview:
    path: str
    headers: list[str]
    mapping: dict[str, int]
    rows: list[ImportRow]
    file_problems: list[ImportProblem] = field(default_factory=list)

    @property
    def problems(self) -> list[ImportProblem]:
        return self.file_problems + [p for r in self.rows for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def accepted(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]


def _norm(text: str) -> str:
    return re.sub(r"[\s*＊:：()（）]", "", str(text)).lower()


def _mapping(headers: list[str], given: dict[str, str | int] | None,
             problems: list[ImportProblem]) -> dict[str, int]:
    normal = [_norm(h) for h in headers]
    out: dict[str, int] = {}
    for fld, names in SYNONYMS.items():
        for key in (_norm(n) for n in names):
            if key in normal and normal.index(key) not in out.values():
                out[fld] = normal.index(key)
                break
    for fld, col in (given or {}).items():
        if fld not in FIELDS or (col not in headers and not str(col).isdigit()):
            problems.append(ImportProblem(None, f"无法对应字段 {fld}={col}",
                                          f"cannot map {fld}={col}", "file"))
            continue
        out[fld] = headers.index(col) if col in headers else int(col)
    if "name" not in out or "building" not in out:
        problems.append(ImportProblem(
            None, "缺少必需的列：姓名、楼栋（文件中的列：{c}）".format(c="、".join(headers)),
            "missing required columns: name, building (columns: {c})".format(
                c=", ".join(headers)), "file"))
    return out


def _read(path: str | Path, sheet: str | None) -> RawTable:
    """The sheet's header and rows; .xlsx files are streamed (:mod:`.xlsx_rows`).

    Merged ranges follow the managers' importer's rules: a merged title row
    above the header is skipped, merged header cells are refused.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.exists():
        return read_table(path, sheet=sheet)
    from xml.etree.ElementTree import ParseError

    try:
        names = xlsx_rows.sheet_names(path)
        if sheet is not None and sheet not in names:
            raise ValidationError("工作簿中没有工作表“{sheet}”（有：{sheets}）",
                                  "The workbook has no sheet '{sheet}' (it has: {sheets})",
                                  sheet=sheet, sheets=", ".join(names))
        table = xlsx_rows.read_sheet(path, sheet)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, IndexError,
            ParseError) as exc:
        raise ValidationError("无法读取 Excel 文件 {path}", "Cannot read the Excel file {path}",
                              path=str(path)) from exc
    refs = [ref for ref, _ in table.merged]
    merged = [m for _, m in table.merged]
    rows = [(i, r) for i, r in table.rows if any(_text(c) for c in r)]
    if not rows:
        return RawTable([], [], [ImportProblem(None, "工作表是空的", "The sheet is empty")])
    width = max(len(r) for _, r in rows)
    while len(rows) > 1 and sum(bool(_text(c)) for c in rows[0][1]) == 1 and any(
            m[1] <= rows[0][0] <= m[3] for m in merged):
        rows.pop(0)
    line, header = rows[0]
    problems = [ImportProblem(None, f"表头（第{line}行）有合并单元格 {ref}：请取消合并，每列只写一个列名",
                              f"the header (row {line}) has merged cells {ref}: unmerge them so"
                              " that each column has one name")
                for ref, m in zip(refs, merged, strict=True) if m[1] <= line <= m[3]]
    return RawTable([_text(c) for c in header] + [""] * (width - len(header)), rows[1:],
                    problems, header_line=line)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def preview_resident_import(session: Session, path: str | Path, *,
                            mapping: dict[str, str | int] | None = None,
                            sheet: str | None = None) -> ResidentImportPreview:
    """Read a residents' sheet and check every row; nothing is written."""
    session.require(rs.EDIT)
    table = _read(path, sheet)
    problems = list(table.problems)
    cols = _mapping(table.headers, mapping, problems) if table.headers else {}
    preview = ResidentImportPreview(str(path), table.headers, cols, [], problems)
    if problems:
        return preview
    cats = {r["name"]: r["code"] for r in q.categories(session.store, active_only=True)}
    codes = set(cats.values())
    buildings: dict[str, int] = {}
    for bid, name, address in q.building_refs(session.store):
        for key in (name, address):
            if key:
                buildings.setdefault(_norm(key), bid)
    own = own_grid_ids(session)
    today = today_local()
    grid_of: dict[int, int | None] = {}
    raws = [(line, {f: _text(cells[i]) if i < len(cells) else "" for f, i in cols.items()})
            for line, cells in table.rows]
    # ID numbers checked as one column (GB 11643 check characters in one vectorised sum);
    # the rows with a problem are checked again one by one for their message.
    numbers = idcard.normalise_many([raw.get("id_number") for _, raw in raws])
    valid = [p is None for p in idcard.problems_many(numbers, today=today)]
    for (line, raw), number, ok in zip(raws, numbers, valid, strict=True):
        row = ImportRow(line, {})
        preview.rows.append(row)
        bid = buildings.get(_norm(raw.get("building", "")))
        if bid is None:
            row.problems.append(ImportProblem(line, f"楼栋“{raw.get('building')}”不存在",
                                              f"no building '{raw.get('building')}'"))
            continue
        if own is not None:
            grid = grid_of.setdefault(bid, q.building_grid(session.store, bid))
            if grid not in own:
                row.problems.append(ImportProblem(line, "楼栋不在您负责的网格内",
                                                  "the building is not in your grids"))
                continue
        labels = [c for c in _SPLIT.split(raw.get("categories", "")) if c]
        draft = rs.ResidentDraft(raw.get("name", ""), None, raw.get("id_number") or None,
                                 raw.get("phone") or None, [cats.get(c, c) for c in labels],
                                 raw.get("notes") or None)
        try:
            row.values = rs.clean_resident(draft, codes, today=today,
                                           checked_id=number if ok else None)
        except ValidationError as exc:
            row.problems.append(ImportProblem(line, exc.zh.format(**exc.params),
                                              exc.en.format(**exc.params)))
            continue
        row.values["building_id"] = bid
        row.values["door"] = raw.get("door", "")
    _duplicates(session, preview.rows)
    if not preview.rows:
        preview.file_problems.append(ImportProblem(None, "文件中没有数据行",
                                                   "The file has no data rows", "file"))
    return preview


def _duplicates(session: Session, rows: list[ImportRow]) -> None:
    seen: dict[str, list[int]] = {}
    for row in rows:
        if row.values.get("id_number"):
            seen.setdefault(row.values["id_number"], []).append(row.line)
    for number, lines in seen.items():
        if len(lines) > 1:
            for row in rows:
                if row.values.get("id_number") == number:
                    others = "、".join(str(n) for n in lines if n != row.line)
                    row.problems.append(ImportProblem(
                        row.line, f"身份证号码在文件中重复（另见第{others}行）",
                        f"the ID number appears more than once (also row {others})",
                        "duplicate_in_file"))
    if not seen or not q.resident_count(session.store):
        return
    c = q.cipher(session.store)
    hashes = {c.lookup_hash(n): n for n in seen}
    for h, rid in q.resident_ids_by_hash(session.store, list(hashes)).items():
        for row in rows:
            if row.values.get("id_number") == hashes[h]:
                row.problems.append(ImportProblem(
                    row.line, f"身份证号码已登记（居民 #{rid}）",
                    f"the ID number is already recorded (resident #{rid})",
                    "duplicate_in_workspace"))


def import_residents(session: Session, source: ResidentImportPreview | str | Path, *,
                     mapping: dict[str, str | int] | None = None,
                     sheet: str | None = None) -> int:
    """Write every row of an import, or nothing; returns the number of residents added.

    Raises :class:`ImportFileError` with ``params['problems']`` (each row's
    problems) when any row is rejected.
    """
    session.require(rs.EDIT)
    preview = source if isinstance(source, ResidentImportPreview) else \
        preview_resident_import(session, source, mapping=mapping, sheet=sheet)
    for row in preview.rows:  # the workspace may have changed since the preview
        row.problems = [p for p in row.problems if p.kind != "duplicate_in_workspace"]
    _duplicates(session, [r for r in preview.rows if r.ok])
    if not preview.ok:
        problems = preview.problems
        raise ImportFileError("导入未执行：{n}个问题，未写入任何数据。{first}",
                              "Nothing was imported: {n} problems. {first}",
                              n=len(problems), first=problems[0].message if problems else "",
                              problems=problems, path=preview.path)
    with session.transaction() as tx:
        households = q.household_ids(tx)
        missing = list(dict.fromkeys(
            (r.values["building_id"], r.values["door"]) for r in preview.rows
            if (r.values["building_id"], r.values["door"]) not in households))
        households.update(q.insert_households(tx, missing, Path(preview.path).name))
        values = [{**row.values, "household_id": households[(row.values["building_id"],
                                                              row.values["door"])]}
                  for row in preview.rows]
        return q.insert_residents(tx, values, Path(preview.path).name)
