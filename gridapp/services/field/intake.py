"""What a phone sends, filed once: reports, extra photos and case actions.

Every submission from the phone page carries an idempotency key, a random
UUID the phone makes when the user presses 提交 and keeps with the queued
submission until the server has answered.  A submission sent again (the
answer was lost, the server went down mid-upload, the queue replayed twice)
finds its key in ``field_submission`` and gets the first answer back; nothing
is written twice.  The key is looked up again under the write lock, so two
copies racing each other cannot both file.

Phones' clocks are often wrong.  The server records its own time beside the
phone's (``device_time``); a report queued offline gives how many seconds ago
it was captured by the phone's clock (a difference, right even when the clock
is off), and the report's time is the server's time minus that age.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from gridapp.domain.timeutil import now_utc, to_iso
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.cases.photos import PreparedPhoto, attach_photos
from gridapp.services.cases.placement import DuplicateCandidate
from gridapp.services.cases.reports import ReportDraft, check_report, insert_report
from gridapp.services.cases.scope import visible_case
from gridapp.services.cases.workflow import advance_case
from gridapp.services.session import Session, own_grid_ids
from gridapp.storage.api import Transaction
from gridapp.storage.queries import field as queries

_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_QUEUED_AGE = timedelta(days=7)  # older captures are filed at the server's time


@dataclass
class FieldFiled:
    """The answer to a phone's report: the case, and whether it was filed before."""

    report_id: int
    case_no: str
    replayed: bool
    received_at: str
    reported_at: str
    duplicates: list[DuplicateCandidate] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "case_no": self.case_no,
                "replayed": self.replayed, "received_at": self.received_at,
                "reported_at": self.reported_at, "attachment_ids": self.attachment_ids,
                "duplicates": [{"report_id": d.report_id, "case_no": d.case_no,
                                "distance_m": round(d.distance_m, 1)}
                               for d in self.duplicates]}


def checked_key(key: str | None) -> str:
    """The idempotency key, refused unless 8–64 letters, digits, ``-`` or ``_``."""
    key = (key or "").strip()
    if not _KEY.match(key):
        raise ValidationError(
            "提交标识无效（应为 8–64 位字母、数字或连字符）；请刷新页面后重新提交",
            "Invalid submission key (8–64 letters, digits or dashes); reload the page "
            "and submit again", reason="bad_key")
    return key


def reported_time(age_s: float | None, now: datetime) -> datetime:
    """When the phone captured it: the server's *now* minus the phone's measured age."""
    if age_s is None or age_s != age_s or age_s <= 0:  # None, NaN or from the future
        return now
    return now - min(timedelta(seconds=float(age_s)), MAX_QUEUED_AGE)


def _replay(session: Session, found: dict[str, Any], kind: str) -> dict[str, Any]:
    if found["user_id"] != session.user.id or found["kind"] != kind:
        raise PermissionDenied(
            "这个提交标识已被另一次提交使用", "This submission key was used by another submission",
            key=found["idempotency_key"])
    return json.loads(found["result"] or "{}")


def _record(tx: Transaction, session: Session, key: str, kind: str, target_id: int,
            device_time: str | None, now: datetime, result: dict[str, Any]) -> None:
    tx.insert("field_submission", {
        "idempotency_key": key, "kind": kind, "target_id": target_id,
        "user_id": session.user.id, "device_time": (device_time or "")[:40] or None,
        "received_at": to_iso(now), "result": json.dumps(result, ensure_ascii=False)})


@dataclass(eq=False)
class _Job:
    session: Session
    work: Callable[[Transaction], Any]
    wake: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    finished: bool = False
    result: Any = None
    error: BaseException | None = None


