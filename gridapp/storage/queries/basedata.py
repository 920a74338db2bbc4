"""Named questions about base data: buildings, places, households, residents.

Residents' names, ID numbers, phones and notes are sealed here, on their way
in, and opened here, on their way out (:mod:`gridapp.storage.personal_crypto`):
nothing above storage sees a ciphertext or a key, and nothing in the file or
in the audit log holds them in clear.  Audit entries of residents name the
row and its household and categories, never personal values, so erasing a
resident leaves nothing personal behind (the log is append-only).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError
from gridapp.storage.store import GeoPackageStore
from gridapp.storage.transaction import Transaction

if TYPE_CHECKING:  # geopandas, cryptography: when used, not with the window (issue 22)
    import geopandas as gpd

    from gridapp.storage import personal_crypto

Db = GeoPackageStore | Transaction
SEALED = ("name", "id_number", "phone", "notes")
_COLUMN = {"name": "name_enc", "id_number": "id_enc", "phone": "phone_enc",
           "notes": "notes_enc"}


def _rows(db: Db, sql: str, params: Any = ()) -> list[Any]:
    if isinstance(db, Transaction):
        return list(db.execute(sql, params).fetchall())
    return list(db.query(sql, params))


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _setting(db: Db, key: str) -> Any:
    found = _rows(db, "SELECT value FROM setting WHERE key = ?", (key,))
    return json.loads(found[0][0]) if found and found[0][0] is not None else None


def cipher(db: Db, *, create: bool = False) -> personal_crypto.PersonalCipher:
    """The workspace's cipher; *create* (in a transaction) makes a key on first use."""
    from gridapp.storage import personal_crypto

    put = None
    if isinstance(db, Transaction):
        tx = db

        def put(key: str, value: Any) -> None:
            tx.set_setting(key, value)
    return personal_crypto.cipher_for(lambda k: _setting(db, k), create=create,
                                      put_setting=put)


def id_hash(db: Db, normalised_id: str) -> str:
    return cipher(db).lookup_hash(normalised_id)


# -- residents -----------------------------------------------------------------
def insert_resident(tx: Transaction, values: dict[str, Any]) -> int:
    """Insert one resident; *values* has ``household_id``, ``categories`` (list) and the
    clear ``name``/``id_number`` (normalised)/``phone``/``notes``."""
    c = cipher(tx, create=True)
    number = values.get("id_number") or None
    now = now_iso()
    cur = tx.execute(
        "INSERT INTO resident (household_id, name_enc, id_enc, id_hash, phone_enc,"
        " notes_enc, categories, key_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (values.get("household_id"), c.seal("name", values.get("name")),
         c.seal("id_number", number), c.lookup_hash(number) if number else None,
         c.seal("phone", values.get("phone")), c.seal("notes", values.get("notes")),
         json.dumps(list(values.get("categories") or []), ensure_ascii=False),
         c.key_id, now, now))
    rid = int(cur.lastrowid or 0)
    tx.audit("insert", "resident", rid, _public(values))
    return rid


