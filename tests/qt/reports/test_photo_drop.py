"""PhotoDropImport: a dropped JPEG with EXIF GPS becomes a draft at its place."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from gridapp.qt.reports.photo_drop_import import PhotoDropImport


def _dms(v: float) -> tuple[float, float, float]:
    d = int(v)
    m = int((v - d) * 60)
    return float(d), float(m), round(((v - d) * 60 - m) * 60, 4)


def make_jpeg(lon=None, lat=None, when="2026:03:10 09:15:00") -> bytes:
    im = Image.new("RGB", (640, 480), (30, 120, 200))
    exif = Image.Exif()
    if lon is not None:
        exif[0x8825] = {1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)}
    exif[0x8769] = {36867: when}
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


@pytest.fixture
def dropper(qtbot, login_as):
    w = PhotoDropImport(login_as("wgy01"), open_dialogs=False)
    qtbot.addWidget(w)
    yield w
    for d in list(w.dialogs):
        d.close()


def drop(widget, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)
    return event


def test_dropped_photo_with_gps_opens_a_draft_at_its_place(
    dropper, qtbot, own_point, tmp_path, demo_workspace
):
    gid, lon, lat = own_point
    (tmp_path / "IMG_1.jpg").write_bytes(make_jpeg(lon, lat))
    (tmp_path / "no_gps.jpg").write_bytes(make_jpeg())
    (tmp_path / "broken.jpg").write_bytes(b"not a jpeg")
    with qtbot.waitSignal(dropper.finished, timeout=20_000) as done:
        drop(
            dropper,
            [tmp_path / "IMG_1.jpg", tmp_path / "no_gps.jpg", tmp_path / "broken.jpg"],
        )
    assert done.args == [1, 1, 1]
    qtbot.waitUntil(lambda: not dropper.is_busy())
    [dlg] = dropper.dialogs
    assert dlg.crs_combo.currentData() == "wgs84"
    assert dlg.photo_list.count() == 1 and dlg.photos[0].filename == "IMG_1.jpg"
    assert dlg.reported_at.astimezone(UTC) == datetime(2026, 3, 10, 1, 15, tzinfo=UTC)
    # no category yet: the placement is shown, the check waits for a category
    assert demo_workspace.scalar("SELECT code FROM grid WHERE id = ?", (gid,)) in (
        dlg.grid_label.text()
    )
    dlg.set_category("0101")
    check = dlg.check_now()
    placement = check.placement
    assert placement.grid_id == gid
    assert abs(placement.lon - lon) < 1e-5 and abs(placement.lat - lat) < 1e-5
    with qtbot.waitSignal(dlg.report_filed) as filed:
        dlg.accept()
    rid = filed.args[0]
    assert (
        demo_workspace.scalar(
            "SELECT count(*) FROM report_attachment WHERE base_id = ?", (rid,)
        )
        == 1
    )
    assert "broken.jpg" in dropper.status_label.text()


def test_photos_without_position_are_handed_on(dropper, qtbot, tmp_path, own_point):
    (tmp_path / "a.jpg").write_bytes(make_jpeg())
    with qtbot.waitSignal(dropper.position_needed, timeout=20_000) as need:
        assert dropper.import_paths([tmp_path / "a.jpg"])
    [photo] = need.args[0]
    qtbot.waitUntil(lambda: not dropper.is_busy())
    _, lon, lat = own_point
    dlg = dropper.open_draft(
        [photo], lon, lat, crs="cgcs2000"
    )  # the user clicked the map
    assert dlg.last_error is None and dlg.grid_label.text()


def test_non_images_refused_and_cancel(dropper, qtbot, tmp_path):
    (tmp_path / "a.txt").write_text("x")
    assert not dropper.import_paths([tmp_path / "a.txt"])
    assert dropper.status_label.text()
    paths = []
    for i in range(30):
        p = tmp_path / f"p{i}.jpg"
        p.write_bytes(make_jpeg())
        paths.append(p)
    with qtbot.waitSignal(dropper.finished, timeout=20_000):
        dropper.import_paths(paths)
        dropper.cancel()
    qtbot.waitUntil(lambda: not dropper.is_busy())
