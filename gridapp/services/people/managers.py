"""Grid managers (网格员): add, edit, deactivate, photos, and import from Excel/CSV.

A manager who has history (assignments, reports, tracks, an account) is
never deleted, only deactivated.  Phones are 11-digit mainland mobile
numbers or landlines with an area code; staff numbers are unique.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridapp.domain.enums import Employment
from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.session import Session
from gridapp.storage.queries import assignments as qa
from gridapp.storage.queries import people as q

PHOTO_MAX_BYTES_KEY = "manager.photo_max_bytes"
PHOTO_SIZE_KEY = "manager.photo_size"
DEFAULT_PHOTO_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_PHOTO_SIZE = 480
MAX_PHOTO_PIXELS = 60_000_000

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_STAFF_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,31}$")
EDITABLE = ("name", "phone", "staff_no", "employment", "notes")


# -- validation ------------------------------------------------------------
def normalize_phone(text: Any) -> str:
    """A mobile number as 11 digits, or a landline as ``0851-85551234[-123]``.

    Accepts spaces, dashes, brackets, a ``+86`` prefix and numbers Excel
    stored as numbers.

    Examples
    --------
    >>> normalize_phone("+86 138-1234-5678"), normalize_phone("(0851)85551234")
    ('13812345678', '0851-85551234')
    """
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    raw = str(text if text is not None else "").strip()
    ext = ""
    m = re.search(r"(?:转|ext\.?|x|#)\s*(\d{1,6})$", raw, flags=re.IGNORECASE)
    if m:
        ext, raw = m.group(1), raw[: m.start()]
    digits = re.sub(r"[\s\-()（）]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if digits.isdigit():
        if _MOBILE.match(digits) and not ext:
            return digits
        if digits.startswith("0"):
            area = 3 if digits[1] in "12" else 4
            number = digits[area:]
            if len(number) in (7, 8) and number[0] != "0":
                return f"{digits[:area]}-{number}" + (f"-{ext}" if ext else "")
    raise ValidationError(
        "电话号码“{phone}”无效：应为11位手机号码或带区号的固定电话（如 0851-85551234）",
        "Invalid phone number '{phone}': use an 11-digit mobile number or a landline "
        "with its area code (e.g. 0851-85551234)", phone=str(text if text is not None else ""))


def normalize_staff_no(text: Any) -> str:
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    value = str(text if text is not None else "").strip()
    if not _STAFF_NO.match(value):
        raise ValidationError(
            "工号“{staff_no}”无效：1–32个字母、数字、- 或 _",
            "Invalid staff number '{staff_no}': 1–32 letters, digits, - or _", staff_no=value)
    return value


def normalize_name(text: Any) -> str:
    value = re.sub(r"\s+", " ", str(text if text is not None else "")).strip()
    if not value:
        raise ValidationError("请填写姓名", "Enter the name")
    if len(value) > 30:
        raise ValidationError("姓名“{name}”过长", "The name '{name}' is too long", name=value)
    return value


def parse_employment(value: Any) -> Employment:
    text = str(value if value is not None else "").strip()
    if not text:
        return Employment.FULL_TIME
    for e in Employment:
        if text.lower() in (e.value, e.zh, e.en.lower()) or text in {
                Employment.FULL_TIME: ("全职", "专职网格员"),
                Employment.PART_TIME: ("兼职网格员",)}[e]:
            return e
    raise ValidationError("用工性质“{value}”无效：应为专职或兼职",
                          "Invalid employment '{value}': full-time or part-time", value=text)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            out[key] = normalize_name(value)
        elif key == "phone":
            out[key] = normalize_phone(value)
        elif key == "staff_no":
            out[key] = normalize_staff_no(value)
        elif key == "employment":
            out[key] = parse_employment(value).value
        elif key == "notes":
            out[key] = (str(value).strip() or None) if value is not None else None
        else:
            raise ValidationError("未知字段 {field}", "Unknown field {field}", field=key)
    return out


def _staff_no_taken(session: Session, staff_no: str, except_id: int | None = None) -> bool:
    return q.staff_no_taken(session.store, staff_no, except_id)


def _taken_error(staff_no: str) -> ValidationError:
    return ValidationError("工号“{staff_no}”已被其他网格员使用",
                           "The staff number '{staff_no}' is already used by another manager",
                           staff_no=staff_no)


def check_staff_no_free(session: Session, staff_no: str, manager_id: int | None = None) -> None:
    """Raise :class:`ValidationError` when another manager than *manager_id* has
    *staff_no* (for forms checking as the user types; every staff number is
    readable in the manager list, so reading is enough)."""
    session.require("workspace.read")
    if _staff_no_taken(session, staff_no, manager_id):
        raise _taken_error(staff_no)


def photo_max_bytes(session: Session) -> int:
    """The largest photo file the workspace accepts (setting ``manager.photo_max_bytes``)."""
    session.require("workspace.read")
    return int(session.store.setting(PHOTO_MAX_BYTES_KEY, DEFAULT_PHOTO_MAX_BYTES))


# -- CRUD ------------------------------------------------------------------
def add_manager(session: Session, *, name: str, phone: str, staff_no: str,
                employment: Employment | str = Employment.FULL_TIME,
                notes: str | None = None) -> int:
    """Add a grid manager; returns the new id."""
    session.require("manager.edit")
    row = _clean({"name": name, "phone": phone, "staff_no": staff_no,
                  "employment": employment, "notes": notes})
    if _staff_no_taken(session, row["staff_no"]):
        raise _taken_error(row["staff_no"])
    with session.transaction() as tx:
        return tx.insert("manager", {**row, "active": 1, "created_at": now_iso()})


def update_manager(session: Session, manager_id: int, **changes: Any) -> dict[str, Any]:
    """Change some of name, phone, staff_no, employment, notes; returns the diff."""
    session.require("manager.edit")
    get_manager(session, manager_id)
    row = _clean(changes)
    if "staff_no" in row and _staff_no_taken(session, row["staff_no"], manager_id):
        raise _taken_error(row["staff_no"])
    with session.transaction() as tx:
        return tx.update("manager", manager_id, row)


def get_manager(session: Session, manager_id: int) -> dict[str, Any]:
    session.require("workspace.read")
    return session.store.get("manager", manager_id)


def list_managers(session: Session, *, include_inactive: bool = False) -> list[dict[str, Any]]:
    """Managers with their count of current grids and households (primary role)."""
    session.require("workspace.read")
    return q.manager_list(session.store, include_inactive=include_inactive)


def manager_by_staff_no(session: Session, staff_no: str) -> int:
    """The id of the manager with *staff_no* (ignoring case)."""
    session.require("workspace.read")
    value = q.manager_id_by_staff_no(session.store, str(staff_no).strip())
    if value is None:
        raise NotFoundError("没有工号为“{staff_no}”的网格员", "No manager with staff number "
                            "'{staff_no}'", staff_no=staff_no)
    return int(value)


def has_history(session: Session, manager_id: int) -> bool:
    """True when anything refers to the manager (assignments, reports, tracks, users)."""
    session.require("workspace.read")
    return q.manager_has_history(session.store, manager_id)


def deactivate_manager(session: Session, manager_id: int) -> int:
    """Deactivate a manager: their current assignments end now and their account
    is disabled; the record and its history stay.  Returns the number of
    assignments ended."""
    session.require("manager.edit")
    session.require("assignment.edit")
    get_manager(session, manager_id)
    now = now_iso()
    with session.transaction() as tx:
        ended = 0
        for row in qa.current_of_manager(tx, manager_id):
            tx.update("grid_assignment", row["id"], {"valid_to": now})
            ended += 1
        for uid in q.active_account_ids_of_manager(tx, manager_id):
            tx.update("app_user", uid, {"active": 0})
        tx.update("manager", manager_id, {"active": 0})
    return ended


def reactivate_manager(session: Session, manager_id: int) -> None:
    session.require("manager.edit")
    get_manager(session, manager_id)
    with session.transaction() as tx:
        tx.update("manager", manager_id, {"active": 1})


def delete_manager(session: Session, manager_id: int) -> None:
    """Delete a manager entered by mistake; refused once they have any history."""
    session.require("manager.edit")
    get_manager(session, manager_id)
    if has_history(session, manager_id):
        raise ValidationError(
            "该网格员已有分配、上报或账户等历史记录，不能删除，只能停用",
            "This manager has history (assignments, reports or an account) and cannot "
            "be deleted, only deactivated", id=manager_id)
    with session.transaction() as tx:
        tx.delete("manager", manager_id)


# -- photos ------------------------------------------------------------------
def _too_large(size: int, max_bytes: int) -> ValidationError:
    return ValidationError(
        "照片文件过大（{mb:.1f} MB），最大 {max_mb:.1f} MB",
        "The photo is too large ({mb:.1f} MB); the limit is {max_mb:.1f} MB",
        mb=size / 1e6, max_mb=max_bytes / 1e6)


def prepare_photo(data: bytes, *, max_bytes: int = DEFAULT_PHOTO_MAX_BYTES,
                  size: int = DEFAULT_PHOTO_SIZE) -> tuple[bytes, int, int]:
    """Check an uploaded photo, crop it to a centred square and scale it down.

    Returns JPEG bytes and their width and height.  Raises
    :class:`ValidationError` for files that are too large or not images.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    not_image = ValidationError("文件不是可识别的图片（支持 JPEG、PNG、BMP、GIF、WebP）",
                                "The file is not a readable image (JPEG, PNG, BMP, GIF, WebP)")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PHOTO_PIXELS:
                raise ValidationError("照片像素过多（{w}×{h}）", "The photo has too many pixels "
                                      "({w}×{h})", w=probe.width, h=probe.height)
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            img: Image.Image = ImageOps.exif_transpose(opened).convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise not_image from exc
    side = min(img.size)
    left, top = (img.width - side) // 2, (img.height - side) // 2
    img = img.crop((left, top, left + side, top + side))
    if side > size:
        img = img.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), img.width, img.height


