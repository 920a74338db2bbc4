"""The task board's table models stand on the shared rows model (issue 15's twins)."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt

from gridapp.qt.rows_model import FLAGGED, ROW_ROLE, RowsTableModel
from gridapp.qt.tasks.models import ProposalModel, TaskModel
from gridapp.qt.translator import LanguageSwitcher


def _task(**kw):
    base = dict(task_no="LH-2026-001", title="占道经营整治", state=SimpleNamespace(label="进行中"),
                deadline=None, overdue=False, n_checked_in=1, n_departments=3,
                flagged="", n_cases=4)
    return SimpleNamespace(**(base | kw))


def test_task_titles_follow_the_language_and_flagged_rows_are_red(qtbot):
    switcher = LanguageSwitcher()
    model = TaskModel()
    assert isinstance(model, RowsTableModel)
    model.set_rows([_task(), _task(task_no="LH-2026-002", overdue=True)])
    title = lambda c: model.headerData(c, Qt.Orientation.Horizontal)  # noqa: E731
    try:
        switcher.apply("zh")
        assert title(0) == "任务编号"
        assert title(4) == "已报到"
        switcher.apply("en")
        assert title(0) == "Task No."
    finally:
        switcher.apply("zh")
    assert model.data(model.index(0, 4)) == "1/3"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole) == FLAGGED
    assert model.data(model.index(1, 0), ROW_ROLE).task_no == "LH-2026-002"


def test_proposal_tooltip_lists_the_reasons(qtbot):
    model = ProposalModel(lambda: None)
    model.set_rows([SimpleNamespace(id=7, title="t", score=3.14, size=5,
                                    reasons=["重复出现", "跨部门"], department_ids=[])])
    assert model.data(model.index(0, 2)) == "3.1"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "重复出现\n跨部门"
