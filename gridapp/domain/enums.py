"""Enumerations shared across the domain, with Chinese and English labels."""

from __future__ import annotations

from enum import StrEnum

from gridapp import i18n


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Chinese and an English label."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str, en: str) -> LabelledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh
        obj.en = en
        return obj

    @property
    def label(self) -> str:
        return i18n.pick(self.zh, self.en)


class Role(LabelledEnum):
    ADMIN = "admin", "管理员", "Administrator"
    OFFICE = "office", "网格办工作人员", "Office staff"
    DISPATCHER = "dispatcher", "指挥中心调度员", "Dispatcher"
    LIAISON = "liaison", "职能部门联络员", "Department liaison"
    MANAGER = "manager", "网格员", "Grid manager"
    LEADER = "leader", "领导", "Leader"


class GridKind(LabelledEnum):
    BASIC = "basic", "基础网格", "Basic grid"
    SPECIAL = "special", "专属网格", "Special grid"


class CaseStatus(LabelledEnum):
    """Case (事件) states of DESIGN §3."""

    REPORTED = "reported", "已上报", "Reported"
    REGISTERED = "registered", "已立案", "Registered"
    REJECTED = "rejected", "不予立案", "Rejected"
    DISPATCHED = "dispatched", "已派遣", "Dispatched"
    IN_PROGRESS = "in_progress", "处置中", "In progress"
    HANDLER_DONE = "handler_done", "已反馈", "Handler done"
    SENT_BACK = "sent_back", "返工", "Sent back"
    VERIFIED = "verified", "已核查", "Verified"
    CLOSED = "closed", "已结案", "Closed"


OPEN_CASE_STATUSES = frozenset(
    {
        CaseStatus.REPORTED,
        CaseStatus.REGISTERED,
        CaseStatus.DISPATCHED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.HANDLER_DONE,
        CaseStatus.SENT_BACK,
        CaseStatus.VERIFIED,
    }
)


class Urgency(LabelledEnum):
    NORMAL = "normal", "一般", "Normal"
    URGENT = "urgent", "紧急", "Urgent"


class ReportSource(LabelledEnum):
    PATROL = "patrol", "网格员巡查", "Patrol"
    RESIDENT = "resident", "居民反映", "Resident"
    HOTLINE = "hotline", "12345热线", "12345 hotline"
    VIDEO = "video", "视频监控", "Video"


class TimeUnit(LabelledEnum):
    """Time-limit units of a category (DESIGN §5)."""

    WORKDAY = "workday", "工作日", "working days"
    WORKHOUR = "workhour", "工作时", "office hours"
    URGENT_HOUR = "urgent_hour", "紧急工作时", "urgent hours"


class Handling(LabelledEnum):
    """Who handles a category according to the duty list (职责清单)."""

    OFFICE = "office", "街道自办", "Street office itself"
    DEPARTMENT = "department", "转职能部门", "One department"
    JOINT = "joint", "多部门协同", "Several departments"
    DISTRICT = "district", "上报区政府", "Escalate to district"


class TaskState(LabelledEnum):
    """Joint-enforcement task states (DESIGN §3)."""

    PROPOSED = "proposed", "提议", "Proposed"
    SUMMONED = "summoned", "已吹哨", "Summoned"
    IN_ACTION = "in_action", "处置中", "Joint action"
    DONE = "done", "已办结", "Done"
    EVALUATED = "evaluated", "已评价", "Evaluated"
    ESCALATED = "escalated", "已上报督办", "Escalated"


class Employment(LabelledEnum):
    FULL_TIME = "full_time", "专职", "Full-time"
    PART_TIME = "part_time", "兼职", "Part-time"


class AssignmentRole(LabelledEnum):
    PRIMARY = "primary", "主责", "Primary"
    BACKUP = "backup", "协助", "Backup"
