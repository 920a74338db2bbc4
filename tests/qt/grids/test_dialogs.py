"""Import wizard (GBK shapefile) and auto-division dialog, through the window."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gridapp.services.grids.history import current_grids

_spec = importlib.util.spec_from_file_location(
    "make_files", Path(__file__).parents[2] / "data" / "make_files.py"
)
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make.make_files(tmp_path_factory.mktemp("grids_wizard"))


def test_import_wizard_imports_gbk_shapefile(qtbot, window, grids_feature, files):
    wizard = grids_feature.import_wizard()
    wizard.path.setText(str(files["gk_gbk_nocpg"]))  # no .cpg: GBK must be detected
    assert wizard.read_preview()
    p = wizard.preview
    assert p.encoding.lower() in ("gbk", "gb18030", "cp936") and len(p.frame) == 3
    assert "EPSG:4524" in wizard.summary.text()
    names = [
        wizard.table_model.index(r, 1).data()
        for r in range(wizard.table_model.rowCount())
    ]
    assert names == [c[0] for c in make.COMMUNITIES]
    assert wizard.import_button.isEnabled()
    before = window.session.store.scalar("SELECT count(*) FROM community")
    with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):  # the window reloads
        wizard.import_button.click()
        qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=20_000)
    qtbot.waitUntil(lambda: wizard.worker is None, timeout=5_000)
    assert len(wizard.outcome.ids) == 3
    rows = window.session.store.query(
        "SELECT name, code FROM community WHERE code LIKE '520103%' ORDER BY code"
    )
    assert [tuple(r) for r in rows] == [(c[0], c[1]) for c in make.COMMUNITIES]
    assert window.session.store.scalar("SELECT count(*) FROM community") == before + 3
    wizard.deleteLater()


def test_import_wizard_shows_problems_and_imports_nothing(
    qtbot, window, grids_feature, files
):
    wizard = grids_feature.import_wizard()
    wizard.path.setText(str(files["gk_gbk"]))
    wizard.kind.setCurrentIndex(
        wizard.kind.findData("grid")
    )  # codes are community codes
    assert wizard.read_preview()
    assert wizard.problems.count() > 0 and not wizard.import_button.isEnabled()
    wizard.deleteLater()


def test_auto_division_proposes_and_accepts(qtbot, window, grids_feature):
    editor = grids_feature.editor
    editor.confirm = lambda report: True
    dialog = grids_feature.division_dialog()
    dialog.community.setCurrentIndex(dialog.community.findData(2))
    dialog.low.setValue(300)
    dialog.high.setValue(500)
    dialog.propose()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30_000)
    proposal = dialog.proposal
    assert proposal is not None, dialog.summary.text()
    assert dialog.table_model.rowCount() == len(proposal.grids)
    assert editor.proposal is not None  # drawn on the map with households
    assert str(int(proposal.grids["households"].iloc[0])) in editor.proposal[1][0]
    assert dialog.accept_button.isEnabled()
    dialog.accept_button.click()
    after = current_grids(window.session, 2)
    basic = after[after["kind"] == "basic"]  # special grids (专属网格) are kept
    assert sorted(basic["code"]) == sorted(proposal.grids["code"])
    assert len(after) == len(basic) + len(proposal.kept)
    assert editor.proposal is None and editor.undo_stack.count() == 1
    assert editor.check_all().valid
    dialog.reject()
    dialog.deleteLater()


def test_auto_division_can_be_cancelled_and_rejected(qtbot, window, grids_feature):
    editor = grids_feature.editor
    dialog = grids_feature.division_dialog()
    dialog.community.setCurrentIndex(dialog.community.findData(3))
    dialog.by_count.setChecked(True)
    dialog.count.setValue(4)
    dialog.propose()
    dialog.cancel_work()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30_000)
    if dialog.proposal is None:
        assert dialog.summary.text()  # "Cancelled." (or finished before the cancel)
    dialog.propose()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30_000)
    assert dialog.proposal is not None and len(dialog.proposal.grids) == 4
    before = set(current_grids(window.session, 3)["id"])
    dialog.reject_button.click()
    assert editor.proposal is None and dialog.proposal is None
    assert set(current_grids(window.session, 3)["id"]) == before
    dialog.reject()
    dialog.deleteLater()


def test_imported_grids_with_problems_show_after_reload(
    qtbot, window, grids_feature, tmp_path
):
    import geopandas as gpd
    from shapely.geometry import box

    comm = window.session.store.get("community", 1)["geom"]
    c = comm.representative_point()
    path = tmp_path / "one_grid.geojson"
    gpd.GeoDataFrame(
        {"名称": ["新网格"]}, geometry=[box(c.x, c.y, c.x + 3e-4, c.y + 3e-4)], crs=4490
    ).to_file(path)
    wizard = grids_feature.import_wizard()
    wizard.path.setText(str(path))
    wizard.kind.setCurrentIndex(wizard.kind.findData("grid"))
    assert wizard.read_preview() and wizard.import_button.isEnabled()
    with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
        wizard.start_import()
    qtbot.waitUntil(lambda: wizard.worker is None, timeout=5_000)
    assert wizard.outcome is not None and len(wizard.outcome.ids) == 1
    assert grids_feature.panel.model.rowCount() > 0  # its coverage problems are listed
    assert len(grids_feature.editor.grids) == 61
    wizard.deleteLater()
