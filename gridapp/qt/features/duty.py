"""Tools ▸ 职责清单…: the duty-list editor (issue 21), for roles that may edit categories."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject

from gridapp.qt.actions import ActionSpec
from gridapp.qt.duty.duty_editor import DutyListEditor

ACTION = "gridapp.duty.edit"
PERMISSION = "category.edit"


class DutyFeature(QObject):
    """Opens one duty-list editor per workspace; closing the workspace closes it."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.editor: DutyListEditor | None = None
        window.actions.add(ActionSpec(
            ACTION, QT_TRANSLATE_NOOP("Actions", "&Duty list (who handles what, where)…"),
            self.open, enabled_when=self.may_edit, permission=(PERMISSION,)))
        menu = window.menus["tools"]
        menu.addSeparator()
        menu.addAction(window.actions[ACTION])
        window.workspaceClosed.connect(self.close)

    def may_edit(self) -> bool:
        session = self.window.session
        return session is not None and session.can(PERMISSION)

    def open(self) -> DutyListEditor | None:
        session = self.window.session
        if session is None:
            return None
        if self.editor is None or self.editor.session is not session:
            self.close()
            self.editor = DutyListEditor(session, self.window)
        self.editor.show()
        self.editor.raise_()
        self.editor.activateWindow()
        return self.editor

    def close(self) -> None:
        if self.editor is not None:
            self.editor.close()
            self.editor.deleteLater()
            self.editor = None

    def retranslate(self) -> None:
        if self.editor is not None:
            self.editor.retranslate()


def install(window: Any) -> DutyFeature:
    return DutyFeature(window)
