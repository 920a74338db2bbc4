"""Masking residents' personal data (names, ID numbers, phone numbers).

Residents' personal data in base data and reports is shown in full only to
roles holding ``personal_data.view``; everyone else, and every export unless
a role allowed to see it asks for it explicitly, gets the masked form.
Grid managers' own names and phones are public (挂牌联系) and are not masked.

Examples
--------
The forms are the ones issue 18 writes: 张*, 520***********1234, 138****5678.

>>> mask_name("张三丰"), mask_name("欧阳娜娜"), mask_phone("13812345678")
('张*', '欧阳*', '138****5678')
>>> mask_id_number("520102199001011234")
'520***********1234'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from gridapp.domain.enums import Role
from gridapp.domain.permissions import allowed
from gridapp.errors import PermissionDenied

PERMISSION = "personal_data.view"
STAR = "*"

# Two-character surnames, kept whole so the mask still says who is meant.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 "
    "钟离 端木 独孤 南宫 西门 百里 呼延 申屠 万俟 闻人 澹台 公冶 太史 赫连".split()
)

# Columns holding residents' personal data, by kind; other services add theirs.
PERSONAL_COLUMNS: dict[str, str] = {
    "reporter_name": "name",
    "reporter_phone": "phone",
    "contact_name": "name",
    "contact_phone": "phone",
    "resident_name": "name",
    "resident_phone": "phone",
    "id_number": "id_number",
}


def mask_name(name: str | None) -> str | None:
    """Keep the surname and put one star for the whole given name.

    The issue writes the masked name as 张*.  One star stands for the given name
    whatever its length, so 张三 and 张三丰 both become 张*: the mask does not
    tell how many characters were hidden.  A compound surname (欧阳, 司马 …) is
    kept whole (欧阳娜娜 → 欧阳*) unless it is the whole name (欧阳 → 欧*); a
    one-character name is treated as a surname alone (王 → 王*).  Latin names
    keep their first letter (Alice → A*).

    Examples
    --------
    >>> mask_name("张三"), mask_name("张三丰"), mask_name("欧阳娜娜")
    ('张*', '张*', '欧阳*')
    """
    if name is None:
        return None
    text = str(name).strip()
    if not text:
        return text
    if not re.match(r"^[\u3400-\u9fff·]", text):
        return text[0] + STAR
    keep = 2 if text[:2] in COMPOUND_SURNAMES and len(text) > 2 else 1
    return text[:keep] + STAR


def mask_phone(phone: str | None) -> str | None:
    """Keep the first three digits of a mobile (or the area code) and the last four.

    ``13812341234`` → ``138****1234``; ``0851-85551234`` → ``0851-****1234``.
    """
    if phone is None:
        return None
    text = str(phone).strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 7:
        return STAR * len(text) if text else text
    m = re.match(r"^(\(?0\d{2,3}\)?[-\s]?)(\d{7,8})(.*)$", text)
    if m and not re.match(r"^1\d{10}$", digits):
        area, number, ext = m.groups()
        return area + STAR * (len(number) - 4) + number[-4:] + (STAR * len(ext) if ext else "")
    return digits[:3] + STAR * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str | None) -> str | None:
    """Keep the first three and the last four characters of an ID number.

    As the issue writes it: 520102199001011234 → 520***********1234 (the
    province code stays, county, birth date and sequence are hidden).  Numbers
    of seven characters or fewer are starred whole.

    Examples
    --------
    >>> mask_id_number("52010219900101123X")
    '520***********123X'
    """
    if number is None:
        return None
    text = str(number).strip()
    if len(text) <= 7:
        return STAR * len(text)
    return text[:3] + STAR * (len(text) - 7) + text[-4:]


MASKERS = {"name": mask_name, "phone": mask_phone, "id_number": mask_id_number}


def mask_value(kind: str, value: Any) -> Any:
    """Mask *value* as a ``name``, ``phone`` or ``id_number``."""
    return MASKERS[kind](value)


def must_mask(role: Role, *, export: bool = False, include_personal: bool = False) -> bool:
    """Whether personal data must be masked for *role*.

    On screen, roles holding ``personal_data.view`` see data in full.  In an
    export data is masked unless *include_personal* is asked for, and asking
    for it without the permission raises :class:`PermissionDenied`.
    """
    may_see = allowed(role, PERMISSION)
    if include_personal and not may_see:
        raise PermissionDenied(
            "“{role_zh}”角色无权导出居民个人信息",
            "The role '{role_en}' may not export residents' personal data",
            role_zh=role.zh, role_en=role.en, permission=PERMISSION)
    if export:
        return not include_personal
    return not may_see


# -- who sees personal data in full, as data --------------------------------
# How far each role's view of residents' and reporters' personal data reaches
# on screen (exports follow :func:`must_mask`).  ALL: every record (the roles
# holding ``personal_data.view``: office staff keep base data, the dispatcher
# calls reporters back); OWN_DEPARTMENT: records of cases their department
# handles (the handling department calls the reporter back, not a department
# that only assists); OWN_GRID: records in the grid manager's own grids or
# filed by them; NONE: masked everywhere (the leader reads dashboards).
ALL, OWN_DEPARTMENT, OWN_GRID, NONE = "all", "own_department", "own_grid", "none"

REACH: dict[Role, str] = {
    Role.ADMIN: ALL,
    Role.OFFICE: ALL,
    Role.DISPATCHER: ALL,
    Role.LIAISON: OWN_DEPARTMENT,
    Role.MANAGER: OWN_GRID,
    Role.LEADER: NONE,
}

# The audit entry written when personal data is shown in full (one per read).
VIEW_ACTION = "view_personal"


def reach(role: Role) -> str:
    """How far *role* sees personal data in full (:data:`REACH`; unknown: ``none``)."""
    return REACH.get(role, NONE)


def sees_in_full(role: Role, *, own_department: bool = False, own_grid: bool = False) -> bool:
    """Whether *role* sees one record's personal data in full on screen.

    *own_department*: the record is a case the user's department handles;
    *own_grid*: it lies in (or was filed by) the grid manager's own grids.

    Examples
    --------
    >>> sees_in_full(Role.LEADER), sees_in_full(Role.DISPATCHER)
    (False, True)
    >>> sees_in_full(Role.LIAISON), sees_in_full(Role.LIAISON, own_department=True)
    (False, True)
    """
    r = reach(role)
    return (r == ALL or (r == OWN_DEPARTMENT and own_department)
            or (r == OWN_GRID and own_grid))


def has_personal(record: Mapping[str, Any],
                 columns: Mapping[str, str] | None = None) -> bool:
    """Whether *record* holds any non-empty personal value."""
    columns = PERSONAL_COLUMNS if columns is None else columns
    return any(record.get(c) not in (None, "") for c in columns)


def mask_changes(changes: Mapping[str, Any] | None,
                 columns: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """An audit entry's changes with personal values masked.

    Inserts and deletes hold ``{column: value}``, updates ``{column: [old, new]}``.

    Examples
    --------
    >>> mask_changes({"reporter_phone": ["13812341234", "13912345678"], "status": "x"})
    {'reporter_phone': ['138****1234', '139****5678'], 'status': 'x'}
    """
    if changes is None:
        return None
    columns = PERSONAL_COLUMNS if columns is None else columns
    out = dict(changes)
    for col, kind in columns.items():
        value = out.get(col)
        if isinstance(value, list):
            out[col] = [mask_value(kind, v) if v is not None else None for v in value]
        elif value is not None:
            out[col] = mask_value(kind, value)
    return out


def changes_have_personal(changes: Mapping[str, Any] | None,
                          columns: Mapping[str, str] | None = None) -> bool:
    """Whether an audit entry's changes carry a non-empty personal value."""
    if not changes:
        return False
    columns = PERSONAL_COLUMNS if columns is None else columns
    for col in columns:
        value = changes.get(col)
        values = value if isinstance(value, list) else [value]
        if any(v not in (None, "") for v in values):
            return True
    return False


def mask_record(record: Mapping[str, Any],
                columns: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A copy of *record* with its personal columns masked."""
    columns = PERSONAL_COLUMNS if columns is None else columns
    out = dict(record)
    for col, kind in columns.items():
        if col in out and out[col] is not None:
            out[col] = mask_value(kind, out[col])
    return out


def mask_records(records: Iterable[Mapping[str, Any]],
                 columns: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    return [mask_record(r, columns) for r in records]


def mask_frame(frame: Any, columns: Mapping[str, str] | None = None) -> Any:
    """A copy of a (Geo)DataFrame with its personal columns masked."""
    columns = PERSONAL_COLUMNS if columns is None else columns
    out = frame.copy()
    for col, kind in columns.items():
        if col in out.columns:
            out[col] = out[col].map(MASKERS[kind], na_action="ignore")
    return out
