"""Schema version 14: the component (部件) classes of GB/T 30428.2.

Workspaces seeded before this change have only the event (事件) classes;
this adds the component classes and subclasses of
:data:`gridapp.domain.taxonomy.COMPONENT_CATEGORIES` (codes ``B01`` …
``B0604``) with their duty-list lines.  Codes already present are left as
staff edited them.  A workspace being created has no categories yet and is
seeded with the full taxonomy afterwards, so nothing is added then.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gridapp.domain import taxonomy

NAME = "0014_component_categories"
VERSION = 14


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    if not conn.execute("SELECT count(*) FROM category").fetchone()[0]:
        return
    depts = {r[0]: r[1] for r in conn.execute("SELECT code, id FROM department")}
    ids = {r[0]: r[1] for r in conn.execute("SELECT code, id FROM category")}
    added: set[str] = set()
    for c in taxonomy.COMPONENT_CATEGORIES:
        if c.code in ids:
            continue
        parent = taxonomy.parent_code(c.code)
        cur = conn.execute(
            "INSERT INTO category (code, name, pinyin, parent_id, department_id, "
            "time_limit, time_unit) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                c.code,
                c.name,
                c.pinyin,
                ids.get(parent) if parent else None,
                depts.get(c.department) if c.department else None,
                c.time_limit,
                c.time_unit.value if c.time_unit else None,
            ),
        )
        ids[c.code] = int(cur.lastrowid or 0)
        added.add(c.code)
    for code, handling, dcode, role in taxonomy.duty_rows(
        taxonomy.COMPONENT_CATEGORIES
    ):
        if code in added:
            conn.execute(
                "INSERT INTO duty_item (category_id, handling, department_id, role) "
                "VALUES (?, ?, ?, ?)",
                (ids[code], handling, depts.get(dcode), role),
            )
