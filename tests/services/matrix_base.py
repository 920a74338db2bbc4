"""Shared vocabulary of the permission matrix (tests/services/test_permission_matrix.py).

A domain's own rows go in ``tests/services/matrix_<domain>.py`` as ``REQUIRES =
{"<module below gridapp.services>.<function>": needs}``, using these names.
"""

from __future__ import annotations

from dataclasses import dataclass

_READ = "workspace.read"
_NONE = None  # a helper: applied to data its caller already authorised


@dataclass(frozen=True)
class AnyOf:
    """Any one of these permissions is enough."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class ByArg:
    """The argument *param* decides the permission: ``{value: permission}``."""

    param: str
    needs: dict[str, str]


Needs = str | tuple[str, ...] | AnyOf | None
