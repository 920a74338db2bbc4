"""Schema 17 (assessment and supervision, issue 17).

* ``kpi_indicator``: the indicators as editable data.  ``formula`` is an
  arithmetic expression over the measures counted per case (``closed /
  (due - deferred)``); the assessment service evaluates it, never Python's
  ``eval``.  Defaults follow DESIGN §5 (结案率, 按期结案率, urgent cases apart,
  返工 per case) and the three rates of the 12345 assessment (响应率, 解决率,
  满意率).
* ``kpi_threshold``: 红黄蓝 bounds per indicator: below ``red`` (above, for an
  indicator where less is better) is red, below ``yellow`` is yellow, the rest
  blue; a unit red or yellow for ``periods`` periods in a row is flagged.
* ``case_callback``: the 回访 of a resident or 12345 case: who called back,
  when, what the resident was told, the verdict (satisfied / basic /
  dissatisfied), whether the problem was solved, the reason, and whether the
  verdict reopened the case (返工, once per case).
* ``case_escalation``: automatic supervision: a case escalated one level with
  a 督办单 for one deadline (unique: never twice for the same deadline).
* ``reminder``: notices for a role before and after deadlines (unique key, so a
  reminder is written once however often supervision runs).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gridapp.storage import gpkg

NAME = "0017_assessment"
VERSION = 17

TABLES: list[tuple[str, str, str]] = [
    ("kpi_indicator", "考核指标 assessment indicator (formula as data)", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE,
        name_zh TEXT NOT NULL, name_en TEXT NOT NULL, formula TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT 'count'
            CHECK (unit IN ('count', 'ratio', 'hours', 'score')),
        higher_is_better BOOLEAN NOT NULL DEFAULT 1,
        position INTEGER NOT NULL DEFAULT 0, description TEXT,
        active BOOLEAN NOT NULL DEFAULT 1"""),
    ("kpi_threshold", "红黄蓝预警阈值 warning thresholds", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        indicator_code TEXT NOT NULL UNIQUE REFERENCES kpi_indicator(code),
        red REAL NOT NULL, yellow REAL NOT NULL,
        periods INTEGER NOT NULL DEFAULT 2 CHECK (periods >= 1),
        active BOOLEAN NOT NULL DEFAULT 1"""),
    ("case_callback", "回访 callback to the resident", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id INTEGER NOT NULL REFERENCES report(id),
        called_by TEXT NOT NULL, user_id INTEGER REFERENCES app_user(id),
        called_at DATETIME NOT NULL, told TEXT,
        verdict TEXT NOT NULL CHECK (verdict IN ('satisfied', 'basic', 'dissatisfied')),
        resolved BOOLEAN NOT NULL DEFAULT 1, reason TEXT,
        reopened BOOLEAN NOT NULL DEFAULT 0"""),
    ("case_escalation", "自动督办 automatic escalation", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id INTEGER NOT NULL REFERENCES report(id),
        deadline DATETIME NOT NULL, level INTEGER NOT NULL, notice_no TEXT NOT NULL,
        at DATETIME NOT NULL, note TEXT, UNIQUE (report_id, deadline)"""),
    ("reminder", "提醒 reminders and notices by role", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL, role TEXT NOT NULL, department_id INTEGER
            REFERENCES department(id), report_id INTEGER REFERENCES report(id),
        task_id INTEGER REFERENCES joint_task(id), due_at DATETIME,
        message TEXT NOT NULL, created_at DATETIME NOT NULL, read_at DATETIME"""),
]

