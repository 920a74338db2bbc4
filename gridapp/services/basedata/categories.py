"""Resident categories (独居老人, 残疾人, 低保, 重点人员, 留守儿童 …), editable (issue 18).

The office adds categories, renames them and retires them; each change is one
audited row change.  A category carried by residents is retired (``active`` =
0: it stays on their records and in exports, but new entries cannot use it)
rather than deleted; codes never change, since residents' records hold codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.session import Session
from gridapp.storage.queries import basedata as q

EDIT = "category.edit"
READ = "workspace.read"
_CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")


@dataclass(frozen=True)
class ResidentCategory:
    id: int
    code: str
    name: str
    active: bool
    residents: int  # how many residents carry it (a count: no personal data)


def list_categories(session: Session) -> list[ResidentCategory]:
    """Every category, retired ones included, in their order."""
    session.require(READ)
    return [ResidentCategory(int(r["id"]), r["code"], r["name"], bool(r["active"]),
                             q.category_in_use(session.store, r["code"]))
            for r in q.categories(session.store)]


def _clean_name(session: Session, name: str, code: str | None) -> str:
    text = (name or "").strip()
    if not text or len(text) > 20:
        raise ValidationError("类别名称应为 1–20 个字", "A category name has 1 to 20 characters")
    for other in q.categories(session.store):
        if other["name"] == text and other["code"] != code:
            raise ValidationError("已有名为“{name}”的类别", "There is already a category"
                                  " named '{name}'", name=text)
    return text


def add_category(session: Session, code: str, name: str) -> int:
    """Add a category: *code* (lower-case letters, digits, _; e.g. ``veteran``) and its
    name as shown (退役军人).  Returns its id."""
    session.require(EDIT)
    code = (code or "").strip()
    if not _CODE.fullmatch(code):
        raise ValidationError("类别代码“{code}”无效：用 2–32 个小写字母、数字或下划线，以字母开头",
                              "Invalid category code '{code}': 2 to 32 lower-case letters,"
                              " digits or _, starting with a letter", code=code)
    if q.category_by_code(session.store, code):
        raise ValidationError("类别代码“{code}”已存在", "The category code '{code}' exists",
                              code=code)
    text = _clean_name(session, name, None)
    with session.transaction() as tx:
        return tx.insert("resident_category", {"code": code, "name": text, "active": 1})


def update_category(session: Session, code: str, *, name: str | None = None,
                    active: bool | None = None) -> dict[str, list[object]]:
    """Rename a category and/or retire (``active=False``) or restore it; returns
    ``{field: [old, new]}`` of what changed (audited the same way)."""
    session.require(EDIT)
    row = q.category_by_code(session.store, code)
    if row is None:
        raise NotFoundError("没有代码为“{code}”的居民类别", "No resident category '{code}'",
                            code=code)
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = _clean_name(session, name, code)
    if active is not None:
        changes["active"] = 1 if active else 0
    changes = {k: v for k, v in changes.items() if row[k] != v}
    if not changes:
        return {}
    with session.transaction() as tx:
        tx.update("resident_category", int(row["id"]), changes)
    return {k: [row[k], v] for k, v in changes.items()}
