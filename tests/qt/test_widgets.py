"""Dialogs, worker, background tiles: each widget both ways."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from gridapp.errors import Cancelled


def test_worker_runs_off_thread_and_cancel_drops_result(qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    from gridapp.qt.job_progress import JobProgress

    widget = JobProgress(replace=True)
    qtbot.addWidget(widget)
    main = threading.get_ident()
    done, errors = [], []

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        progress(1, 2, "half")
        return threading.get_ident()

    widget.run(work, done.append, errors.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done[0] != main and not widget.busy

    def slow(progress, cancel):  # type: ignore[no-untyped-def]
        for _ in range(500):
            cancel.check()
            time.sleep(0.01)
        return "finished"

    worker = widget.run(slow, done.append, errors.append)
    widget.cancel()
    worker.wait(5000)
    qtbot.wait(20)
    assert done == [done[0]] and errors == []  # the cancelled result was dropped
    assert isinstance(worker.error, Cancelled)
    widget.shutdown()


def test_login_dialog_shows_error_then_logs_in(qtbot, demo_copy) -> None:  # type: ignore[no-untyped-def]
    from gridapp.qt.login_dialog import LoginDialog
    from gridapp.storage import open_store

    store = open_store(demo_copy)
    try:
        dialog = LoginDialog(store, show_demo_users=True)
        qtbot.addWidget(dialog)
        dialog.username.setText("admin")
        dialog.password.setText("nope")
        assert not dialog.try_login()
        assert dialog.error.text() and dialog.session is None
        dialog.password.setText("Admin-demo-2026")
        assert dialog.try_login()
        assert dialog.session.user.username == "admin"
    finally:
        store.close()


def test_new_workspace_dialog_creates_a_file(qtbot, tmp_path: Path) -> None:
    from gridapp.qt.new_workspace_dialog import NewWorkspaceDialog
    from gridapp.storage import open_store

    dialog = NewWorkspaceDialog()
    qtbot.addWidget(dialog)
    target = tmp_path / "new.gpkg"
    dialog.path.setText(str(target))
    dialog.street_name.setText("测试街道")
    dialog.district_code.setText("520102")
    dialog.street_code.setText("520102003")
    dialog.password.setText("Admin-pass-2026")
    dialog.password2.setText("Admin-pass-2026x")
    assert not dialog.create() and "不一致" in dialog.error.text()
    dialog.password2.setText("Admin-pass-2026")
    assert dialog.create() and dialog.created == target
    with open_store(target) as store:
        assert store.scalar("SELECT count(*) FROM app_user") == 1


def test_import_preview_reads_a_geojson(qtbot, tmp_path: Path) -> None:
    import geopandas as gpd
    import shapely

    from gridapp.qt.import_preview_dialog import ImportPreviewDialog

    path = tmp_path / "communities.geojson"
    gpd.GeoDataFrame(
        {"名称": ["甲社区", "乙社区"]},
        geometry=[
            shapely.box(106.7, 26.5, 106.71, 26.51),
            shapely.box(106.71, 26.5, 106.72, 26.51),
        ],
        crs=4326,
    ).to_file(path, driver="GeoJSON")
    dialog = ImportPreviewDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.preview is not None and len(dialog.preview.frame) == 2
    assert dialog.summary.text().startswith("2 ")


@pytest.fixture
def tile_folder(tmp_path: Path) -> Path:
    """An XYZ folder whose tiles (zoom 10–16 over the demo) are plain magenta."""
    from gridapp.qt.tiles import _lonlat_tile
    from gridapp.services.demo.street import CENTER

    img = QImage(256, 256, QImage.Format.Format_RGB32)
    img.fill(QColor("#ff00ff"))
    for z in range(10, 17):
        x, y = _lonlat_tile(CENTER[0], CENTER[1], z)
        for tx in range(int(x) - 3, int(x) + 4):
            for ty in range(int(y) - 3, int(y) + 4):
                d = tmp_path / "tiles" / str(z) / str(tx)
                d.mkdir(parents=True, exist_ok=True)
                img.save(str(d / f"{ty}.png"))
    return tmp_path / "tiles"


@pytest.fixture
def mbtiles(tile_folder: Path) -> Path:
    """The same tiles as an MBTiles file (rows counted from the south)."""
    import sqlite3

    path = tile_folder.parent / "tiles.mbtiles"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    for png in tile_folder.rglob("*.png"):
        z, x, y = int(png.parent.parent.name), int(png.parent.name), int(png.stem)
        conn.execute(
            "INSERT INTO tiles VALUES (?, ?, ?, ?)",
            (z, x, 2**z - 1 - y, png.read_bytes()),
        )
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("kind", ["folder", "mbtiles"])
def test_background_tiles_under_the_map(window, request, kind: str) -> None:  # type: ignore[no-untyped-def]
    tiles = request.getfixturevalue("tile_folder" if kind == "folder" else "mbtiles")
    canvas = window.canvas
    street = canvas.workspace.data["street"].layer.extent
    # a corner of the view outside the street: white without tiles
    x, y = street[0] - 5, street[3] + 5
    canvas.zoom_to_extent(
        (street[0] - 300, street[1] - 300, street[2] + 300, street[3] + 300)
    )

    def pixel() -> str:
        px, py = canvas.viewport.map_to_device(x, y)
        return canvas.grab().toImage().pixelColor(int(px), int(py)).name()

    assert pixel() == "#ffffff"
    assert window.set_background(tiles)
    assert pixel() == "#ff00ff"
    assert window.set_background(None)
    assert pixel() == "#ffffff"
    assert not window.set_background(tiles.parent / "missing")


def test_job_progress_shows_a_burst_of_steps_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A worker's steps arrive in bursts; the bar repaints once for the burst, not per step."""
    import threading

    from gridapp.qt.job_progress import JobProgress

    widget = JobProgress(replace=True)
    qtbot.addWidget(widget)
    values: list[int] = []
    real = widget.bar.setValue
    widget.bar.setValue = lambda v: (values.append(v), real(v))  # type: ignore[method-assign]
    steps: list[int] = []
    widget.progressed.connect(lambda done, total: steps.append(done))
    release = threading.Event()

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        for i in range(1, 201):
            progress(i, 200, "")
        release.wait(10)
        return "done"

    widget.run(work)
    qtbot.waitUntil(lambda: len(steps) == 200, timeout=5000)
    assert steps == list(range(1, 201))  # every step still reaches listeners
    qtbot.waitUntil(lambda: widget.bar.value() == 200, timeout=5000)
    assert len(values) < 10 and values[-1] == 200
    release.set()
    qtbot.waitUntil(lambda: not widget.busy, timeout=5000)
    widget.shutdown()
