"""Actions declared once (id, title, shortcut, callback, enabled-when).

Menus and toolbars are built from the registry by id, so the same QAction
(and its shortcut, check state and enabled state) appears everywhere.  Titles
are English source strings translated in the ``Actions`` context, so a
language switch only needs :meth:`ActionRegistry.retranslate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

CONTEXT = "Actions"


@dataclass(frozen=True)
class ActionSpec:
    """One user command.

    ``title`` and ``tip`` are untranslated source strings (mark them with
    ``QT_TRANSLATE_NOOP("Actions", ...)``).  ``enabled_when`` is evaluated by
    :meth:`ActionRegistry.update_enabled`.  Actions with the same ``group``
    are exclusive and checkable (map tools).
    """

    id: str
    title: str
    callback: Callable[[], object]
    shortcut: str | QKeySequence.StandardKey | tuple[str, ...] | None = None
    enabled_when: Callable[[], bool] | None = None
    checkable: bool = False
    group: str | None = None
    icon: str | None = None
    tip: str = ""
    # permissions any of which shows the action (gridapp.qt.role_view hides it
    # from roles without them); empty: everyone
    permission: tuple[str, ...] = ()


def plain_title(title: str) -> str:
    """A menu title without its accelerator: '查找(&F)…' → '查找…', '&Find…' → 'Find…'."""
    return re.sub(r"\(&\w\)", "", title).replace("&", "")


class ActionRegistry(QObject):
    """The QActions of a window, by id."""

    def __init__(self, parent: QObject, icon_dir: str | None = None) -> None:
        super().__init__(parent)
        self._specs: dict[str, ActionSpec] = {}
        self._actions: dict[str, QAction] = {}
        self._groups: dict[str, QActionGroup] = {}
        self._icon_dir = icon_dir
        # set by gridapp.qt.role_view: called after every update_enabled
        self.after_update: Callable[[], None] | None = None

    def add(self, spec: ActionSpec) -> QAction:
        if spec.id in self._specs:
            raise ValueError(f"duplicate action id {spec.id}")
        action = QAction(self.parent())
        action.setObjectName(spec.id)
        if spec.shortcut is not None:
            if isinstance(spec.shortcut, tuple):
                action.setShortcuts([QKeySequence(s) for s in spec.shortcut])
            else:
                action.setShortcut(QKeySequence(spec.shortcut))
        if spec.icon and self._icon_dir:
            action.setIcon(QIcon(f"{self._icon_dir}/{spec.icon}.svg"))
        if spec.group is not None:
            group = self._groups.get(spec.group)
            if group is None:
                group = self._groups[spec.group] = QActionGroup(self)
                group.setExclusive(True)
            action.setCheckable(True)
            group.addAction(action)
        else:
            action.setCheckable(spec.checkable)
        action.triggered.connect(lambda _checked=False, cb=spec.callback: cb())
        self._specs[spec.id] = spec
        self._actions[spec.id] = action
        self._retitle(spec, action)
        return action

    def add_all(self, specs: Iterable[ActionSpec]) -> None:
        for spec in specs:
            self.add(spec)

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __contains__(self, action_id: str) -> bool:
        return action_id in self._actions

    def ids(self) -> list[str]:
        return list(self._actions)

    def group(self, name: str) -> QActionGroup | None:
        """The exclusive group *name* (``"tools"``: the map tools), if any action joined it."""
        return self._groups.get(name)

    def permission(self, action_id: str) -> tuple[str, ...]:
        return self._specs[action_id].permission

    def trigger(self, action_id: str) -> None:
        self._actions[action_id].trigger()

    def _retitle(self, spec: ActionSpec, action: QAction) -> None:
        title = QCoreApplication.translate(CONTEXT, spec.title)
        action.setText(title)
        tip = (
            QCoreApplication.translate(CONTEXT, spec.tip)
            if spec.tip
            else plain_title(title)
        )
        if not action.shortcut().isEmpty():
            tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)

    def retranslate(self) -> None:
        for action_id, spec in self._specs.items():
            self._retitle(spec, self._actions[action_id])

    def update_enabled(self) -> None:
        for action_id, spec in self._specs.items():
            if spec.enabled_when is not None:
                self._actions[action_id].setEnabled(bool(spec.enabled_when()))
        if self.after_update is not None:
            self.after_update()

    def fill_menu(self, menu: QMenu, ids: Iterable[str]) -> None:
        """Add actions by id; ``"-"`` adds a separator."""
        for action_id in ids:
            if action_id == "-":
                menu.addSeparator()
            else:
                menu.addAction(self._actions[action_id])

    def fill_toolbar(self, bar: QToolBar, ids: Iterable[str]) -> None:
        for action_id in ids:
            if action_id == "-":
                bar.addSeparator()
            else:
                bar.addAction(self._actions[action_id])
