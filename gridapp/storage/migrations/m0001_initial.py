"""Schema version 1: every table of DESIGN §2."""

from __future__ import annotations

import sqlite3
from typing import Any

from gridapp.storage import gpkg

NAME = "0001_initial"
VERSION = 1

# (table, geometry type, description, columns after "id" and "geom")
FEATURE_TABLES: list[tuple[str, str, str, str]] = [
    ("street", "MULTIPOLYGON", "街道 street", """
        name TEXT NOT NULL, code TEXT, district_code TEXT, office_name TEXT"""),
    ("community", "MULTIPOLYGON", "社区 community", """
        name TEXT NOT NULL, code TEXT UNIQUE, street_id INTEGER REFERENCES street(id)"""),
    ("grid", "POLYGON", "网格 grid (versioned)", """
        code TEXT NOT NULL, name TEXT, kind TEXT NOT NULL DEFAULT 'basic'
            CHECK (kind IN ('basic', 'special')),
        community_id INTEGER REFERENCES community(id),
        households INTEGER, population INTEGER, notes TEXT,
        valid_from DATETIME NOT NULL, valid_to DATETIME,
        previous_id INTEGER REFERENCES grid(id),
        CHECK (valid_to IS NULL OR valid_to >= valid_from)"""),
    ("building", "POLYGON", "楼栋 building", """
        name TEXT, kind TEXT, households INTEGER NOT NULL DEFAULT 0,
        floors INTEGER, address TEXT, community_id INTEGER REFERENCES community(id)"""),
    ("place", "POINT", "重点场所 place / landmark", """
        name TEXT NOT NULL, kind TEXT, address TEXT, landmark BOOLEAN DEFAULT 0,
        contact_name TEXT, contact_phone TEXT"""),
    ("report", "POINT", "巡查上报 / 事件 report and case", """
        case_no TEXT NOT NULL UNIQUE, address TEXT,
        category_id INTEGER REFERENCES category(id), description TEXT,
        source TEXT NOT NULL DEFAULT 'patrol', reporter_manager_id INTEGER
            REFERENCES manager(id), reporter_name TEXT, reporter_phone TEXT,
        grid_id INTEGER REFERENCES grid(id), community_id INTEGER
            REFERENCES community(id),
        urgency TEXT NOT NULL DEFAULT 'normal', status TEXT NOT NULL DEFAULT 'reported',
        handling TEXT, department_id INTEGER REFERENCES department(id),
        reported_at DATETIME NOT NULL, registered_at DATETIME, dispatched_at DATETIME,
        deadline DATETIME, closed_at DATETIME, parent_id INTEGER REFERENCES report(id)"""),
    ("patrol_track", "LINESTRING", "巡查轨迹 patrol track", """
        manager_id INTEGER REFERENCES manager(id), grid_id INTEGER REFERENCES grid(id),
        started_at DATETIME, ended_at DATETIME"""),
    ("joint_task", "POLYGON", "联合执法任务 joint-enforcement task", """
        task_no TEXT NOT NULL UNIQUE, title TEXT NOT NULL, state TEXT NOT NULL
            DEFAULT 'proposed', lead_department_id INTEGER REFERENCES department(id),
        action_at DATETIME, deadline DATETIME, checkin_limit_minutes INTEGER,
        summoned_at DATETIME, done_at DATETIME, evaluated_at DATETIME,
        reason TEXT, action_summary TEXT, results TEXT, created_by TEXT,
        created_at DATETIME NOT NULL"""),
]