class GroupCommit:
    """Writes that wait for the write lock together, done in one transaction.

    The first submission to arrive leads: it takes every submission waiting
    (itself included, at most :attr:`max_batch`), writes them in one
    transaction and answers them; submissions that arrive meanwhile wait, and
    the first of them leads the next batch.  A submission alone is written at
    once (nothing waits for company).  Each one's audit entries carry its own
    user: the transaction's actor is switched for each submission, which the
    GeoPackage audit honours; where the audit takes its actor from the
    transaction's start (a PostGIS server's triggers), a batch holds one
    user's submissions only (a phone's queue sent at once).
    """

    def __init__(self, max_batch: int = 64) -> None:
        self.max_batch = max_batch
        self._mutex = threading.Lock()
        self._pending: list[_Job] = []
        self._busy = False
        self._shared_actor: bool | None = None  # one transaction for several users?
        self.batches = 0  # transactions written (figures for the tests and the bench)
        self.written = 0  # submissions written in them

    @property
    def waiting(self) -> int:
        """Submissions waiting for a transaction (not the one being written)."""
        with self._mutex:
            return len(self._pending)

    def run(self, session: Session, work: Callable[[Transaction], Any]) -> Any:
        """*work(tx)* inside a write transaction shared with others waiting; its result."""
        job = _Job(session, work)
        with self._mutex:
            self._pending.append(job)
            if not self._busy:
                self._busy = job.lead = True
        while not job.finished:
            if job.lead:
                self._lead()
            else:
                job.wake.wait()
                job.wake.clear()
        if job.error is not None:
            raise job.error
        return job.result

    def _lead(self) -> None:
        with self._mutex:
            batch = self._take()
        try:
            self._write(batch)
        finally:
            with self._mutex:
                for job in batch:
                    job.finished = True
                    job.lead = False
                if self._pending:
                    nxt = self._pending[0]
                    nxt.lead = True
                    nxt.wake.set()
                else:
                    self._busy = False
            for job in batch:
                job.wake.set()

    def _take(self) -> list[_Job]:
        first = self._pending[0]
        if self._shared_actor is None:  # not known before the first transaction
            batch = [first]
        elif self._shared_actor:
            batch = list(self._pending)
        else:
            batch = [j for j in self._pending if j.session.user.id == first.session.user.id]
        batch = batch[:self.max_batch]
        taken = set(map(id, batch))
        self._pending = [j for j in self._pending if id(j) not in taken]
        return batch

    def _write(self, batch: list[_Job]) -> None:
        try:
            results = []
            with batch[0].session.transaction() as tx:
                self._shared_actor = _audits_as_tx_actor(tx)
                for job in batch:
                    with _acting_as(tx, job.session):
                        results.append(job.work(tx))
        except BaseException as exc:  # noqa: BLE001 - each job gets its own outcome
            if len(batch) == 1 or not isinstance(exc, Exception):
                for job in batch:
                    job.error = exc
                return
            for job in batch:  # rolled back: each alone, a failure is its own
                try:
                    with job.session.transaction() as tx:
                        job.result = job.work(tx)
                    self.batches += 1
                    self.written += 1
                except Exception as alone:  # noqa: BLE001 - given to its submission
                    job.error = alone
            return
        for job, result in zip(batch, results, strict=True):
            job.result = result
        self.batches += 1
        self.written += len(batch)


def _audits_as_tx_actor(tx: Transaction) -> bool:
    """Whether *tx* writes its audit entries as ``tx.actor`` at the time of each write
    (GeoPackage); a PostGIS server's triggers take the actor of the transaction's start."""
    return type(tx).audit is Transaction.audit


@contextmanager
def _acting_as(tx: Transaction, session: Session) -> Iterator[None]:
    """Audit entries written meanwhile name *session*'s user."""
    before = tx.actor, tx.user_id
    tx.actor, tx.user_id = session.user.username, session.user.id
    try:
        yield
    finally:
        tx.actor, tx.user_id = before


_groups: weakref.WeakKeyDictionary[Any, GroupCommit] = weakref.WeakKeyDictionary()
_groups_lock = threading.Lock()


def group_commit(session: Session) -> GroupCommit:
    """The group commit of *session*'s workspace (one per open store)."""
    with _groups_lock:
        group = _groups.get(session.store)
        if group is None:
            group = _groups[session.store] = GroupCommit()
        return group


