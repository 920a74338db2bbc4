"""Users dialog, password change, import preview, hand-over, warnings."""

from __future__ import annotations

from gridapp.domain.enums import Role
from gridapp.qt.people.change_password_dialog import ChangePasswordDialog
from gridapp.qt.people.manager_import_dialog import ManagerImportDialog
from gridapp.qt.people.reassign_dialog import ReassignDialog
from gridapp.qt.people.user_form import UserForm
from gridapp.qt.people.users_dialog import UsersDialog
from gridapp.qt.people.warnings_panel import AssignmentWarningsPanel
from gridapp.services.people.auth import login


def test_users_dialog_add_disable_enable_reset_unlock(qtbot, login_as, demo_workspace):
    admin = login_as("admin")
    dlg = UsersDialog(admin)
    qtbot.addWidget(dlg)
    names = [u.username for u in dlg.model.rows]
    assert {"admin", "wgb", "wgy01", "lingdao"} <= set(names)

    form = UserForm(admin, dlg)
    form.username.setText("liaison2")
    form.set_role(Role.LIAISON)
    assert not form.form.isRowVisible(form.manager) and form.form.isRowVisible(
        form.department
    )
    form.password.setText("Liaison-new-2026")
    form.repeat.setText("Liaison-new-2026x")
    assert not form.create() and form.error.text()
    form.repeat.setText("Liaison-new-2026")
    assert form.create()
    dlg.refresh()
    assert dlg.select_user("liaison2")
    assert (
        login(demo_workspace, "liaison2", "Liaison-new-2026").user.role is Role.LIAISON
    )

    assert dlg._act(__import__("gridapp.services.people.users", fromlist=["x"]).disable_user)
    assert not dlg.current_user().active and dlg.enable_button.isEnabled()
    dlg.enable_button.click()
    assert dlg.current_user().active
    assert dlg.reset_password("Reset-pass-2026")
    assert login(demo_workspace, "liaison2", "Reset-pass-2026")

    # lock wgb by failed logins, then unlock
    for _ in range(6):
        try:
            login(demo_workspace, "wgb", "nope")
        except Exception:  # noqa: BLE001
            pass
    dlg.refresh()
    assert dlg.select_user("wgb") and dlg.unlock_button.isEnabled()
    dlg.unlock_button.click()
    assert not dlg.unlock_button.isEnabled()
    assert login(demo_workspace, "wgb", "Office-demo-2026")

    # the admin cannot disable themself: a message, nothing changes
    dlg.select_user("admin")
    dlg.disable_button.click()
    assert "自己" in dlg.message.text()


def test_change_password(qtbot, login_as, demo_workspace):
    session = login_as("wgy01")
    dlg = ChangePasswordDialog(session)
    qtbot.addWidget(dlg)
    dlg.old.setText("wrong")
    dlg.new.setText("Manager-new-2026")
    dlg.repeat.setText("Manager-new-2026")
    assert not dlg.change() and "当前密码" in dlg.error.text()
    dlg.old.setText("Manager-demo-2026")
    assert dlg.change()
    assert login(demo_workspace, "wgy01", "Manager-new-2026")


def test_import_preview_rejects_then_imports(qtbot, login_as, tmp_path):
    session = login_as("wgb")
    taken = session.store.scalar("SELECT staff_no FROM manager LIMIT 1")
    count = session.store.scalar("SELECT count(*) FROM manager")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"姓名,电话,工号\n张一,13800000001,N001\n李二,123,N002\n王三,13800000003,{taken}\n",
        encoding="utf-8",
    )
    dlg = ManagerImportDialog(session)
    qtbot.addWidget(dlg)
    assert not dlg.load(bad)
    assert not dlg.import_button.isEnabled()
    assert dlg.table.rowCount() == 3
    assert "123" in dlg.table.item(1, 6).text()
    assert taken in dlg.table.item(2, 6).text()
    dlg.accept()
    assert session.store.scalar("SELECT count(*) FROM manager") == count
    good = tmp_path / "good.csv"
    good.write_text(
        "姓名,手机号,工号,用工性质\n张一,13800000001,N001,兼职\n李二,13800000002,N002,\n",
        encoding="utf-8",
    )
    assert dlg.load(good) and dlg.import_button.isEnabled()
    dlg.accept()
    assert dlg.imported == 2
    assert session.store.scalar("SELECT count(*) FROM manager") == count + 2


def test_hand_over_all_grids_and_warnings(qtbot, login_as):
    from gridapp.services.people.assignments import current_assignments

    session = login_as("wgb")
    leaving = session.store.scalar(
        "SELECT manager_id FROM grid_assignment WHERE valid_to IS NULL GROUP BY manager_id"
        " ORDER BY count(*) DESC LIMIT 1"
    )
    grids = {a.grid_id for a in current_assignments(session, manager_id=leaving)}
    panel = AssignmentWarningsPanel()
    qtbot.addWidget(panel)
    panel.set_session(session)
    dlg = ReassignDialog(session, leaving)
    qtbot.addWidget(dlg)
    assert str(len(grids)) in dlg.info.text()
    to = dlg.target.itemData(0)
    dlg.deactivate.setChecked(True)
    assert dlg.reassign()
    assert not current_assignments(session, manager_id=leaving)
    assert grids <= {a.grid_id for a in current_assignments(session, manager_id=to)}
    assert (
        session.store.scalar("SELECT active FROM manager WHERE id = ?", (leaving,)) == 0
    )
    panel.refresh()
    assert not [w for w in panel.model.rows if w.manager_id == leaving]
    assert panel.summary.text() == f"{len(panel.model.rows)} assignment problems"
