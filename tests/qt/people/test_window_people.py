"""The people feature in the main window: roles, assignment by selection and by drop."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from gridapp.qt.people.common import MANAGER_MIME

from .conftest import PASSWORDS, people_feature

EDIT_ACTIONS = (
    "gridapp.people.add_manager",
    "gridapp.people.import_managers",
    "gridapp.people.assign_selected",
    "gridapp.people.reassign",
)


@pytest.fixture
def open_as(qtbot, settings, demo_copy):
    """Open the demo copy through the real login dialog as *user*."""
    from gridapp.qt.login_dialog import LoginDialog
    from gridapp.qt.main_window import MainWindow
    from gridapp.qt.translator import LanguageSwitcher

    from ..conftest import assert_quiet

    windows = []

    def login_through_dialog(user):  # type: ignore[no-untyped-def]
        def authenticate(store):  # type: ignore[no-untyped-def]
            dialog = LoginDialog(store, None, show_demo_users=True)
            dialog.username.setText(user)
            dialog.password.setText("wrong")
            assert not dialog.try_login()
            assert "登录失败" in dialog.error.text()
            dialog.password.setText(PASSWORDS[user])
            assert dialog.try_login()
            dialog.deleteLater()
            return dialog.session

        return authenticate

    def make(user: str):  # type: ignore[no-untyped-def]
        switcher = LanguageSwitcher()
        switcher.apply("zh")
        window = MainWindow(settings, switcher, login_through_dialog(user))
        windows.append((window, switcher))
        window.resize(1300, 850)
        window.show()
        qtbot.waitExposed(window)
        with qtbot.waitSignal(window.workspaceLoaded, timeout=60_000):
            assert window.open_workspace(demo_copy)
        return window

    yield make
    for window, switcher in windows:
        window.close()
        assert window.session is None
        assert_quiet(window)
        window.deleteLater()
        switcher.apply("zh")
    qtbot.wait(10)


def visible(window, action_id):  # type: ignore[no-untyped-def]
    a = window.actions[action_id]
    return a.isVisible() and a.isEnabled()


def test_roles_see_only_their_actions(open_as):
    admin = open_as("admin")
    assert admin.session.user.username == "admin"
    assert all(admin.actions[a].isVisible() for a in EDIT_ACTIONS)
    assert visible(admin, "gridapp.people.users") and visible(
        admin, "gridapp.people.audit"
    )
    f = people_feature(admin)
    assert f.manager_list.add_button.isVisibleTo(f.manager_list)
    f.show_managers()  # the list reads its managers once on screen
    assert f.manager_list.model.rowCount() > 0
    assert f.menu.title() == "人员(&P)"
    admin.close()

    for user, audit in (("wgy01", False), ("lingdao", True)):
        w = open_as(user)
        for a in (*EDIT_ACTIONS, "gridapp.people.users"):
            assert not w.actions[a].isVisible(), (user, a)
        assert visible(w, "gridapp.people.managers")
        assert visible(w, "gridapp.people.change_password")
        assert visible(w, "gridapp.people.audit") is audit
        ml = people_feature(w).manager_list
        assert not ml.add_button.isVisibleTo(ml) and not ml.assign_button.isVisibleTo(
            ml
        )
        assert not ml.model.draggable
        w.close()


def test_permission_refusal_is_a_message(open_as, qtbot):
    w = open_as("lingdao")
    f = people_feature(w)
    f.add_manager()  # hidden from a leader; a script calling it is refused
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "无权" in boxes[-1].text()
    boxes[-1].close()


def _grid_rows(window, n):  # type: ignore[no-untyped-def]
    data = window.canvas.workspace.data["grid"]
    return list(range(n)), [int(g) for g in np.asarray(data.ids)[:n]]


def test_assign_selected_grids(open_as, qtbot):
    from gridapp.services.people.assignments import current_assignments

    w = open_as("wgb")
    f = people_feature(w)
    rows, gids = _grid_rows(w, 2)
    w.canvas.set_selection("grid", rows)  # as the select tool or the table would
    w.actions.update_enabled()
    assert visible(w, "gridapp.people.assign_selected")
    f.show_managers()  # the list reads its managers once on screen
    mid = f.manager_list.model.rows[-1]["id"]
    dialog = f.assign_selected(mid)
    assert dialog is not None and "2" in dialog.grids_label.text()
    dialog.accept()
    now = current_assignments(w.session, grid_ids=gids)
    assert {
        (a.grid_id, a.manager_id, a.role.value)
        for a in now
        if a.role.value == "primary"
    } == {(g, mid, "primary") for g in gids}
    row = f.manager_list.model.rows[f.manager_list.model.row_of(mid)]
    assert row["grids"] >= 2
    history = f.show_history(mid)
    assert {a.grid_id for a in history.rows if a.valid_to is None} >= set(gids)
    assert "网格" in history.model.headerData(0, Qt.Orientation.Horizontal)
    history.close()


def test_assign_selected_from_table_rows(open_as, qtbot):
    """Rows selected in the attribute table select the grids on the map."""
    w = open_as("admin")
    f = people_feature(w)
    w.layer_panel.set_current_layer("grid")
    w.table.select_rows(np.array([3, 4]))
    w._on_table_selection("grid", np.array([3, 4]))
    data = w.canvas.workspace.data["grid"]
    assert f.selected_grid_ids() == [int(data.ids[3]), int(data.ids[4])]


def _drop_at(canvas, mime, px, py):  # type: ignore[no-untyped-def]
    enter = QDragEnterEvent(
        QPoint(int(px), int(py)),
        Qt.DropAction.LinkAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, enter)
    drop = QDropEvent(
        QPointF(px, py),
        Qt.DropAction.LinkAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, drop)
    return enter, drop


def test_drag_manager_onto_grid(open_as, qtbot):
    from gridapp.services.people.assignments import primary_manager_by_grid

    w = open_as("wgb")
    f = people_feature(w)
    canvas = w.canvas
    data = canvas.workspace.data["grid"]
    # the drag starts from the manager list's model, as a real drag would
    ml = f.manager_list
    f.show_managers()  # the list reads its managers once on screen
    mid = ml.model.rows[0]["id"]
    row = 5
    gid = int(data.ids[row])
    assert primary_manager_by_grid(w.session).get(gid) != mid
    mime = ml.model.mimeData([ml.model.index(ml.model.row_of(mid), 0)])
    assert mime.hasFormat(MANAGER_MIME)
    p = data.geoms[row].representative_point()
    px, py = canvas.viewport.map_to_device(p.x, p.y)
    f.apply_manager_colours()
    enter, drop = _drop_at(canvas, mime, float(px), float(py))
    assert enter.isAccepted() and drop.isAccepted()
    assert primary_manager_by_grid(w.session)[gid] == mid
    assert (
        w.session.store.scalar(
            "SELECT count(*) FROM grid_assignment WHERE grid_id = ? AND manager_id = ?"
            " AND role = 'primary' AND valid_to IS NULL",
            (gid, mid),
        )
        == 1
    )
    # the map style follows: the grid now has the manager's legend label
    layer = canvas.workspace.stack["grid"]
    assert layer.symbols[layer.classes[row]].label == ml.model.rows[0]["name"]
    # a drop outside every grid does nothing; foreign drags are left alone
    other = QMimeData()
    other.setData("text/uri-list", QByteArray(b"file:///tmp/x.jpg"))
    assert not f.drop_filter.eventFilter(
        canvas,
        QDropEvent(
            QPointF(px, py),
            Qt.DropAction.CopyAction,
            other,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    f.restore_grid_style()


def test_leader_drop_is_refused(open_as):
    w = open_as("lingdao")
    canvas = w.canvas
    data = canvas.workspace.data["grid"]
    mime = QMimeData()
    mime.setData(MANAGER_MIME, QByteArray(b"1"))
    p = data.geoms[0].representative_point()
    px, py = canvas.viewport.map_to_device(p.x, p.y)
    before = w.session.store.scalar("SELECT count(*) FROM grid_assignment")
    enter, drop = _drop_at(canvas, mime, float(px), float(py))
    assert not enter.isAccepted() and not drop.isAccepted()
    assert w.session.store.scalar("SELECT count(*) FROM grid_assignment") == before


def test_language_switch_retitles_people(open_as):
    w = open_as("admin")
    f = people_feature(w)
    assert w.actions["gridapp.people.users"].text() == "用户管理(&U)…"
    w.set_language("en")
    assert f.menu.title() == "&People"
    assert f.manager_dock.windowTitle() == "Grid managers"
    assert w.actions["gridapp.people.users"].text() == "&Users…"
    assert f.manager_list.model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    w.set_language("zh")
    assert f.manager_dock.windowTitle() == "网格员"


def test_hidden_docks_read_nothing_until_shown(open_as, demo_copy, qtbot, monkeypatch):
    """Issue 21: the enabled-when checks run on every change of the map's view;
    with the managers' and warnings' docks behind another tab they read
    nothing, and each dock reads its rows when its tab is first raised."""
    from PySide6.QtWidgets import QDockWidget, QLabel

    import gridapp.qt.people.warnings_panel as warnings_module
    from gridapp.services.people import managers as manager_service

    w = open_as("wgb")
    f = people_feature(w)
    front = QDockWidget("front", w)
    front.setObjectName("test_front")
    front.setWidget(QLabel("in front", front))
    area = Qt.DockWidgetArea.RightDockWidgetArea
    w.addDockWidget(area, front)
    for dock in (f.manager_dock, f.warnings_dock):
        w.addDockWidget(area, dock)
        w.tabifyDockWidget(front, dock)
    QApplication.processEvents()  # the tab bar is made; then choose the front tab
    front.raise_()
    qtbot.waitUntil(lambda: not f.manager_list.on_screen() and not f.warnings.on_screen())
    w.close_workspace()
    calls = {"managers": 0, "warnings": 0}
    list_managers, warnings = manager_service.list_managers, warnings_module.assignment_warnings

    def counting_list(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["managers"] += 1
        return list_managers(*args, **kwargs)

    def counting_warnings(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["warnings"] += 1
        return warnings(*args, **kwargs)

    monkeypatch.setattr(manager_service, "list_managers", counting_list)
    monkeypatch.setattr(warnings_module, "assignment_warnings", counting_warnings)
    with qtbot.waitSignal(w.workspaceLoaded, timeout=60_000):
        assert w.open_workspace(demo_copy)
    for _ in range(3):  # as each zoom or pan of the map does
        w.actions.update_enabled()
    assert calls == {"managers": 0, "warnings": 0}
    assert f.manager_list.model.rowCount() == 0
    assert visible(w, "gridapp.people.managers")

    f.show_managers()
    assert calls["managers"] == 1
    expected = {m["id"] for m in list_managers(w.session, include_inactive=True)}
    assert expected and {r["id"] for r in f.manager_list.model.rows} == expected
    w.actions.update_enabled()
    assert calls["managers"] == 1  # the same session: not read again

    f.warnings_dock.raise_()  # its tab chosen
    qtbot.waitUntil(lambda: calls["warnings"] == 1, timeout=5_000)
    assert len(f.warnings.model.rows) == len(warnings(w.session))
