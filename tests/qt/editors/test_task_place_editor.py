"""A joint task's place and photos: fits, refuses bad input, saves, undoes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QTableWidgetItem

from gridapp.qt.editors.task_place_editor import TaskPlaceEditor
from gridapp.services.joint import clustering, proposals, tasks
from gridapp.services.session import system_session
from tests.qt.editors.conftest import assert_fits_small_screen, audit_count

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def task_id(demo_workspace, login_as):
    admin = system_session(demo_workspace)
    ids = proposals.save_proposals(admin, clustering.find_clusters(admin).clusters)
    disp = login_as("zhihui")
    tid = proposals.accept(disp, ids[0], action_at=T0 + timedelta(hours=1),
                           deadline=T0 + timedelta(days=5), checkin_limit_minutes=30)
    tasks.summon(disp, tid, T0)
    return tid


@pytest.fixture
def editor(qtbot, login_as, task_id):
    dialog = TaskPlaceEditor(login_as("zhihui"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.select_key(task_id)
    return dialog


def _corners(editor, pairs) -> None:
    editor.corners.setRowCount(0)
    for lon, lat in pairs:
        editor._append_corner(str(lon), str(lat))


def _png() -> bytes:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def test_fits_and_shows_the_corners(editor, demo_workspace, task_id):
    assert_fits_small_screen(editor)
    geom = demo_workspace.get("joint_task", task_id)["geom"]
    assert editor.corners.rowCount() == len(geom.exterior.coords) - 1 >= 3


@pytest.mark.parametrize(("edit", "words"), [
    (lambda e: e.corners.setItem(0, 0, QTableWidgetItem("东经106")), "不是数字"),
    (lambda e: [e.corners.removeRow(0) for _ in range(e.corners.rowCount() - 2)],
     "至少需要 3 个顶点"),
    (lambda e: [e.corners.setItem(r, 0, QTableWidgetItem(
        f"{float(e.corners.item(r, 0).text()) - 100:.6f}"))  # same shape, 100° west
                for r in range(e.corners.rowCount())], "不在中国境内"),
    (lambda e: _corners(e, [(106.71, 26.57), (106.711, 26.571), (106.711, 26.57),
                            (106.71, 26.571)]), "相互交叉"),  # a bow tie
])
def test_bad_place_is_refused_and_nothing_changes(editor, demo_workspace, task_id, edit, words):
    stored = demo_workspace.get("joint_task", task_id)["geom"]
    audits = audit_count(demo_workspace, "joint_task", task_id)
    edit(editor)
    editor.save_button.click()
    assert words in editor.message.text()
    assert demo_workspace.get("joint_task", task_id)["geom"].equals(stored)
    assert audit_count(demo_workspace, "joint_task", task_id) == audits
    assert editor.undo_stack.count() == 0


def test_place_saved_audited_and_undone(editor, demo_workspace, task_id):
    stored = demo_workspace.get("joint_task", task_id)["geom"]
    audits = audit_count(demo_workspace, "joint_task", task_id)
    lon = float(editor.corners.item(0, 0).text())
    editor.corners.setItem(0, 0, QTableWidgetItem(f"{lon - 0.0005:.6f}"))  # ~50 m west
    editor.save_button.click()
    moved = demo_workspace.get("joint_task", task_id)["geom"]
    assert not moved.equals(stored) and moved.area > 0
    assert abs(moved.exterior.coords[0][0] - (lon - 0.0005)) < 1e-6
    assert audit_count(demo_workspace, "joint_task", task_id) == audits + 1
    editor.undo_button.click()
    assert demo_workspace.get("joint_task", task_id)["geom"].equals_exact(stored, 1e-12)
    assert audit_count(demo_workspace, "joint_task", task_id) == audits + 2


def test_photos_added_refused_removed_and_undone(editor, demo_workspace, task_id, login_as):
    disp = login_as("zhihui")
    assert not editor.add_photo_bytes(b"not an image", "before", "x.jpg")
    assert "不是可识别的图片" in editor.message.text()
    assert tasks.task_photos(disp, task_id) == []
    assert editor.add_photo_bytes(_png(), "before", "before.png")
    photos = tasks.task_photos(disp, task_id)
    assert [(p["phase"], p["filename"]) for p in photos] == [("before", "before.png")]
    assert editor.photos.count() == 1 and editor.thumb.pixmap() is not None
    assert audit_count(demo_workspace, "joint_task_attachment") >= 1
    editor.undo_button.click()
    assert tasks.task_photos(disp, task_id) == []
    editor.redo_button.click()
    assert [p["filename"] for p in tasks.task_photos(disp, task_id)] == ["before.png"]
    editor.photos.setCurrentRow(0)
    assert editor.remove_selected_photo()
    assert tasks.task_photos(disp, task_id) == []
    editor.undo_button.click()
    assert [p["phase"] for p in tasks.task_photos(disp, task_id)] == ["before"]
