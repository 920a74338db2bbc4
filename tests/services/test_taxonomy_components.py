"""The taxonomy has the GB/T 30428.2 component (部件) classes beside the event
classes, in new workspaces and, through a migration, in older ones."""

from __future__ import annotations

import sqlite3

import pytest

from gridapp.domain import taxonomy
from gridapp.storage import migrations as migs
from gridapp.storage.store import GeoPackageStore

# The six component classes of GB/T 30428.2 (DESIGN §5).
COMPONENT_CLASSES = {
    "B01": "公用设施类",
    "B02": "道路交通类",
    "B03": "市容环境类",
    "B04": "园林绿化类",
    "B05": "房屋土地类",
    "B06": "其他设施类",
}
MINE = {"0014_component_categories", "0014_report_external_id"}


def test_parent_codes_of_events_and_components():
    assert taxonomy.parent_code("0401") == "04"
    assert taxonomy.parent_code("B0101") == "B01"
    assert taxonomy.parent_code("04") is None and taxonomy.parent_code("B01") is None
    assert taxonomy.is_component("B0101") and not taxonomy.is_component("0101")


def test_codes_and_names_are_unique_and_every_subclass_has_its_class():
    codes = [c.code for c in taxonomy.DEFAULT_CATEGORIES]
    names = [c.name for c in taxonomy.DEFAULT_CATEGORIES]
    assert len(codes) == len(set(codes)) and len(names) == len(set(names))
    for c in taxonomy.DEFAULT_CATEGORIES:
        parent = taxonomy.parent_code(c.code)
        assert parent is None or parent in codes[: codes.index(c.code)]


def _categories(store) -> dict[str, tuple[str, str | None]]:
    rows = store.query(
        "SELECT c.code, c.name, p.code FROM category c "
        "LEFT JOIN category p ON p.id = c.parent_id"
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def test_new_workspace_has_event_and_component_classes(empty_workspace):
    cats = _categories(empty_workspace)
    assert {k: cats[k][0] for k in COMPONENT_CLASSES} == COMPONENT_CLASSES
    assert cats["B0101"] == ("上水井盖", "B01")
    assert cats["0101"] == ("暴露垃圾", "01") and cats["0401"] == ("占道经营", "04")
    subclasses = [k for k in cats if k.startswith("B") and len(k) == 5]
    assert len(subclasses) >= 30
    duty = empty_workspace.scalar(
        "SELECT count(*) FROM duty_item d JOIN category c ON c.id = d.category_id "
        "WHERE c.code LIKE 'B%'"
    )
    assert duty == len(subclasses)


@pytest.fixture
def old_workspace(tmp_path, monkeypatch):
    """A workspace as GridApp wrote it before the component classes and ids."""
    from gridapp.services.workspace import StreetSpec, create_workspace

    older = [m for m in migs.all_migrations() if m.name not in MINE]
    monkeypatch.setattr("gridapp.storage.store.all_migrations", lambda: older)
    monkeypatch.setattr(taxonomy, "DEFAULT_CATEGORIES", taxonomy.EVENT_CATEGORIES)
    path = tmp_path / "old.gpkg"
    create_workspace(path, StreetSpec("520102", "520102003", "测试街道")).close()
    monkeypatch.undo()
    return path


def test_old_workspace_gains_components_and_external_id(old_workspace):
    con = sqlite3.connect(old_workspace)
    cols = {r[1] for r in con.execute("PRAGMA table_info(report)")}
    before = dict(con.execute("SELECT code, name FROM category"))
    con.execute("UPDATE category SET name = '占道经营（改）' WHERE code = '0401'")
    con.commit()
    con.close()
    assert "external_id" not in cols and "B01" not in before and "0401" in before

    store = GeoPackageStore.open(old_workspace)
    try:
        assert MINE <= set(store.applied_migrations())
        assert "external_id" in store.table_columns("report")
        cats = _categories(store)
        assert {k: cats[k][0] for k in COMPONENT_CLASSES} == COMPONENT_CLASSES
        assert cats["B0604"][1] == "B06"
        # staff edits and event codes are left alone
        assert cats["0401"][0] == "占道经营（改）"
        assert {k for k in cats if not k.startswith("B")} == set(before)
        gone = {c.code for c in taxonomy.COMPONENT_CATEGORIES} - set(cats)
        assert not gone
    finally:
        store.close()
    again = GeoPackageStore.open(old_workspace)  # nothing runs twice
    try:
        assert len(_categories(again)) == len(taxonomy.DEFAULT_CATEGORIES)
    finally:
        again.close()