def _public(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit log may say about a resident change: no personal values."""
    out = {k: v for k, v in values.items() if k in ("household_id", "categories")}
    touched = sorted(k for k in SEALED if k in values)
    if touched:
        out["personal_fields"] = touched
    return out


def update_resident(tx: Transaction, resident_id: int, values: dict[str, Any]) -> None:
    """Change a resident's fields (clear values in, sealed on the way)."""
    if not _rows(tx, "SELECT 1 FROM resident WHERE id = ?", (int(resident_id),)):
        raise NotFoundError("没有 id={id} 的居民", "No resident id={id}", id=resident_id)
    c = cipher(tx, create=True)
    sets: dict[str, Any] = {}
    for name, value in values.items():
        if name in SEALED:
            sets[_COLUMN[name]] = c.seal(name, value)
            if name == "id_number":
                sets["id_hash"] = c.lookup_hash(value) if value else None
        elif name == "categories":
            sets["categories"] = json.dumps(list(value or []), ensure_ascii=False)
        elif name == "household_id":
            sets["household_id"] = value
    if not sets:
        return
    sets["key_id"] = c.key_id
    sets["updated_at"] = now_iso()
    tx.execute(f"UPDATE resident SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
               [*sets.values(), int(resident_id)])
    tx.audit("update", "resident", int(resident_id), _public(values))


def erase_resident(tx: Transaction, resident_id: int, reason: str) -> int | None:
    """Delete a resident everywhere; the audit entry says who and why, nothing personal.

    Returns the household id the resident was in.
    """
    found = _rows(tx, "SELECT household_id FROM resident WHERE id = ?", (int(resident_id),))
    if not found:
        raise NotFoundError("没有 id={id} 的居民", "No resident id={id}", id=resident_id)
    tx.execute("DELETE FROM resident WHERE id = ?", (int(resident_id),))
    tx.audit("erase_personal", "resident", int(resident_id),
             {"household_id": found[0][0], "reason": reason})
    return found[0][0]


def resident_ids_by_hash(db: Db, hashes: Iterable[str]) -> dict[str, int]:
    """``{id_hash: resident id}`` of the given hashes that exist."""
    values = list(hashes)
    out: dict[str, int] = {}
    for start in range(0, len(values), 500):
        part = values[start:start + 500]
        for h, rid in _rows(db, f"SELECT id_hash, id FROM resident WHERE id_hash IN"
                                f" ({_marks(part)})", part):
            out[h] = int(rid)
    return out


_RESIDENT_SQL = (
    "SELECT r.id, r.household_id, h.door, h.building_id, b.name AS building_name,"
    " b.grid_id, b.community_id, r.name_enc, r.id_enc, r.phone_enc, r.notes_enc,"
    " r.categories FROM resident r LEFT JOIN household h ON h.id = r.household_id"
    " LEFT JOIN building b ON b.id = h.building_id")


def residents(db: Db, *, grid_ids: Sequence[int] | None = None,
              building_id: int | None = None, resident_ids: Sequence[int] | None = None,
              decrypt: bool = True) -> list[dict[str, Any]]:
    """Residents as dicts, personal fields opened (or ``None`` without *decrypt*)."""
    where, params = [], []  # type: ignore[var-annotated]
    if grid_ids is not None:
        ids = [int(i) for i in grid_ids] or [-1]
        where.append(f"b.grid_id IN ({_marks(ids)})")
        params += ids
    if building_id is not None:
        where.append("h.building_id = ?")
        params.append(int(building_id))
    if resident_ids is not None:
        ids = [int(i) for i in resident_ids] or [-1]
        where.append(f"r.id IN ({_marks(ids)})")
        params += ids
    sql = _RESIDENT_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY r.id"
    found = _rows(db, sql, params)
    c = cipher(db) if decrypt and found else None
    out = []
    for row in found:
        rec = {k: row[k] for k in ("id", "household_id", "door", "building_id",
                                   "building_name", "grid_id", "community_id")}
        for name in SEALED:
            rec[name] = c.open(name, row[_COLUMN[name]]) if c else None
        rec["categories"] = json.loads(row["categories"] or "[]")
        out.append(rec)
    return out


def resident_count(db: Db) -> int:
    return int(_rows(db, "SELECT count(*) FROM resident")[0][0])


# -- categories and households ----------------------------------------------------
def categories(db: Db, *, active_only: bool = False) -> list[dict[str, Any]]:
    sql = "SELECT id, code, name, active FROM resident_category"
    sql += " WHERE active = 1" if active_only else ""
    return [dict(r) for r in _rows(db, sql + " ORDER BY id")]


def insert_household(tx: Transaction, building_id: int | None, door: str | None,
                     size: int | None = None) -> int:
    return tx.insert("household", {"building_id": building_id, "door": door, "size": size,
                                   "created_at": now_iso()})


def insert_households(tx: Transaction, keys: Sequence[tuple[int | None, str]],
                      summary: str) -> dict[tuple[int | None, str], int]:
    """Insert households ``(building id, door)`` with one audit entry; their new ids."""
    if not keys:
        return {}
    now = now_iso()
    tx.conn.executemany("INSERT INTO household (building_id, door, created_at)"
                        " VALUES (?, ?, ?)", [(b, d, now) for b, d in keys])
    tx.audit("bulk_insert", "household", None, {"rows": len(keys), "summary": summary})
    found = household_ids(tx)
    return {k: found[(k[0], k[1] or "")] for k in keys}


def household_ids(db: Db) -> dict[tuple[int | None, str], int]:
    """``{(building id, door): household id}``."""
    return {(r[0], r[1] or ""): int(r[2])
            for r in _rows(db, "SELECT building_id, door, id FROM household")}


def household_grid(db: Db, household_id: int) -> int | None:
    found = _rows(db, "SELECT b.grid_id FROM household h JOIN building b"
                      " ON b.id = h.building_id WHERE h.id = ?", (int(household_id),))
    return found[0][0] if found else None


def building_refs(db: Db) -> list[tuple[int, str | None, str | None]]:
    """``(id, name, address)`` of every building, for matching a sheet's 楼栋 column."""
    return [(int(r[0]), r[1], r[2]) for r in _rows(db, "SELECT id, name, address FROM building")]


def building_grid(db: Db, building_id: int) -> int | None:
    found = _rows(db, "SELECT grid_id FROM building WHERE id = ?", (int(building_id),))
    if not found:
        raise NotFoundError("没有 id={id} 的楼栋", "No building id={id}", id=building_id)
    return found[0][0]


# -- counts per grid ----------------------------------------------------------------
def grid_counts(db: Db) -> list[tuple[int, int, int, int]]:
    """Per current grid: ``(grid id, households typed on buildings, households listed,
    residents listed)``."""
    return [(int(r[0]), int(r[1] or 0), int(r[2] or 0), int(r[3] or 0)) for r in _rows(
        db,
        "SELECT g.id,"
        " (SELECT sum(b.households) FROM building b WHERE b.grid_id = g.id),"
        " (SELECT count(*) FROM household h JOIN building b ON b.id = h.building_id"
        "   WHERE b.grid_id = g.id),"
        " (SELECT count(*) FROM resident r JOIN household h ON h.id = r.household_id"
        "   JOIN building b ON b.id = h.building_id WHERE b.grid_id = g.id)"
        " FROM grid g WHERE g.valid_to IS NULL ORDER BY g.id")]


# -- links to grids, with history ------------------------------------------------------
def base_frame(store: GeoPackageStore, table: str) -> gpd.GeoDataFrame:
    """Every building or place (``table``) with its geometry."""
    if table not in ("building", "place"):
        raise ValueError(table)
    return store.read_layer(table)


def base_count(store: GeoPackageStore, table: str) -> int:
    """How many buildings or places (``table``) there are."""
    if table not in ("building", "place"):
        raise ValueError(table)
    return int(store.scalar(f"SELECT count(*) FROM {table}"))


def current_links(db: Db, table: str) -> dict[int, tuple[int, int | None, int | None]]:
    """``{row id: (link id, grid id, community id)}`` of the links still open."""
    return {int(r[0]): (int(r[1]), r[2], r[3]) for r in _rows(
        db, "SELECT row_id, id, grid_id, community_id FROM base_link"
            " WHERE table_name = ? AND valid_to IS NULL", (table,))}


def current_links_of(db: Db, table: str, row_ids: Sequence[int]
                     ) -> dict[int, tuple[int, int | None, int | None]]:
    """:func:`current_links` of these rows only (a grid edit's few buildings)."""
    ids = [int(i) for i in row_ids]
    out: dict[int, tuple[int, int | None, int | None]] = {}
    for k in range(0, len(ids), 500):  # well under SQLite's bound-parameter limit
        part = ids[k:k + 500]
        out.update({int(r[0]): (int(r[1]), r[2], r[3]) for r in _rows(
            db, "SELECT row_id, id, grid_id, community_id FROM base_link"
                f" WHERE table_name = ? AND row_id IN ({_marks(part)}) AND valid_to IS NULL",
            (table, *part))})
    return out


def close_links(tx: Transaction, link_ids: Sequence[int], at: str) -> None:
    tx.conn.executemany("UPDATE base_link SET valid_to = ? WHERE id = ?",
                        [(at, int(i)) for i in link_ids])


def open_links(tx: Transaction, table: str,
               rows: Sequence[tuple[int, int | None, int | None]], at: str) -> None:
    """Open a link per ``(row id, grid id, community id)`` and set the row's current ones."""
    if table not in ("building", "place"):
        raise ValueError(table)
    tx.conn.executemany("INSERT INTO base_link (table_name, row_id, grid_id, community_id,"
                        " valid_from) VALUES (?, ?, ?, ?, ?)",
                        [(table, int(r), g, c, at) for r, g, c in rows])
    tx.conn.executemany(f"UPDATE {table} SET grid_id = ?, community_id = ? WHERE id = ?",
                        [(g, c, int(r)) for r, g, c in rows])


def link_as_of(db: Db, table: str, row_id: int, moment: str) -> tuple[int | None, int | None]:
    """``(grid id, community id)`` of a building or place at *moment* (ISO UTC)."""
    found = _rows(db, "SELECT grid_id, community_id FROM base_link WHERE table_name = ?"
                      " AND row_id = ? AND valid_from <= ? AND (valid_to IS NULL"
                      " OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1",
                  (table, int(row_id), moment, moment))
    return (found[0][0], found[0][1]) if found else (None, None)


def insert_residents(tx: Transaction, rows: Sequence[dict[str, Any]], summary: str) -> int:
    """Insert many residents (values as for :func:`insert_resident`) with one audit entry
    counting them; households must exist.  Returns the count."""
    c = cipher(tx, create=True)
    now = now_iso()

    sealed = {name: c.seal_many(name, [v.get(name) or None for v in rows])
              for name in SEALED}
    hashes = [c.lookup_hash(v["id_number"]) if v.get("id_number") else None for v in rows]
    first = int(_rows(tx, "SELECT coalesce(max(id), 0) FROM resident")[0][0]) + 1
    cur = tx.conn.executemany(
        "INSERT INTO resident (household_id, name_enc, id_enc, id_hash, phone_enc,"
        " notes_enc, categories, key_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(v.get("household_id"), sealed["name"][i], sealed["id_number"][i], hashes[i],
          sealed["phone"][i], sealed["notes"][i],
          json.dumps(list(v.get("categories") or []), ensure_ascii=False), c.key_id, now, now)
         for i, v in enumerate(rows)])
    n = cur.rowcount
    tx.audit("bulk_insert", "resident", None,
             {"rows": n, "first_id": first, "summary": summary})
    return n


