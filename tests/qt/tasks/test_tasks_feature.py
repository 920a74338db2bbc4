"""Clusters → proposals → a joint task walked through every state, in the window.

The buttons are clicked as the role that owns each step: the dispatcher
(zhihui) summons, records the action, finishes and evaluates; the 城管
liaison (chengguan) checks in for their department; one department never
checks in and ends up flagged.  Dialog input goes through the board's
``ask_*`` methods, replaced here.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt

from gridapp.domain.enums import TaskState
from gridapp.domain.tasks import CheckinStatus
from gridapp.domain.timeutil import today_local
from gridapp.qt.features.tasks import TasksFeature
from gridapp.qt.tasks.evaluation_dialog import EvaluationDialog
from gridapp.services.people.auth import login

DISPATCHER = ("zhihui", "Dispatch-demo-2026")
LIAISON = ("chengguan", "Liaison-demo-2026")
CHENGGUAN = 2  # 区城市管理局 in the demo street
SHOTS = os.environ.get("GRIDAPP_SHOTS")


def feature_of(window) -> TasksFeature:
    """The window's joint-enforcement feature with its clusters dock put on screen
    (its docks read the workspace only when one is shown, issue 21)."""
    window.actions["gridapp.task.clusters"].trigger()
    return next(f for f in window.features if isinstance(f, TasksFeature))


def find_clusters(qtbot, feature) -> object:
    panel = feature.clusters
    # The demo's reports lie in the 120 days before its as-of date (today by the clock).
    today = today_local()
    panel.start.setDate(QDate(today - timedelta(days=150)))
    panel.end.setDate(QDate(today))
    with qtbot.waitSignal(panel.clustersFound, timeout=60_000) as found:
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    return found.args[0]


def click(qtbot, board, key: str) -> None:
    button = board.buttons[key]
    assert button.isVisible() and button.isEnabled(), key
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_cluster_panel_lists_and_draws_clusters(make_window, demo_copy, qtbot):
    window = make_window(demo_copy, login=DISPATCHER)
    feature = feature_of(window)
    panel = feature.clusters
    assert panel.categories.count() >= 5  # top-level classes to choose from
    result = find_clusters(qtbot, feature)
    assert len(result.clusters) >= 8  # the demo generator plants 8 hot spots
    assert panel.model.rowCount() == len(result.clusters)
    assert not panel.bar.isVisible() and panel.run_button.isEnabled()
    ws = window.canvas.workspace
    assert len(ws.data["cluster"].layer) == len(result.clusters)
    panel.select_cluster(0)
    assert window.canvas.selection["cluster"].tolist() == [0]
    assert len(window.canvas.selection["report"]) > 0
    hull = result.clusters[0].hull
    assert panel.model.data(panel.model.index(0, 0)) == str(result.clusters[0].size)
    assert hull.area > 0


def test_cancel_and_bad_parameters(make_window, demo_copy, qtbot):
    window = make_window(demo_copy, login=DISPATCHER)
    panel = feature_of(window).clusters
    worker = panel.run()
    panel.cancel()
    assert panel.result is None and panel.run_button.isEnabled()
    worker.wait(30_000)
    # a period with no reports: a clear message, no clusters
    panel.start.setDate(QDate(2020, 1, 1))
    panel.end.setDate(QDate(2020, 1, 31))
    with qtbot.waitSignal(panel.failed, timeout=30_000) as failed:
        panel.run()
    assert failed.args[0] and panel.model.rowCount() == 0


def test_proposals_to_evaluated_task_by_clicking(make_window, demo_copy, qtbot, tmp_path,
                                                  monkeypatch):
    window = make_window(demo_copy, login=DISPATCHER)
    feature = feature_of(window)
    find_clusters(qtbot, feature)
    qtbot.mouseClick(feature.clusters.save_button, Qt.MouseButton.LeftButton)
    plist = feature.proposals
    assert plist.model.rowCount() >= 3
    scores = [p.score for p in plist.model.rows]
    assert scores == sorted(scores, reverse=True)

    # dismiss the last one with a reason; merge and split stay possible
    n = plist.model.rowCount()
    plist.select_rows([n - 1])
    monkeypatch.setattr(plist, "ask_reason", lambda: "已由社区自行处理")
    qtbot.mouseClick(plist.buttons["dismiss"], Qt.MouseButton.LeftButton)
    assert plist.model.rowCount() == n - 1

    # accept the best one as a task, summoning 城管 among others
    plist.select_rows([0])
    qtbot.mouseClick(plist.buttons["accept"], Qt.MouseButton.LeftButton)
    form = plist.form
    assert form is not None and form.cases.count() == plist.model.rows[0].size
    form.title.setText("夜市占道联合整治")
    deps = sorted(set(form.department_ids()) | {CHENGGUAN})
    form.set_departments(deps)
    with qtbot.waitSignal(plist.taskCreated, timeout=10_000) as created:
        form.accept()
    task_id = created.args[0]
    board = feature.board
    assert board.task is not None and board.task.id == task_id
    assert board.task.state is TaskState.PROPOSED
    assert len(window.canvas.workspace.data["task"].layer) == 1  # the footprint is drawn
    assert not board.buttons["check_in"].isVisible()

    click(qtbot, board, "summon")
    assert board.task.state is TaskState.SUMMONED
    lead = board.task.departments[0]
    never = [d for d in board.task.departments
             if d.department_id not in (lead.department_id, CHENGGUAN)]
    assert never, "a department that never checks in"

    # the dispatcher checks the lead unit in
    monkeypatch.setattr(board, "ask_choice", lambda t, label, items: items.index(lead.name))
    click(qtbot, board, "check_in")
    # the 城管 liaison checks in for their own department
    window.session = login(window.session.store, *LIAISON)
    board.refresh()
    assert not board.buttons["summon"].isVisible()
    assert not board.buttons["record_action"].isVisible()
    click(qtbot, board, "check_in")
    mine = next(d for d in board.task.departments if d.department_id == CHENGGUAN)
    assert mine.checkin_at is not None and mine.checkin_status in (CheckinStatus.ON_TIME,
                                                                   CheckinStatus.LATE)
    monkeypatch.setattr(board, "ask_text", lambda *a, **k: "清理占道摊点 12 处")
    click(qtbot, board, "department_action")
    assert next(d for d in board.task.departments
                if d.department_id == CHENGGUAN).action == "清理占道摊点 12 处"

    # back to the dispatcher: joint action, finish, evaluate
    window.session = login(window.session.store, *DISPATCHER)
    board.refresh()
    monkeypatch.setattr(board, "ask_action",
                        lambda: ("联合清理夜市占道经营", {"stalls_removed": 12, "fines_yuan": 500}))
    click(qtbot, board, "record_action")
    assert board.task.state is TaskState.IN_ACTION
    assert board.task.results == {"stalls_removed": 12, "fines_yuan": 500}
    click(qtbot, board, "finish")
    assert board.task.state is TaskState.DONE
    absent = {d.department_id for d in board.task.flagged_departments}
    assert absent == {d.department_id for d in never}
    assert all(board.departments.flagged(d) for d in board.task.flagged_departments)
    monkeypatch.setattr(board, "ask_evaluation", lambda task: EvaluationDialog(task).values())
    click(qtbot, board, "evaluate")
    assert board.task.state is TaskState.EVALUATED
    evaluated = {d.department_id: d.effective for d in board.task.departments}
    assert all(evaluated[d.department_id] is False for d in never)
    assert evaluated[CHENGGUAN] is True
    assert not any(board.buttons[a.value].isVisible() for a in board.allowed())

    # print the task order from the board
    out = tmp_path / "order.pdf"
    monkeypatch.setattr(board, "ask_save_path", lambda default: str(out))
    with qtbot.waitSignal(board.printed, timeout=30_000):
        click(qtbot, board, "print_order")
    assert out.read_bytes().startswith(b"%PDF")


def test_escalate_a_task_with_absent_departments(make_window, demo_copy, qtbot, tmp_path,
                                                 monkeypatch):
    window = make_window(demo_copy, login=DISPATCHER)
    feature = feature_of(window)
    find_clusters(qtbot, feature)
    feature.clusters.save_proposals()
    plist = feature.proposals
    plist.select_rows([0])
    plist.accept_selected()
    with qtbot.waitSignal(plist.taskCreated, timeout=10_000):
        plist.form.accept()
    board = feature.board
    click(qtbot, board, "summon")
    monkeypatch.setattr(board, "ask_text", lambda *a, **k: "部门未按时报到")
    click(qtbot, board, "escalate")
    assert board.task.state is TaskState.ESCALATED
    out = tmp_path / "db.pdf"
    monkeypatch.setattr(board, "ask_save_path", lambda default: str(out))
    click(qtbot, board, "print_escalation")
    assert out.stat().st_size > 5_000


def test_screenshot(make_window, demo_copy, qtbot, tmp_path):
    """The window with the cluster panel and a summoned task renders (kept when
    GRIDAPP_SHOTS names a folder, for looking at it)."""
    window = make_window(demo_copy, login=DISPATCHER)
    window.resize(1600, 1000)
    feature = feature_of(window)
    find_clusters(qtbot, feature)
    feature.clusters.save_proposals()
    plist = feature.proposals
    plist.select_rows([0])
    plist.accept_selected()
    with qtbot.waitSignal(plist.taskCreated, timeout=10_000):
        plist.form.accept()
    feature.board.summon()
    feature._show("clusters")
    feature.clusters.select_cluster(0)
    window.canvas.render_now()
    image = window.grab().toImage()
    assert image.width() >= 1600 and not image.isNull()
    # the selected cluster's hull is drawn on the map: some pixels differ from the
    # plain map background
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
               for y in range(0, image.height(), 37)}
    assert len(colours) > 20
    image.save(str(Path(SHOTS or tmp_path) / "tasks_window.png"))


def test_chinese_and_english_texts(make_window, demo_copy):
    window = make_window(demo_copy, login=DISPATCHER)
    feature = feature_of(window)
    assert feature.menu.title() == "联合执法(&J)"
    assert feature.board.buttons["summon"].text() == "吹哨"
    assert feature.clusters.run_button.text() == "查找聚类"
    assert window.actions["gridapp.task.board"].text() == "任务看板(&B)"
    assert feature.board.model.headerData(0, Qt.Orientation.Horizontal) == "任务编号"
    from gridapp.qt.layer_tree_model import layer_title

    assert layer_title("cluster") == "聚类范围"
    window.set_language("en")
    assert feature.menu.title() == "&Joint enforcement"
    assert feature.board.buttons["summon"].text() == "Summon (吹哨)"
    assert feature.docks["board"].windowTitle() == "Task board"


def test_hidden_docks_read_nothing_at_load_and_catch_up_when_shown(make_window, demo_copy,
                                                                   qtbot, monkeypatch):
    """Issue 21: the names, proposals and board are read when a dock is shown, once."""
    from gridapp.qt.tasks import lookup
    from gridapp.services.joint import proposals, tasks

    calls: list[str] = []
    names, board, listed = lookup.reference_names, tasks.task_board, proposals.list_proposals
    monkeypatch.setattr(lookup, "reference_names",
                        lambda s: calls.append("names") or names(s))
    monkeypatch.setattr(tasks, "task_board",
                        lambda *a, **k: calls.append("board") or board(*a, **k))
    monkeypatch.setattr(proposals, "list_proposals",
                        lambda *a, **k: calls.append("proposals") or listed(*a, **k))
    window = make_window()
    feature = next(f for f in window.features if isinstance(f, TasksFeature))
    with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
        assert window.open_workspace(demo_copy)
    # the role layout puts the docks behind other tabs: shown, but not on screen
    assert all(d.visibleRegion().isEmpty() for d in feature.docks.values())
    assert calls == [] and feature.clusters.categories.count() == 0
    window.actions["gridapp.task.board"].trigger()
    assert sorted(calls) == ["board", "names", "proposals"]
    assert feature.clusters.categories.count() >= 5
    window.actions["gridapp.task.clusters"].trigger()
    assert sorted(calls) == ["board", "names", "proposals"]  # read once per load
