"""The manager dock and the manager form in Chinese, grabbed as PNG (looked at by eye)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QColor, QImage, QPainter

from .conftest import people_feature


def _face(path: Path) -> None:
    img = QImage(320, 240, QImage.Format.Format_RGB32)
    img.fill(QColor("#dfe8f5"))
    p = QPainter(img)
    p.setBrush(QColor("#f1c27d"))
    p.drawEllipse(110, 40, 100, 120)
    p.setBrush(QColor("#2f4f8f"))
    p.drawRect(80, 170, 160, 70)
    p.end()
    img.save(str(path))


def test_manager_dock_and_form_in_chinese(make_window, demo_copy, qtbot, tmp_path):
    out = Path(os.environ.get("GRIDAPP_SHOTS", tmp_path))
    window = make_window(demo_copy, login=("wgb", "Office-demo-2026"))
    f = people_feature(window)
    f.show_managers()
    f.apply_manager_colours()
    window.resize(1400, 880)
    qtbot.wait(50)
    window.canvas.render_now()
    assert window.grab().save(str(out / "people_window.png"))
    assert f.manager_dock.windowTitle() == "网格员"
    assert (
        f.manager_list.model.headerData(
            0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal
        )
        == "姓名"
    )

    from gridapp.qt.people.manager_form import ManagerForm

    form = ManagerForm(window.session, f.manager_list.model.rows[0]["id"], window)
    qtbot.addWidget(form)
    photo = tmp_path / "face.png"
    _face(photo)
    form.photo.set_path(photo)
    form.phone_edit.setText("1380000")
    form.validate()
    form.show()
    qtbot.waitExposed(form)
    assert form.grab().save(str(out / "people_manager_form.png"))
    assert form.windowTitle() == "编辑网格员"
    form.close()
