"""One saved edit of reference data on an editor's undo stack.

The edit has already been saved through a service when the command is pushed
(so a refusal is shown before anything reaches the stack); the first
:meth:`redo` therefore does nothing.  Undo and redo call the services again,
so they are checked and audited like the edit itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from gridapp.errors import GridAppError


class ServiceEditCommand(QUndoCommand):
    """``apply`` saves the edit, ``revert`` saves the values before it.

    ``failed`` gets the error of an undo or redo the service refused (the
    record changed meanwhile, the user lost the right); ``done`` is called
    after every undo or redo (``"undo"`` or ``"redo"``, and
    whether it was saved) so the editor can show the stored values.
    """

    def __init__(self, title: str, apply: Callable[[], Any], revert: Callable[[], Any],
                 failed: Callable[[GridAppError], None], done: Callable[[str, bool], None]) -> None:
        super().__init__(title)
        self._apply = apply
        self._revert = revert
        self._failed = failed
        self._done = done
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._run(self._apply, "redo")

    def undo(self) -> None:
        self._run(self._revert, "undo")

    def _run(self, fn: Callable[[], Any], step: str) -> None:
        try:
            fn()
        except GridAppError as exc:
            self.setObsolete(True)
            self._failed(exc)
            self._done(step, False)
            return
        self._done(step, True)