def set_manager_photo(session: Session, manager_id: int, photo: bytes | str | Path,
                      filename: str | None = None) -> int:
    """Store a manager's photo (cropped square JPEG) as an attachment; returns its id.

    The previous photo's attachment is kept: the audit log refers to it.
    """
    session.require("manager.edit")
    get_manager(session, manager_id)
    if isinstance(photo, str | Path):
        path = Path(photo)
        filename = filename or path.name
        max_bytes = int(session.store.setting(PHOTO_MAX_BYTES_KEY, DEFAULT_PHOTO_MAX_BYTES))
        if path.stat().st_size > max_bytes:
            raise _too_large(path.stat().st_size, max_bytes)
        photo = path.read_bytes()
    data, w, h = prepare_photo(
        bytes(photo),
        max_bytes=int(session.store.setting(PHOTO_MAX_BYTES_KEY, DEFAULT_PHOTO_MAX_BYTES)),
        size=int(session.store.setting(PHOTO_SIZE_KEY, DEFAULT_PHOTO_SIZE)))
    with session.transaction() as tx:
        aid = tx.insert("attachment", {
            "data": data, "content_type": "image/jpeg", "filename": filename, "width": w,
            "height": h, "sha256": hashlib.sha256(data).hexdigest(), "created_at": now_iso()})
        tx.update("manager", manager_id, {"photo_id": aid})
    return aid


def manager_photo(session: Session, manager_id: int) -> bytes | None:
    """The JPEG bytes of the manager's photo, or None."""
    session.require("workspace.read")
    return q.manager_photo(session.store, manager_id)


# -- import ------------------------------------------------------------------
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
                row.values.update(_clean({fld: raw[fld]}))
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
