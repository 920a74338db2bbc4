"""Schema version 7: cluster proposals, their decisions, and task escalations.

* ``cluster_proposal`` (feature table, POLYGON hull in EPSG:4490): one
  cluster found by :mod:`gridapp.services.joint.clustering`, ranked as a
  joint-enforcement proposal; its members, categories, grids, departments,
  recurrence, score and reasons (JSON text), and what the dispatcher decided:
  ``open``, ``accepted`` (with the task), ``merged`` / ``split`` (into newer
  proposals, ``parent_ids`` on those), ``dismissed`` (with the reason, who and when).
* ``task_escalation``: each 督办 of a joint task: when, by whom, why, which
  departments had not checked in, the notice number.
* ``joint_task``: ``escalated_at`` and ``proposal_id``; ``joint_task_attachment``:
  ``phase`` (``before`` / ``after`` / ``other``) of each photo.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gridapp.storage import gpkg

NAME = "0007_tasks"
VERSION = 7


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    srs_id = ctx.get("srs_id", 4490)
    conn.execute(
        """CREATE TABLE cluster_proposal (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
        geom POLYGON, status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'accepted', 'merged', 'split', 'dismissed')),
        title TEXT, size INTEGER NOT NULL, score REAL NOT NULL DEFAULT 0,
        reasons TEXT, report_ids TEXT NOT NULL, categories TEXT, grid_ids TEXT,
        department_ids TEXT, recurrence INTEGER NOT NULL DEFAULT 0,
        first_at DATETIME, last_at DATETIME, params TEXT, parent_ids TEXT,
        task_id INTEGER REFERENCES joint_task(id), decision_reason TEXT,
        decided_by TEXT, decided_at DATETIME, created_by TEXT,
        created_at DATETIME NOT NULL)""")
    gpkg.register_features(conn, "cluster_proposal", "POLYGON", srs_id,
                           "聚类研判建议 cluster proposal")
    conn.execute(
        """CREATE TABLE task_escalation (id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id INTEGER NOT NULL REFERENCES joint_task(id), notice_no TEXT NOT NULL,
        at DATETIME NOT NULL, actor TEXT, reason TEXT NOT NULL,
        missing_department_ids TEXT, addressee TEXT)""")
    gpkg.register_attributes(conn, "task_escalation", "联合执法督办 task escalation")
    have = {r[1] for r in conn.execute('PRAGMA table_info("joint_task")')}
    for col, decl in (("escalated_at", "DATETIME"),
                      ("proposal_id", "INTEGER REFERENCES cluster_proposal(id)")):
        if col not in have:
            conn.execute(f'ALTER TABLE joint_task ADD COLUMN "{col}" {decl}')
    have = {r[1] for r in conn.execute('PRAGMA table_info("joint_task_attachment")')}
    if "phase" not in have:
        conn.execute("ALTER TABLE joint_task_attachment ADD COLUMN phase TEXT")
    for sql in (
        "CREATE INDEX IF NOT EXISTS cluster_proposal_status ON cluster_proposal(status, score)",
        "CREATE INDEX IF NOT EXISTS task_escalation_task ON task_escalation(task_id)",
        "CREATE INDEX IF NOT EXISTS task_case_report ON task_case(report_id)",
        "CREATE INDEX IF NOT EXISTS joint_task_state ON joint_task(state, deadline)",
    ):
        conn.execute(sql)
