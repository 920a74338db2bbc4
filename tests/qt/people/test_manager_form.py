"""The manager form: add, edit, per-field validation, photo cropped to a square."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from gridapp.qt.people.manager_form import ManagerForm
from gridapp.services.people.managers import get_manager, manager_photo


def test_add_manager_with_photo(qtbot, login_as, chinese_ui, tmp_path):
    session = login_as("wgb")
    img = QImage(300, 200, QImage.Format.Format_RGB32)
    img.fill(QColor("#3366cc"))
    photo = tmp_path / "face.png"
    assert img.save(str(photo))
    form = ManagerForm(session)
    qtbot.addWidget(form)
    assert form.windowTitle() == "新增网格员"
    form.name_edit.setText("测试 员")
    form.phone_edit.setText("+86 139-0000-1111")
    form.staff_edit.setText("T900")
    form.employment.setCurrentIndex(1)
    form.notes_edit.setPlainText("夜班")
    assert form.photo.set_path(photo)
    assert form.photo.preview.pixmap().width() == form.photo.preview.pixmap().height()
    with qtbot.waitSignal(form.saved) as saved:
        form.accept()
    mid = saved.args[0]
    row = get_manager(session, mid)
    assert (
        row["name"],
        row["phone"],
        row["staff_no"],
        row["employment"],
        row["notes"],
    ) == ("测试 员", "13900001111", "T900", "part_time", "夜班")
    stored = QImage.fromData(manager_photo(session, mid))
    assert stored.width() == stored.height() == 200
    assert form.result() == form.DialogCode.Accepted


def test_edit_manager_changes_only_what_changed(qtbot, login_as):
    session = login_as("admin")
    mid = session.store.scalar("SELECT min(id) FROM manager WHERE active = 1")
    before = get_manager(session, mid)
    form = ManagerForm(session, mid)
    qtbot.addWidget(form)
    assert form.name_edit.text() == before["name"]
    form.phone_edit.setText("0851-85551234")
    assert form.save()
    after = get_manager(session, mid)
    assert after["phone"] == "0851-85551234"
    assert after["name"] == before["name"] and after["staff_no"] == before["staff_no"]
    changes = session.store.query(
        "SELECT changes FROM audit_log WHERE table_name = 'manager' AND row_id = ?"
        " ORDER BY id DESC LIMIT 1",
        (mid,),
    )[0][0]
    assert "phone" in changes and "name" not in changes


def test_validation_messages_per_field(qtbot, login_as, tmp_path):
    session = login_as("wgb")
    taken = session.store.scalar("SELECT staff_no FROM manager LIMIT 1")
    count = session.store.scalar("SELECT count(*) FROM manager")
    not_image = tmp_path / "notes.png"
    not_image.write_text("not a picture")
    form = ManagerForm(session)
    qtbot.addWidget(form)
    form.name_edit.setText("  ")
    form.phone_edit.setText("12345")
    form.staff_edit.setText(taken)
    assert not form.photo.set_path(not_image)
    form.accept()
    assert form.result() != form.DialogCode.Accepted
    assert "姓名" in form.error_of("name")
    assert "12345" in form.error_of("phone")
    assert taken in form.error_of("staff_no") and "已被" in form.error_of("staff_no")
    assert form.error_of("photo")
    assert session.store.scalar("SELECT count(*) FROM manager") == count
    # fixing the fields clears their messages
    form.name_edit.setText("王五")
    form.phone_edit.setText("13800001234")
    form.staff_edit.setText("T901")
    form.photo.path = None
    form.photo.error = ""
    assert form.save()
    assert not any(form.error_of(k) for k in ("name", "phone", "staff_no", "photo"))


def test_refused_role_sees_a_message_in_the_form(qtbot, login_as):
    session = login_as("lingdao")
    form = ManagerForm(session)
    qtbot.addWidget(form)
    form.name_edit.setText("王五")
    form.phone_edit.setText("13800001234")
    form.staff_edit.setText("T902")
    assert not form.save()
    assert "无权" in form.general_error.text()
