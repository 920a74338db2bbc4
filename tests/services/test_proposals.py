"""Clusters ranked as proposals; accept, merge, split and dismiss with reasons."""

from __future__ import annotations

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import PermissionDenied, ValidationError, WorkflowError
from gridapp.services.joint import proposals
from gridapp.services.joint.clustering import find_clusters
from gridapp.services.session import Session, User, system_session


def _s(store, role):
    return Session(store, User(None, f"t_{role.value}", "测试", role))


@pytest.fixture
def saved(demo_workspace):
    res = find_clusters(system_session(demo_workspace))
    ids = proposals.save_proposals(system_session(demo_workspace), res.clusters)
    return demo_workspace, res, ids


def test_ranked_with_reasons(saved):
    store, res, ids = saved
    props = proposals.list_proposals(system_session(store))
    assert [p.id for p in props] == ids
    assert [p.score for p in props] == sorted((p.score for p in props), reverse=True)
    assert all(p.reasons for p in props)
    assert any(r.startswith("涉及多个部门") for p in props for r in p.reasons)
    assert any(r.startswith("规模大") for p in props for r in p.reasons)
    assert any(r.startswith("反复发生") for p in props for r in p.reasons)
    big = props[0]
    assert big.size >= 100 and big.hull.geom_type == "Polygon" and big.title.endswith("联合整治")
    # stored as a feature table the map can show
    assert store.read_layer("cluster_proposal").crs.to_epsg() == 4490


def test_dismiss_needs_reason_and_is_remembered(saved):
    store, res, ids = saved
    disp = _s(store, Role.DISPATCHER)
    with pytest.raises(ValidationError):
        proposals.dismiss(disp, ids[-1], "")
    with pytest.raises(PermissionDenied):
        proposals.dismiss(_s(store, Role.LEADER), ids[-1], "无需处理")
    proposals.dismiss(disp, ids[-1], "已纳入区级专项整治")
    p = proposals.get_proposal(system_session(store), ids[-1])
    assert p.status == "dismissed" and p.decision_reason == "已纳入区级专项整治"
    with pytest.raises(WorkflowError):
        proposals.accept(disp, ids[-1])
    again = proposals.save_proposals(system_session(store), res.clusters)
    assert len(again) == len(ids) - 1  # the dismissed one is not proposed again


def test_merge_and_split(saved):
    store, _, ids = saved
    disp = _s(store, Role.DISPATCHER)
    a, b = proposals.get_proposal(system_session(store), ids[0]), proposals.get_proposal(system_session(store), ids[1])
    merged = proposals.merge(disp, [ids[0], ids[1]], "同一条街")
    m = proposals.get_proposal(system_session(store), merged)
    assert set(m.report_ids) == set(a.report_ids) | set(b.report_ids)
    assert m.parent_ids == [ids[0], ids[1]]
    assert proposals.get_proposal(system_session(store), ids[0]).status == "merged"
    with pytest.raises(ValidationError):
        proposals.merge(disp, [merged])
    halves = [a.report_ids, b.report_ids]
    parts = proposals.split(disp, merged, halves, reason="两处问题不同")
    assert len(parts) == 2
    assert {tuple(proposals.get_proposal(system_session(store), p).report_ids) for p in parts} == \
        {tuple(sorted(h)) for h in halves}
    with pytest.raises(ValidationError):  # reports from elsewhere
        proposals.split(disp, parts[0], [[1, 2], [3, 4]])
    auto = proposals.split(disp, parts[0], eps_m=8)
    assert len(auto) >= 2


def test_accept_creates_task(saved):
    store, _, ids = saved
    disp = _s(store, Role.DISPATCHER)
    task_id = proposals.accept(disp, ids[0])
    p = proposals.get_proposal(system_session(store), ids[0])
    assert p.status == "accepted" and p.task_id == task_id
    row = store.get("joint_task", task_id)
    assert row["state"] == "proposed" and row["proposal_id"] == ids[0]
    n = store.scalar("SELECT count(*) FROM task_case WHERE task_id = ?", (task_id,))
    assert n == p.size
    with pytest.raises(WorkflowError):
        proposals.accept(disp, ids[0])
