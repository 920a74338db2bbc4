"""Group commit of the phones' reports (issue 20): submissions waiting for the
write lock are written in one transaction, each checked for its key and audited
as its own user; one that fails is the only one to fail."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from gridapp.errors import ValidationError
from gridapp.services.cases.reports import ReportDraft
from gridapp.services.field.intake import file_field_report, group_commit

# Who files where: each a user of the test street who may file in that grid.
FILERS = [("manager", 0), ("dispatcher", 1), ("office", 2), ("manager2", 3)]


def _draft(street, grid: int, text: str) -> ReportDraft:
    lon, lat = street.inside(grid)
    return ReportDraft(category="0401", lon=lon, lat=lat, crs="wgs84", description=text)


def _until(condition, what: str, timeout: float = 20.0) -> None:
    """Wait for *condition* (a state of the code under test, not a time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


def _held_writes(street, jobs):
    """Run *jobs* (callables) on threads while the write lock is held, so they queue up;
    release it once all but the first (which waits for the lock itself) are waiting."""
    group = group_commit(street.admin)
    before = group.batches, group.written
    pool = ThreadPoolExecutor(len(jobs))
    with street.admin.transaction():  # the window saving something meanwhile
        futures = [pool.submit(jobs[0])]
        _until(lambda: group.waiting == 0 and group._busy, "the first to lead")
        futures += [pool.submit(job) for job in jobs[1:]]
        _until(lambda: group.waiting == len(jobs) - 1, "the others to wait")
    outcomes = []
    for f in futures:
        try:
            outcomes.append(f.result(timeout=60))
        except Exception as exc:  # noqa: BLE001 - returned for the test to check
            outcomes.append(exc)
    pool.shutdown()
    return outcomes, group.batches - before[0], group.written - before[1]


def test_waiting_reports_are_written_in_one_transaction_as_their_own_users(field_street):
    street = field_street
    keys = {name: str(uuid.uuid4()) for name, _ in FILERS}
    jobs = [lambda name=name, grid=grid: file_field_report(
        street.session(name), _draft(street, grid, f"由 {name} 上报"), idempotency_key=keys[name])
        for name, grid in FILERS]
    filed, batches, written = _held_writes(street, jobs)
    # The first alone (it was waiting for the lock), the three that queued behind it together.
    assert (batches, written) == (2, 4)
    assert all(not f.replayed for f in filed)
    assert len({f.case_no for f in filed}) == 4  # numbered one after the other, none twice
    for (name, _), f in zip(FILERS, filed, strict=True):
        row = street.store.query("SELECT description, reported_by_user_id FROM report"
                                 " WHERE id = ?", (f.report_id,))[0]
        assert row["description"] == f"由 {name} 上报"
        assert row["reported_by_user_id"] == street.users[name].id
        actors = {r["actor"] for r in street.store.query(
            "SELECT actor FROM audit_log WHERE table_name = 'report' AND row_id = ?",
            (f.report_id,))}
        assert actors == {name}  # audited as the phone's user, not as the batch's first
        sub = street.store.query("SELECT user_id FROM field_submission WHERE"
                                 " idempotency_key = ?", (keys[name],))
        assert [r["user_id"] for r in sub] == [street.users[name].id]


def test_one_failing_submission_in_a_batch_fails_alone(field_street):
    street = field_street
    group = group_commit(street.admin)

    def failing():
        def work(tx):
            tx.insert("setting", {"key": "test.marker", "value": '"written"'})  # then fails
            raise ValidationError("测试失败", "test failure")
        return group.run(street.session("dispatcher"), work)

    jobs = [lambda: file_field_report(street.session("manager"), _draft(street, 0, "first"),
                                      idempotency_key=str(uuid.uuid4())),
            lambda: file_field_report(street.session("manager"), _draft(street, 0, "second"),
                                      idempotency_key=str(uuid.uuid4())),
            failing,
            lambda: file_field_report(street.session("manager2"), _draft(street, 3, "third"),
                                      idempotency_key=str(uuid.uuid4()))]
    outcomes, batches, written = _held_writes(street, jobs)
    assert isinstance(outcomes[2], ValidationError)
    assert [o.case_no[:2] for o in (outcomes[0], outcomes[1], outcomes[3])] == ["20"] * 3
    texts = sorted(r[0] for r in street.store.query("SELECT description FROM report"))
    assert texts == ["first", "second", "third"]  # the batch was written again without it
    assert street.store.scalar("SELECT count(*) FROM setting WHERE key = 'test.marker'") == 0
    assert (batches, written) == (3, 3)  # the first; then the two good ones alone


def test_one_key_twice_in_a_batch_files_once(field_street):
    street = field_street
    k = str(uuid.uuid4())
    jobs = [lambda: file_field_report(street.session("dispatcher"), _draft(street, 1, "a"),
                                      idempotency_key=str(uuid.uuid4()))]
    jobs += [lambda: file_field_report(street.session("manager"), _draft(street, 0, "queued"),
                                       idempotency_key=k) for _ in range(2)]
    filed, batches, written = _held_writes(street, jobs)
    assert (batches, written) == (2, 3)
    assert sorted(f.replayed for f in filed[1:]) == [False, True]  # either may come first
    assert filed[1].case_no == filed[2].case_no
    assert street.store.scalar("SELECT count(*) FROM report WHERE description = 'queued'") == 1


def test_a_lone_report_does_not_wait_for_company(field_street):
    street = field_street
    group = group_commit(street.admin)
    before = group.batches
    filed = file_field_report(street.session("manager"), _draft(street, 0, "alone"),
                              idempotency_key=str(uuid.uuid4()))
    assert not filed.replayed and group.batches == before + 1
    assert group.waiting == 0 and not group._busy  # the next one leads at once
