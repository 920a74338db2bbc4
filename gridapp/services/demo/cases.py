"""Every demo case's path through the workflow, simulated for all cases at once.

A case goes 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案 with realistic delays; a few are
not accepted (不予立案), a few are sent back by the verifier (返工), a few never
report back and run overdue; a resident's or a 12345 case is called back (回访)
between verification and closing, and a first 不满意 sends it back once more.
The paths are the same for every case, so they are laid out as 13 fixed slots
(:data:`SLOTS`): one column of instants per slot and a mask of the slots each
case goes through, drawn as arrays rather than case by case (a district's
million cases in seconds).  Whatever would happen on or after the demo's
as-of day is cut off, so old cases are mostly closed and recent ones open.

Instants are int64 microseconds since the epoch (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridapp.domain.workdays import WorkCalendar
from gridapp.services.demo.deadlines import HOUR_US, deadlines_us

# (action, from, to) of each slot, in the order a case goes through them.
SLOTS: tuple[tuple[str, str, str], ...] = (
    ("register", "reported", "registered"),
    ("dispatch", "registered", "dispatched"),
    ("start", "dispatched", "in_progress"),
    ("finish", "in_progress", "handler_done"),
    ("send_back", "handler_done", "sent_back"),  # 4-6: the verifier's 返工
    ("start", "sent_back", "in_progress"),
    ("finish", "in_progress", "handler_done"),
    ("verify", "handler_done", "verified"),
    ("send_back", "verified", "sent_back"),  # 8-11: after a 不满意 callback
    ("start", "sent_back", "in_progress"),
    ("finish", "in_progress", "handler_done"),
    ("verify", "handler_done", "verified"),
    ("close", "verified", "closed"),
)
REJECT = ("reject", "reported", "rejected")  # slot 0 of a case not accepted
# Event kinds: the 13 slots, then the rejection.
KINDS: tuple[tuple[str, str, str], ...] = (*SLOTS, REJECT)
K_REJECT = len(SLOTS)
FINISH_SLOTS = (3, 6, 10)
DEPARTMENT_SLOTS = tuple(k for k, s in enumerate(SLOTS) if s[2] in ("in_progress", "handler_done"))

# 回访: what the resident is told, and why some are not satisfied
TOLD = ("已现场处置完毕，欢迎继续监督", "问题已整改，已安排网格员定期巡查",
        "已由职能部门处理，结果已反馈")
TOLD_AGAIN = "返工后已重新处置到位"
DISSATISFIED = ("处置不彻底，问题仍然存在", "处理太慢，反映多次才来", "只做了表面处理，过几天又反弹",
                "处置人员态度不好")


@dataclass
class Callbacks:
    """The 回访 made before the cut-off, in case order (arrays of one length)."""

    case: np.ndarray  # index of the case
    at: np.ndarray  # int64 µs
    told: np.ndarray  # object: text
    verdict: np.ndarray  # object: satisfied / basic / dissatisfied
    resolved: np.ndarray  # int 0/1
    reason: np.ndarray  # object: text or None
    reopened: np.ndarray  # int 0/1


@dataclass
class Histories:
    """The simulated cases: one row per case, one column per slot."""

    at: np.ndarray  # (n, 13) int64 µs: when each slot happens (meaningless where not done)
    done: np.ndarray  # (n, 13) bool: the slots each case went through before the cut-off
    rejected: np.ndarray  # (n,) bool: slot 0 is a rejection
    deadline: np.ndarray  # (n,) int64 µs, counted from dispatch (meaningful if dispatched)
    callbacks: Callbacks

    @property
    def kind(self) -> np.ndarray:
        """(n, 13) event kind of each slot (an index into :data:`KINDS`)."""
        kind = np.broadcast_to(np.arange(len(SLOTS)), self.at.shape).copy()
        kind[self.rejected, 0] = K_REJECT
        return kind

    def status(self) -> np.ndarray:
        """Each case's status: the state its last event left it in (object array)."""
        n = len(self.at)
        last = len(SLOTS) - 1 - np.argmax(self.done[:, ::-1], axis=1)
        to = np.array([s[2] for s in KINDS], dtype=object)
        kind = np.take_along_axis(self.kind, last[:, None], axis=1)[:, 0]
        out = to[kind]
        out[~self.done.any(axis=1)] = "reported"
        return out if n else np.empty(0, dtype=object)

    def slot_time(self, k: int) -> np.ma.MaskedArray:
        """When each case went through slot *k* (masked where it did not)."""
        return np.ma.masked_array(self.at[:, k], mask=~self.done[:, k])

    def finished_at(self) -> np.ma.MaskedArray:
        """The last 处置反馈 of each case (masked where none happened)."""
        t = np.where(self.done[:, FINISH_SLOTS], self.at[:, FINISH_SLOTS], np.iinfo(np.int64).min)
        best = t.max(axis=1)
        return np.ma.masked_array(best, mask=best == np.iinfo(np.int64).min)


def _hours(rng: np.random.Generator, low, high, n: int) -> np.ndarray:
    """Random delays of *low* to *high* hours, in whole microseconds."""
    return np.rint(rng.uniform(low, high, n) * HOUR_US).astype(np.int64)


