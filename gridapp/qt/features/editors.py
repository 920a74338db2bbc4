"""The 设置 (settings) menu: editors of the workspace's reference data (issue 21).

Categories, departments and their liaisons, clustering parameters per
category, reactivating a grid manager, a joint task's place and photos.  Each
entry is shown only to roles that may use it (``ActionSpec.permission``); the
services check again.  One editor of each kind is open at a time; closing the
workspace closes them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject
from PySide6.QtWidgets import QMenu

from gridapp.qt.actions import ActionSpec
from gridapp.qt.editors.category_editor import CategoryEditor
from gridapp.qt.editors.cluster_params_editor import ClusterParamsEditor
from gridapp.qt.editors.department_editor import DepartmentEditor
from gridapp.qt.editors.manager_reactivate_dialog import ManagerReactivateDialog
from gridapp.qt.editors.task_place_editor import TaskPlaceEditor

# action id → (title, editor class, permissions any of which shows the entry)
EDITORS: dict[str, tuple[str, type, tuple[str, ...]]] = {
    "gridapp.editors.categories": (
        QT_TRANSLATE_NOOP("Actions", "&Categories and time limits…"), CategoryEditor,
        ("category.edit",)),
    "gridapp.editors.departments": (
        QT_TRANSLATE_NOOP("Actions", "&Departments and liaisons…"), DepartmentEditor,
        ("department.edit",)),
    "gridapp.editors.cluster_params": (
        QT_TRANSLATE_NOOP("Actions", "C&lustering parameters per category…"),
        ClusterParamsEditor, ("category.edit",)),
    "gridapp.editors.reactivate_manager": (
        QT_TRANSLATE_NOOP("Actions", "&Reactivate a grid manager…"), ManagerReactivateDialog,
        ("manager.edit",)),
    "gridapp.editors.task_place": (
        QT_TRANSLATE_NOOP("Actions", "&Task place and photos…"), TaskPlaceEditor,
        ("task.manage", "task.respond")),
}


class EditorsFeature(QObject):
    """Adds the 设置 menu and opens the editors."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.open_editors: dict[str, Any] = {}

        def allowed(permissions: tuple[str, ...]) -> Any:
            def enabled() -> bool:
                session = window.session
                return session is not None and any(session.can(p) for p in permissions)

            return enabled

        window.actions.add_all([
            ActionSpec(action_id, title, lambda a=action_id: self.open(a),
                       enabled_when=allowed(perms), permission=perms)
            for action_id, (title, _cls, perms) in EDITORS.items()])
        self.menu = QMenu(window)
        self.menu.setObjectName("menu_settings")
        window.actions.fill_menu(self.menu, list(EDITORS))
        window.menuBar().insertMenu(window.menus["language"].menuAction(), self.menu)
        window.workspaceClosed.connect(self.close_all)
        self.retranslate()

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Settings"))
        for editor in self.open_editors.values():
            editor.retranslate()

    def open(self, action_id: str) -> Any:
        """Show the editor of *action_id* (raised if already open); returns it."""
        session = self.window.session
        if session is None:
            return None
        editor = self.open_editors.get(action_id)
        if editor is None or editor.session is not session:
            if editor is not None:
                editor.close()
            editor = EDITORS[action_id][1](session, self.window)
            editor.finished.connect(lambda _r, a=action_id: self.open_editors.pop(a, None))
            self.open_editors[action_id] = editor
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def close_all(self) -> None:
        for editor in list(self.open_editors.values()):
            editor.close()
        self.open_editors.clear()


def install(window: Any) -> EditorsFeature:
    return EditorsFeature(window)
