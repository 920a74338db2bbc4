"""The one-page 联合执法任务单 and the 督办单 as PDFs (A4, Chinese text, embedded CJK font)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import NotFoundError, ValidationError
from gridapp.printing.jobs import pdf_target, write_escalation, write_task_order
from gridapp.services.joint import proposals, task_print, tasks
from gridapp.services.joint.clustering import find_clusters
from gridapp.services.joint.task_order import task_order_data
from gridapp.services.session import Session, User, system_session
from tests.printing.conftest import needs_poppler, pdffonts, pdfinfo, pdftotext

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def escalated_task(demo_workspace):
    """A task summoned at T0: one department on time, one late, the rest never came."""
    store = demo_workspace
    ids = proposals.save_proposals(system_session(store), find_clusters(system_session(store)).clusters)
    disp = Session(store, User(None, "zhihui", "指挥中心 陈晨", Role.DISPATCHER))
    task_id = proposals.accept(disp, ids[0], title="夜市占道联合整治",
                               action_at=T0 + timedelta(hours=1),
                               deadline=T0 + timedelta(days=5))
    tasks.summon(disp, task_id, now=T0)
    deps = [d.department_id for d in tasks.get_task(disp, task_id, T0).departments]
    tasks.check_in(disp, task_id, deps[0], "张三", now=T0 + timedelta(minutes=70))
    tasks.check_in(disp, task_id, deps[1], "李四", now=T0 + timedelta(hours=3))
    tasks.escalate(disp, task_id, "部门未按时报到", now=T0 + timedelta(hours=4))
    return store, task_id


@needs_poppler
def test_task_order_is_one_chinese_a4_page(escalated_task, tmp_path, gui_app):
    store, task_id = escalated_task
    now = T0 + timedelta(hours=4)
    job = task_print.task_order_print(system_session(store), task_id, now=now)
    out = write_task_order(job, tmp_path / "order.pdf")
    info = pdfinfo(out)
    assert info["Pages"] == "1" and "A4" in info["Page size"]
    order = task_order_data(system_session(store), task_id, now)
    assert order == job.order
    text = pdftotext(out)
    flat = text.replace(" ", "")
    assert "联合执法任务单" in flat and "夜市占道联合整治" in flat
    assert order.task_no in text  # digits after Latin letters survive extraction
    assert "青云路街道办事处" in flat
    for d in order.departments:
        assert d.name in flat
    assert "未报到" in flat and "迟到" in flat and "按时报到" in flat
    for case in order.cases[:20]:
        assert case.case_no in text
    assert f"涉及案件（{len(order.cases)}件）" in flat
    fonts = pdffonts(out)
    assert "NotoSansCJK" in fonts
    cjk = [line for line in fonts.splitlines() if "NotoSansCJK" in line]
    assert all(" yes " in line.split("Identity-H", 1)[1] for line in cjk)  # embedded
    png = tmp_path / "order"
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(out), str(png)], check=True)
    assert (tmp_path / "order-1.png").stat().st_size > 10_000


@needs_poppler
def test_escalation_notice_names_the_absent_departments(escalated_task, tmp_path, gui_app):
    store, task_id = escalated_task
    notice = task_print.latest_escalation(system_session(store), task_id)
    assert notice.notice_no.startswith("DB") and len(notice.missing_departments) >= 1
    out = write_escalation(task_print.escalation_print(system_session(store), task_id),
                           tmp_path / "db.pdf")
    assert pdfinfo(out)["Pages"] == "1"
    flat = pdftotext(out).replace(" ", "")
    assert "督办单" in flat and "区人民政府" in flat and notice.notice_no in flat
    assert "部门未按时报到" in flat
    for name in notice.missing_departments:
        assert name in flat
    assert "NotoSansCJK" in pdffonts(out)


def test_bad_requests_are_refused_clearly(demo_workspace, tmp_path):
    admin = system_session(demo_workspace)
    with pytest.raises(NotFoundError):
        task_print.task_order_print(admin, 999)
    with pytest.raises(ValidationError):
        pdf_target(tmp_path / "x.png")
    with pytest.raises(ValidationError):
        pdf_target(tmp_path / "no" / "x.pdf")
    with pytest.raises(NotFoundError):
        task_print.latest_escalation(admin, 999)
    assert not list(tmp_path.glob("x.p*"))
