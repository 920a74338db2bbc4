"""What lives inside the server: SQLite-compatible functions, audit triggers, street roles.

* Schema ``gridapp`` (once per database) holds ``julianday(text)`` — the one
  SQLite function GridApp's queries use that PostgreSQL lacks — and the audit
  functions.
* Every street's tables get audit triggers: each INSERT, UPDATE and DELETE
  appends a hash-chained ``audit_log`` row *on the server*, with the GridApp
  actor the client declared (``SET LOCAL gridapp.actor``) and the database
  role that really connected (``db_role``, which no client can choose).  The
  functions are SECURITY DEFINER: street roles may read ``audit_log`` but not
  write, change or delete it, so no client can skip or edit an entry.
* Each street has a group role ``gridapp_street_<code>`` with rights on its
  schema only; each GridApp user is a login role in that group.  A user of
  street A connecting with psql finds street B's schema closed to it
  ("permission denied for schema"): no row of B is readable or writable.
"""

from __future__ import annotations

import re
from typing import Any

from gridapp.storage.audit import GENESIS, REDACTED, SECRET_COLUMNS

COMPAT_SQL = [
    "CREATE SCHEMA IF NOT EXISTS gridapp",
    # SQLite's julianday() of an ISO-8601 text (GridApp's DATETIME columns).
    """CREATE OR REPLACE FUNCTION gridapp.julianday(t text) RETURNS double precision
       LANGUAGE sql IMMUTABLE AS $$
       SELECT CASE WHEN t IS NULL OR t = '' THEN NULL ELSE
         extract(epoch FROM (CASE WHEN t ~ '([+-]\\d\\d:?\\d\\d|Z)$' THEN t::timestamptz
                                   ELSE (t::timestamp AT TIME ZONE 'UTC') END))
         / 86400.0 + 2440587.5 END $$""",
    # sum() of a comparison: SQLite's comparisons are 0/1, so "sum(a = b)" counts;
    # PostgreSQL's are booleans, which its sum() does not take.
    """CREATE OR REPLACE FUNCTION gridapp.sum_bool(state bigint, v boolean) RETURNS bigint
       LANGUAGE sql IMMUTABLE AS $$
       SELECT CASE WHEN v IS NULL THEN state ELSE coalesce(state, 0) + v::int END $$""",
    """CREATE OR REPLACE AGGREGATE gridapp.sum(boolean) (SFUNC = gridapp.sum_bool,
       STYPE = bigint)""",
    # SQLite's json_each over a JSON list of ids (lists of texts bound as one
    # parameter are rewritten to "= ANY(array)" by the dialect instead).
    """CREATE OR REPLACE FUNCTION gridapp.json_each(t text)
       RETURNS TABLE (key text, value bigint) LANGUAGE sql IMMUTABLE AS $$
       SELECT e.key::text, CASE WHEN jsonb_typeof(e.value) = 'number'
                             THEN (e.value #>> '{}')::numeric::bigint END
       FROM jsonb_array_elements(t::jsonb) WITH ORDINALITY AS x(value, n),
            LATERAL (SELECT (x.n - 1)::text AS key, x.value) e $$""",
    # The chain: sha256 over the previous hash and the entry's fields.
    """CREATE OR REPLACE FUNCTION gridapp.audit_hash(prev text, at text, actor text,
         user_id bigint, action text, tbl text, row_id bigint, changes text, db_role text)
       RETURNS text LANGUAGE sql IMMUTABLE AS $$
       SELECT encode(sha256(convert_to(concat_ws(chr(31), prev, at, coalesce(actor, ''),
         coalesce(user_id::text, ''), action, coalesce(tbl, ''), coalesce(row_id::text, ''),
         coalesce(changes, ''), coalesce(db_role, '')), 'UTF8')), 'hex') $$""",
    f"""CREATE OR REPLACE FUNCTION gridapp.audit_append(sch text, action text, tbl text,
         row_id bigint, changes text) RETURNS void
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE prev text; last_id bigint; at text; actor text; uid bigint;
       BEGIN
         IF NOT has_schema_privilege(session_user, sch, 'USAGE') THEN
           RAISE EXCEPTION 'permission denied for schema %', sch;
         END IF;
         PERFORM pg_advisory_xact_lock(hashtext(sch || '.audit_log'));
         EXECUTE format('SELECT id, hash FROM %I.audit_log ORDER BY id DESC LIMIT 1', sch)
           INTO last_id, prev;
         prev := coalesce(prev, '{GENESIS}');
         at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
         IF nullif(current_setting('gridapp.at', true), '') IS NOT NULL THEN
           at := current_setting('gridapp.at', true);
         END IF;
         actor := coalesce(nullif(current_setting('gridapp.actor', true), ''), session_user);
         uid := nullif(current_setting('gridapp.user_id', true), '')::bigint;
         -- Ids one after the other, taken under the lock (not from the sequence,
         -- which a rolled-back transaction would leave with a gap that reads as
         -- deleted entries).
         EXECUTE format('INSERT INTO %I.audit_log (id, at, actor, user_id, action, table_name,'
                        ' row_id, changes, prev_hash, hash, db_role)'
                        ' VALUES ($11, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', sch)
           USING at, actor, uid, action, tbl, row_id, changes, prev,
                 gridapp.audit_hash(prev, at, actor, uid, action, tbl, row_id, changes,
                                    session_user::text),
                 session_user::text, coalesce(last_id, 0) + 1;
       END $$""",
    # Row changes: the columns in TG_ARGV are summarised (binary) or hidden (secrets).
    f"""CREATE OR REPLACE FUNCTION gridapp.audit_row() RETURNS trigger
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE old_j jsonb; new_j jsonb; oj jsonb; nj jsonb; diff jsonb := '{{}}'::jsonb; k text; n bigint;
       BEGIN
         IF TG_OP = 'INSERT' THEN
           SELECT count(*) INTO n FROM new_rows;
           IF n = 1 THEN
             SELECT to_jsonb(r) INTO new_j FROM new_rows r;
             PERFORM gridapp.audit_append(TG_TABLE_SCHEMA, 'insert', TG_TABLE_NAME,
               (new_j->>'id')::bigint, gridapp.audit_clean(new_j, TG_ARGV)::text);
           ELSIF n > 1 THEN
             PERFORM gridapp.audit_append(TG_TABLE_SCHEMA, 'bulk_insert', TG_TABLE_NAME, NULL,
               jsonb_build_object('rows', n)::text);
           END IF;
           RETURN NULL;
         END IF;
         IF TG_OP = 'DELETE' THEN
           PERFORM gridapp.audit_append(TG_TABLE_SCHEMA, 'delete', TG_TABLE_NAME, OLD.id,
             gridapp.audit_clean(to_jsonb(OLD), TG_ARGV)::text);
           RETURN NULL;
         END IF;
         oj := to_jsonb(OLD); nj := to_jsonb(NEW);
         old_j := gridapp.audit_clean(oj, TG_ARGV);
         new_j := gridapp.audit_clean(nj, TG_ARGV);
         FOR k IN SELECT jsonb_object_keys(new_j) LOOP
           IF k IN ({", ".join("'" + c + "'" for c in sorted(SECRET_COLUMNS))}) THEN
             IF oj->k IS DISTINCT FROM nj->k THEN
               diff := diff || jsonb_build_object(k, '{REDACTED}');
             END IF;
           ELSIF old_j->k IS DISTINCT FROM new_j->k OR (k = ANY(TG_ARGV)
               AND oj->k IS DISTINCT FROM nj->k) THEN
             diff := diff || jsonb_build_object(k, jsonb_build_array(old_j->k, new_j->k));
           END IF;
         END LOOP;
         IF diff <> '{{}}'::jsonb THEN
           PERFORM gridapp.audit_append(TG_TABLE_SCHEMA, 'update', TG_TABLE_NAME, NEW.id,
                                        diff::text);
         END IF;
         RETURN NULL;
       END $$""",
    # Many entries at once, chained in order: one lock, one read of the chain's
    # head and one INSERT for a whole statement's rows (checkin updates 1,000
    # rows in one statement; each still gets its own entry, hash and link).
    f"""CREATE OR REPLACE FUNCTION gridapp.audit_append_many(sch text, action text, tbl text,
         row_ids bigint[], changes text[]) RETURNS void
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE prev text; last_id bigint; at0 text; at text[] := '{{}}'; actor text;
         uid bigint; i int;
         hashes text[] := '{{}}'; prevs text[] := '{{}}';
       BEGIN
         IF coalesce(array_length(row_ids, 1), 0) = 0 THEN RETURN; END IF;
         IF NOT has_schema_privilege(session_user, sch, 'USAGE') THEN
           RAISE EXCEPTION 'permission denied for schema %', sch;
         END IF;
         PERFORM pg_advisory_xact_lock(hashtext(sch || '.audit_log'));
         EXECUTE format('SELECT id, hash FROM %I.audit_log ORDER BY id DESC LIMIT 1', sch)
           INTO last_id, prev;
         prev := coalesce(prev, '{GENESIS}');
         at0 := nullif(current_setting('gridapp.at', true), '');
         actor := coalesce(nullif(current_setting('gridapp.actor', true), ''), session_user);
         uid := nullif(current_setting('gridapp.user_id', true), '')::bigint;
         FOR i IN 1 .. array_length(row_ids, 1) LOOP
           at[i] := coalesce(at0, to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                          'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
           prevs[i] := prev;
           prev := gridapp.audit_hash(prev, at[i], actor, uid, action, tbl, row_ids[i],
                                      changes[i], session_user::text);
           hashes[i] := prev;
         END LOOP;
         EXECUTE format('INSERT INTO %I.audit_log (id, at, actor, user_id, action, table_name,'
                        ' row_id, changes, prev_hash, hash, db_role)'
                        ' SELECT $11 + n, a, $2, $3, $4, $5, r, c, p, h, $6'
                        ' FROM unnest($1, $7, $8, $9, $10) WITH ORDINALITY AS u(a, r, c, p, h, n)'
                        ' ORDER BY n', sch)
           USING at, actor, uid, action, tbl, session_user::text, row_ids, changes, prevs,
                 hashes, coalesce(last_id, 0);
       END $$""",
    # Updates and deletes, once per statement (transition tables old_rows /
    # new_rows): the same entries as one row trigger per row would write, in id
    # order, at a fraction of the cost for a statement touching many rows.
    f"""CREATE OR REPLACE FUNCTION gridapp.audit_stmt() RETURNS trigger
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE ids bigint[]; ch text[]; secrets text[] := ARRAY[{", ".join("'" + c + "'" for c in sorted(SECRET_COLUMNS))}];
       BEGIN
         IF TG_OP = 'DELETE' THEN
           WITH x AS MATERIALIZED (SELECT to_jsonb(o) AS j FROM old_rows o)
           SELECT array_agg(id ORDER BY id), array_agg(c ORDER BY id) INTO ids, ch
           FROM (SELECT (j->>'id')::bigint AS id, gridapp.audit_clean(j, TG_ARGV)::text AS c
                 FROM x) y;
           PERFORM gridapp.audit_append_many(TG_TABLE_SCHEMA, 'delete', TG_TABLE_NAME, ids, ch);
           RETURN NULL;
         END IF;
         -- MATERIALIZED: each row's JSON made once, not once per column compared.
         WITH p AS MATERIALIZED (
             SELECT (nj->>'id')::bigint AS id, oj, nj, gridapp.audit_clean(oj, TG_ARGV) AS oc,
                    gridapp.audit_clean(nj, TG_ARGV) AS nc
             FROM (SELECT to_jsonb(o) AS oj, to_jsonb(n) AS nj
                   FROM old_rows o JOIN new_rows n ON n.id = o.id) q)
         SELECT array_agg(id ORDER BY id), array_agg(d::text ORDER BY id) INTO ids, ch
         FROM (SELECT p.id, jsonb_object_agg(k, CASE WHEN k = ANY(secrets)
                        THEN to_jsonb('{REDACTED}'::text)
                        ELSE jsonb_build_array(p.oc->k, p.nc->k) END) AS d
               FROM p, LATERAL jsonb_object_keys(p.nc) AS k
               WHERE CASE WHEN k = ANY(secrets) THEN p.oj->k IS DISTINCT FROM p.nj->k
                     ELSE p.oc->k IS DISTINCT FROM p.nc->k
                          OR (k = ANY(TG_ARGV) AND p.oj->k IS DISTINCT FROM p.nj->k) END
               GROUP BY p.id) z;
         PERFORM gridapp.audit_append_many(TG_TABLE_SCHEMA, 'update', TG_TABLE_NAME, ids, ch);
         RETURN NULL;
       END $$""",
    f"""CREATE OR REPLACE FUNCTION gridapp.audit_clean(j jsonb, hidden text[]) RETURNS jsonb
       LANGUAGE plpgsql IMMUTABLE AS $$
       DECLARE k text;
       BEGIN
         FOREACH k IN ARRAY coalesce(hidden, '{{}}'::text[]) LOOP
           IF j ? k AND j->k <> 'null'::jsonb THEN
             j := jsonb_set(j, ARRAY[k], CASE WHEN k IN
               ({", ".join("'" + c + "'" for c in sorted(SECRET_COLUMNS))})
               THEN '"{REDACTED}"'::jsonb
               ELSE jsonb_build_object('bytes', length(j->>k) / 2 - 1) END);
           END IF;
         END LOOP;
         RETURN j;
       END $$""",
    # SQLite's catalogue, as far as GridApp's shared queries look at it (which
    # tables exist in the open street; the R-tree lookups are views here).
    """CREATE OR REPLACE VIEW gridapp.sqlite_master AS
       SELECT c.relname::text AS name,
              CASE WHEN c.relkind = 'i' THEN 'index' ELSE 'table' END AS type,
              c.relname::text AS tbl_name, NULL::text AS sql
       FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
        AND c.relkind IN ('r', 'v', 'p', 'i')""",
    # The GeoPackage catalogue tables GridApp's shared queries read, as views.
    """CREATE OR REPLACE VIEW gridapp.gpkg_spatial_ref_sys AS
       SELECT s.auth_name || ':' || s.auth_srid AS srs_name, s.srid AS srs_id,
              s.auth_name AS organization, s.auth_srid AS organization_coordsys_id,
              s.srtext AS definition, NULL::text AS description
       FROM public.spatial_ref_sys s""",
    """CREATE OR REPLACE VIEW gridapp.gpkg_geometry_columns AS
       SELECT g.f_table_name::text AS table_name, g.f_geometry_column::text AS column_name,
              upper(g.type) AS geometry_type_name, g.srid AS srs_id, 0 AS z, 0 AS m
       FROM public.geometry_columns g WHERE g.f_table_schema = current_schema()""",
    """CREATE OR REPLACE VIEW gridapp.gpkg_contents AS
       SELECT t.tablename::text AS table_name,
              CASE WHEN g.f_table_name IS NULL THEN 'attributes' ELSE 'features' END
                AS data_type,
              t.tablename::text AS identifier, ''::text AS description,
              NULL::text AS last_change, NULL::double precision AS min_x,
              NULL::double precision AS min_y, NULL::double precision AS max_x,
              NULL::double precision AS max_y, g.srid AS srs_id
       FROM pg_tables t LEFT JOIN public.geometry_columns g
         ON g.f_table_schema = t.schemaname AND g.f_table_name = t.tablename
       WHERE t.schemaname = current_schema() AND t.tablename NOT IN ('gridapp_checkin')""",
    """CREATE OR REPLACE FUNCTION gridapp.audit_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$""",
]


