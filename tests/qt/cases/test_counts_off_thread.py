"""The overdue / due-soon badge is counted on a worker, never on the GUI thread
(issue 21: over a district's million cases a count blocked the window)."""

from __future__ import annotations

import threading

from gridapp.services.cases.query import CaseFilter, CaseQuery
from tests.qt.cases.conftest import cases_of


def test_counts_run_on_a_worker_and_match_the_service(window_as, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    w = window_as("zhihui")
    f = cases_of(w)
    f.wait_counts()
    threads: list[bool] = []
    real_count = CaseQuery.count

    def spy(self):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real_count(self)

    monkeypatch.setattr(CaseQuery, "count", spy)
    f.update_counts()
    f.wait_counts()
    assert threads and not any(threads), "every count ran off the GUI thread"
    monkeypatch.undo()
    expected = (CaseQuery(w.session, CaseFilter(overdue=True)).count(),
                CaseQuery(w.session, CaseFilter(due_soon=True, overdue=False,
                                                open_only=True)).count())
    assert f.counts == expected
    assert f.due_label.isVisible() and f"已超期 {expected[0]}" in f.due_label.text()
