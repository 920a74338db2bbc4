"""The new-workspace dialog records the street row (issue 14, §2)."""

from __future__ import annotations

from pathlib import Path


def test_new_workspace_dialog_records_the_street(qtbot, tmp_path: Path) -> None:
    from gridapp.qt.new_workspace_dialog import NewWorkspaceDialog
    from gridapp.storage import open_store

    dialog = NewWorkspaceDialog()
    qtbot.addWidget(dialog)
    target = tmp_path / "urumqi.gpkg"
    dialog.path.setText(str(target))
    dialog.street_name.setText("八一街道")
    dialog.office_name.setText("天山区八一街道办事处")
    dialog.district_code.setText("650102")
    dialog.street_code.setText("650102004")
    dialog.password.setText("Admin-pass-2026")
    dialog.password2.setText("Admin-pass-2026")
    assert dialog.create() and dialog.created == target
    with open_store(target, readonly=True) as store:
        rows = [tuple(r) for r in store.query(
            "SELECT name, code, district_code, office_name, geom FROM street")]
        # No boundaries yet: no metric CRS is made up (it was EPSG:4524 for any city).
        assert store.metric_crs() == (None, None)
    assert rows == [("八一街道", "650102004", "650102", "天山区八一街道办事处", None)]


def test_a_new_workspace_opens_without_bad_geometry_warnings(empty_workspace) -> None:
    """The street row init writes has no outline yet; it is not a broken feature."""
    from gridapp.qt.layer_data import load_workspace_layers

    assert empty_workspace.scalar("SELECT count(*) FROM street WHERE geom IS NULL") == 1
    layers = load_workspace_layers(empty_workspace)
    assert {name: data.bad for name, data in layers.data.items() if data.bad} == {}
