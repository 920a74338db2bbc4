"""The case list: filters, visibility per role, offset and keyset paging, my work."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from gridapp.domain.timeutil import to_iso
from gridapp.services.assessment.callback import needs_callback, record_callback
from gridapp.services.cases.query import CaseFilter, CaseQuery, list_cases, my_work
from gridapp.services.cases.reports import ReportDraft, file_report
from gridapp.services.cases.workflow import advance_case
from gridapp.storage.geometry import encode_points
from tests.services.test_reports import make_street


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


@pytest.fixture
def cases(street):
    """Six cases: two per grid 0..2, in several states."""
    d = street.session("dispatcher")
    ids = []
    for k, (grid, cat, text) in enumerate(
        [
            (0, "0401", "占道经营 水果摊"),
            (0, "0101", "垃圾堆放"),
            (1, "0401", "夜市摊点"),
            (1, "0304", "违法建设 加层"),
            (2, "0101", "暴露垃圾"),
            (2, "0601", "消防通道堵塞"),
        ]
    ):
        lon, lat = street.inside(grid, 0.2 + 0.1 * k, 0.5)
        ids.append(
            file_report(
                d, ReportDraft(category=cat, lon=lon, lat=lat, description=text)
            ).report_id
        )
    for rid in ids[:4]:
        advance_case(d, rid, "register")
    for rid in ids[:3]:
        advance_case(d, rid, "dispatch")  # 0401 → CG, 0101 → JD
    advance_case(street.session("liaison"), ids[0], "start")
    return ids


def q(street, who, **kw):
    return CaseQuery(street.session(who), CaseFilter(**kw))


def test_filters(street, cases):
    assert q(street, "dispatcher").count() == 6
    assert {
        r.id for r in q(street, "dispatcher", statuses=["registered"]).page(0, 10)
    } == {cases[3]}
    # a top-level class matches its sub-categories (01 → 0101)
    assert set(
        q(street, "dispatcher", category_ids=[street.categories["01"]]).ids()
    ) == {cases[1], cases[4]}
    assert set(q(street, "dispatcher", grid_ids=[street.grids[2]]).ids()) == set(
        cases[4:]
    )
    assert set(
        q(street, "dispatcher", department_ids=[street.departments["CG"]]).ids()
    ) == {cases[0], cases[2]}
    assert set(q(street, "dispatcher", text="垃圾").ids()) == {cases[1], cases[4]}
    assert q(street, "dispatcher", text="100%").count() == 0
    assert set(
        q(street, "dispatcher", manager_id=street.users["manager"].manager_id).ids()
    ) == set(cases[:4])
    now = datetime.now(UTC)
    assert q(street, "dispatcher", date_from=now - timedelta(hours=1)).count() == 6
    assert q(street, "dispatcher", date_to=now - timedelta(hours=1)).count() == 0


def test_overdue_and_due_soon(street, cases):
    later = datetime.now(UTC) + timedelta(days=30)
    s = street.session("dispatcher")
    overdue = CaseQuery(s, CaseFilter(overdue=True), now=later)
    assert set(overdue.ids()) == set(cases[:3])
    rows = overdue.page(0, 10)
    assert {r.due_state for r in rows} == {"overdue"}
    assert CaseQuery(s, CaseFilter(overdue=False), now=later).count() == 3
    dl = min(r.deadline for r in rows)
    soon = CaseQuery(s, CaseFilter(due_soon=True), now=dl - timedelta(hours=1))
    assert soon.count() >= 1


def test_visibility_per_role(street, cases):
    assert set(q(street, "liaison").ids()) == {cases[0], cases[2]}  # CG only
    assert set(q(street, "liaison_jd").ids()) == {cases[1]}
    assert set(q(street, "manager").ids()) == set(cases[:4])  # grids 0 and 1
    assert q(street, "manager2").count() == 0
    assert q(street, "leader").count() == 6


def test_my_work(street, cases):
    def mine(who):
        s = street.session(who)
        return set(CaseQuery(s, my_work(s)).ids())

    assert mine("dispatcher") == {cases[3], cases[4], cases[5]}
    assert mine("liaison") == {cases[0], cases[2]}
    assert mine("office") == {cases[1]}  # dispatched to the street office's team (JD)
    advance_case(street.session("liaison"), cases[0], "finish")
    assert mine("manager") == {cases[0]}


def test_rows_carry_display_fields(street, cases):
    (row,) = [r for r in list_cases(street.session("dispatcher")) if r.id == cases[0]]
    assert row.status.value == "in_progress" and row.status_label == "处置中"
    assert row.category == "占道经营" and row.department == "区城市管理局"
    assert row.grid_code.endswith("001") and row.deadline is not None
    assert 106 < row.lon < 107


@pytest.fixture
def many(street):
    """60,000 reports written in bulk."""
    n = 60_000
    rng = np.random.default_rng(5)
    lon, lat = street.inside(0)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    times = [
        to_iso(t0 + timedelta(minutes=int(m)))
        for m in np.sort(rng.integers(0, 800_000, n))
    ]
    blobs = encode_points(np.full(n, lon), np.full(n, lat), 4490)
    statuses = rng.choice(["reported", "dispatched", "closed"], n)
    with street.store.transaction("test") as tx:
        tx.insert_many(
            "report",
            [
                "geom",
                "case_no",
                "category_id",
                "grid_id",
                "status",
                "reported_at",
                "description",
            ],
            (
                [
                    blobs[i],
                    f"X{i:08d}",
                    street.categories["0401"],
                    street.grids[0],
                    statuses[i],
                    times[i],
                    f"描述 {i}",
                ]
                for i in range(n)
            ),
            "bulk",
        )
    return n


def test_keyset_paging_walks_everything_in_order_quickly(street, many):
    query = CaseQuery(street.session("dispatcher"), CaseFilter(statuses=["dispatched"]))
    total = query.count()
    seen, last, slowest = [], None, 0.0
    while True:
        t = time.perf_counter()
        page = query.after(last, 2000)
        slowest = max(slowest, time.perf_counter() - t)
        if not page:
            break
        seen.extend(page)
        last = page[-1]
    assert len(seen) == total and len({r.id for r in seen}) == total
    keys = [(r.reported_at, r.id) for r in seen]
    assert keys == sorted(keys, reverse=True)
    assert slowest < 1.0
    assert [r.id for r in query.page(100, 5)] == [r.id for r in seen[100:105]]


def test_default_list_uses_an_index_for_order(street, many):
    query = CaseQuery(street.session("dispatcher"))
    plan = " ".join(
        r[3]
        for r in street.store.query(
            f"EXPLAIN QUERY PLAN SELECT r.id FROM report r WHERE {query._list._where} "
            f"ORDER BY {query._list._order()} LIMIT 100",
            query._list._params,
        )
    )
    assert "TEMP B-TREE" not in plan
    t = time.perf_counter()
    query.page(0, 200)
    assert time.perf_counter() - t < 0.5


def test_demo_street_lists_and_workflow(demo_workspace):
    from gridapp.services.people.auth import load_user
    from gridapp.services.session import Session

    store = demo_workspace

    def session(username):
        uid = store.scalar("SELECT id FROM app_user WHERE username = ?", (username,))
        return Session(store, load_user(store, uid))

    total = store.scalar("SELECT count(*) FROM report")
    assert CaseQuery(session("lingdao")).count() == total
    liaison = session("chengguan")
    dep = liaison.user.department_id
    rows = CaseQuery(liaison).page(0, 500)
    assert rows and all(r.department == rows[0].department for r in rows)
    assert CaseQuery(liaison).count() == store.scalar(
        "SELECT count(*) FROM report WHERE department_id = ?", (dep,)
    )
    manager = session("wgy01")
    todo = CaseQuery(manager, my_work(manager)).page(0, 50)
    assert all(r.status.value == "handler_done" for r in todo)
    for username in ("admin", "wgb", "zhihui", "chengguan", "wgy01", "lingdao"):
        s = session(username)
        CaseQuery(s, my_work(s)).count()
    if todo:
        advance_case(manager, todo[0].id, "verify")
        if needs_callback(store.get("report", todo[0].id)["source"]):  # 回访 first
            record_callback(session("zhihui"), todo[0].id, "satisfied", told="已处理完毕")
        advance_case(session("zhihui"), todo[0].id, "close")
        assert store.get("report", todo[0].id)["status"] == "closed"


def test_points_for_the_map(street, cases):
    pts = q(street, "dispatcher", open_only=True).points()
    assert sorted(pts["id"].tolist()) == sorted(cases)
    assert len(pts["lon"]) == len(pts["status"]) == 6
    assert (pts["lon"] > 106).all() and set(pts["status"]) >= {"reported", "dispatched"}