def buildings_with_households(db: Db, limit: int) -> list[tuple[int, int]]:
    """``(building id, households)`` of the first *limit* buildings that have households."""
    return [(int(r[0]), int(r[1])) for r in _rows(
        db, "SELECT id, households FROM building WHERE households > 0 ORDER BY id LIMIT ?",
        (int(limit),))]


# -- buildings and categories, edited one at a time --------------------------------
BUILDING_FIELDS = ("name", "kind", "households", "floors", "address")


def building_attrs(db: Db, building_id: int) -> dict[str, Any] | None:
    """A building's attributes and current links (no geometry), or ``None``."""
    found = _rows(db, "SELECT id, name, kind, households, floors, address, grid_id,"
                      " community_id FROM building WHERE id = ?", (int(building_id),))
    return dict(found[0]) if found else None


def building_household_count(db: Db, building_id: int) -> int:
    return int(_rows(db, "SELECT count(*) FROM household WHERE building_id = ?",
                     (int(building_id),))[0][0])


def delete_building_links(tx: Transaction, building_id: int) -> None:
    """Forget a building's links (only for a building deleted before any use)."""
    tx.execute("DELETE FROM base_link WHERE table_name = 'building' AND row_id = ?",
               (int(building_id),))


def category_by_code(db: Db, code: str) -> dict[str, Any] | None:
    found = _rows(db, "SELECT id, code, name, active FROM resident_category WHERE code = ?",
                  (code,))
    return dict(found[0]) if found else None


def category_in_use(db: Db, code: str) -> int:
    """How many residents carry category *code* (categories are a JSON list)."""
    return int(_rows(db, "SELECT count(*) FROM resident r, json_each(r.categories) j"
                         " WHERE j.value = ?", (code,))[0][0])
