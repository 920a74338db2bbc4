"""``check`` on a street of a district server: what can go wrong there.

A GeoPackage is checked with SQLite's integrity and foreign-key checks and the
GeoPackage specification; none of that applies to a PostgreSQL schema (the
server enforces its foreign keys and keeps its own files).  What can go wrong
on a server, and is checked here:

* geometries PostGIS finds invalid (``ST_IsValid``, with its reason);
* foreign keys declared by the migrations but missing on the server, or rows
  that break one (only possible when a superuser disabled the checks);
* GridApp's audit triggers missing on a street table (dropped by someone
  with the owner's rights: changes would no longer be logged);
* the audit chain (:func:`gridapp.storage.postgis.audit.verify`, as ``audit
  --verify``).

Each problem is ``(check, zh, en, table, row_id)``.
"""

from __future__ import annotations

from typing import Any

from gridapp.storage.postgis import schema

# Tables without audit triggers by design (the log itself, the writer marker,
# the server's own checkin ledger, the migration ledger).
_UNAUDITED = frozenset({"audit_log", "gridapp_writer", "gridapp_checkin",
                        schema.MIGRATION_TABLE})

Found = tuple[str, str, str, "str | None", "int | None"]


def _tables(store: Any) -> set[str]:
    return {r[0] for r in store.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}


def geometry_problems(store: Any) -> list[Found]:
    out: list[Found] = []
    present = _tables(store)
    for table in sorted(store.feature_tables()):
        if table not in present:
            continue
        for rid, reason in store.query(
                f'SELECT id, ST_IsValidReason(geom) FROM "{table}"'
                " WHERE geom IS NOT NULL AND NOT ST_IsValid(geom) ORDER BY id"):
            out.append(("geometry", f"几何无效：{reason}", f"invalid geometry: {reason}",
                        table, int(rid)))
    return out


def foreign_key_problems(store: Any) -> list[Found]:
    out: list[Found] = []
    present = _tables(store)
    declared = {(r[0], r[1]) for r in store.query(
        "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace")}
    declared = {(t.split(".")[-1].strip('"'), col) for t, col in declared}
    for name, table in schema.final_tables().items():
        if name not in present:
            continue
        for col, ref, refcol in table.fks:
            if ref not in present:
                continue
            if (name, col) not in declared:
                out.append(("foreign_key",
                            f"服务器上缺少外键约束 {col} → {ref}（数据的引用关系不再受保护）",
                            f"the server lacks the foreign key {col} → {ref} (references "
                            "are no longer enforced)", name, None))
            for (rid,) in store.query(
                    f'SELECT c.id FROM "{name}" c WHERE c."{col}" IS NOT NULL AND NOT EXISTS'
                    f' (SELECT 1 FROM "{ref}" p WHERE p."{refcol or "id"}" = c."{col}")'
                    " ORDER BY c.id LIMIT 50"):
                out.append(("foreign_key", f"引用了不存在的 {ref} 记录",
                            f"refers to a missing {ref} row", name, int(rid)))
    return out


def trigger_problems(store: Any) -> list[Found]:
    """Street tables whose audit triggers are missing (their changes go unlogged)."""
    rows = store.query(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
        " AND t.tgenabled <> 'D'")
    have: dict[str, set[str]] = {}
    for table, name in rows:
        have.setdefault(table, set()).add(name)
    out: list[Found] = []
    for table in sorted(_tables(store) - _UNAUDITED):
        names = have.get(table, set())
        ok = "gridapp_audit_ins" in names and (
            "gridapp_audit_row" in names or {"gridapp_audit_upd", "gridapp_audit_del"} <= names)
        if not ok:
            out.append(("schema", f"数据表 {table} 的审计触发器缺失或被停用（修改不再记入审计日志）",
                        f"the audit triggers of table {table} are missing or disabled (changes "
                        "are no longer logged)", table, None))
    if "gridapp_audit_guard" not in have.get("audit_log", set()):
        out.append(("schema", "审计日志的防篡改触发器缺失或被停用",
                    "the audit log's guard trigger is missing or disabled", "audit_log", None))
    return out
