"""Reactivating a grid manager: fits, refuses an active one, saves, undoes."""

from __future__ import annotations

import pytest

from gridapp.qt.editors.manager_reactivate_dialog import ManagerReactivateDialog
from gridapp.services.people import managers
from tests.qt.editors.conftest import assert_fits_small_screen, audit_count


@pytest.fixture
def office(login_as):
    return login_as("wgb")


@pytest.fixture
def deactivated(office):
    mid = managers.list_managers(office)[0]["id"]
    managers.deactivate_manager(office, mid)
    return mid


def _dialog(qtbot, session):
    dialog = ManagerReactivateDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_fits_and_lists_only_deactivated(qtbot, office, deactivated):
    dialog = _dialog(qtbot, office)
    assert_fits_small_screen(dialog)
    assert [r["id"] for r in dialog.rows] == [deactivated]


def test_an_active_manager_is_refused_with_a_message(qtbot, office, demo_workspace):
    dialog = _dialog(qtbot, office)
    dialog.inactive_only.setChecked(False)
    row = dialog.current_row()
    assert row is not None and row["active"]
    audits = audit_count(demo_workspace, "manager", row["id"])
    dialog.save_button.click()
    assert "在职" in dialog.message.text()
    assert demo_workspace.get("manager", row["id"])["active"] == 1
    assert audit_count(demo_workspace, "manager", row["id"]) == audits
    assert dialog.undo_stack.count() == 0


def test_reactivated_audited_and_undone(qtbot, office, deactivated, demo_workspace):
    dialog = _dialog(qtbot, office)
    audits = audit_count(demo_workspace, "manager", deactivated)
    dialog.save_button.click()
    assert demo_workspace.get("manager", deactivated)["active"] == 1
    assert audit_count(demo_workspace, "manager", deactivated) == audits + 1
    assert dialog.rows == []  # no deactivated manager left
    dialog.undo_button.click()
    assert demo_workspace.get("manager", deactivated)["active"] == 0
    assert [r["id"] for r in dialog.rows] == [deactivated]