# Attribute tables, in dependency order.
ATTRIBUTE_TABLES: list[tuple[str, str, str]] = [
    ("department", "职能部门 department", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL, short_name TEXT, kind TEXT NOT NULL DEFAULT 'department',
        contact_person TEXT, contact_phone TEXT, active BOOLEAN NOT NULL DEFAULT 1"""),
    ("category", "事件分类 category (two levels)", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE,
        parent_id INTEGER REFERENCES category(id), name TEXT NOT NULL, pinyin TEXT,
        department_id INTEGER REFERENCES department(id),
        time_limit REAL, time_unit TEXT, filing_condition TEXT, closing_condition TEXT,
        active BOOLEAN NOT NULL DEFAULT 1"""),
    ("duty_item", "职责清单 duty list", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        category_id INTEGER NOT NULL REFERENCES category(id),
        handling TEXT NOT NULL CHECK (handling IN ('office','department','joint','district')),
        department_id INTEGER REFERENCES department(id),
        role TEXT NOT NULL DEFAULT 'lead', note TEXT"""),
    ("attachment", "附件 photos and documents (Related Tables media)", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL,
        content_type TEXT NOT NULL, filename TEXT, width INTEGER, height INTEGER,
        taken_at DATETIME, sha256 TEXT, original BLOB, created_at DATETIME"""),
    ("manager", "网格员 grid manager", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, phone TEXT,
        staff_no TEXT NOT NULL UNIQUE, employment TEXT NOT NULL DEFAULT 'full_time',
        photo_id INTEGER REFERENCES attachment(id), notes TEXT,
        active BOOLEAN NOT NULL DEFAULT 1, created_at DATETIME"""),
    ("grid_assignment", "网格员分配 manager ↔ grid", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        manager_id INTEGER NOT NULL REFERENCES manager(id),
        grid_id INTEGER NOT NULL REFERENCES grid(id),
        role TEXT NOT NULL DEFAULT 'primary' CHECK (role IN ('primary', 'backup')),
        valid_from DATETIME NOT NULL, valid_to DATETIME"""),
    ("app_role", "角色 role", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,
        title_zh TEXT, title_en TEXT"""),
    ("app_user", "用户 user", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE,
        display_name TEXT, role_id INTEGER NOT NULL REFERENCES app_role(id),
        department_id INTEGER REFERENCES department(id),
        manager_id INTEGER REFERENCES manager(id), password_hash TEXT,
        failed_logins INTEGER NOT NULL DEFAULT 0, locked_until DATETIME,
        active BOOLEAN NOT NULL DEFAULT 1, created_at DATETIME, last_login DATETIME"""),
    ("case_event", "案件流转 case event", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id INTEGER NOT NULL REFERENCES report(id), action TEXT NOT NULL,
        from_status TEXT, to_status TEXT NOT NULL, actor TEXT,
        user_id INTEGER REFERENCES app_user(id),
        department_id INTEGER REFERENCES department(id), at DATETIME NOT NULL, note TEXT"""),
    ("task_department", "联合执法部门 department in a joint task", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id INTEGER NOT NULL REFERENCES joint_task(id),
        department_id INTEGER NOT NULL REFERENCES department(id),
        role TEXT NOT NULL DEFAULT 'member', summoned_at DATETIME, checkin_at DATETIME,
        checkin_status TEXT, contact_person TEXT, action TEXT, result TEXT,
        evidence TEXT, effective BOOLEAN, evaluation TEXT,
        UNIQUE (task_id, department_id)"""),
    ("task_case", "联合执法任务的案件 member case of a task", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id INTEGER NOT NULL REFERENCES joint_task(id),
        report_id INTEGER NOT NULL REFERENCES report(id),
        UNIQUE (task_id, report_id)"""),
    ("audit_log", "审计日志 audit log (append-only, hash-chained)", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME NOT NULL, actor TEXT,
        user_id INTEGER, action TEXT NOT NULL, table_name TEXT, row_id INTEGER,
        changes TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL"""),
    ("setting", "设置 settings (JSON values)", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, value TEXT"""),
]

MEDIA_RELATIONS = [
    ("report", "attachment", "report_attachment"),
    ("joint_task", "attachment", "joint_task_attachment"),
]

# Indexes the case list and grid history need come with their migrations
# (0004, 0006); those that would only repeat a prefix of one of them are left out.
INDEXES = [
    "CREATE UNIQUE INDEX grid_current_code ON grid(code) WHERE valid_to IS NULL",
    "CREATE INDEX report_reported_at ON report(reported_at)",
    "CREATE INDEX report_grid ON report(grid_id)",
    "CREATE INDEX case_event_report ON case_event(report_id)",
    "CREATE INDEX assignment_grid ON grid_assignment(grid_id)",
    "CREATE INDEX assignment_manager ON grid_assignment(manager_id)",
    "CREATE INDEX audit_table_row ON audit_log(table_name, row_id)",
    "CREATE INDEX task_department_task ON task_department(task_id)",
]

# Only appends: an UPDATE or DELETE on the audit log aborts.
AUDIT_GUARDS = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    srs_id = ctx.get("srs_id", 4490)
    feature_names = {t[0] for t in FEATURE_TABLES}
    # Attribute tables that feature tables reference come first; SQLite
    # resolves REFERENCES lazily, so the order only matters for readability.
    for table, description, columns in ATTRIBUTE_TABLES:
        conn.execute(f'CREATE TABLE "{table}" ({columns})')
        gpkg.register_attributes(conn, table, description)
    for table, gtype, description, columns in FEATURE_TABLES:
        assert table in feature_names
        conn.execute(
            f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,'
            f" geom {gtype}, {columns})"
        )
        gpkg.register_features(conn, table, gtype, srs_id, description)
    for base, media, mapping in MEDIA_RELATIONS:
        gpkg.relate_media(conn, base, media, mapping)
    for sql in INDEXES + AUDIT_GUARDS:
        conn.execute(sql)
