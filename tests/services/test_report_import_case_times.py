"""Issue 22 / schema 24: imported reports and the case times the workflow keeps.

``report.responded_at``, ``dispatched_by`` and ``finished_at`` are kept by the
workflow as a case moves past 'reported'; bulk writers that insert later
states must fill them (``report_bulk.fill_kept_case_times``).  The report
import writes every row as a new report ('reported', one 'report' event),
whatever status or handling columns the file carries, so it has none to fill:
these tests hold it to that, and to kept times that agree with the events.
"""

from __future__ import annotations

from gridapp.services.cases.report_import import (
    commit_report_import,
    guess_mapping,
    prepare_report_import,
)
from gridapp.storage.queries import report_bulk
from tests.services.test_report_import_bulk import street  # noqa: F401 - fixture
from tests.services.test_reports import DX, DY, X0, Y0

# A hotline export with the case's later history: status, handler, closing time.
HEADER = "编号,经度,纬度,事件类型,问题描述,上报时间,状态,处置人,立案时间,结案时间\n"
KEPT = ("responded_at", "dispatched_by", "finished_at")


def _file(path, n):
    lines = [HEADER]
    for i in range(n):
        x = X0 + (0.1 + 0.8 * i / n) * 2 * DX
        y = Y0 + (0.2 + 0.6 * (i % 7) / 7) * 2 * DY
        lines.append(f"H{i:04d},{x:.7f},{y:.7f},占道经营,第{i}条,2026-03-02 09:{i % 60:02d},"
                     f"已结案,张三,2026-03-02 10:00,2026-03-03 17:00\n")
    path.write_text("".join(lines), encoding="utf-8")


def _kept(store, ids):
    return {r["id"]: (r["status"], *(r[k] for k in KEPT)) for r in store.query(
        f"SELECT id, status, {', '.join(KEPT)} FROM report WHERE id BETWEEN ? AND ?",
        (min(ids), max(ids)))}


def test_status_columns_of_a_file_are_not_imported(street, tmp_path):  # noqa: F811
    path = tmp_path / "hotline.csv"
    _file(path, 50)
    office = street.session("office")
    preview = prepare_report_import(office, path)
    # No report field takes the status or handling columns.
    assert preview.mapping == guess_mapping(HEADER.strip().split(","))
    assert not {"状态", "处置人", "立案时间", "结案时间"} & set(preview.mapping.values())
    ids = commit_report_import(office, preview).report_ids
    assert len(ids) == 50
    rows = _kept(street.store, ids)
    assert {v[0] for v in rows.values()} == {"reported"}
    events = street.store.query(
        "SELECT report_id, action, to_status FROM case_event WHERE report_id BETWEEN ? AND ?",
        (min(ids), max(ids)))
    assert sorted((e["report_id"], e["action"], e["to_status"]) for e in events) == [
        (i, "report", "reported") for i in ids]


def test_kept_case_times_agree_with_the_events_after_an_import(street, tmp_path):  # noqa: F811
    path = tmp_path / "hotline.csv"
    _file(path, 40)
    office = street.session("office")
    ids = commit_report_import(office, prepare_report_import(office, path)).report_ids
    before = _kept(street.store, ids)
    # The migration's own backfill from the events: what a reader of the kept
    # times would otherwise compute case by case.  Nothing may be missing.
    with street.store.transaction("test") as tx:
        report_bulk.fill_kept_case_times(tx)
    assert _kept(street.store, ids) == before
    assert all(v[1:] == (None, None, None) for v in before.values())
