"""Grid managers (网格员): add, edit, deactivate and photos (imports: manager_import.py).

A manager who has history (assignments, reports, tracks, an account) is
never deleted, only deactivated.  Phones are 11-digit mainland mobile
numbers or landlines with an area code; staff numbers are unique.
"""

from __future__ import annotations

import hashlib
import io
import re
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


def clean_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Each given field normalised (name, phone, staff_no, employment, notes);
    raises :class:`ValidationError` for a bad value or an unknown field."""
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
    row = clean_fields({"name": name, "phone": phone, "staff_no": staff_no,
                  "employment": employment, "notes": notes})
    if _staff_no_taken(session, row["staff_no"]):
        raise _taken_error(row["staff_no"])
    with session.transaction() as tx:
        return tx.insert("manager", {**row, "active": 1, "created_at": now_iso()})


def update_manager(session: Session, manager_id: int, **changes: Any) -> dict[str, Any]:
    """Change some of name, phone, staff_no, employment, notes; returns the diff."""
    session.require("manager.edit")
    get_manager(session, manager_id)
    row = clean_fields(changes)
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
    """Take a deactivated manager back (audited); their grids and account are
    given back separately (assignments, the user form).  Refused for a manager
    who is active."""
    session.require("manager.edit")
    row = get_manager(session, manager_id)
    if row["active"]:
        raise ValidationError("网格员“{name}”（工号 {staff_no}）在职，无需重新启用",
                              "The manager '{name}' ({staff_no}) is active already",
                              name=row["name"], staff_no=row["staff_no"], id=manager_id)
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
