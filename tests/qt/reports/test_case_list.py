"""CaseListWidget and its model: lazy fetching, filters, due-state colours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from gridapp.qt.reports.case_list_widget import CaseListWidget
from gridapp.qt.reports.case_table_model import ID_ROLE, CaseTableModel
from gridapp.qt.reports.common import DUE_SOON_COLOR, OVERDUE_COLOR
from gridapp.services.cases.query import CaseFilter, CaseQuery


@pytest.fixture
def case_list(qtbot, login_as):
    def make(user="admin", **kw):
        w = CaseListWidget(login_as(user), **kw)
        qtbot.addWidget(w)
        return w

    return make


def test_model_fetches_lazily(login_as):
    model = CaseTableModel(login_as("admin"), page_size=50)
    total = model.total()
    assert total == 3000
    assert model.rowCount() == 50  # only the first page
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 100
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == total
    ids = [model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())]
    assert len(set(ids)) == total  # keyset pages neither repeat nor skip


def test_view_fetches_more_when_scrolled(case_list, qtbot):
    w = case_list(page_size=40)
    w.resize(900, 400)
    w.show()
    qtbot.waitExposed(w)
    assert w.model.rowCount() == 40
    w.view.scrollToBottom()
    qtbot.waitUntil(lambda: w.model.rowCount() > 40)
    assert "3,000" in w.count_label.text()


def test_filters_status_grid_text_and_my_work(case_list, login_as, demo_workspace):
    w = case_list()
    w.status_combo.setCurrentIndex(w.status_combo.findData("in_progress"))
    n = demo_workspace.scalar(
        "SELECT count(*) FROM report WHERE status = 'in_progress'"
    )
    assert w.model.total() == n
    assert all(
        w.model.row_at(r).status == "in_progress" for r in range(w.model.rowCount())
    )
    w.status_combo.setCurrentIndex(0)
    gid = w.grid_combo.itemData(3)
    w.grid_combo.setCurrentIndex(3)
    assert w.model.total() == demo_workspace.scalar(
        "SELECT count(*) FROM report WHERE grid_id = ?", (gid,)
    )
    w.grid_combo.setCurrentIndex(0)
    case_no = demo_workspace.scalar("SELECT case_no FROM report ORDER BY id LIMIT 1")
    w.text_edit.setText(case_no)
    w.apply_filters()
    assert w.model.total() == 1 and w.model.row_at(0).case_no == case_no
    w.text_edit.clear()
    w.my_work_check.setChecked(True)  # the admin's work: register, dispatch, close
    assert {w.model.row_at(r).status for r in range(w.model.rowCount())} <= {
        "reported",
        "registered",
        "verified",
    }
    assert (
        w.model.total()
        == CaseQuery(
            login_as("admin"),
            CaseFilter(statuses=("reported", "registered", "verified")),
        ).count()
    )


def _colours(model):
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    out = {}
    for r in range(model.rowCount()):
        brush = model.data(model.index(r, 0), Qt.ItemDataRole.BackgroundRole)
        out.setdefault(model.row_at(r).due_state, set()).add(
            None if brush is None else brush.color().name()
        )
    return out


def test_overdue_rows_red_due_soon_amber(login_as, demo_workspace):
    from gridapp.domain.timeutil import from_iso

    first = from_iso(
        demo_workspace.scalar(
            "SELECT min(deadline) FROM report WHERE status IN "
            "('dispatched', 'in_progress', 'sent_back', 'handler_done')"
        )
    )
    session = login_as("admin")
    # just past the earliest open deadline: that case is overdue (red)
    late = CaseTableModel(
        session, CaseFilter(open_only=True), now=first + timedelta(minutes=1)
    )
    colours = _colours(late)
    assert colours["overdue"] == {OVERDUE_COLOR.name()}
    assert colours.get("ok", {None}) == {None}
    # an hour before it: due soon (amber)
    early = CaseTableModel(
        session, CaseFilter(open_only=True), now=first - timedelta(hours=1)
    )
    colours = _colours(early)
    assert colours["due_soon"] == {DUE_SOON_COLOR.name()}
    assert "overdue" not in colours
    overdue_only = CaseTableModel(session, CaseFilter(overdue=True), now=late.now)
    assert overdue_only.total() >= 1
    assert all(
        overdue_only.row_at(r).due_state == "overdue"
        for r in range(overdue_only.rowCount())
    )


def test_selection_and_activation_signals(case_list, qtbot):
    w = case_list()
    first_id = w.model.data(w.model.index(0, 0), ID_ROLE)
    with qtbot.waitSignal(w.case_selected) as sig:
        w.view.setCurrentIndex(w.model.index(0, 0))
    assert sig.args == [first_id]
    with qtbot.waitSignal(w.case_activated) as sig:
        w.view.activated.emit(w.model.index(0, 1))
    assert sig.args == [first_id]
