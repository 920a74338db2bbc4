"""One root error, families under it, each carrying the ids involved.

Every error carries its message in Chinese and English; ``str(err)`` gives the
one in the current language (:mod:`gridapp.i18n`).  Extra keyword arguments
are kept in ``err.params`` so callers (the GUI, tests) can see which feature,
row or file was involved.
"""

from __future__ import annotations

from typing import Any

from gridapp import i18n


class GridAppError(Exception):
    """Root of every error GridApp raises on purpose."""

    def __init__(self, zh: str, en: str, **params: Any) -> None:
        self.zh = zh
        self.en = en
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en, **self.params)

    def message_in(self, lang: str) -> str:
        text = self.zh if lang == "zh" else self.en
        return text.format(**self.params) if self.params else text

    def __str__(self) -> str:  # follow the current language, not the one at raise
        return self.message


class StorageError(GridAppError):
    """The workspace file cannot be opened, read or written."""


class WorkspaceOpenError(StorageError):
    """The path is not a usable GridApp workspace."""


class SchemaVersionError(StorageError):
    """The workspace was written by a newer GridApp."""


class ReadOnlyWorkspaceError(StorageError):
    """The workspace is read-only (file permissions or opened read-only)."""


class DiskFullError(StorageError):
    """The disk is full; the transaction was rolled back."""


class ClosedStoreError(StorageError):
    """The store was closed."""


class WorkspaceBusyError(StorageError):
    """Another program held the workspace's write lock for longer than GridApp waits."""


class NotFoundError(GridAppError):
    """A row, layer or file that was asked for does not exist."""


class ValidationError(GridAppError):
    """Input that cannot be accepted (values, codes, rows of a file)."""


class GeometryError(ValidationError):
    """A geometry that is invalid, empty, of the wrong type or out of place."""


class CRSError(ValidationError):
    """A coordinate reference system that is missing, unknown or unsuitable."""


class ImportFileError(ValidationError):
    """A file that cannot be imported; ``params['problems']`` lists why."""


class PermissionDenied(GridAppError):
    """The current user's role may not do this."""


class AuthenticationError(GridAppError):
    """Login failed (never says whether the user or the password was wrong)."""


class WorkflowError(GridAppError):
    """A state transition that is not allowed from the current state."""


class Cancelled(GridAppError):
    """Long work stopped because the user cancelled it."""

    def __init__(self) -> None:
        super().__init__("已取消", "Cancelled")
