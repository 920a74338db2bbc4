"""回访: calling back the resident or 12345 caller before a case closes.

Cases from residents and the hotline (贵阳社区工作条例 Art. 41: 以群众满意度为
主要标准) are called back once verified (核查) and before closing: who called,
when, what the resident was told, whether the problem is solved, and the
verdict 满意 / 基本满意 / 不满意 with a reason.  The case workflow refuses to
close such a case without a callback since its last verification
(:func:`callback_missing`, asked by :mod:`gridapp.services.cases.workflow`).
不满意 reopens the case once (返工: verified → sent back, a ``send_back`` event
noting the callback); a second 不满意 is recorded and the case may close.
Everything is written in one audited transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gridapp import i18n
from gridapp.domain.enums import CaseStatus, LabelledEnum, ReportSource
from gridapp.domain.timeutil import now_utc, to_iso
from gridapp.domain.workflow import ACTIONS, CaseAction
from gridapp.errors import ValidationError, WorkflowError
from gridapp.services.cases.scope import visible_case
from gridapp.services.session import Session
from gridapp.storage.queries import assessment as queries
from gridapp.storage.queries import cases as case_queries

CALLBACK_SOURCES = (ReportSource.RESIDENT.value, ReportSource.HOTLINE.value)
REOPEN_LIMIT = 1


class Verdict(LabelledEnum):
    SATISFIED = "satisfied", "满意", "Satisfied"
    BASIC = "basic", "基本满意", "Basically satisfied"
    DISSATISFIED = "dissatisfied", "不满意", "Dissatisfied"


@dataclass(frozen=True)
class CallbackResult:
    callback_id: int
    report_id: int
    case_no: str
    verdict: Verdict
    reopened: bool

    @property
    def message(self) -> str:
        if self.reopened:
            return i18n.pick(f"{self.case_no}：回访不满意，案件已返工重新处置",
                             f"{self.case_no}: dissatisfied, the case is sent back")
        return i18n.pick(f"{self.case_no}：已记录回访（{self.verdict.zh}）",
                         f"{self.case_no}: callback recorded ({self.verdict.en})")


def needs_callback(source: str | None) -> bool:
    """Whether a case from *source* is called back before closing."""
    return source in CALLBACK_SOURCES


def callback_missing(tx: Any, report_id: int) -> bool:
    """True when case *report_id* must be called back before it may close.

    Asked inside the closing transaction: a resident or hotline case with no
    callback since its last verification.
    """
    source, verified_at = queries.callback_gate(tx, report_id)
    if not needs_callback(source):
        return False
    return not queries.has_callback_since(tx, report_id, verified_at)


def _verdict(value: Verdict | str) -> Verdict:
    try:
        return Verdict(value)  # type: ignore[call-arg]
    except ValueError:
        raise ValidationError(
            "回访结果只能是 满意 / 基本满意 / 不满意（收到“{value}”）",
            "The verdict must be satisfied, basic or dissatisfied (got '{value}')",
            value=str(value)) from None


def record_callback(session: Session, report_id: int, verdict: Verdict | str, *,
                    told: str = "", reason: str = "", resolved: bool = True,
                    reopen: bool = True, at: datetime | None = None) -> CallbackResult:
    """Record the callback of a verified resident or hotline case.

    Parameters
    ----------
    verdict : Verdict or str
        ``satisfied`` (满意), ``basic`` (基本满意) or ``dissatisfied`` (不满意).
    told : str
        What the resident was told about the handling.
    reason : str
        Why; required for 不满意.
    resolved : bool
        Whether the resident says the problem is solved (解决率).
    reopen : bool
        For 不满意: send the case back (返工), once per case.

    Raises
    ------
    ValidationError
        Not a resident or hotline case, unknown verdict, 不满意 without a reason.
    WorkflowError
        The case is not verified (回访 comes after 核查, before 结案).
    """
    session.require("case.callback")
    v = _verdict(verdict)
    at = at or now_utc()
    row = visible_case(session, report_id)
    if not needs_callback(row.get("source")):
        raise ValidationError(
            "只有居民反映和12345热线的案件需要回访（案件 {case_no}）",
            "Only resident and 12345 hotline cases are called back (case {case_no})",
            case_no=row["case_no"])
    if v is Verdict.DISSATISFIED and not reason.strip():
        raise ValidationError("回访不满意必须填写原因",
                              "A dissatisfied verdict needs a reason")
    send_back = ACTIONS[CaseAction.SEND_BACK]
    stamp = to_iso(at)
    with session.transaction() as tx:
        current = case_queries.workflow_row(tx, report_id)
        status = CaseStatus(current["status"])  # type: ignore[call-arg]
        if status is not CaseStatus.VERIFIED:
            raise WorkflowError(
                "案件当前状态为“{state_zh}”：回访在核查通过之后、结案之前进行",
                "The case is '{state_en}': callbacks come after verification, "
                "before closing", state_zh=status.zh, state_en=status.en,
                case_no=row["case_no"])
        reopened = (v is Verdict.DISSATISFIED and reopen
                    and queries.reopen_count(tx, report_id) < REOPEN_LIMIT)
        cid = tx.insert("case_callback", {
            "report_id": report_id, "called_by": session.user.username,
            "user_id": session.user.id, "called_at": stamp,
            "told": told.strip() or None, "verdict": v.value,
            "resolved": int(bool(resolved)), "reason": reason.strip() or None,
            "reopened": int(reopened)})
        if reopened:
            target = send_back.target(status)
            tx.update("report", report_id, {"status": target.value, "finished_at": None,
                                            "verified_at": None, "updated_at": stamp})
            tx.insert("case_event", {
                "report_id": report_id, "action": send_back.id.value,
                "from_status": status.value, "to_status": target.value,
                "actor": session.user.username, "user_id": session.user.id,
                "department_id": current["department_id"], "at": stamp,
                "note": f"回访不满意：{reason.strip()}"})
    return CallbackResult(cid, report_id, row["case_no"], v, reopened)


def case_callbacks(session: Session, report_id: int) -> list[dict[str, Any]]:
    """The callbacks of a case, oldest first (case detail view)."""
    visible_case(session, report_id)
    return queries.callbacks(session.store, report_id)


def callbacks_due(session: Session) -> list[int]:
    """Verified resident and hotline cases waiting for their callback."""
    session.require("case.callback")
    return queries.callback_due(session.store, CALLBACK_SOURCES)