# code, 中文, English, formula, unit, higher is better, description
INDICATORS: list[tuple[str, str, str, str, str, bool, str]] = [
    ("filed", "上报数", "Reports filed", "filed", "count", True,
     "本期上报的案件"),
    ("registered", "立案数", "Registered", "registered", "count", True,
     "本期立案的案件"),
    ("due", "应结案数", "Due", "due", "count", True,
     "处置期限落在本期的已派遣案件"),
    ("deferred", "缓办数", "Deferred", "deferred", "count", False,
     "应结案中已挂账（缓办）的案件"),
    ("closed", "结案数", "Closed", "closed", "count", True,
     "应结案中已结案的案件"),
    ("closed_on_time", "按期结案数", "Closed on time", "closed_on_time", "count",
     True, "应结案中在期限内结案的案件"),
    ("close_rate", "结案率", "Closing rate", "closed / (due - deferred)", "ratio",
     True, "结案数 ÷ (应结案数 − 缓办数)"),
    ("on_time_rate", "按期结案率", "On-time closing rate",
     "closed_on_time / (due - deferred)", "ratio", True,
     "按期结案数 ÷ (应结案数 − 缓办数)"),
    ("urgent_on_time_rate", "紧急案件按期结案率", "Urgent on-time rate",
     "urgent_closed_on_time / (urgent_due - urgent_deferred)", "ratio", True,
     "紧急案件单独计算"),
    ("rework", "返工数", "Rework", "rework", "count", False,
     "本期被返工的案件（每件计一次）"),
    ("overdue_now", "当前超期数", "Overdue now", "overdue_now", "count", False,
     "期末（或现在）仍未结案且已超过期限的案件"),
    ("handling_mean", "平均处置时长（工作时）", "Mean handling (office hours)",
     "handling_mean", "hours", False, "本期结案案件从派遣到处置反馈的工作时"),
    ("handling_p90", "处置时长P90（工作时）", "P90 handling (office hours)",
     "handling_p90", "hours", False, "同上，第90百分位"),
    ("response_rate", "响应率", "Response rate", "responded / filed", "ratio", True,
     "在响应时限内立案或答复的上报 ÷ 上报数"),
    ("resolve_rate", "解决率", "Resolution rate", "resolved / callbacks", "ratio",
     True, "回访中群众认为已解决 ÷ 回访数"),
    ("satisfaction_rate", "满意率", "Satisfaction rate",
     "(satisfied + basic) / callbacks", "ratio", True,
     "(满意 + 基本满意) ÷ 回访数"),
    ("checkin_rate", "联合执法按时报到率", "Joint-task check-in on time",
     "checkins_on_time / checkins", "ratio", True, "按时报到 ÷ 被吹哨次数"),
    ("task_effective_rate", "联合执法评价有效率", "Joint-task evaluated effective",
     "tasks_effective / tasks_evaluated", "ratio", True, "评价为有效 ÷ 已评价"),
]

# indicator, red below, yellow below (for less-is-better: red above, yellow above),
# consecutive periods
THRESHOLDS: list[tuple[str, float, float, int]] = [
    ("close_rate", 0.80, 0.90, 2),
    ("on_time_rate", 0.70, 0.85, 2),
    ("satisfaction_rate", 0.80, 0.90, 2),
    ("response_rate", 0.85, 0.95, 2),
    ("overdue_now", 3.0, 1.0, 2),
]

INDEXES = [
    "CREATE INDEX case_callback_report ON case_callback(report_id)",
    "CREATE INDEX case_callback_time ON case_callback(called_at)",
    "CREATE INDEX case_event_action_time ON case_event(action, at)",
    "CREATE INDEX report_closed_at ON report(closed_at)",
    "CREATE INDEX reminder_role ON reminder(role, created_at)",
]


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    for table, description, columns in TABLES:
        conn.execute(f'CREATE TABLE "{table}" ({columns})')
        gpkg.register_attributes(conn, table, description)
    for pos, (code, zh, en, formula, unit, hib, desc) in enumerate(INDICATORS):
        conn.execute(
            "INSERT INTO kpi_indicator (code, name_zh, name_en, formula, unit, "
            "higher_is_better, position, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (code, zh, en, formula, unit, int(hib), pos * 10, desc))
    conn.executemany(
        "INSERT INTO kpi_threshold (indicator_code, red, yellow, periods) "
        "VALUES (?, ?, ?, ?)", THRESHOLDS)
    for sql in INDEXES:
        conn.execute(sql)
