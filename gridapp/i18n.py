"""Language of messages produced outside Qt (services, CLI, errors).

Qt widgets use Qt's own translation system; everything Qt-free that speaks to a
person (error messages, CLI output, print reports) picks the Chinese or English
text it was given according to the language set here.  Chinese is the default.
"""

from __future__ import annotations

import os

_LANGUAGES = ("zh", "en")
_current = os.environ.get("GRIDAPP_LANG", "zh") if os.environ.get(
    "GRIDAPP_LANG"
) in _LANGUAGES else "zh"


def set_language(lang: str) -> None:
    """Set the message language (``"zh"`` or ``"en"``)."""
    global _current
    if lang not in _LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {_LANGUAGES}")
    _current = lang


def language() -> str:
    """The current message language."""
    return _current


def pick(zh: str, en: str, **params: object) -> str:
    """Return the text in the current language, formatted with *params*.

    Examples
    --------
    >>> set_language("en"); pick("网格 {n}", "grid {n}", n=3)
    'grid 3'
    """
    text = zh if _current == "zh" else en
    return text.format(**params) if params else text
