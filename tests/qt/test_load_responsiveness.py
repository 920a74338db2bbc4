"""The event loop while a district-sized workspace loads (issue 21).

A QTimer ticks every 10 ms from before the workspace is opened until the window
and its panels have finished loading (every worker thread done); the largest
gap between two ticks is the longest the window was frozen.  The issue asks for
no block longer than 100 ms.

The workspace is bench/common.py's smaller district, 500 grids and 100,000
reports (``district_workspace(500, 100_000)``, generated once into bench/out/,
about 4 minutes); the 5,000-grid, 1,000,000-report one takes far longer to
generate than a test may.  A private copy is opened, so the cached file is
never written to.

Measured here (2-core machine, offscreen): worst gap 2.0-3.6 s over four runs,
load and settle 12-24 s, before issue 22's reads by view.  Since then
(commits "Map reads by view" and "Opening a workspace ... on a worker"): the
workspace opens on a worker, and the 76,153 recent reports and 34,033
buildings are no longer read at open (per-grid counts from one GROUP BY; rows
by view when zoomed in).  Measured then, machine load 9-11: worst gap
4.4-7.1 s over two runs, loaded and settled in 40 s; the gaps over 100 ms are
no longer in reading layers but in what the window's panels do on the GUI
thread when the workspace is loaded (a sampler of the GUI thread's stack and
cProfile of ``_on_later_layers_loaded``, 7.3 s at load 10): the dock layout
restore (``features/polish._restore_role_layout``, QMainWindow.restoreState,
1.2-1.7 s), the basedata panel reading a grid's buildings
(``basedata/panel.load_grid``, 1.6-2.2 s), the cases feature building its
widgets and first page of cases (0.55-1.1 s), the assessment dashboard's
``_show`` (0.6-0.9 s), the grid editor's reload (0.3-0.4 s) and the attribute
table sizing its columns (``resizeColumnsToContents``, 0.3-0.5 s), plus
1-2.5 s with the GUI thread in C while worker threads (the dashboard's
indicators, the later layers) hold the GIL.

Since then (commit "Panels do nothing on the GUI thread while hidden..."):
the 居民与楼栋 dock reads on a worker and only once on screen, the case list
and detail are built when first on screen, the legend redraws only while
shown, the attribute table sizes its columns from 40 rows in one pass, and
the dashboard is put on screen in slices (another commit).  Side by side at
load 5-6 (the same tree without and with that commit, ``--runxfail``):
worst gap 3.3 s and 10.2 s before (a load spike to 22 in the second), 1.9 s
and 2.0 s after; three more runs after: 2.0, 1.8, 1.4 s (load 5.5-6.2),
loaded and settled in 12-18 s.  The gaps after workspaceLoaded are now
0.2-0.7 s.  What is left (a GUI-thread
stack sampler with native stacks, py-spy): the people dock's manager table
(``gridapp/qt/people``, hidden at load) sizing its header to the contents of
every manager through a QSortFilterProxyModel, one call into Python per cell,
1.0-3.4 s, reached from ``actions.update_enabled`` through the people
actions' enabled-when (``features/people.sync_session``); the login on the
GUI thread (``open_workspace`` -> ``authenticate``: the schema guard's first
inspection and the login's writes, 0.4-0.9 s); the first render of the
district map in ``MapCanvas.paintEvent`` (labels and polygons, 0.35-0.6 s).
After the docked tables sized their columns from 40 rows (commit "Docked
tables size their columns from 40 rows"), at load 4.5-5: worst gap 435 and
534 ms, loaded and settled in 9.9-10 s; a sampler of the GUI thread put the
gaps in the map's render in ``MapCanvas.paintEvent`` (0.25-0.5 s a frame)
and the login's slow password hash and writes (0.27 s).

Since then the map renders on a worker (``gridapp.qt.canvas_render``; the
district frame 56-216 ms there, the GUI thread's ticks 6-7 ms apart
meanwhile) and the login checks the password on one (commit "The map
renders on a worker ...").  Then the worst gaps were the cyclic garbage
collector's full collections (a stack sampler plus ``gc.callbacks``): four
per load, 153-449 ms each with the GIL held, walking ~120,000 long-lived
objects; opening a workspace now freezes them (``gc.freeze``, commit
"Opening a workspace freezes ...": collection 146-220 ms in all, none over
31 ms).  Three runs after both, load 8.5-9.5: worst gap 527, 723, 1001 ms,
loaded and settled in 9.4-14.5 s.  What is left is GUI-thread work of the
panels, stretched 3-6x by the machine's load (the GUI thread's own CPU in
the worst gap 158-168 ms of ~1 s wall, the process getting 0.3 s of CPU in
it): when the first layers arrive (``_on_layers_loaded``), the people
feature's ``sync_session`` refreshing the managers' list from
``actions.update_enabled`` (~116 ms CPU, ``manager_table_model.data``
8,900 calls), the attribute table's ``set_layer`` (~104 ms), the role
layout's ``restoreState`` (~76 ms) and the dashboard's slices.

Then the attribute table of the first layers moved to the next turn of the
event loop (the GUI thread's CPU in the worst gap 158-168 ms -> 110 ms) and
the per-grid report counts were read from the (grid_id, reported_at) index
alone (commit "District open: the recent reports per grid are counted in
the ... index alone").  Three runs at load 10-11: worst gap 328, 269,
205 ms, loaded and settled in 5.3, 3.4, 5.7 s.  The worst gap is the block
that puts the first layers on screen: the canvas's zoom to the workspace
emits viewChanged, whose ``actions.update_enabled`` reaches the people
feature's ``sync_session`` and refreshes the managers' list (model reset,
proxy sort and sizing through Python ``data()``, ~116 ms of CPU), stretched
by the machine's load.

Then the people docks stopped reading while hidden (commits "People docks
read nothing while hidden" and "People docks: 'on screen' means shown and
not behind another tab"): the managers' list and the assignment warnings
read their rows when their dock is first on screen, not from
``sync_session``.  (A tabified dock's widget stays ``isVisible()`` behind
another tab; the first attempt, checking only that, still read the list at
load: worst gaps 361, 503, 438 ms at load 7-8, a sampler in
``set_session -> refresh``.)  Six runs after, ``--runxfail -s``: 166
(layers), 73, 86 ms at load 5.0 -> 4.4; 92, 122 (panels after load), 108
(layers) ms at load 4.1 -> 3.6; 126, 108, 81 ms (all after load) at load
2.6; loaded and settled in 1.6-3.2 s, and two plain runs at load 2.7-3.0
met the limit (95 ms: XPASS).  What is
left, from a sampler of the GUI thread's Python stack (every 3 ms, the
samples inside the worst gaps): the panels' ``_on_workspace_loaded`` in
``_on_later_layers_loaded`` (68-96 ms in all: the outside-edits count
opening a reader connection on the GUI thread, the cases' ``update_counts``,
the task features' reference names, the grid editor's problem report
``set_rows``, the task board's refresh, the dashboard), and the attribute table's
``set_layer`` for the first layers (~60 ms: ``feature_table_model.show_value``
converting each time to Asia/Shanghai looks the zone file up again,
``zoneinfo.find_tzfile``).  The worst gap is now about the limit, met in
some runs and not in others, so the mark is an expected failure that is
not strict (a strict one would fail CI on every run that meets the limit);
remove it once the rest is off the GUI thread.

Then the attribute table converted times with the standard library (commit
5f57461), the outside-edits count moved to a worker, the joint-enforcement
docks read nothing while behind other tabs (names read once, when one is
shown) and the grid problems panel is no longer reset and sized when a load
clears an empty report.  Six runs after, ``--runxfail -s``, load 3.1-3.5:
78, 189, 99, 77, 126 ms (all "layers") and 95 ms ("panels after load");
loaded and settled in 2.6-4.0 s.  (The panels' ``workspaceLoaded`` slots
run before this test's, so their time counts as "layers".)  The same
sampler in three more runs (85, 90, 143 ms; and 100 ms in another) put the
worst gaps in ``open_workspace`` (``polish._restore_role_layout``, the
login's ``run_off_thread``, ``_load_layers``), in ``_on_layers_loaded``
(``attribute_table.set_layer`` -> ``feature_table_model.set_frame``,
``MapCanvas.set_workspace``: 103 ms) or in the event loop's C code with
few Python samples (the GIL with the workers); the panels'
``_on_later_layers_loaded`` is now 5-7 samples (10-20 ms) of gaps of 52-70
ms, the cases' ``_on_workspace_loaded`` (``set_report_style``,
``update_counts`` starting its worker) the largest part.  The limit is met
in some runs and not in others, so the mark stays not strict.

Then a sampler that also read the GUI thread's CPU and run-queue time
(``/proc/self/task/<tid>/schedstat``) showed what a gap is made of: of gaps
of 60-180 ms, 20-45 ms of GUI-thread CPU, 30-120 ms runnable but waiting
for a core (the machine's other processes and the load's own workers) and
10-40 ms waiting for the GIL.  The role layout is no longer restored when the
window shows it already (``restoreState`` cost ~33 ms of GUI CPU even for the
same state), the attribute table sizes its columns from its sample a column
at a time, and the first layers' table and the panels' ``workspaceLoaded``
each get a turn of their own (a 1 ms timer: a posted event runs before the
timers due, so chained blocks were one freeze); this test lets the window
finish its first-show events before it opens the file.  GUI-thread CPU over
the load, side by side with the tree before (three pairs, load 5.2-5.8):
405/469/375 ms vs 487/738/537 ms.  Worst gaps, six runs at load 3.4-4.2:
127, 103, 278, 178, 66, 116 ms; five alternating pairs at load 4.1-5.3,
after vs before: 262/197, 123/97, 117/198, 232/430, 103/101 ms: the run
queue decides at this load.  A 1 ms switch interval while a workspace was
open cut a synthetic turn of repaints beside a busy Python worker from
50-97 to 22 ms, but not these gaps (five alternating pairs at load 3.2-4.1:
223/197, 108/96, 101/153, 158/89, 81/117 ms, 1 ms first), so it was not
kept.  After the table answered a painted cell's roles in one call
(``multiData``, one call into Python a cell instead of seven), six runs at
load 3.2-3.8: 232, 183, 142, 81 ms (panels after load), 106, 84 ms
(layers).  What is left, from the sampler: the panels' ``workspaceLoaded``
turn (the today panel, the role view, the grid editor's report, the cases'
report style, the assessment feature's workers starting, 25-45 ms of GUI
CPU), the first table's sample read through pyarrow a column at a time
(each call gives the GIL back and waits for it again), the layer list's
swatches drawn on every paint, and one 113 ms stall with every Python
thread blocked while the opening worker was in ``storage/store.py:_write``
(the sampler thread itself got 5 samples).  The mark stays not strict.

Then the panels read a loaded workspace in ``when_loaded`` hooks, one turn of
the event loop each, with ``workspaceLoaded`` after the last (so the phase
"layers" now includes them), and the status bar's progress shows a worker's
latest step at most every 40 ms instead of repainting for each step.  Ten
runs in a row, each beside one busy process as pytest's other worker would
be, load 0.05-1.45 (21:32 UTC): 69, 81, 100, 87, 73, 96, 78, 119, 102, 98 ms
(all "layers"), loaded and settled in 2.2-3.0 s; at load 0 alone, 35-67 ms.
Three of ten over the limit: the mark stays not strict.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QThread, QTimer

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MS = 100.0


class GapMeter:
    """Largest interval between ticks of a 10 ms timer, with what was loading then."""

    def __init__(self, phase) -> None:  # type: ignore[no-untyped-def]
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.phase = phase
        self.gaps: list[tuple[float, str]] = []

    def start(self) -> None:
        self.clock.start()
        self.last = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.gaps.append((now - self.last, self.phase()))
        self.last = now

    def stop(self) -> None:
        self._tick()
        self.timer.stop()

    def worst(self) -> tuple[float, str]:
        return max(self.gaps)


@pytest.fixture(scope="module")
def district() -> Path:
    sys.path.insert(0, str(ROOT))
    from bench.common import district_workspace

    return district_workspace(500, 100_000)


@pytest.mark.slow
@pytest.mark.timeout(900)  # the first run generates the district (about 4 minutes)
@pytest.mark.xfail(strict=False, reason="the GUI thread is blocked 69-119 ms (one busy process beside it) "
                   "while a 500-grid/100k-report district loads, mostly runnable "
                   "but waiting for a core (the machine's load and the load's own "
                   "workers) or for the GIL, around the panels' workspaceLoaded "
                   "and the first layers (issue 21: limit 100 ms; met in some "
                   "runs, so not strict)")
def test_event_loop_never_blocks_long_while_a_district_loads(make_window, district, tmp_path, qtbot):
    path = tmp_path / "district.gpkg"
    shutil.copy(district, path)
    window = make_window()
    window.canvas.render_sync = False  # as the application draws: on a worker
    # The window's own first-show work (polish, layout and deferred-delete events
    # still queued from building it) is done before anyone can open a file.
    QCoreApplication.sendPostedEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    phase = ["opening"]
    window.workspaceLoaded.connect(lambda: phase.__setitem__(0, "panels after load"))
    meter = GapMeter(lambda: phase[0] if window.session is None or phase[0] != "opening"
                     else "layers")
    t0 = time.perf_counter()
    meter.start()
    QTimer.singleShot(0, lambda: window.open_workspace(path))
    with qtbot.waitSignal(window.workspaceLoaded, timeout=300_000):
        pass

    def settled() -> bool:
        return not any(t.isRunning() for t in window.findChildren(QThread))

    qtbot.waitUntil(settled, timeout=300_000)
    meter.stop()
    took = time.perf_counter() - t0
    worst, where = meter.worst()
    over = sorted((g for g in meter.gaps if g[0] > LIMIT_MS), reverse=True)
    print(f"\ndistrict 500 grids / 100k reports: loaded and settled in {took:.1f} s, "
          f"{len(meter.gaps)} ticks, worst gap {worst:.0f} ms ({where}); "
          f"gaps over {LIMIT_MS:.0f} ms: {[(round(g), w) for g, w in over[:10]]}",
          file=sys.stderr)
    assert worst < LIMIT_MS, (worst, where, over[:10])


def test_what_lives_before_the_open_is_left_out_of_the_collector(make_window, demo_copy, qtbot):
    """Full collections walked the window's ~120,000 long-lived objects with the
    GIL held, 0.15-0.45 s a time while a district loaded: opening freezes them
    (gc.freeze); closing gives them back to the collector and collects once."""
    import gc
    import weakref

    class Cycle:
        pass

    window = make_window()
    enabled = gc.isenabled()
    gc.disable()  # no collection between making the garbage and the open
    try:
        garbage = Cycle()
        garbage.me = garbage  # type: ignore[attr-defined]
        alive = weakref.ref(garbage)
        del garbage
        with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
            assert window.open_workspace(demo_copy)
    finally:
        if enabled:
            gc.enable()
    assert gc.get_freeze_count() > 10_000
    gc.collect()
    assert alive() is not None  # frozen: the collector does not look at it
    window.close_workspace()
    assert gc.get_freeze_count() == 0
    assert alive() is None  # collected when the workspace closed

