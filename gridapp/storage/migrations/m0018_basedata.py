"""Schema 18 (base data, issue 18): households, residents, links with history.

* ``building`` and ``place`` gain their current ``grid_id`` (and ``place``
  its ``community_id``; ``building`` has one), filled by location;
  ``base_link`` keeps every link with ``valid_from``/``valid_to`` so "which
  grid was this building in on date X" has an answer after grids change.
* ``household`` (户): a door in a building, with a typed size when its
  residents are not listed.
* ``resident`` (居民): name, ID number, phone and notes are stored only as
  AES-GCM ciphertext (``*_enc``), with ``id_hash`` (HMAC-SHA256 of the
  normalised ID number) for exact lookup and duplicate detection; the keys
  live outside the file (:mod:`gridapp.storage.personal_crypto`).  Birth
  year and sex are not stored apart: they are derived from the ID number
  after decryption.  ``categories`` is a JSON list of category codes
  (``resident_category``, editable).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gridapp.storage import gpkg

NAME = "0018_basedata"
VERSION = 18

_TABLES = [
    ("resident_category", "居民类别 resident category (editable)", """
        id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL, active BOOLEAN NOT NULL DEFAULT 1"""),
    ("household", "户 household", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        building_id INTEGER REFERENCES building(id), door TEXT,
        size INTEGER, notes TEXT, created_at DATETIME"""),
    ("resident", "居民 resident (personal data encrypted)", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        household_id INTEGER REFERENCES household(id),
        name_enc BLOB, id_enc BLOB, id_hash TEXT, phone_enc BLOB, notes_enc BLOB,
        categories TEXT, key_id TEXT, created_at DATETIME, updated_at DATETIME"""),
    ("base_link", "基础数据所属网格历史 building/place ↔ grid over time", """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        table_name TEXT NOT NULL CHECK (table_name IN ('building', 'place')),
        row_id INTEGER NOT NULL, grid_id INTEGER REFERENCES grid(id),
        community_id INTEGER REFERENCES community(id),
        valid_from DATETIME NOT NULL, valid_to DATETIME"""),
]

DEFAULT_CATEGORIES = [
    ("elderly_alone", "独居老人"), ("disabled", "残疾人"), ("dibao", "低保"),
    ("key_person", "重点人员"), ("left_behind_child", "留守儿童"),
    ("special_care", "优抚对象"),
]


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    conn.execute("ALTER TABLE building ADD COLUMN grid_id INTEGER REFERENCES grid(id)")
    conn.execute("ALTER TABLE place ADD COLUMN grid_id INTEGER REFERENCES grid(id)")
    conn.execute("ALTER TABLE place ADD COLUMN community_id INTEGER"
                 " REFERENCES community(id)")
    conn.execute("ALTER TABLE place ADD COLUMN households INTEGER")
    for table, description, columns in _TABLES:
        conn.execute(f'CREATE TABLE "{table}" ({columns})')
        gpkg.register_attributes(conn, table, description)
    conn.executemany("INSERT INTO resident_category (code, name) VALUES (?, ?)",
                     DEFAULT_CATEGORIES)
    for sql in (
        # not partial: ogr2ogr (GDAL 3.6) cannot copy partial unique indexes,
        # and UNIQUE lets NULLs (residents with no ID number) through anyway
        "CREATE UNIQUE INDEX resident_id_hash ON resident(id_hash)",
        "CREATE INDEX resident_household ON resident(household_id)",
        "CREATE INDEX household_building ON household(building_id)",
        "CREATE INDEX base_link_row ON base_link(table_name, row_id, valid_from)",
        "CREATE INDEX base_link_grid ON base_link(grid_id)",
        "CREATE INDEX building_grid ON building(grid_id)",
    ):
        conn.execute(sql)