def street_role(schema: str) -> str:
    return f"gridapp_{schema}"


def user_role(schema: str, username: str) -> str:
    """The login role of one GridApp user of one street (letters, digits, _)."""
    name = re.sub(r"[^a-z0-9_]", "_", username.lower())
    return f"ga_{schema.removeprefix('street_')}_{name}"[:63]


def audit_sql(schema: str, tables: dict[str, Any]) -> list[str]:
    """Audit triggers on every table of a street, and the append-only guard."""
    out = [f'ALTER TABLE "{schema}".audit_log ADD COLUMN IF NOT EXISTS db_role text']
    for name, table in tables.items():
        if name in ("audit_log", "gridapp_writer"):
            continue
        hidden = [c[0] for c in table.columns
                  if "BLOB" in (c[1] or "").upper() or c[0] in SECRET_COLUMNS]
        args = ", ".join(f"'{h}'" for h in hidden)
        q = f'"{schema}"."{name}"'
        out += [
            f"DROP TRIGGER IF EXISTS gridapp_audit_ins ON {q}",
            f"DROP TRIGGER IF EXISTS gridapp_audit_row ON {q}",
            f"CREATE TRIGGER gridapp_audit_ins AFTER INSERT ON {q} REFERENCING NEW TABLE AS"
            f" new_rows FOR EACH STATEMENT EXECUTE FUNCTION gridapp.audit_row({args})",
            f"DROP TRIGGER IF EXISTS gridapp_audit_upd ON {q}",
            f"DROP TRIGGER IF EXISTS gridapp_audit_del ON {q}",
            f"CREATE TRIGGER gridapp_audit_upd AFTER UPDATE ON {q} REFERENCING OLD TABLE AS"
            f" old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
            f" EXECUTE FUNCTION gridapp.audit_stmt({args})",
            f"CREATE TRIGGER gridapp_audit_del AFTER DELETE ON {q} REFERENCING OLD TABLE AS"
            f" old_rows FOR EACH STATEMENT EXECUTE FUNCTION gridapp.audit_stmt({args})",
        ]
    out += [
        f'DROP TRIGGER IF EXISTS gridapp_audit_guard ON "{schema}".audit_log',
        f'CREATE TRIGGER gridapp_audit_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON'
        f' "{schema}".audit_log FOR EACH STATEMENT EXECUTE FUNCTION gridapp.audit_append_only()',
    ]
    return out


CATALOGUE_VIEWS = ("gridapp.sqlite_master", "gridapp.gpkg_spatial_ref_sys",
                   "gridapp.gpkg_geometry_columns", "gridapp.gpkg_contents")


def grants_sql(schema: str) -> list[str]:
    """The street's group role: its own schema, read-only audit log, nothing else."""
    role = street_role(schema)
    return [
        f"""DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}')
            THEN CREATE ROLE "{role}" NOLOGIN; END IF; END $$""",
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
        f'GRANT USAGE ON SCHEMA gridapp TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{schema}".audit_log FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{schema}".gridapp_migration FROM "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
        # the catalogue views GridApp's shared queries read (which tables the
        # street has): they show only the caller's own schema, from catalogues
        # PostgreSQL lets every role read anyway
        f'GRANT SELECT ON {", ".join(CATALOGUE_VIEWS)} TO "{role}"',
    ]