def file_field_report(session: Session, draft: ReportDraft, photos: Sequence[PreparedPhoto] = (),
                      *, idempotency_key: str, device_time: str | None = None,
                      age_s: float | None = None, extra: dict[str, Any] | None = None,
                      now: datetime | None = None) -> FieldFiled:
    """File a report sent from a phone, once per *idempotency_key*.

    The draft's position is in WGS84 (``draft.crs``) as the browser gives it;
    *age_s* is how long ago the phone captured it (for a queued report);
    *extra* (the GPS accuracy, where the position came from) is kept with the
    submission.
    Checks are those of :func:`gridapp.services.cases.reports.file_report`
    (role, the grid manager's own grids, category); a replayed key returns
    the first answer with ``replayed=True`` and writes nothing.
    """
    session.require("report.file")
    key = checked_key(idempotency_key)
    found = queries.submission(session.store, key)
    if found is not None:
        return _filed_again(session, found)
    now = now or now_utc()
    draft.reported_at = reported_time(age_s, now)
    check = check_report(session, draft)

    def write(tx: Transaction) -> FieldFiled:
        found = queries.submission(tx, key)
        if found is not None:
            return _filed_again(session, found)
        rid, case_no = insert_report(tx, session, draft, check, now=now)
        att = attach_photos(tx, rid, photos) if photos else []
        result = {"report_id": rid, "case_no": case_no, "attachment_ids": att,
                  "reported_at": to_iso(draft.reported_at), **(extra or {})}
        _record(tx, session, key, "report", rid, device_time, now, result)
        return FieldFiled(rid, case_no, False, to_iso(now) or "",
                          to_iso(draft.reported_at) or "", check.duplicates, att)

    return group_commit(session).run(session, write)


def _filed_again(session: Session, found: dict[str, Any]) -> FieldFiled:
    first = _replay(session, found, "report")
    return FieldFiled(int(first["report_id"]), first["case_no"], True, found["received_at"],
                      first.get("reported_at") or "", [], list(first.get("attachment_ids", [])))


def add_field_photos(session: Session, report_id: int, photos: Sequence[PreparedPhoto], *,
                     idempotency_key: str, device_time: str | None = None,
                     now: datetime | None = None) -> dict[str, Any]:
    """补充照片: attach photos to a case the user may act on, once per key."""
    if not session.can("case.transition"):
        session.require("report.file")
    key = checked_key(idempotency_key)
    found = queries.submission(session.store, key)
    if found is not None:
        return {**_replay(session, found, "photos"), "replayed": True}
    if not photos:
        raise ValidationError("请至少选择一张照片", "Choose at least one photo")
    row = visible_case(session, report_id)
    _may_act(session, report_id, row)
    now = now or now_utc()

    def write(tx: Transaction) -> dict[str, Any]:
        found = queries.submission(tx, key)
        if found is not None:
            return {**_replay(session, found, "photos"), "replayed": True}
        att = attach_photos(tx, report_id, photos)
        result = {"report_id": report_id, "attachment_ids": att}
        _record(tx, session, key, "photos", report_id, device_time, now, result)
        return {**result, "replayed": False}

    return group_commit(session).run(session, write)


def _may_act(session: Session, report_id: int, row: dict[str, Any]) -> None:
    """A grid manager adds photos to cases in their grids or that they filed."""
    own = own_grid_ids(session)
    mine = session.user.manager_id is not None and \
        row.get("reporter_manager_id") == session.user.manager_id
    if own is None or row.get("grid_id") in own or mine:
        return
    raise PermissionDenied("您不能给这个案件补充照片", "You may not add photos to this case",
                           report_id=report_id)


def field_case_action(session: Session, report_id: int, action: str, note: str = "", *,
                      idempotency_key: str, device_time: str | None = None,
                      now: datetime | None = None) -> dict[str, Any]:
    """One workflow action (核查通过, 返工…) from the phone, once per key.

    The action runs through :func:`gridapp.services.cases.workflow.advance_case`
    (role, record scope, state, note) in its own transaction; the key is
    recorded right after it.  Should the server stop between the two, the
    replay finds the case already moved and is refused by the workflow (the
    state no longer allows the action), so the action still happens once.
    """
    session.require("case.transition")
    key = checked_key(idempotency_key)
    found = queries.submission(session.store, key)
    if found is not None:
        return {**_replay(session, found, "action"), "replayed": True}
    now = now or now_utc()
    done = advance_case(session, report_id, action, note, now=now)
    result = {"report_id": report_id, "case_no": done.case_no, "action": done.action.value,
              "to_status": done.to_status.value}
    with session.transaction() as tx:
        _record(tx, session, key, "action", report_id, device_time, now, result)
    return {**result, "replayed": False}


def submission_of(session: Session, idempotency_key: str) -> dict[str, Any] | None:
    """What a key filed (kind, row id, server and phone times), for the phone's own keys."""
    session.require("workspace.read")
    found = queries.submission(session.store, checked_key(idempotency_key))
    if found is None or found["user_id"] != session.user.id:
        return None
    return {k: found[k] for k in ("kind", "target_id", "device_time", "received_at")}