def simulate(rng: np.random.Generator, cb_rng: np.random.Generator, calendar: WorkCalendar,
             reported: np.ndarray, fate: np.ndarray, limit: np.ndarray, unit: np.ndarray,
             urgent: np.ndarray, called_back: np.ndarray, care: np.ndarray,
             cutoff: int) -> Histories:
    """Simulate every case from its report to the cut-off.

    Parameters
    ----------
    rng, cb_rng : numpy.random.Generator
        The workflow's delays; the 回访's own stream.
    calendar : WorkCalendar
        Counts each dispatch's deadline.
    reported : ndarray of int64
        When each case was reported (µs).
    fate : ndarray of float
        A uniform draw per case choosing its path: below 0.03 not accepted,
        0.80-0.85 sent back by the verifier, above 0.85 finished late, above
        0.985 never finished.
    limit, unit : ndarray
        The category's time limit and its unit, per case.
    urgent : ndarray of bool
        Urgent categories start within 2 hours of dispatch, not 12.
    called_back : ndarray of bool
        Resident and 12345 cases: called back before closing.
    care : ndarray of float
        Per case, the chance its callback is 满意 or 基本满意.
    cutoff : int
        Nothing on or after this instant happens (µs).
    """
    n = len(reported)
    at = np.zeros((n, len(SLOTS)), dtype=np.int64)
    rejected = fate < 0.03
    at[:, 0] = reported + _hours(rng, 0.1, 2, n)
    at[:, 1] = at[:, 0] + _hours(rng, 0.2, 3, n)
    deadline = deadlines_us(calendar, at[:, 1], limit, unit)
    at[:, 2] = at[:, 1] + _hours(rng, 0.3, np.where(urgent, 2.0, 12.0), n)
    span = (deadline - at[:, 2]) / HOUR_US
    late = fate > 0.85
    at[:, 3] = (at[:, 2] + np.rint(np.maximum(0.2, rng.uniform(0.2, 0.9, n) * span)
                                   * HOUR_US).astype(np.int64)
                + np.where(late, _hours(rng, 4, 60, n), 0))
    back = (fate > 0.80) & (fate <= 0.85)
    at[:, 4] = at[:, 3] + _hours(rng, 2, 24, n)
    at[:, 5] = at[:, 4] + _hours(rng, 1, 24, n)
    at[:, 6] = at[:, 5] + _hours(rng, 2, 24, n)
    at[:, 7] = np.where(back, at[:, 6], at[:, 3]) + _hours(rng, 1, 24, n)
    at[:, 12] = at[:, 7] + _hours(rng, 0.5, 8, n)
    handled = ~rejected & (fate <= 0.985)

    done = np.zeros_like(at, dtype=bool)
    done[:, 0] = True
    done[:, 1] = done[:, 2] = ~rejected
    done[:, 3] = done[:, 7] = done[:, 12] = handled
    done[:, 4:7] = (back & handled)[:, None]
    callbacks = _callbacks(cb_rng, at, done, handled & called_back, care)
    done &= at < cutoff
    keep = callbacks.at < cutoff
    callbacks = Callbacks(*(getattr(callbacks, f)[keep] for f in Callbacks.__dataclass_fields__))
    return Histories(at, done, rejected, deadline, callbacks)


def _callbacks(rng: np.random.Generator, at: np.ndarray, done: np.ndarray, mask: np.ndarray,
               care: np.ndarray) -> Callbacks:
    """The 回访 between verification and closing of the *mask* cases (the rules a real
    case follows: :mod:`gridapp.services.assessment.callback`); updates *at* and
    *done*: closing waits for the callback, and a first 不满意 sends the case back
    once (slots 8-11: 返工, handled, verified, called back again, closed)."""
    rows = np.flatnonzero(mask)
    m = len(rows)
    called = at[rows, 7] + _hours(rng, 0.2, 6, m)
    told = np.array(TOLD, dtype=object)[rng.integers(len(TOLD), size=m)]
    content = rng.random(m) < care[rows]
    verdict = np.where(rng.random(m) < 0.78, "satisfied", "basic").astype(object)
    reason = np.array(DISSATISFIED, dtype=object)[rng.integers(len(DISSATISFIED), size=m)]
    closed_anyway = ~content & (rng.random(m) < 0.35)  # recorded; the resident is told why
    reopened = ~content & ~closed_anyway
    close = np.maximum(at[rows, 12], called + _hours(rng, 0.1, 2, m))
    # sent back in the callback's own transaction, then handled again
    again = np.zeros((m, 4), dtype=np.int64)
    again[:, 0] = called
    again[:, 1] = called + _hours(rng, 1, 12, m)
    again[:, 2] = again[:, 1] + _hours(rng, 2, 30, m)
    again[:, 3] = again[:, 2] + _hours(rng, 1, 12, m)
    second = again[:, 3] + _hours(rng, 0.2, 6, m)
    second_verdict = np.where(rng.random(m) < 0.6, "satisfied", "basic").astype(object)
    close = np.where(reopened, second + _hours(rng, 0.1, 2, m), close)
    at[rows, 12] = close
    at[rows[reopened], 8:12] = again[reopened]
    done[rows[reopened], 8:12] = True

    r = np.flatnonzero(reopened)
    first_verdict = np.where(content, verdict, "dissatisfied").astype(object)
    case = np.concatenate([rows, rows[r]])
    order = np.argsort(case, kind="stable")  # each case's first callback, then its second
    return Callbacks(
        case=case[order],
        at=np.concatenate([called, second[r]])[order],
        told=np.concatenate([told, np.full(len(r), TOLD_AGAIN, dtype=object)])[order],
        verdict=np.concatenate([first_verdict, second_verdict[r]])[order],
        resolved=np.concatenate([content.astype(int), np.ones(len(r), dtype=int)])[order],
        reason=np.concatenate([np.where(content, None, reason),
                               np.full(len(r), None, dtype=object)])[order],
        reopened=np.concatenate([reopened.astype(int), np.zeros(len(r), dtype=int)])[order])
