"""One way to turn an exception into the text a widget shows (every Qt area uses it).

Known errors (:class:`gridapp.errors.GridAppError`) carry their message in the
user's language; a refusal says it is one; anything else is a bug and is
shown with its type so that it can be reported.  The fixed phrases are
bilingual pairs picked like the errors' own messages, so no catalogue has to
know them.
"""

from __future__ import annotations

from gridapp import i18n
from gridapp.errors import GridAppError, PermissionDenied


def error_text(exc: BaseException) -> str:
    """A known error's message in the current language; others with their type.

    Examples
    --------
    >>> error_text(ValueError("boom"))  # doctest: +SKIP
    'Unexpected error (please report it): ValueError: boom'
    """
    if isinstance(exc, PermissionDenied):
        return i18n.pick("无权操作：{error}", "Not allowed: {error}", error=exc.message)
    if isinstance(exc, GridAppError):
        return exc.message
    return i18n.pick("意外错误（请报告）：{error}", "Unexpected error (please report it): {error}",
                     error=f"{type(exc).__name__}: {exc}")
