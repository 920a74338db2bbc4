"""Fixtures for the editor tests: demo sessions, size checks, audit counts."""

from __future__ import annotations

import pytest

PASSWORDS = {
    "admin": "Admin-demo-2026",
    "wgb": "Office-demo-2026",
    "zhihui": "Dispatch-demo-2026",
    "chengguan": "Liaison-demo-2026",
    "wgy01": "Manager-demo-2026",
    "lingdao": "Leader-demo-2026",
}


@pytest.fixture
def login_as(demo_workspace):
    """``login_as("wgb")`` → a Session on the private demo copy."""
    from gridapp.services.people.auth import login

    def make_session(user: str):
        return login(demo_workspace, user, PASSWORDS[user])

    return make_session


@pytest.fixture
def chinese_ui(qapp):
    from gridapp.qt.translator import LanguageSwitcher

    switcher = LanguageSwitcher()
    switcher.apply("zh")
    yield
    switcher.apply("en")


def audit_count(store, table: str, row_id: int | None = None) -> int:
    from gridapp.services.people.audit_view import query_audit
    from gridapp.services.session import system_session

    return len(query_audit(system_session(store), table=table, row_id=row_id, limit=100_000))


def assert_fits_small_screen(dialog) -> None:
    """The dialog, shown, fits 1366×768 (and 1920×1080 at 150 %) with nothing cut off."""
    from PySide6.QtWidgets import QWidget

    from gridapp.qt.fit import smallest_budget

    room = smallest_budget()
    for size in (dialog.minimumSizeHint(), dialog.size()):
        assert size.width() <= room.width() and size.height() <= room.height(), size
    for child in dialog.findChildren(QWidget):
        if not child.isVisible() or child.isWindow():
            continue
        top_left = child.mapTo(dialog, child.rect().topLeft())
        bottom_right = child.mapTo(dialog, child.rect().bottomRight())
        assert dialog.rect().contains(top_left) and dialog.rect().contains(bottom_right), (
            child.objectName() or type(child).__name__)
