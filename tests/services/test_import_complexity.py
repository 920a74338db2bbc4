"""The report import runs without Python's cyclic collector (issue 22): each full
collection walks every live row again, so collections grew faster than rows.
Counts, not times."""

from __future__ import annotations

import gc
import threading

from gridapp.services.cases import report_import_rows
from gridapp.services.cases.report_import import (
    commit_report_import,
    prepare_report_import,
)
from gridapp.services.cases.report_import_rows import without_cyclic_gc
from tests.services.test_report_import_bulk import _write_csv
from tests.services.test_reports import make_street


def test_a_10000_row_import_runs_no_collection_and_leaves_the_collector_on(
        empty_workspace, tmp_path):
    street = make_street(empty_workspace)
    office = street.session("office")
    path = tmp_path / "r.csv"
    _write_csv(path, 10_000)
    seen, inside = [], [False]

    def on_gc(phase, info):
        if phase == "start" and inside[0]:
            seen.append(info["generation"])

    def counted(fn, *args):
        gc.collect()  # allocation counts start from zero: none due on entering
        inside[0] = True
        try:
            return fn(*args)
        finally:
            inside[0] = False

    assert gc.isenabled()
    gc.callbacks.append(on_gc)
    try:
        preview = counted(prepare_report_import, office, path)
        result = counted(commit_report_import, office, preview)
    finally:
        gc.callbacks.remove(on_gc)
    assert len(result.report_ids) == 10_000
    assert seen == []  # not one collection, of any generation, during the import
    assert gc.isenabled()


def test_paused_collector_is_restored_as_found_across_threads():
    entered, release = threading.Event(), threading.Event()
    states = []

    @without_cyclic_gc
    def slow():
        states.append(gc.isenabled())
        entered.set()
        release.wait(10)

    @without_cyclic_gc
    def quick():
        states.append(gc.isenabled())

    t = threading.Thread(target=slow)
    t.start()
    assert entered.wait(10)
    quick()  # starts and ends while slow() runs: the collector stays paused
    assert not gc.isenabled()
    release.set()
    t.join(10)
    assert states == [False, False]
    assert gc.isenabled()  # on again after the last one
    assert report_import_rows._GC_PAUSES[0] == 0
    gc.disable()
    try:
        quick()
        assert not gc.isenabled()  # was off before: left off
    finally:
        gc.enable()
